package io.vmqtt.vthreads.internal.codec;

import java.util.Objects;

/**
 * PUBREC [MQTT-3.5], the answer to a QoS 2 PUBLISH, part 1.
 *
 * @param reasonCode 0x00 Success in MQTT 3.1.1; in MQTT 5.0 one of the PUBREC Reason Codes
 * @param properties {@link Properties#EMPTY} in MQTT 3.1.1
 */
public record PubrecPacket(int packetId, int reasonCode, Properties properties)
    implements AckPacket {
  public PubrecPacket {
    Objects.requireNonNull(properties, "properties");
  }

  /** A PUBREC with reason code 0x00 Success and no properties: the only PUBREC of MQTT 3.1.1. */
  public PubrecPacket(int packetId) {
    this(packetId, 0, Properties.EMPTY);
  }

  /** "PubackPacket[packetId=7]", with the reason code and properties when there are any. */
  @Override
  public String toString() {
    return AckCodec.describe(this);
  }

  @Override
  public PacketType type() {
    return PacketType.PUBREC;
  }
}
