package io.vmqtt;

import io.vmqtt.internal.api.ApiAccess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An application message received from the broker, as returned by {@link
 * MqttClient#deliverMessage()}. Immutable but for the payload array (see {@link #payload()}).
 *
 * <pre>{@code
 * Message m = client.deliverMessage(Duration.ofSeconds(5));
 * System.out.println(m.topic() + " => " + m.payloadAsString());
 * }</pre>
 *
 * <p>Tests and applications make messages with {@link #of(String, byte[], QoS, boolean)} or {@link
 * #builder(String)}:
 *
 * <pre>{@code
 * Message expected = Message.of("a/b", "hello", QoS.AT_LEAST_ONCE, false);
 * Message redelivered = Message.builder("a/b").payload("hello").qos(QoS.AT_LEAST_ONCE).dup(true).build();
 * }</pre>
 *
 * <p>Two messages are equal when their topic, payload bytes, QoS, retain and DUP flags are; which
 * packet carried them is not part of the message. Thread-safe to share once received.
 */
public final class Message {
  static {
    ApiAccess.register(
        new ApiAccess.MessageAccess() {
          @Override
          public Message newMessage(
              String topic, byte[] payload, QoS qos, boolean retain, boolean dup, Object receipt) {
            return new Message(topic, payload, qos, retain, dup, PublishProperties.NONE, receipt);
          }

          @Override
          public Message newMessage(Builder properties, byte[] payload, Object receipt) {
            return properties.build(payload, receipt);
          }

          @Override
          public Object receipt(Message message) {
            return message.receipt;
          }
        });
  }

  private final String topic;
  private final byte[] payload;
  private final QoS qos;
  private final boolean retain;
  private final boolean dup;

  /** MQTT 5's PUBLISH properties; {@link PublishProperties#NONE} for none. */
  private final PublishProperties properties;

  /** The engine's receipt (what it needs to acknowledge the message); null when made by the API. */
  private final Object receipt;

  private Message(
      String topic,
      byte[] payload,
      QoS qos,
      boolean retain,
      boolean dup,
      PublishProperties properties,
      Object receipt) {
    this.topic = topic;
    this.payload = payload;
    this.qos = qos;
    this.retain = retain;
    this.dup = dup;
    this.properties = properties;
    this.receipt = receipt;
  }

  /**
   * A message without the DUP flag.
   *
   * @param payload the payload; the message keeps a copy
   * @throws IllegalArgumentException when the topic is not a valid topic name
   * @throws NullPointerException when an argument is null
   */
  public static Message of(String topic, byte[] payload, QoS qos, boolean retain) {
    return builder(topic).payload(payload).qos(qos).retain(retain).build();
  }

  /**
   * A message without the DUP flag, with a payload of the UTF-8 bytes of {@code payload}.
   *
   * @throws IllegalArgumentException when the topic is not a valid topic name
   * @throws NullPointerException when an argument is null
   */
  public static Message of(String topic, String payload, QoS qos, boolean retain) {
    return builder(topic).payload(payload).qos(qos).retain(retain).build();
  }

  /**
   * A builder of a message to {@code topic}: empty payload, QoS 0, retain and DUP false until set.
   *
   * @throws IllegalArgumentException when the topic is not a valid topic name
   * @throws NullPointerException when the topic is null
   */
  public static Builder builder(String topic) {
    return new Builder(topic);
  }

  /** The topic name it was published to. */
  public String topic() {
    return topic;
  }

  /**
   * The application payload, possibly empty. The array is handed over without a copy: the receiver
   * owns it, and a change to it changes this message (and its hash code).
   */
  public byte[] payload() {
    return payload;
  }

  /** The payload decoded as UTF-8 (malformed input replaced by U+FFFD). */
  public String payloadAsString() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** The QoS it was delivered with. */
  public QoS qos() {
    return qos;
  }

  /** Whether it is a retained message the broker sent on subscription. */
  public boolean retain() {
    return retain;
  }

  /** Whether the broker flagged it as a possible redelivery of an earlier attempt (QoS 1/2). */
  public boolean dup() {
    return dup;
  }

  // --- MQTT 5 (all empty with MQTT 3.1/3.1.1) ---------------------------------------------------

  /**
   * MQTT 5's Message Expiry Interval: how much longer the message is valid, as the broker counted
   * it down when it sent the message (section 3.3.2.3.3); empty when it never expires.
   */
  public Optional<Duration> messageExpiryInterval() {
    return Optional.ofNullable(properties.messageExpiryInterval);
  }

  /** MQTT 5's Content Type, e.g. {@code application/json}, as the publisher set it. */
  public Optional<String> contentType() {
    return Optional.ofNullable(properties.contentType);
  }

  /** MQTT 5's Response Topic: the message is a request, and the answer goes there. */
  public Optional<String> responseTopic() {
    return Optional.ofNullable(properties.responseTopic);
  }

  /** MQTT 5's Correlation Data, which identifies the request an answer belongs to; a copy. */
  public Optional<byte[]> correlationData() {
    return Optional.ofNullable(properties.correlationData).map(byte[]::clone);
  }

  /** MQTT 5's User Properties, in the order they came, names repeated as they came. */
  public List<UserProperty> userProperties() {
    return properties.userProperties;
  }

  /**
   * Whether the payload is UTF-8 text (MQTT 5's Payload Format Indicator 1); false for unspecified
   * bytes, and always with MQTT 3.1.1.
   */
  public boolean payloadUtf8() {
    return properties.payloadUtf8;
  }

  /**
   * MQTT 5's Subscription Identifiers: one per subscription of this client the message matched that
   * was made with an identifier, in the order the broker sent them (section 3.3.4).
   */
  public List<Integer> subscriptionIdentifiers() {
    return properties.subscriptionIdentifiers;
  }

  /**
   * Equal when the topic, payload bytes, QoS, retain and DUP flags are, and the MQTT 5 properties
   * the publisher set (content type, response topic, correlation data, user properties, payload
   * format); how it was delivered (remaining expiry, subscription identifiers) is not compared.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof Message m
        && topic.equals(m.topic)
        && Arrays.equals(payload, m.payload)
        && qos == m.qos
        && retain == m.retain
        && dup == m.dup
        && properties.sameApplicationProperties(m.properties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        topic, Arrays.hashCode(payload), qos, retain, dup, properties.applicationHash());
  }

  /** E.g. {@code Message[topic=a/b, payload=5 bytes, qos=1, retain=false, dup=false]}. */
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
        + properties.describe()
        + "]";
  }

  /** Builds a {@link Message}; not thread-safe. */
  public static final class Builder {
    private final String topic;
    private byte[] payload = new byte[0];
    private QoS qos = QoS.AT_MOST_ONCE;
    private boolean retain;
    private boolean dup;
    private final PublishProperties properties = new PublishProperties();

    private Builder(String topic) {
      Objects.requireNonNull(topic, "topic");
      this.topic = Topics.requireValidName(topic, "topic");
    }

    /** The payload; the message keeps a copy. Default: empty. */
    public Builder payload(byte[] payload) {
      this.payload = Objects.requireNonNull(payload, "payload").clone();
      return this;
    }

    /** The payload as the UTF-8 bytes of {@code payload}. Default: empty. */
    public Builder payload(String payload) {
      this.payload = Objects.requireNonNull(payload, "payload").getBytes(StandardCharsets.UTF_8);
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

    /** The DUP flag; only for QoS 1 and 2. Default: false. */
    public Builder dup(boolean dup) {
      this.dup = dup;
      return this;
    }

    /**
     * MQTT 5's Message Expiry Interval.
     *
     * @throws IllegalArgumentException unless whole seconds 0..4294967295
     */
    public Builder messageExpiryInterval(Duration interval) {
      properties.messageExpiryInterval(interval);
      return this;
    }

    /**
     * MQTT 5's Content Type.
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

    /** MQTT 5's Payload Format Indicator: whether the payload is UTF-8 text. Default: false. */
    public Builder payloadUtf8(boolean utf8) {
      properties.payloadUtf8 = utf8;
      return this;
    }

    /**
     * Adds an MQTT 5 Subscription Identifier, as a broker sends them.
     *
     * @throws IllegalArgumentException unless 1..268435455
     */
    public Builder subscriptionIdentifier(int identifier) {
      properties.subscriptionIdentifier(identifier);
      return this;
    }

    /**
     * The message.
     *
     * @throws IllegalArgumentException when DUP is set on a QoS 0 message [MQTT-3.3.1-2]
     */
    public Message build() {
      return build(payload, null);
    }

    private Message build(byte[] payload, Object receipt) {
      if (dup && qos == QoS.AT_MOST_ONCE) {
        throw new IllegalArgumentException("dup must be false for QoS 0, was true [MQTT-3.3.1-2]");
      }
      return new Message(topic, payload, qos, retain, dup, properties.freeze(), receipt);
    }
  }
}
