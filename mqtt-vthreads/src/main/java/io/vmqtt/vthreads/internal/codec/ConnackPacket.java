package io.vmqtt.vthreads.internal.codec;

/** CONNACK [MQTT-3.2]. */
public record ConnackPacket(boolean sessionPresent, int returnCode) implements Packet {
  @Override
  public PacketType type() {
    return PacketType.CONNACK;
  }
}
