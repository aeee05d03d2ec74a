package io.vmqtt.testkit;

import io.vmqtt.Message;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractObjectAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;

/**
 * AssertJ assertions on a {@link MessageRecorder}. The assertions that expect messages wait for
 * them, up to {@link MqttAwait#DEFAULT_TIMEOUT} or {@link #within(Duration)}; the ones that expect
 * none check what arrived so far (wait for something that comes after, first, to be sure). Made by
 * {@link MqttAssertions#assertThat(MessageRecorder)}; not thread-safe (one per assertion).
 */
public final class RecorderAssert extends AbstractObjectAssert<RecorderAssert, MessageRecorder> {
  private Duration timeout = MqttAwait.DEFAULT_TIMEOUT;

  RecorderAssert(MessageRecorder recorder) {
    super(Objects.requireNonNull(recorder, "recorder"), RecorderAssert.class);
  }

  /** Waits at most {@code timeout} in the assertions that follow. */
  public RecorderAssert within(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  /**
   * Waits for the first message on {@code topic} (or matching it, a filter) and returns assertions
   * on it.
   *
   * @throws AssertionError listing what arrived, when none did in time
   */
  public MessageAssert receivedOn(String topic) {
    isNotNull();
    return new MessageAssert(MqttAwait.awaitMessage(actual, topic, timeout));
  }

  /** Waits until at least {@code count} messages arrived. */
  public RecorderAssert hasReceived(int count) {
    isNotNull();
    MqttAwait.awaitMessages(actual, count, timeout);
    return this;
  }

  /** Waits for the messages with these payloads (UTF-8), in this order, on any topic. */
  public RecorderAssert receivedPayloads(String... payloads) {
    isNotNull();
    List<Message> first = MqttAwait.awaitMessages(actual, Math.max(1, payloads.length), timeout);
    Assertions.assertThat(first.stream().map(Message::payloadAsString).toList())
        .as("payloads received by %s", actual)
        .containsExactly(payloads);
    return this;
  }

  /** Checks that no message on {@code topicOrFilter} has arrived so far. */
  public RecorderAssert receivedNothingOn(String topicOrFilter) {
    isNotNull();
    List<Message> found = actual.messages(topicOrFilter);
    if (!found.isEmpty()) {
      failWithMessage(
          "expected no message on '%s', got %s", topicOrFilter, MessageRecorder.describe(found));
    }
    return this;
  }

  /** Checks that no message at all has arrived so far. */
  public RecorderAssert receivedNothing() {
    isNotNull();
    if (actual.size() > 0) {
      failWithMessage("expected no message, got %s", MessageRecorder.describe(actual.messages()));
    }
    return this;
  }

  /** AssertJ's list assertions on the messages that arrived so far. */
  public ListAssert<Message> messages() {
    isNotNull();
    return Assertions.assertThat(actual.messages());
  }
}
