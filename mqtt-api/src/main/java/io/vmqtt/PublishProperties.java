package io.vmqtt;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The MQTT 5 properties of a PUBLISH that {@link Publish} sends and {@link Message} receives,
 * checked as they are set: Message Expiry Interval, Content Type, Response Topic, Correlation Data,
 * User Properties, Payload Format Indicator and (received only) Subscription Identifiers. Both
 * builders hold one of these while building; the values they make hold a frozen copy.
 *
 * <p>Not thread-safe while building; immutable once {@link #freeze frozen}.
 */
final class PublishProperties {
  static final PublishProperties NONE = new PublishProperties().freeze();

  /** Subscription Identifiers are Variable Byte Integers of 1 to 268,435,455 (3.3.2.3.8). */
  private static final int MAX_SUBSCRIPTION_IDENTIFIER = 268_435_455;

  private boolean frozen;
  Duration messageExpiryInterval;
  String contentType;
  String responseTopic;
  byte[] correlationData;
  List<UserProperty> userProperties = new ArrayList<>();
  boolean payloadUtf8;
  List<Integer> subscriptionIdentifiers = new ArrayList<>();

  /** A copy that no longer changes; this one may go on being built. */
  PublishProperties freeze() {
    if (frozen) {
      return this;
    }
    if (isEmpty()) {
      return NONE == null ? frozenCopy() : NONE;
    }
    return frozenCopy();
  }

  private PublishProperties frozenCopy() {
    PublishProperties p = new PublishProperties();
    p.messageExpiryInterval = messageExpiryInterval;
    p.contentType = contentType;
    p.responseTopic = responseTopic;
    p.correlationData = correlationData;
    p.userProperties = List.copyOf(userProperties);
    p.payloadUtf8 = payloadUtf8;
    p.subscriptionIdentifiers = List.copyOf(subscriptionIdentifiers);
    p.frozen = true;
    return p;
  }

  boolean isEmpty() {
    return messageExpiryInterval == null
        && contentType == null
        && responseTopic == null
        && correlationData == null
        && userProperties.isEmpty()
        && !payloadUtf8
        && subscriptionIdentifiers.isEmpty();
  }

  void messageExpiryInterval(Duration interval) {
    Objects.requireNonNull(interval, "messageExpiryInterval");
    if (interval.getNano() != 0 || interval.isNegative() || interval.getSeconds() > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "messageExpiryInterval must be whole seconds 0..4294967295, was " + interval);
    }
    this.messageExpiryInterval = interval;
  }

  void contentType(String contentType) {
    this.contentType = Topics.requireValidString(contentType, "contentType");
  }

  /** A topic name, without wildcards [MQTT-3.3.2-14]. */
  void responseTopic(String topic) {
    Objects.requireNonNull(topic, "responseTopic");
    this.responseTopic = Topics.requireValidName(topic, "responseTopic");
  }

  void correlationData(byte[] data) {
    Objects.requireNonNull(data, "correlationData");
    if (data.length > Topics.MAX_STRING_BYTES) {
      throw new IllegalArgumentException(
          "correlationData must be at most 65535 bytes, was " + data.length);
    }
    this.correlationData = data.clone();
  }

  void userProperty(String name, String value) {
    userProperties.add(new UserProperty(name, value));
  }

  void subscriptionIdentifier(int identifier) {
    if (identifier < 1 || identifier > MAX_SUBSCRIPTION_IDENTIFIER) {
      throw new IllegalArgumentException(
          "subscriptionIdentifier must be 1.."
              + MAX_SUBSCRIPTION_IDENTIFIER
              + ", was "
              + identifier);
    }
    subscriptionIdentifiers.add(identifier);
  }

  /**
   * With the Payload Format Indicator set, the payload must be well-formed UTF-8 (section
   * 3.3.2.3.2).
   *
   * @throws IllegalArgumentException when it is not
   */
  void checkPayload(byte[] payload) {
    if (!payloadUtf8) {
      return;
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "payload must be well-formed UTF-8 with payloadUtf8(true) [MQTT-3.3.2.3.2]: " + e, e);
    }
  }

  /** Equal in what the application said: every property but the delivery's. */
  boolean sameApplicationProperties(PublishProperties o) {
    return Objects.equals(contentType, o.contentType)
        && Objects.equals(responseTopic, o.responseTopic)
        && Arrays.equals(correlationData, o.correlationData)
        && userProperties.equals(o.userProperties)
        && payloadUtf8 == o.payloadUtf8;
  }

  int applicationHash() {
    return Objects.hash(
        contentType, responseTopic, Arrays.hashCode(correlationData), userProperties, payloadUtf8);
  }

  /** ", contentType=..., ..." for what is present; correlation data by its length. */
  String describe() {
    StringBuilder b = new StringBuilder();
    if (messageExpiryInterval != null) {
      b.append(", messageExpiryInterval=").append(messageExpiryInterval.getSeconds()).append('s');
    }
    if (contentType != null) {
      b.append(", contentType=").append(contentType);
    }
    if (responseTopic != null) {
      b.append(", responseTopic=").append(responseTopic);
    }
    if (correlationData != null) {
      b.append(", correlationData=").append(correlationData.length).append(" bytes");
    }
    if (!userProperties.isEmpty()) {
      b.append(", userProperties=").append(userProperties);
    }
    if (payloadUtf8) {
      b.append(", payloadUtf8=true");
    }
    if (!subscriptionIdentifiers.isEmpty()) {
      b.append(", subscriptionIdentifiers=").append(subscriptionIdentifiers);
    }
    return b.toString();
  }
}
