package io.vmqtt.vthreads.internal.codec;

/** PINGREQ [MQTT-3.12]: no variable header, no payload. */
public record PingreqPacket() implements Packet {
  public static final PingreqPacket INSTANCE = new PingreqPacket();

  @Override
  public PacketType type() {
    return PacketType.PINGREQ;
  }
}
