package io.vmqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * <p>With MQTT 5 the will has properties too (section 3.1.3.2): a delay before the broker publishes
 * it, and the publish properties of {@link Publish}. On an MQTT 3.1.1 connection a will with any of
 * them fails {@code connect} before anything is sent.
 *
 * <pre>{@code
 * Will will = Will.builder("devices/sensor-7/status")
 *     .payload("{\"online\": false}")
 *     .qos(QoS.AT_LEAST_ONCE)
 *     .delayInterval(Duration.ofSeconds(30))        // not published if back within 30 s
 *     .messageExpiryInterval(Duration.ofHours(1))
 *     .contentType("application/json")
 *     .payloadUtf8(true)
 *     .userProperty("site", "hall-2")
 *     .build();
 * }</pre>
 */
public final class Will {
  /** The longest will payload MQTT can carry: a two-byte length (MQTT 3.1.1 section 3.1.3.3). */
  private static final int MAX_PAYLOAD = 65_535;

  private final String topic;
  private final byte[] payload;
  private final QoS qos;
  private final boolean retain;

  /** MQTT 5's Will Delay Interval; null: none. */
  private final Duration delayInterval;

  /** MQTT 5's will properties besides the delay; {@link PublishProperties#NONE} for none. */
  private final PublishProperties properties;

  private Will(Builder b) {
    this.topic = b.topic;
    this.payload = b.payload;
    this.qos = b.qos;
    this.retain = b.retain;
    this.delayInterval = b.delayInterval;
    this.properties = b.properties.freeze();
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

  // --- MQTT 5 ----------------------------------------------------------------------------------

  /**
   * MQTT 5's Will Delay Interval: how long the broker waits after the connection is lost before it
   * publishes the will; it does not when the session resumes in time (section 3.1.3.2.2).
   */
  public Optional<Duration> delayInterval() {
    return Optional.ofNullable(delayInterval);
  }

  /** MQTT 5's Message Expiry Interval of the will message. */
  public Optional<Duration> messageExpiryInterval() {
    return Optional.ofNullable(properties.messageExpiryInterval);
  }

  /** MQTT 5's Content Type of the will message. */
  public Optional<String> contentType() {
    return Optional.ofNullable(properties.contentType);
  }

  /** MQTT 5's Response Topic of the will message. */
  public Optional<String> responseTopic() {
    return Optional.ofNullable(properties.responseTopic);
  }

  /** MQTT 5's Correlation Data of the will message; a copy. */
  public Optional<byte[]> correlationData() {
    return Optional.ofNullable(properties.correlationData).map(byte[]::clone);
  }

  /** MQTT 5's User Properties of the will message, in order. */
  public List<UserProperty> userProperties() {
    return properties.userProperties;
  }

  /** MQTT 5's Payload Format Indicator: whether the will message is UTF-8 text. */
  public boolean payloadUtf8() {
    return properties.payloadUtf8;
  }

  /**
   * Whether any MQTT 5 property is set: such a will needs a connection at {@code protocol_version}
   * 5.
   */
  public boolean hasMqtt5Properties() {
    return delayInterval != null || !properties.isEmpty();
  }

  /** Equal when topic, payload bytes, QoS, retain flag and MQTT 5 properties are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Will w
        && topic.equals(w.topic)
        && Arrays.equals(payload, w.payload)
        && qos == w.qos
        && retain == w.retain
        && Objects.equals(delayInterval, w.delayInterval)
        && Objects.equals(properties.messageExpiryInterval, w.properties.messageExpiryInterval)
        && properties.sameApplicationProperties(w.properties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        topic,
        Arrays.hashCode(payload),
        qos,
        retain,
        delayInterval,
        properties.messageExpiryInterval,
        properties.applicationHash());
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
        + (delayInterval == null ? "" : ", delayInterval=" + delayInterval.getSeconds() + "s")
        + properties.describe()
        + "]";
  }

  /** Builds a {@link Will}; not thread-safe. */
  public static final class Builder {
    private final String topic;
    private byte[] payload = new byte[0];
    private QoS qos = QoS.AT_MOST_ONCE;
    private boolean retain;
    private Duration delayInterval;
    private final PublishProperties properties = new PublishProperties();

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

    /**
     * MQTT 5's Will Delay Interval: the broker publishes the will this long after the connection is
     * lost, and not at all when the client resumes the session before (section 3.1.3.2.2). The
     * session must outlive the connection by as long for the delay to take effect: the broker
     * publishes the will when the session ends, whichever comes first. Default: none (at once).
     *
     * @throws IllegalArgumentException unless whole seconds 0..4294967295
     */
    public Builder delayInterval(Duration interval) {
      Objects.requireNonNull(interval, "delayInterval");
      if (interval.getNano() != 0
          || interval.isNegative()
          || interval.getSeconds() > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException(
            "delayInterval must be whole seconds 0..4294967295, was " + interval);
      }
      this.delayInterval = interval;
      return this;
    }

    /**
     * MQTT 5's Message Expiry Interval of the will message (section 3.1.3.2.4).
     *
     * @throws IllegalArgumentException unless whole seconds 0..4294967295
     */
    public Builder messageExpiryInterval(Duration interval) {
      properties.messageExpiryInterval(interval);
      return this;
    }

    /**
     * MQTT 5's Content Type of the will message, e.g. {@code application/json}.
     *
     * @throws IllegalArgumentException when it is not a valid MQTT string
     */
    public Builder contentType(String contentType) {
      properties.contentType(contentType);
      return this;
    }

    /**
     * MQTT 5's Response Topic of the will message.
     *
     * @throws IllegalArgumentException when it is not a valid topic name (section 3.1.3.2.6)
     */
    public Builder responseTopic(String topic) {
      properties.responseTopic(topic);
      return this;
    }

    /**
     * MQTT 5's Correlation Data of the will message; the will keeps a copy.
     *
     * @throws IllegalArgumentException when longer than 65,535 bytes
     */
    public Builder correlationData(byte[] data) {
      properties.correlationData(data);
      return this;
    }

    /**
     * Adds an MQTT 5 User Property to the will message; names may repeat, the order is kept.
     *
     * @throws IllegalArgumentException as {@link UserProperty#UserProperty}
     */
    public Builder userProperty(String name, String value) {
      properties.userProperty(name, value);
      return this;
    }

    /**
     * MQTT 5's Payload Format Indicator: the will message is UTF-8 text, which {@link #build()}
     * checks (section 3.1.3.2.3). Default: false (unspecified bytes).
     */
    public Builder payloadUtf8(boolean utf8) {
      properties.payloadUtf8 = utf8;
      return this;
    }

    /**
     * The will.
     *
     * @throws IllegalArgumentException when {@link #payloadUtf8} is set and the payload is not
     *     well-formed UTF-8
     */
    public Will build() {
      properties.checkPayload(payload);
      return new Will(this);
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
