package io.vmqtt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The last-will message the broker publishes when the connection drops without DISCONNECT.
 * Immutable and thread-safe: it keeps a copy of the payload and hands out copies.
 *
 * <pre>{@code
 * MqttConfig config = MqttConfig.builder()
 *     .will(Will.of("devices/sensor-7/status", "offline", QoS.AT_LEAST_ONCE, true))
 *     .build();
 * }</pre>
 *
 * <p>The builder is where MQTT 5's will properties will go.
 */
public final class Will {
  /** The longest will payload MQTT can carry: a two-byte length (MQTT 3.1.1 section 3.1.3.3). */
  private static final int MAX_PAYLOAD = 65_535;

  private final String topic;
  private final byte[] payload;
  private final QoS qos;
  private final boolean retain;

  private Will(String topic, byte[] payload, QoS qos, boolean retain) {
    this.topic = topic;
    this.payload = payload;
    this.qos = qos;
    this.retain = retain;
  }

  /**
   * A will to {@code topic}.
   *
   * @param payload the will message; the will keeps a copy
   * @throws IllegalArgumentException when the topic is not a valid topic name or the payload is
   *     longer than 65,535 bytes
   * @throws NullPointerException when an argument is null
   */
  public static Will of(String topic, byte[] payload, QoS qos, boolean retain) {
    return builder(topic).payload(payload).qos(qos).retain(retain).build();
  }

  /**
   * A will to {@code topic} whose message is the UTF-8 bytes of {@code payload}.
   *
   * @throws IllegalArgumentException when the topic is not a valid topic name or the payload is
   *     longer than 65,535 bytes
   * @throws NullPointerException when an argument is null
   */
  public static Will of(String topic, String payload, QoS qos, boolean retain) {
    return builder(topic).payload(payload).qos(qos).retain(retain).build();
  }

  /**
   * A builder of a will to {@code topic}: empty message, QoS 0 and retain false until set.
   *
   * @throws IllegalArgumentException when the topic is not a valid topic name
   * @throws NullPointerException when the topic is null
   */
  public static Builder builder(String topic) {
    return new Builder(topic);
  }

  /** The topic name the will is published to. */
  public String topic() {
    return topic;
  }

  /** A copy of the will message. */
  public byte[] payload() {
    return payload.clone();
  }

  /** The QoS of the will. */
  public QoS qos() {
    return qos;
  }

  /** Whether the will is retained. */
  public boolean retain() {
    return retain;
  }

  /** Equal when topic, payload bytes, QoS and retain flag are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Will w
        && topic.equals(w.topic)
        && Arrays.equals(payload, w.payload)
        && qos == w.qos
        && retain == w.retain;
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, Arrays.hashCode(payload), qos, retain);
  }

  /** E.g. {@code Will[topic=status, payload=7 bytes, qos=1, retain=true]}. */
  @Override
  public String toString() {
    return "Will[topic="
        + topic
        + ", payload="
        + payload.length
        + " bytes, qos="
        + qos.value()
        + ", retain="
        + retain
        + "]";
  }

  /** Builds a {@link Will}; not thread-safe. */
  public static final class Builder {
    private final String topic;
    private byte[] payload = new byte[0];
    private QoS qos = QoS.AT_MOST_ONCE;
    private boolean retain;

    private Builder(String topic) {
      Objects.requireNonNull(topic, "topic");
      this.topic = Topics.requireValidName(topic, "will topic");
    }

    /**
     * The will message; the will keeps a copy. Default: empty.
     *
     * @throws IllegalArgumentException when it is longer than 65,535 bytes
     */
    public Builder payload(byte[] payload) {
      this.payload = checkLength(Objects.requireNonNull(payload, "payload").clone());
      return this;
    }

    /**
     * The will message as the UTF-8 bytes of {@code payload}. Default: empty.
     *
     * @throws IllegalArgumentException when they are more than 65,535
     */
    public Builder payload(String payload) {
      this.payload =
          checkLength(Objects.requireNonNull(payload, "payload").getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /** The QoS. Default: {@link QoS#AT_MOST_ONCE}. */
    public Builder qos(QoS qos) {
      this.qos = Objects.requireNonNull(qos, "qos");
      return this;
    }

    /** The retain flag. Default: false. */
    public Builder retain(boolean retain) {
      this.retain = retain;
      return this;
    }

    /** The will. */
    public Will build() {
      return new Will(topic, payload, qos, retain);
    }

    private static byte[] checkLength(byte[] payload) {
      if (payload.length > MAX_PAYLOAD) {
        throw new IllegalArgumentException(
            "will payload must be at most " + MAX_PAYLOAD + " bytes, was " + payload.length);
      }
      return payload;
    }
  }
}
