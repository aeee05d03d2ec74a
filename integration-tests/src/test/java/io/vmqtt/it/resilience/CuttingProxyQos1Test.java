package io.vmqtt.it.resilience;

import static io.vmqtt.it.resilience.ResilienceSupport.clientId;
import static io.vmqtt.it.resilience.ResilienceSupport.consume;
import static io.vmqtt.it.resilience.ResilienceSupport.duplicates;
import static io.vmqtt.it.resilience.ResilienceSupport.publishConcurrently;
import static io.vmqtt.it.resilience.ResilienceSupport.reconnecting;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.FaultProxy;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test 1 of the resilience list: 16 threads publish 10,000 QoS 1 messages through a proxy that cuts
 * the connection every 100 to 300 ms (and adds {@link #LATENCY} each way). Every publish must
 * return normally, and a subscriber on a direct connection must receive every message at least
 * once. Duplicates are allowed at QoS 1 (a message whose PUBACK was cut off is sent again) and are
 * counted for the lead's notes.
 */
class CuttingProxyQos1Test {
  private static final Logger log = LoggerFactory.getLogger(CuttingProxyQos1Test.class);

  private static final int THREADS = 16;
  private static final int TOTAL = 10_000;

  /**
   * Latency the proxy adds each way. On loopback 10,000 publishes take well under a second and
   * would meet two or three cuts; with 2 ms each way a publish takes at least 4 ms, the run lasts a
   * few seconds, and a cut finds flows in every state.
   */
  static final Duration LATENCY = Duration.ofMillis(2);

  /** The fewest cuts a run must see: the cutter fires at least every 300 ms for seconds. */
  static final int MIN_CUTS = 5;

  /**
   * {@code max_queued_messages 0}: mosquitto queues without limit for the subscriber, so a message
   * can only be lost by the client under test, never dropped by broker policy.
   */
  @RegisterExtension
  static final MosquittoExtension mosquitto =
      new MosquittoExtension(broker -> broker.extraConfig("max_queued_messages 0"));

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void everyQos1PublishReturnsAndEveryMessageArrivesAtLeastOnceWhileTheProxyCutsEvery100To300Ms(
      MosquittoBroker broker) throws Exception {
    String topic = "cut/q1/" + clientId("t");
    MqttConfig config = reconnecting().build();
    // The clients close before the executor waits for its threads: a failed run ends at once.
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        FaultProxy proxy = FaultProxy.to(broker);
        MqttClient sub = MqttClient.create(clientId("q1-sub"), MqttConfig.defaults());
        MqttClient pub = MqttClient.create(clientId("q1-pub"), config)) {
      sub.connect(broker.uri());
      assertThat(sub.subscribe(List.of(Subscription.of(topic, QoS.AT_LEAST_ONCE))))
          .containsExactly(1);
      ConnectionEvents events = ConnectionEvents.attachTo(pub);
      proxy.delay(LATENCY);
      pub.connect(proxy.uri());
      Future<Map<String, Integer>> consumer =
          threads.submit(() -> consume(sub, TOTAL, QoS.AT_LEAST_ONCE));

      long start = System.nanoTime();
      proxy.startCutting(Duration.ofMillis(100), Duration.ofMillis(300));
      try {
        publishConcurrently(threads, pub, topic, QoS.AT_LEAST_ONCE, THREADS, TOTAL);
      } finally {
        proxy.stopCutting();
      }
      long published = System.nanoTime();
      Map<String, Integer> counts = consumer.get(2, TimeUnit.MINUTES);

      int duplicates = duplicates(counts);
      log.info(
          "RESILIENCE test1: {} messages, {} cuts, {} reconnects, {} duplicates at QoS 1, {} lost"
              + " ({} threads; all publishes returned after {} ms)",
          TOTAL,
          proxy.cuts(),
          events.reconnected().size(),
          duplicates,
          TOTAL - counts.size(),
          THREADS,
          ResilienceSupport.millis(published - start));

      assertThat(counts).as("distinct messages received").hasSize(TOTAL);
      assertThat(counts.keySet()).allMatch(p -> p.matches("m-\\d+-\\d+"));
      assertThat(proxy.cuts()).as("cuts of the publisher").isGreaterThanOrEqualTo(MIN_CUTS);
      assertThat(events.reconnected()).as("the publisher came back after the cuts").isNotEmpty();
      assertThat(events.failed()).noneMatch(ConnectionEvents.Failed::givingUp);
    }
  }
}
