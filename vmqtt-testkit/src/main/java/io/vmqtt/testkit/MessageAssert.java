package io.vmqtt.testkit;

import io.vmqtt.Message;
import io.vmqtt.QoS;
import java.util.Arrays;
import java.util.Objects;
import org.assertj.core.api.AbstractByteArrayAssert;
import org.assertj.core.api.AbstractObjectAssert;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.Assertions;

/**
 * AssertJ assertions on one received {@link Message}. Made by {@link
 * MqttAssertions#assertThat(io.vmqtt.Message)} or {@link RecorderAssert#receivedOn(String)}.
 */
public final class MessageAssert extends AbstractObjectAssert<MessageAssert, Message> {

  MessageAssert(Message message) {
    super(Objects.requireNonNull(message, "message"), MessageAssert.class);
  }

  /** String assertions on the payload decoded as UTF-8. */
  public AbstractStringAssert<?> payloadAsString() {
    isNotNull();
    return Assertions.assertThat(actual.payloadAsString()).as("payload of %s", actual);
  }

  /** Byte-array assertions on the payload. */
  public AbstractByteArrayAssert<?> payload() {
    isNotNull();
    return Assertions.assertThat(actual.payload()).as("payload of %s", actual);
  }

  /** Checks the payload, as UTF-8 text. */
  public MessageAssert hasPayload(String expected) {
    Objects.requireNonNull(expected, "expected");
    isNotNull();
    if (!actual.payloadAsString().equals(expected)) {
      failWithMessage(
          "expected payload \"%s\" on '%s', was \"%s\"",
          expected, actual.topic(), actual.payloadAsString());
    }
    return this;
  }

  /** Checks the payload bytes. */
  public MessageAssert hasPayload(byte[] expected) {
    Objects.requireNonNull(expected, "expected");
    isNotNull();
    if (!Arrays.equals(actual.payload(), expected)) {
      failWithMessage(
          "expected payload %s on '%s', was %s",
          Arrays.toString(expected), actual.topic(), Arrays.toString(actual.payload()));
    }
    return this;
  }

  /** Checks the topic. */
  public MessageAssert hasTopic(String expected) {
    Objects.requireNonNull(expected, "expected");
    isNotNull();
    if (!actual.topic().equals(expected)) {
      failWithMessage("expected topic '%s', was '%s'", expected, actual.topic());
    }
    return this;
  }

  /** Checks the QoS it was delivered with (the lower of the publish's and the subscription's). */
  public MessageAssert hasQos(QoS expected) {
    Objects.requireNonNull(expected, "expected");
    isNotNull();
    if (actual.qos() != expected) {
      failWithMessage(
          "expected QoS %s on '%s', was %s",
          expected.value(), actual.topic(), actual.qos().value());
    }
    return this;
  }

  /** Checks that it came as a retained message (kept by the broker from before). */
  public MessageAssert isRetained() {
    isNotNull();
    if (!actual.retain()) {
      failWithMessage("expected a retained message on '%s', it was not", actual.topic());
    }
    return this;
  }

  /** Checks that it was not a retained message. */
  public MessageAssert isNotRetained() {
    isNotNull();
    if (actual.retain()) {
      failWithMessage("expected a message that is not retained on '%s', it was", actual.topic());
    }
    return this;
  }
}
