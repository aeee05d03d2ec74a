package io.vmqtt.vthreads.internal.codec;

import java.util.Objects;

/**
 * PUBREL [MQTT-3.6], the answer to PUBREC, QoS 2 part 2.
 *
 * @param reasonCode 0x00 Success in MQTT 3.1.1; in MQTT 5.0 one of the PUBREL Reason Codes
 * @param properties {@link Properties#EMPTY} in MQTT 3.1.1
 */
public record PubrelPacket(int packetId, int reasonCode, Properties properties)
    implements AckPacket {
  public PubrelPacket {
    Objects.requireNonNull(properties, "properties");
  }

  /** A PUBREL with reason code 0x00 Success and no properties: the only PUBREL of MQTT 3.1.1. */
  public PubrelPacket(int packetId) {
    this(packetId, 0, Properties.EMPTY);
  }

  /** "PubackPacket[packetId=7]", with the reason code and properties when there are any. */
  @Override
  public String toString() {
    return AckCodec.describe(this);
  }

  @Override
  public PacketType type() {
    return PacketType.PUBREL;
  }
}
