package io.vmqtt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

  private Publish(Builder b) {
    this.topic = b.topic;
    this.payload = b.payload;
    this.qos = b.qos;
    this.retain = b.retain;
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

  /** Equal when topic, payload bytes, QoS and retain flag (set or not) are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Publish p
        && topic.equals(p.topic)
        && Arrays.equals(payload, p.payload)
        && qos == p.qos
        && Objects.equals(retain, p.retain);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, Arrays.hashCode(payload), qos, retain);
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
        + "]";
  }

  /** Builds a {@link Publish}; not thread-safe. */
  public static final class Builder {
    private static final byte[] EMPTY = new byte[0];

    private final String topic;
    private byte[] payload = EMPTY;
    private QoS qos;
    private Boolean retain;

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

    /** The message. */
    public Publish build() {
      return new Publish(this);
    }
  }
}
