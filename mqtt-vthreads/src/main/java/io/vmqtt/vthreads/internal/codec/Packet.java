package io.vmqtt.vthreads.internal.codec;

/**
 * An MQTT control packet as a value: the packets of MQTT 3.1.1 with what MQTT 5.0 adds to them
 * (reason codes, properties) and AUTH. A packet made for MQTT 3.1.1 leaves the MQTT 5 parts at
 * their defaults (reason code 0, {@link Properties#EMPTY}); the codec of an MQTT 3.1.1 connection
 * refuses to send anything else. Records are validated by the codec, not in their constructors, so
 * that tests can build malformed packets to encode.
 */
public sealed interface Packet
    permits ConnectPacket,
        ConnackPacket,
        PublishPacket,
        AckPacket,
        SubscribePacket,
        SubackPacket,
        UnsubscribePacket,
        UnsubackPacket,
        PingreqPacket,
        PingrespPacket,
        DisconnectPacket,
        AuthPacket {

  PacketType type();
}
