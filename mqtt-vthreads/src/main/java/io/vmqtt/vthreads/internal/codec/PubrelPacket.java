package io.vmqtt.vthreads.internal.codec;

/** PUBREL [MQTT-3.6]. */
public record PubrelPacket(int packetId) implements Packet {
  @Override
  public PacketType type() {
    return PacketType.PUBREL;
  }
}
