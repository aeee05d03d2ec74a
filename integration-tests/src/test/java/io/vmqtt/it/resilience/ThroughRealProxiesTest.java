package io.vmqtt.it.resilience;

import static io.vmqtt.it.resilience.ResilienceSupport.assertNoMessagePending;
import static io.vmqtt.it.resilience.ResilienceSupport.clientId;
import static io.vmqtt.it.resilience.ResilienceSupport.consume;
import static io.vmqtt.it.resilience.ResilienceSupport.duplicates;
import static io.vmqtt.it.resilience.ResilienceSupport.onlyDuplicated;
import static io.vmqtt.it.resilience.ResilienceSupport.publishConcurrently;
import static io.vmqtt.it.resilience.ResilienceSupport.receive;
import static io.vmqtt.it.resilience.ResilienceSupport.reconnecting;
import static io.vmqtt.it.resilience.ResilienceSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.Connack;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.DanteProxy;
import io.vmqtt.it.fixture.FaultProxy;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.it.fixture.RealProxy;
import io.vmqtt.it.fixture.Tinyproxy;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resilience scenarios through real proxies: the client talks to tinyproxy (HTTP {@code
 * CONNECT}, Basic auth) or danted (SOCKS5, user name and password), which tunnels to a {@link
 * FaultProxy} in front of mosquitto. The fault proxy cuts the tunnels' far ends again and again;
 * the real proxy then closes the client's connection, and every reconnection opens a new tunnel,
 * authenticating again. And the proxy itself dies and comes back.
 */
class ThroughRealProxiesTest {
  private static final Logger log = LoggerFactory.getLogger(ThroughRealProxiesTest.class);

  private static final int THREADS = 8;
  private static final int TOTAL = 2_000;

  /** Cuts through a real proxy: a reconnection costs a tunnel (and a password check) more. */
  private static final Duration MIN_PAUSE = Duration.ofMillis(150);

  private static final Duration MAX_PAUSE = Duration.ofMillis(400);
  private static final int MIN_CUTS = 3;

  /** Mosquitto must not drop what it queues for the subscriber: see CuttingProxyQos1Test. */
  @RegisterExtension
  static final MosquittoExtension mosquitto =
      new MosquittoExtension(broker -> broker.extraConfig("max_queued_messages 0"));

