package io.vmqtt.vthreads.internal.codec;

/** PUBCOMP [MQTT-3.7]. */
public record PubcompPacket(int packetId) implements Packet {
  @Override
  public PacketType type() {
    return PacketType.PUBCOMP;
  }
}
