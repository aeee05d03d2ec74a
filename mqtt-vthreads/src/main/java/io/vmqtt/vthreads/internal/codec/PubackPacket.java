package io.vmqtt.vthreads.internal.codec;

import java.util.Objects;

/**
 * PUBACK [MQTT-3.4], the answer to a QoS 1 PUBLISH.
 *
 * @param reasonCode 0x00 Success in MQTT 3.1.1; in MQTT 5.0 one of the PUBACK Reason Codes
 * @param properties {@link Properties#EMPTY} in MQTT 3.1.1
 */
public record PubackPacket(int packetId, int reasonCode, Properties properties)
    implements AckPacket {
  public PubackPacket {
    Objects.requireNonNull(properties, "properties");
  }

  /** A PUBACK with reason code 0x00 Success and no properties: the only PUBACK of MQTT 3.1.1. */
  public PubackPacket(int packetId) {
    this(packetId, 0, Properties.EMPTY);
  }

  /** "PubackPacket[packetId=7]", with the reason code and properties when there are any. */
  @Override
  public String toString() {
    return AckCodec.describe(this);
  }

  @Override
  public PacketType type() {
    return PacketType.PUBACK;
  }
}
