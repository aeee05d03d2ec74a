package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.assertNoMessagePending;
import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.connected;
import static io.vmqtt.it.ItSupport.subscriber;
import static io.vmqtt.it.ItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 1,000 virtual threads publish 20 messages each through one client while another client takes
 * them. The figures logged are for the lead's notes; nothing here asserts a timing.
 */
class ConcurrencyTest {
  private static final Logger log = LoggerFactory.getLogger(ConcurrencyTest.class);

  private static final int THREADS = 1_000;
  private static final int PER_THREAD = 20;
  private static final int TOTAL = THREADS * PER_THREAD;

  /** How long the subscriber waits for the next message before it reports what is missing. */
  private static final Duration SILENCE = Duration.ofSeconds(30);

  /**
   * {@code max_queued_messages 0}: no limit on the QoS 1/2 messages mosquitto queues for a client
   * beyond its 20 in flight. With the default of 1,000 the broker drops messages whenever the
   * subscriber falls that far behind the publisher, which is broker policy, not a client fault.
   * Everything else, {@code max_inflight_messages 20} included, stays at mosquitto's defaults.
   */
  @RegisterExtension
  static final MosquittoExtension mosquitto =
      new MosquittoExtension(broker -> broker.extraConfig("max_queued_messages 0"));

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aThousandVirtualThreadsPublishingAtQos1AllReturnAndEveryMessageArrives(
      MosquittoBroker broker) throws Exception {
    Map<String, Integer> counts = run(broker, QoS.AT_LEAST_ONCE);

    // QoS 1 allows duplicates; every payload must be there.
    assertThat(counts).hasSize(TOTAL);
    assertThat(counts.keySet()).allMatch(p -> p.matches("m-\\d+-\\d+"));
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aThousandVirtualThreadsPublishingAtQos2AllReturnAndEveryMessageArrivesExactlyOnce(
      MosquittoBroker broker) throws Exception {
    Map<String, Integer> counts = run(broker, QoS.EXACTLY_ONCE);

    assertThat(counts).hasSize(TOTAL);
    Map<String, Integer> duplicates = new HashMap<>(counts);
    duplicates.values().removeIf(n -> n == 1);
    assertThat(duplicates).as("payloads received more than once").isEmpty();
  }

  /** Publishes TOTAL messages at {@code qos} and returns how often each payload arrived. */
  private static Map<String, Integer> run(MosquittoBroker broker, QoS qos) throws Exception {
    String topic = "load/q" + qos.value();
    // A wait for an in-flight slot is part of a publish: allow far more than the run needs.
    MqttConfig publisherConfig =
        MqttConfig.builder().maxInflight(20).operationTimeout(Duration.ofMinutes(2)).build();
    // The clients close before the executor waits for its threads: a failed run ends at once.
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        MqttClient sub = subscriber(broker, clientId("load-sub"), topic, qos);
        MqttClient pub = connected(broker, clientId("load-pub"), publisherConfig)) {
      Future<Map<String, Integer>> consumer = threads.submit(() -> consume(sub, qos));

      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> publishers = new ArrayList<>(THREADS);
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        publishers.add(
            threads.submit(
                () -> {
                  if (!go.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("no start signal within 10 s");
                  }
                  for (int i = 0; i < PER_THREAD; i++) {
                    PublishResult r = pub.publish(topic, utf8("m-" + thread + "-" + i), qos, false);
                    assertThat(r.qos()).isEqualTo(qos);
                    assertThat(r.packetId()).isBetween(1, 65535);
                  }
                  return null;
                }));
      }
      long start = System.nanoTime();
      go.countDown();
      for (Future<?> publisher : publishers) {
        publisher.get(2, TimeUnit.MINUTES);
      }
      long published = System.nanoTime();
      Map<String, Integer> counts = consumer.get(2, TimeUnit.MINUTES);
      long received = System.nanoTime();

      log.info(
          "QoS {}: {} threads x {} publishes on one client: all returned after {} ms ({} msgs/s);"
              + " all {} received after {} ms ({} msgs/s end to end)",
          qos.value(),
          THREADS,
          PER_THREAD,
          millis(published - start),
          perSecond(TOTAL, published - start),
          TOTAL,
          millis(received - start),
          perSecond(TOTAL, received - start));

      assertThat(sub.droppedMessages()).isZero();
      if (qos == QoS.EXACTLY_ONCE) {
        assertNoMessagePending(sub); // no late duplicate either
      }
      return counts;
    }
  }

  /** Takes messages until TOTAL distinct payloads have come; counts each payload. */
  private static Map<String, Integer> consume(MqttClient sub, QoS qos) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    while (counts.size() < TOTAL) {
      Message m;
      try {
        m = sub.deliverMessage(SILENCE);
      } catch (TimeoutException e) {
        throw new AssertionError(
            "received "
                + counts.size()
                + " of "
                + TOTAL
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

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static long perSecond(int messages, long nanos) {
    return Math.round(messages / (nanos / 1e9));
  }
}
