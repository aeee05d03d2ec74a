package io.vmqtt;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An application message received from the broker, as returned by {@link
 * MqttClient#deliverMessage()}.
 *
 * <p>The payload array is handed over without a copy: the receiver owns it.
 *
 * @param topic the topic name it was published to
 * @param payload the application payload, possibly empty
 * @param qos the QoS it was delivered with
 * @param retain whether it was a retained message
 * @param dup whether the broker flagged it as a possible redelivery
 * @param packetId the packet identifier; 0 for QoS 0
 */
public record Message(
    String topic, byte[] payload, QoS qos, boolean retain, boolean dup, int packetId) {

  /**
   * @throws IllegalArgumentException when the packet id does not fit the QoS
   * @throws NullPointerException when topic, payload or qos is null
   */
  public Message {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(qos, "qos");
    if (qos == QoS.AT_MOST_ONCE ? packetId != 0 : packetId < 1 || packetId > 65535) {
      throw new IllegalArgumentException("packetId " + packetId + " does not fit " + qos);
    }
  }

  /** The payload decoded as UTF-8. */
  public String payloadAsString() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Message m
        && topic.equals(m.topic)
        && java.util.Arrays.equals(payload, m.payload)
        && qos == m.qos
        && retain == m.retain
        && dup == m.dup
        && packetId == m.packetId;
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, java.util.Arrays.hashCode(payload), qos, retain, dup, packetId);
  }

  @Override
  public String toString() {
    return "Message[topic="
        + topic
        + ", payload="
        + payload.length
        + " bytes, qos="
        + qos.value()
        + ", retain="
        + retain
        + ", dup="
        + dup
        + ", packetId="
        + packetId
        + "]";
  }
}