  static Stream<Arguments> proxies() {
    return Stream.of(
        Arguments.of(
            "tinyproxy with Basic auth",
            (Supplier<RealProxy>) () -> Tinyproxy.builder().basicAuth("alice", "tiny-pw").start()),
        Arguments.of(
            "danted with user name and password",
            (Supplier<RealProxy>) () -> DanteProxy.builder().usernameAuth().start()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void everyQos1PublishReturnsAndEveryMessageArrivesWhileTheTunnelIsCutAgainAndAgain(
      String name, Supplier<RealProxy> start, MosquittoBroker broker) throws Exception {
    String topic = "proxied/q1/" + clientId("t");
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        FaultProxy faults = FaultProxy.to(broker);
        RealProxy proxy = start.get();
        MqttClient sub = MqttClient.create(clientId("pq1-sub"), MqttConfig.defaults());
        MqttClient pub =
            MqttClient.create(clientId("pq1-pub"), reconnecting().proxy(proxy.options()).build())) {
      sub.connect(broker.uri());
      assertThat(sub.subscribe(List.of(Subscription.of(topic, QoS.AT_LEAST_ONCE))))
          .containsExactly(1);
      ConnectionEvents events = ConnectionEvents.attachTo(pub);
      faults.delay(CuttingProxyQos1Test.LATENCY);
      pub.connect("mqtt://localhost:" + faults.port());
      Future<Map<String, Integer>> consumer =
          threads.submit(() -> consume(sub, TOTAL, QoS.AT_LEAST_ONCE));

      faults.startCutting(MIN_PAUSE, MAX_PAUSE);
      try {
        publishConcurrently(threads, pub, topic, QoS.AT_LEAST_ONCE, THREADS, TOTAL);
      } finally {
        faults.stopCutting();
      }
      Map<String, Integer> counts = consumer.get(2, TimeUnit.MINUTES);

      log.info(
          "PROXIED QoS 1 through {}: {} messages, {} cuts, {} reconnects, {} tunnels, {}"
              + " duplicates, {} lost",
          name,
          TOTAL,
          faults.cuts(),
          events.reconnected().size(),
          proxy.tunnelsTo(faults.port()),
          duplicates(counts),
          TOTAL - counts.size());
      assertThat(counts).as("distinct messages received").hasSize(TOTAL);
      assertThat(faults.cuts()).as("cuts").isGreaterThanOrEqualTo(MIN_CUTS);
      assertThat(events.reconnected()).as("reconnections through the proxy").isNotEmpty();
      assertThat(events.failed()).noneMatch(ConnectionEvents.Failed::givingUp);
      assertThat(proxy.tunnelsTo(faults.port()))
          .as("a new tunnel for the first connection and every reconnection")
          .isGreaterThanOrEqualTo(1 + events.reconnected().size());
    }
  }

  /**
   * QoS 2 exactly once between persistent sessions, the publisher through tinyproxy and the
   * subscriber through danted, both tunnels cut again and again.
   */
  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void everyQos2MessageArrivesExactlyOnceWhileBothTunnelsAreCut(MosquittoBroker broker)
      throws Exception {
    String topic = "proxied/q2/" + clientId("t");
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        FaultProxy pubFaults = FaultProxy.to(broker);
        FaultProxy subFaults = FaultProxy.to(broker);
        RealProxy http = Tinyproxy.builder().basicAuth("alice", "tiny-pw").start();
        RealProxy socks = DanteProxy.builder().usernameAuth().start();
        MqttClient sub =
            MqttClient.create(
                clientId("pq2-sub"),
                reconnecting().cleanSession(false).proxy(socks.options()).build());
        MqttClient pub =
            MqttClient.create(
                clientId("pq2-pub"),
                reconnecting().cleanSession(false).proxy(http.options()).build())) {
      ConnectionEvents subEvents = ConnectionEvents.attachTo(sub);
      ConnectionEvents pubEvents = ConnectionEvents.attachTo(pub);
      pubFaults.delay(CuttingProxyQos1Test.LATENCY);
      assertThat(sub.connect("mqtt://localhost:" + subFaults.port()))
          .isEqualTo(Connack.accepted(false));
      assertThat(sub.subscribe(List.of(Subscription.of(topic, QoS.EXACTLY_ONCE))))
          .containsExactly(2);
      pub.connect("mqtt://localhost:" + pubFaults.port());
      Future<Map<String, Integer>> consumer =
          threads.submit(() -> consume(sub, TOTAL, QoS.EXACTLY_ONCE));

      pubFaults.startCutting(MIN_PAUSE, MAX_PAUSE);
      subFaults.startCutting(MIN_PAUSE, MAX_PAUSE);
      Map<String, Integer> counts;
      try {
        publishConcurrently(threads, pub, topic, QoS.EXACTLY_ONCE, THREADS, TOTAL);
        counts = consumer.get(2, TimeUnit.MINUTES);
      } finally {
        pubFaults.stopCutting();
        subFaults.stopCutting();
      }

      log.info(
          "PROXIED QoS 2: {} messages, {} cuts, {} reconnects (publisher through tinyproxy {},"
              + " subscriber through danted {}), {} lost",
          TOTAL,
          pubFaults.cuts() + subFaults.cuts(),
          pubEvents.reconnected().size() + subEvents.reconnected().size(),
          pubEvents.reconnected().size(),
          subEvents.reconnected().size(),
          TOTAL - counts.size());
      assertThat(counts).as("distinct messages received").hasSize(TOTAL);
      assertThat(onlyDuplicated(counts)).as("messages delivered more than once").isEmpty();
      assertThat(pubEvents.reconnected()).isNotEmpty().allMatch(r -> r.connack().sessionPresent());
      assertThat(subEvents.reconnected()).isNotEmpty().allMatch(r -> r.connack().sessionPresent());
      assertNoMessagePending(sub);
    }
  }

  /**
   * The proxy process dies: the client loses its connection, its reconnection attempts fail saying
   * the proxy is unreachable, a publish meanwhile waits; the proxy comes back on the same port, and
   * the client reconnects through it, resends, and the publish returns.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aPublishWaitsWhileTheProxyIsDownAndReturnsOnceItIsBack(
      String name, Supplier<RealProxy> start, MosquittoBroker broker) throws Exception {
    String topic = "proxied/restart/" + clientId("t");
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        RealProxy proxy = start.get();
        MqttClient sub = MqttClient.create(clientId("pr-sub"), MqttConfig.defaults());
        MqttClient pub =
            MqttClient.create(clientId("pr-pub"), reconnecting().proxy(proxy.options()).build())) {
      sub.connect(broker.uri());
      sub.subscribe(List.of(Subscription.of(topic, QoS.AT_LEAST_ONCE)));
      ConnectionEvents events = ConnectionEvents.attachTo(pub);
      pub.connect("mqtt://localhost:" + broker.port());
      pub.publish(topic, utf8("before"), QoS.AT_LEAST_ONCE, false);
      assertThat(receive(sub).payloadAsString()).isEqualTo("before");

      proxy.stop();
      await("the publisher's attempts to reconnect through the stopped proxy")
          .atMost(ResilienceSupport.WAIT)
          .until(() -> events.failed().size() >= 2);
      Future<PublishResult> waiting =
          threads.submit(() -> pub.publish(topic, utf8("while down"), QoS.AT_LEAST_ONCE, false));
      assertThat(events.lost()).isNotEmpty();
      // Each attempt names the proxy; once it is gone, as unreachable. (An attempt that meets the
      // proxy while it shuts down sees its connection reset during the handshake.)
      String proxyName = " proxy 127.0.0.1:" + proxy.port() + " ";
      assertThat(events.failed())
          .allSatisfy(f -> assertThat(f.cause().getMessage()).contains(proxyName))
          .anySatisfy(
              f -> assertThat(f.cause().getMessage()).contains(proxyName + "is unreachable: "));
      assertThat(waiting).isNotDone();

      proxy.restart();
      events.awaitReconnects(1, ResilienceSupport.WAIT);
      assertThat(waiting.get(ResilienceSupport.WAIT.toSeconds(), TimeUnit.SECONDS).qos())
          .isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(receive(sub).payloadAsString()).isEqualTo("while down");
      assertThat(proxy.tunnelsTo(broker.port())).as("tunnels before and after").isEqualTo(2);
      log.info(
          "PROXIED restart of {}: {} failed attempts while it was down, then reconnected",
          name,
          events.failed().size());
    }
  }
}
