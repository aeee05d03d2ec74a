package io.vmqtt;

import io.vmqtt.internal.api.ApiAccess;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

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
            return new Message(topic, payload, qos, retain, dup, receipt);
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

  /** The engine's receipt (what it needs to acknowledge the message); null when made by the API. */
  private final Object receipt;

  private Message(
      String topic, byte[] payload, QoS qos, boolean retain, boolean dup, Object receipt) {
    this.topic = topic;
    this.payload = payload;
    this.qos = qos;
    this.retain = retain;
    this.dup = dup;
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

  /** Equal when the topic, payload bytes, QoS, retain and DUP flags are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Message m
        && topic.equals(m.topic)
        && Arrays.equals(payload, m.payload)
        && qos == m.qos
        && retain == m.retain
        && dup == m.dup;
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, dup);
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
        + "]";
  }

  /** Builds a {@link Message}; not thread-safe. */
  public static final class Builder {
    private final String topic;
    private byte[] payload = new byte[0];
    private QoS qos = QoS.AT_MOST_ONCE;
    private boolean retain;
    private boolean dup;

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
     * The message.
     *
     * @throws IllegalArgumentException when DUP is set on a QoS 0 message [MQTT-3.3.1-2]
     */
    public Message build() {
      if (dup && qos == QoS.AT_MOST_ONCE) {
        throw new IllegalArgumentException("dup must be false for QoS 0, was true [MQTT-3.3.1-2]");
      }
      return new Message(topic, payload, qos, retain, dup, null);
    }
  }
}
