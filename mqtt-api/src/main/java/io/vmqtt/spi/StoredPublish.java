package io.vmqtt.spi;

import io.vmqtt.QoS;
import io.vmqtt.Topics;
import java.util.Arrays;
import java.util.Objects;

/**
 * An outbound QoS 1/2 message as a {@link SessionStore} keeps it.
 *
 * @param packetId its packet identifier, 1..65535
 * @param topic the topic name
 * @param payload the payload (not copied)
 * @param qos {@link QoS#AT_LEAST_ONCE} or {@link QoS#EXACTLY_ONCE}
 * @param retain the retain flag
 * @param released true once PUBREC arrived for a QoS 2 message: PUBREL, not PUBLISH, is resent
 * @param properties the message's MQTT 5 PUBLISH properties as they are on the wire, Property
 *     Length first (section 3.3.2.3), without a Topic Alias (which lasts one connection); an empty
 *     array when it has none (and in MQTT 3.1.1). A store keeps them as bytes, so that the message
 *     is resent with them (not copied)
 */
public record StoredPublish(
    int packetId,
    String topic,
    byte[] payload,
    QoS qos,
    boolean retain,
    boolean released,
    byte[] properties) {
  private static final byte[] NO_PROPERTIES = new byte[0];

  /**
   * @throws IllegalArgumentException when a field is out of range
   */
  public StoredPublish {
    if (packetId < 1 || packetId > 65535) {
      throw new IllegalArgumentException("packetId must be 1..65535, was " + packetId);
    }
    Topics.requireValidName(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    if (Objects.requireNonNull(qos, "qos") == QoS.AT_MOST_ONCE) {
      throw new IllegalArgumentException("a stored message has QoS 1 or 2, was " + qos);
    }
    if (released && qos != QoS.EXACTLY_ONCE) {
      throw new IllegalArgumentException("only a QoS 2 message can be released");
    }
    Objects.requireNonNull(properties, "properties");
  }

  /**
   * A message without MQTT 5 properties.
   *
   * @throws IllegalArgumentException when a field is out of range
   */
  public StoredPublish(
      int packetId, String topic, byte[] payload, QoS qos, boolean retain, boolean released) {
    this(packetId, topic, payload, qos, retain, released, NO_PROPERTIES);
  }

  /** The same message after PUBREC. */
  public StoredPublish asReleased() {
    return new StoredPublish(packetId, topic, payload, qos, retain, true, properties);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredPublish s
        && packetId == s.packetId
        && topic.equals(s.topic)
        && Arrays.equals(payload, s.payload)
        && qos == s.qos
        && retain == s.retain
        && released == s.released
        && Arrays.equals(properties, s.properties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        packetId,
        topic,
        Arrays.hashCode(payload),
        qos,
        retain,
        released,
        Arrays.hashCode(properties));
  }

  @Override
  public String toString() {
    return "StoredPublish[packetId="
        + packetId
        + ", topic="
        + topic
        + ", payload="
        + payload.length
        + " bytes, qos="
        + qos.value()
        + ", retain="
        + retain
        + ", released="
        + released
        + (properties.length == 0 ? "" : ", properties=" + properties.length + " bytes")
        + "]";
  }
}
