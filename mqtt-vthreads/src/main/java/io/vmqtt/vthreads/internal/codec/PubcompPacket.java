package io.vmqtt.vthreads.internal.codec;

import java.util.Objects;

/**
 * PUBCOMP [MQTT-3.7], the answer to PUBREL, QoS 2 part 3.
 *
 * @param reasonCode 0x00 Success in MQTT 3.1.1; in MQTT 5.0 one of the PUBCOMP Reason Codes
 * @param properties {@link Properties#EMPTY} in MQTT 3.1.1
 */
public record PubcompPacket(int packetId, int reasonCode, Properties properties)
    implements AckPacket {
  public PubcompPacket {
    Objects.requireNonNull(properties, "properties");
  }

  /** A PUBCOMP with reason code 0x00 Success and no properties: the only PUBCOMP of MQTT 3.1.1. */
  public PubcompPacket(int packetId) {
    this(packetId, 0, Properties.EMPTY);
  }

  /** "PubackPacket[packetId=7]", with the reason code and properties when there are any. */
  @Override
  public String toString() {
    return AckCodec.describe(this);
  }

  @Override
  public PacketType type() {
    return PacketType.PUBCOMP;
  }
}
