package io.vmqtt.vthreads.internal.codec;

/** UNSUBACK [MQTT-3.11]. */
public record UnsubackPacket(int packetId) implements Packet {
  @Override
  public PacketType type() {
    return PacketType.UNSUBACK;
  }
}
