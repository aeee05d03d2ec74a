package io.vmqtt.vthreads.internal.codec;

/** PUBACK [MQTT-3.4]. */
public record PubackPacket(int packetId) implements Packet {
  @Override
  public PacketType type() {
    return PacketType.PUBACK;
  }
}
