package io.vmqtt.it.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Helpers shared by the resilience tests. */
final class ResilienceSupport {
  /**
   * The bound on each blocking call: a publish waiting for its acknowledgement may live through
   * many reconnections, so it is far longer than any run needs.
   */
  static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(120);

  /** How long a consumer waits for the next message before it reports what is missing. */
  static final Duration SILENCE = Duration.ofSeconds(30);

  /** How long a test waits for something it expects to happen soon. */
  static final Duration WAIT = Duration.ofSeconds(10);

  private ResilienceSupport() {}

  /**
   * A client id unique to this run: {@code prefix-xxxxxxxx}; letters, digits and '-' only, so it is
   * also a topic level and appears as is in thread names and the broker log.
   */
  static String clientId(String prefix) {
    return prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt() | 0x10000000);
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A config that reconnects quickly and without end: first wait 50 ms, at most 500 ms, retries
   * forever, and a long operation timeout.
   */
  static MqttConfig.Builder reconnecting() {
    return MqttConfig.builder()
        .autoReconnect(true)
        .reconnectMinInterval(Duration.ofMillis(50))
        .reconnectMaxInterval(Duration.ofMillis(500))
        .reconnectRetries(-1)
        .operationTimeout(OPERATION_TIMEOUT);
  }

  /**
   * Publishes {@code total} messages at {@code qos} from {@code threads} virtual threads at once,
   * payloads {@code m-<thread>-<i>}, and returns when every publish has returned.
   *
   * @throws java.util.concurrent.ExecutionException with the first publish that threw
   */
  static void publishConcurrently(
      ExecutorService executor, MqttClient publisher, String topic, QoS qos, int threads, int total)
      throws Exception {
    if (total % threads != 0) {
      throw new IllegalArgumentException(total + " messages do not split over " + threads);
    }
    int perThread = total / threads;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>(threads);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(
          executor.submit(
              () -> {
                if (!go.await(10, TimeUnit.SECONDS)) {
                  throw new AssertionError("no start signal within 10 s");
                }
                for (int i = 0; i < perThread; i++) {
                  PublishResult r =
                      publisher.publish(topic, utf8("m-" + thread + "-" + i), qos, false);
                  assertThat(r.qos()).isEqualTo(qos);
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : futures) {
      f.get(OPERATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /**
   * Takes messages until {@code distinct} different payloads have come, and counts how often each
   * came.
   *
   * @throws AssertionError when nothing comes for {@link #SILENCE}, saying how many are missing
   */
  static Map<String, Integer> consume(MqttClient subscriber, int distinct, QoS qos)
      throws InterruptedException {
    Map<String, Integer> counts = new HashMap<>();
    while (counts.size() < distinct) {
      Message m;
      try {
        m = subscriber.deliverMessage(SILENCE);
      } catch (TimeoutException e) {
        throw new AssertionError(
            subscriber.clientId()
                + " received "
                + counts.size()
                + " of "
                + distinct
                + " distinct messages, then nothing for "
                + SILENCE.toSeconds()
                + " s",
            e);
      }
      assertThat(m.qos()).isEqualTo(qos);
      counts.merge(m.payloadAsString(), 1, Integer::sum);
    }
    return counts;
  }

  /** How many messages arrived more often than once, counting each extra copy. */
  static int duplicates(Map<String, Integer> counts) {
    return counts.values().stream().mapToInt(n -> n - 1).sum();
  }

  /**
   * Asserts that nothing is waiting for this client and nothing is on its way: subscribes to a
   * marker topic of its own, publishes a marker there at QoS 1, and expects the marker as the very
   * next message. The broker sends a client's messages in order, so anything routed to it before
   * the marker (a late duplicate, say) arrives before the marker.
   */
  static void assertNoMessagePending(MqttClient client) throws InterruptedException {
    String marker = "resilience/marker/" + client.clientId();
    assertThat(client.subscribe(List.of(Subscription.of(marker, QoS.AT_LEAST_ONCE))))
        .containsExactly(1);
    client.publish(marker, utf8("marker"), QoS.AT_LEAST_ONCE, false);
    Message next = receive(client);
    assertThat(next.topic())
        .as("the next message for %s should be the marker, not %s", client.clientId(), next)
        .isEqualTo(marker);
  }

  /** The next message, waiting at most {@link #WAIT}. */
  static Message receive(MqttClient client) throws InterruptedException {
    try {
      return client.deliverMessage(WAIT);
    } catch (TimeoutException e) {
      throw new AssertionError(
          client.clientId() + " received no message within " + WAIT.toSeconds() + " s", e);
    }
  }

  /** How often {@code text} occurs in {@code log}. */
  static int occurrences(String log, String text) {
    int n = 0;
    for (int i = log.indexOf(text); i >= 0; i = log.indexOf(text, i + text.length())) {
      n++;
    }
    return n;
  }

  static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** The payloads of a {@link #consume} result that arrived more than once, with their counts. */
  static Map<String, Integer> onlyDuplicated(Map<String, Integer> counts) {
    Map<String, Integer> copy = new HashMap<>(counts);
    copy.values().removeIf(n -> n == 1);
    return copy;
  }
}
