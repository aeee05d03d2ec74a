package io.vmqtt.vthreads.internal.codec;

/** PINGRESP [MQTT-3.13]: no variable header, no payload. */
public record PingrespPacket() implements Packet {
  public static final PingrespPacket INSTANCE = new PingrespPacket();

  @Override
  public PacketType type() {
    return PacketType.PINGRESP;
  }
}
