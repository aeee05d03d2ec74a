package io.vmqtt.vthreads.internal.codec;

/** PUBREC [MQTT-3.5]. */
public record PubrecPacket(int packetId) implements Packet {
  @Override
  public PacketType type() {
    return PacketType.PUBREC;
  }
}
