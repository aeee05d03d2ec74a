package io.vmqtt.vthreads.internal.codec;

/**
 * An MQTT control packet as a value. Records are validated by the codec, not in their constructors,
 * so that tests can build malformed packets to encode. MQTT 5 will add properties and reason codes
 * as new fields, read and written by the same codec when the protocol level is 5.
 */
public sealed interface Packet
    permits ConnectPacket,
        ConnackPacket,
        PublishPacket,
        PubackPacket,
        PubrecPacket,
        PubrelPacket,
        PubcompPacket,
        SubscribePacket,
        SubackPacket,
        UnsubscribePacket,
        UnsubackPacket,
        PingreqPacket,
        PingrespPacket,
        DisconnectPacket {

  PacketType type();
}
