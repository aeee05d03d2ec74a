package io.vmqtt.it.resilience;

import static io.vmqtt.it.resilience.ResilienceSupport.assertNoMessagePending;
import static io.vmqtt.it.resilience.ResilienceSupport.clientId;
import static io.vmqtt.it.resilience.ResilienceSupport.consume;
import static io.vmqtt.it.resilience.ResilienceSupport.duplicates;
import static io.vmqtt.it.resilience.ResilienceSupport.onlyDuplicated;
import static io.vmqtt.it.resilience.ResilienceSupport.publishConcurrently;
import static io.vmqtt.it.resilience.ResilienceSupport.reconnecting;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.Connack;
import io.vmqtt.MqttClient;
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
 * Test 2 of the resilience list: 16 threads publish 10,000 QoS 2 messages through one cutting proxy
 * (with the latency of {@link CuttingProxyQos1Test#LATENCY}) to a subscriber with a persistent
 * session (cleansession false) behind another cutting proxy. Every message must reach the
 * subscribing application exactly once: the publisher resends unacknowledged PUBLISHes and PUBRELs
 * after each reconnect, the broker resends its in-flight messages to the resumed session, and the
 * subscriber must recognise a copy of a message it has already handed over (or still holds) until
 * the PUBREL.
 *
 * <p>The publisher has a persistent session too. Exactly-once holds within one session only: with
 * cleansession true, a cut after PUBREC and before the broker has read PUBREL ends the session, and
 * mosquitto, which routes an incoming QoS 2 message on PUBREL, drops the message with it. The
 * client then has nothing to resend: sending the PUBLISH again could duplicate it on a broker that
 * routes on PUBLISH.
 */
class CuttingProxyQos2Test {
  private static final Logger log = LoggerFactory.getLogger(CuttingProxyQos2Test.class);

  private static final int THREADS = 16;
  private static final int TOTAL = 10_000;

  /**
   * Mosquitto must not drop what it queues for the subscriber: see {@link CuttingProxyQos1Test}.
   */
  @RegisterExtension
  static final MosquittoExtension mosquitto =
      new MosquittoExtension(broker -> broker.extraConfig("max_queued_messages 0"));

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void everyQos2MessageReachesAPersistentSubscriberExactlyOnceWhileBothConnectionsAreCut(
      MosquittoBroker broker) throws Exception {
    String topic = "cut/q2/" + clientId("t");
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        FaultProxy pubProxy = FaultProxy.to(broker);
        FaultProxy subProxy = FaultProxy.to(broker);
        MqttClient sub =
            MqttClient.create(clientId("q2-sub"), reconnecting().cleanSession(false).build());
        MqttClient pub =
            MqttClient.create(clientId("q2-pub"), reconnecting().cleanSession(false).build())) {
      ConnectionEvents subEvents = ConnectionEvents.attachTo(sub);
      ConnectionEvents pubEvents = ConnectionEvents.attachTo(pub);
      pubProxy.delay(CuttingProxyQos1Test.LATENCY);
      assertThat(sub.connect(subProxy.uri())).isEqualTo(Connack.accepted(false));
      assertThat(sub.subscribe(List.of(Subscription.of(topic, QoS.EXACTLY_ONCE))))
          .containsExactly(2);
      pub.connect(pubProxy.uri());
      Future<Map<String, Integer>> consumer =
          threads.submit(() -> consume(sub, TOTAL, QoS.EXACTLY_ONCE));

      long start = System.nanoTime();
      pubProxy.startCutting(Duration.ofMillis(100), Duration.ofMillis(300));
      subProxy.startCutting(Duration.ofMillis(100), Duration.ofMillis(300));
      Map<String, Integer> counts;
      try {
        publishConcurrently(threads, pub, topic, QoS.EXACTLY_ONCE, THREADS, TOTAL);
        counts = consumer.get(2, TimeUnit.MINUTES);
      } finally {
        pubProxy.stopCutting();
        subProxy.stopCutting();
      }
      long received = System.nanoTime();

      log.info(
          "RESILIENCE test2: {} messages, {} cuts (publisher {}, subscriber {}), {} reconnects"
              + " (publisher {}, subscriber {}), {} duplicates at QoS 2, {} lost"
              + " ({} threads; all received after {} ms)",
          TOTAL,
          pubProxy.cuts() + subProxy.cuts(),
          pubProxy.cuts(),
          subProxy.cuts(),
          pubEvents.reconnected().size() + subEvents.reconnected().size(),
          pubEvents.reconnected().size(),
          subEvents.reconnected().size(),
          duplicates(counts),
          TOTAL - counts.size(),
          THREADS,
          ResilienceSupport.millis(received - start));

      assertThat(counts).as("distinct messages received").hasSize(TOTAL);
      assertThat(onlyDuplicated(counts)).as("messages delivered more than once").isEmpty();
      assertThat(pubProxy.cuts())
          .as("cuts of the publisher")
          .isGreaterThanOrEqualTo(CuttingProxyQos1Test.MIN_CUTS);
      assertThat(subProxy.cuts())
          .as("cuts of the subscriber")
          .isGreaterThanOrEqualTo(CuttingProxyQos1Test.MIN_CUTS);
      assertThat(subEvents.reconnected())
          .as("every reconnection of the subscriber resumed its session")
          .isNotEmpty()
          .allMatch(r -> r.connack().sessionPresent());
      assertThat(pubEvents.reconnected())
          .as("every reconnection of the publisher resumed its session")
          .isNotEmpty()
          .allMatch(r -> r.connack().sessionPresent());

      // No late copy of any message is still on its way to the subscriber.
      assertNoMessagePending(sub);
    }
  }
}
