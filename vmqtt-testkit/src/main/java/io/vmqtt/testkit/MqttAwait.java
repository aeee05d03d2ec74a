package io.vmqtt.testkit;

import io.vmqtt.Message;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits for messages with Awaitility, so tests never sleep. Each wait polls every 10 ms and gives
 * up after {@link #DEFAULT_TIMEOUT} (or the timeout given) with an {@link AssertionError} that
 * lists what did arrive.
 *
 * <pre>{@code
 * List<Message> three = awaitMessages(recorder, 3);          // the first three, in order
 * Message alarm = awaitMessage(recorder, "alarms/door");    // the first on that topic
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class MqttAwait {
  /** How long a wait lasts unless told: 10 s, generous for a loaded machine. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration POLL = Duration.ofMillis(10);

  private MqttAwait() {}

  /**
   * Waits until the recorder holds at least {@code count} messages and returns the first {@code
   * count}.
   *
   * @throws AssertionError when fewer arrived within {@link #DEFAULT_TIMEOUT}
   */
  public static List<Message> awaitMessages(MessageRecorder recorder, int count) {
    return awaitMessages(recorder, count, DEFAULT_TIMEOUT);
  }

  /**
   * Waits until the recorder holds at least {@code count} messages and returns the first {@code
   * count}.
   *
   * @throws IllegalArgumentException when {@code count} is below 1
   * @throws AssertionError when fewer arrived within {@code timeout}
   */
  public static List<Message> awaitMessages(MessageRecorder recorder, int count, Duration timeout) {
    Objects.requireNonNull(recorder, "recorder");
    Objects.requireNonNull(timeout, "timeout");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
    await(
        () -> recorder.size() >= count,
        timeout,
        () ->
            "expected "
                + count
                + " message(s) on "
                + recorder.filters()
                + ", got "
                + MessageRecorder.describe(recorder.messages()));
    return recorder.messages().subList(0, count);
  }

  /**
   * Waits for the first message whose topic is {@code topic} (or matches it, a filter).
   *
   * @throws AssertionError when none arrived within {@link #DEFAULT_TIMEOUT}
   */
  public static Message awaitMessage(MessageRecorder recorder, String topic) {
    return awaitMessage(recorder, topic, DEFAULT_TIMEOUT);
  }

  /**
   * Waits for the first message whose topic is {@code topic} (or matches it, a filter).
   *
   * @throws AssertionError when none arrived within {@code timeout}
   */
  public static Message awaitMessage(MessageRecorder recorder, String topic, Duration timeout) {
    Objects.requireNonNull(recorder, "recorder");
    Objects.requireNonNull(topic, "topic");
    await(
        () -> !recorder.messages(topic).isEmpty(),
        timeout,
        () ->
            "expected a message on '"
                + topic
                + "', got "
                + MessageRecorder.describe(recorder.messages()));
    return recorder.messages(topic).get(0);
  }

  private static void await(
      java.util.concurrent.Callable<Boolean> condition,
      Duration timeout,
      java.util.function.Supplier<String> failure) {
    try {
      Awaitility.await()
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(POLL)
          .until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(failure.get() + " within " + timeout.toMillis() + " ms", e);
    }
  }
}
