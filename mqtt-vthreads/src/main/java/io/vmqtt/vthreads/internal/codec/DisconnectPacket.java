package io.vmqtt.vthreads.internal.codec;

/** DISCONNECT [MQTT-3.14]: no variable header, no payload. */
public record DisconnectPacket() implements Packet {
  public static final DisconnectPacket INSTANCE = new DisconnectPacket();

  @Override
  public PacketType type() {
    return PacketType.DISCONNECT;
  }
}
