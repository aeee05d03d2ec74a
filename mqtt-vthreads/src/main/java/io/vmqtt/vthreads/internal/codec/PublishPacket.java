package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.QoS;
import java.util.Arrays;
import java.util.Objects;

/**
 * PUBLISH [MQTT-3.3]. {@code packetId} is 0 for QoS 0 (no packet identifier on the wire).
 *
 * @param properties MQTT 5.0's PUBLISH properties (Payload Format Indicator, Message Expiry
 *     Interval, Topic Alias, Response Topic, Correlation Data, User Property, Subscription
 *     Identifier, Content Type); {@link Properties#EMPTY} in MQTT 3.1.1
 */
public record PublishPacket(
    String topic,
    byte[] payload,
    QoS qos,
    boolean retain,
    boolean dup,
    int packetId,
    Properties properties)
    implements Packet {

  public PublishPacket {
    Objects.requireNonNull(properties, "properties");
  }

  /** A PUBLISH without properties, as MQTT 3.1.1 has it. */
  public PublishPacket(
      String topic, byte[] payload, QoS qos, boolean retain, boolean dup, int packetId) {
    this(topic, payload, qos, retain, dup, packetId, Properties.EMPTY);
  }

  @Override
  public PacketType type() {
    return PacketType.PUBLISH;
  }

  /** The same packet with the DUP flag set, for a resend. */
  public PublishPacket asDuplicate() {
    return new PublishPacket(topic, payload, qos, retain, true, packetId, properties);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublishPacket p
        && topic.equals(p.topic)
        && Arrays.equals(payload, p.payload)
        && qos == p.qos
        && retain == p.retain
        && dup == p.dup
        && packetId == p.packetId
        && properties.equals(p.properties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, dup, packetId, properties);
  }

  @Override
  public String toString() {
    return "PublishPacket[topic="
        + topic
        + ", qos="
        + qos.value()
        + ", retain="
        + retain
        + ", dup="
        + dup
        + ", packetId="
        + packetId
        + ", payload="
        + payload.length
        + " bytes"
        + (properties.isEmpty() ? "" : ", " + properties)
        + "]";
  }
}
