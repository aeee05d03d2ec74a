package io.vmqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A message to publish with {@link MqttClient#publish(Publish)}: the message-shaped counterpart of
 * {@link MqttClient#publish(String, byte[], QoS, boolean)}, where MQTT 5's publish properties will
 * go. Immutable but for the payload array (see {@link Builder#payload(byte[])}); thread-safe to
 * share and to publish more than once.
 *
 * <pre>{@code
 * client.publish(Publish.builder("a/b").payload("hello").qos(QoS.EXACTLY_ONCE).build());
 * client.publish(Publish.builder("a/c").payload(bytes).build()); // QoS and retain from the config
 * }</pre>
 *
 * <p>A QoS or retain flag that is set always wins; one that is not set comes from the
 * configuration, as for {@link MqttClient#publish(String, byte[])}: the {@code topics} entry for
 * the topic, else {@code default_qos} / {@code default_retain}.
 */
public final class Publish {
  private final String topic;
  private final byte[] payload;

  /** Null: from the configuration. */
  private final QoS qos;

  /** Null: from the configuration. */
  private final Boolean retain;

  /** MQTT 5's properties; {@link PublishProperties#NONE} for none. */
  private final PublishProperties properties;

  private Publish(Builder b) {
    this.topic = b.topic;
    this.payload = b.payload;
    this.qos = b.qos;
    this.retain = b.retain;
    this.properties = b.properties.freeze();
  }

  /**
   * A builder of a message to {@code topic}: empty payload, QoS and retain flag from the
   * configuration until set.
   *
   * @throws IllegalArgumentException when the topic is not a valid topic name
   * @throws NullPointerException when the topic is null
   */
  public static Builder builder(String topic) {
    return new Builder(topic);
  }

  /** The topic name. */
  public String topic() {
    return topic;
  }

  /** The payload, the array given to the builder (not a copy). */
  public byte[] payload() {
    return payload;
  }

  /** The QoS when set; empty: the configuration's for this topic ({@link MqttConfig#qosFor}). */
  public Optional<QoS> qos() {
    return Optional.ofNullable(qos);
  }

  /**
   * The retain flag when set; empty: the configuration's for this topic ({@link
   * MqttConfig#retainFor}).
   */
  public Optional<Boolean> retain() {
    return Optional.ofNullable(retain);
  }

  // --- MQTT 5 ----------------------------------------------------------------------------------

  /**
   * MQTT 5's Message Expiry Interval: the broker drops the message when it has not been delivered.
   */
  public Optional<Duration> messageExpiryInterval() {
    return Optional.ofNullable(properties.messageExpiryInterval);
  }

  /** MQTT 5's Content Type. */
  public Optional<String> contentType() {
    return Optional.ofNullable(properties.contentType);
  }

  /** MQTT 5's Response Topic: makes the message a request whose answer goes there. */
  public Optional<String> responseTopic() {
    return Optional.ofNullable(properties.responseTopic);
  }

  /** MQTT 5's Correlation Data; a copy. */
  public Optional<byte[]> correlationData() {
    return Optional.ofNullable(properties.correlationData).map(byte[]::clone);
  }

  /** MQTT 5's User Properties, in order. */
  public List<UserProperty> userProperties() {
    return properties.userProperties;
  }

  /** MQTT 5's Payload Format Indicator: whether the payload is UTF-8 text. */
  public boolean payloadUtf8() {
    return properties.payloadUtf8;
  }

  /**
   * Whether any MQTT 5 property is set: such a message needs a connection at {@code
   * protocol_version} 5.
   */
  public boolean hasMqtt5Properties() {
    return !properties.isEmpty();
  }

  /** Equal when topic, payload bytes, QoS and retain flag (set or not) and properties are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Publish p
        && topic.equals(p.topic)
        && Arrays.equals(payload, p.payload)
        && qos == p.qos
        && Objects.equals(retain, p.retain)
        && Objects.equals(properties.messageExpiryInterval, p.properties.messageExpiryInterval)
        && properties.sameApplicationProperties(p.properties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        topic,
        Arrays.hashCode(payload),
        qos,
        retain,
        properties.messageExpiryInterval,
        properties.applicationHash());
  }

  /**
   * E.g. {@code Publish[topic=a/b, payload=5 bytes, qos=1, retain=default]}; {@code default} where
   * the configuration decides.
   */
  @Override
  public String toString() {
    return "Publish[topic="
        + topic
        + ", payload="
        + payload.length
        + " bytes, qos="
        + (qos == null ? "default" : qos.value())
        + ", retain="
        + (retain == null ? "default" : retain)
        + properties.describe()
        + "]";
  }

  /** Builds a {@link Publish}; not thread-safe. */
  public static final class Builder {
    private static final byte[] EMPTY = new byte[0];

    private final String topic;
    private byte[] payload = EMPTY;
    private QoS qos;
    private Boolean retain;
    private final PublishProperties properties = new PublishProperties();

    private Builder(String topic) {
      Objects.requireNonNull(topic, "topic");
      this.topic = Topics.requireValidName(topic, "topic");
    }

    /**
     * The payload. The array is used as it is, not copied, as by {@link MqttClient#publish(String,
     * byte[], QoS, boolean)}: leave it unchanged until the publish returns. Default: empty.
     */
    public Builder payload(byte[] payload) {
      this.payload = Objects.requireNonNull(payload, "payload");
      return this;
    }

    /** The payload as the UTF-8 bytes of {@code payload}. Default: empty. */
    public Builder payload(String payload) {
      this.payload = Objects.requireNonNull(payload, "payload").getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /** The QoS; it wins over the configuration. Default: the configuration's for the topic. */
    public Builder qos(QoS qos) {
      this.qos = Objects.requireNonNull(qos, "qos");
      return this;
    }

    /**
     * The retain flag; it wins over the configuration, also when false. Default: the
     * configuration's for the topic.
     */
    public Builder retain(boolean retain) {
      this.retain = retain;
      return this;
    }

    /**
     * MQTT 5's Message Expiry Interval: the broker drops the message once it is older.
     *
     * @throws IllegalArgumentException unless whole seconds 0..4294967295
     */
    public Builder messageExpiryInterval(Duration interval) {
      properties.messageExpiryInterval(interval);
      return this;
    }

    /**
     * MQTT 5's Content Type, e.g. {@code application/json}.
     *
     * @throws IllegalArgumentException when it is not a valid MQTT string
     */
    public Builder contentType(String contentType) {
      properties.contentType(contentType);
      return this;
    }

    /**
     * MQTT 5's Response Topic.
     *
     * @throws IllegalArgumentException when it is not a valid topic name [MQTT-3.3.2-14]
     */
    public Builder responseTopic(String topic) {
      properties.responseTopic(topic);
      return this;
    }

    /**
     * MQTT 5's Correlation Data; the message keeps a copy.
     *
     * @throws IllegalArgumentException when longer than 65,535 bytes
     */
    public Builder correlationData(byte[] data) {
      properties.correlationData(data);
      return this;
    }

    /**
     * Adds an MQTT 5 User Property; names may repeat, the order is kept.
     *
     * @throws IllegalArgumentException as {@link UserProperty#UserProperty}
     */
    public Builder userProperty(String name, String value) {
      properties.userProperty(name, value);
      return this;
    }

    /**
     * MQTT 5's Payload Format Indicator: the payload is UTF-8 text, which {@link #build()} checks.
     * Default: false (unspecified bytes).
     */
    public Builder payloadUtf8(boolean utf8) {
      properties.payloadUtf8 = utf8;
      return this;
    }

    /**
     * The message.
     *
     * @throws IllegalArgumentException when {@link #payloadUtf8} is set and the payload is not
     *     well-formed UTF-8
     */
    public Publish build() {
      properties.checkPayload(payload);
      return new Publish(this);
    }
  }
}
