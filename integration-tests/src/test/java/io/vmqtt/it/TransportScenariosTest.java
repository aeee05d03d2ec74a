package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.ABSENCE_TIMEOUT;
import static io.vmqtt.it.ItSupport.RECEIVE_TIMEOUT;
import static io.vmqtt.it.ItSupport.assertNoMessagePending;
import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.receive;
import static io.vmqtt.it.ItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.Will;
import io.vmqtt.it.fixture.BrokerTransport;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The core scenarios (publish and subscribe at every QoS, retained messages, the will, unsubscribe,
 * concurrent publishers, a large payload) over every transport in {@link BrokerTransport#ALL}
 * ({@code mqtt}, {@code mqtts}, {@code ws}, {@code wss}): each client of a test connects over the
 * transport under test.
 */
class TransportScenariosTest {
  @RegisterExtension
  static final MosquittoExtension mosquitto = new MosquittoExtension(BrokerTransport::configureAll);

  static final List<BrokerTransport> TRANSPORTS = BrokerTransport.ALL;

  static Stream<Arguments> transportsAndQos() {
    return TRANSPORTS.stream().flatMap(t -> Stream.of(QoS.values()).map(q -> Arguments.of(t, q)));
  }

  static Stream<Arguments> transportsAndAcknowledgedQos() {
    return TRANSPORTS.stream()
        .flatMap(t -> Stream.of(QoS.AT_LEAST_ONCE, QoS.EXACTLY_ONCE).map(q -> Arguments.of(t, q)));
  }

  @ParameterizedTest(name = "{0} at {1}")
  @MethodSource("transportsAndQos")
  void aMessagePublishedAtEachQosReachesTheSubscriber(
      BrokerTransport transport, QoS qos, MosquittoBroker broker) throws InterruptedException {
    try (MqttClient sub = subscriber(transport, broker, "sub", "s/" + qos, QoS.EXACTLY_ONCE);
        MqttClient pub = connected(transport, broker, "pub")) {
      pub.publish("s/" + qos, utf8("at " + qos), qos, false);

      Message m = receive(sub);
      assertThat(m.topic()).isEqualTo("s/" + qos);
      assertThat(m.payloadAsString()).isEqualTo("at " + qos);
      assertThat(m.qos()).isEqualTo(qos);
      assertThat(m.retain()).isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("TRANSPORTS")
  void aRetainedMessageIsKeptForLaterSubscribersUntilAnEmptyOneClearsIt(
      BrokerTransport transport, MosquittoBroker broker) throws InterruptedException {
    String topic = "retained/" + transport.name();
    try (MqttClient pub = connected(transport, broker, "retainer")) {
      pub.publish(topic, utf8("kept"), QoS.AT_LEAST_ONCE, true);
      try (MqttClient later = subscriber(transport, broker, "later", topic, QoS.AT_LEAST_ONCE)) {
        Message m = receive(later);
        assertThat(m.payloadAsString()).isEqualTo("kept");
        assertThat(m.retain()).isTrue();
      }

      pub.publish(topic, new byte[0], QoS.AT_LEAST_ONCE, true);
      try (MqttClient after = subscriber(transport, broker, "after", topic, QoS.AT_LEAST_ONCE)) {
        assertNoMessagePending(after);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("TRANSPORTS")
  void closingWithoutDisconnectMakesTheBrokerPublishTheWill(
      BrokerTransport transport, MosquittoBroker broker) throws InterruptedException {
    String id = clientId("will");
    String topic = "will/" + id;
    MqttConfig config =
        MqttConfig.builder().will(Will.of(topic, utf8("gone"), QoS.AT_LEAST_ONCE, false)).build();
    try (MqttClient watcher =
        subscriber(transport, broker, "watcher", "will/#", QoS.AT_LEAST_ONCE)) {
      MqttClient dying = MqttClient.create(id, config);
      try {
        assertThat(dying.connect(transport.uri(broker), transport.options(broker)).returnCode())
            .isZero();
      } finally {
        dying.close(); // no DISCONNECT: the broker publishes the will
      }

      Message will = receive(watcher);
      assertThat(will.topic()).isEqualTo(topic);
      assertThat(will.payloadAsString()).isEqualTo("gone");
      assertThat(will.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
    }
  }

  /** DISCONNECT, and for WebSocket the Close frame after it, make the broker discard the will. */
  @ParameterizedTest(name = "{0}")
  @FieldSource("TRANSPORTS")
  void disconnectMakesTheBrokerDiscardTheWill(BrokerTransport transport, MosquittoBroker broker)
      throws InterruptedException {
    String id = clientId("will");
    MqttConfig config =
        MqttConfig.builder()
            .will(Will.of("will/" + id, utf8("gone"), QoS.AT_LEAST_ONCE, false))
            .build();
    try (MqttClient watcher =
            subscriber(transport, broker, "watcher", "will/#", QoS.AT_LEAST_ONCE);
        MqttClient leaving = MqttClient.create(id, config)) {
      assertThat(leaving.connect(transport.uri(broker), transport.options(broker)).returnCode())
          .isZero();

      leaving.disconnect();

      await("mosquitto handling the end of " + id)
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  broker.logContains("Client " + id + " disconnected.")
                      || broker.logContains("Client " + id + " closed its connection."));
      assertThat(broker.log()).contains("Client " + id + " disconnected.");
      assertNoMessagePending(watcher);
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("TRANSPORTS")
  void afterUnsubscribeNothingMoreArrives(BrokerTransport transport, MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient sub = subscriber(transport, broker, "unsub", "u/#", QoS.AT_LEAST_ONCE);
        MqttClient pub = connected(transport, broker, "pub")) {
      pub.publish("u/1", utf8("before"), QoS.AT_LEAST_ONCE, false);
      assertThat(receive(sub).payloadAsString()).isEqualTo("before");

      sub.unsubscribe(List.of("u/#"));
      pub.publish("u/1", utf8("after"), QoS.AT_LEAST_ONCE, false);

      assertNoMessagePending(sub);
      assertThatThrownBy(() -> sub.deliverMessage(ABSENCE_TIMEOUT))
          .isInstanceOf(TimeoutException.class);
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("TRANSPORTS")
  void concurrentPublishersOnOneClientAllGetThrough(
      BrokerTransport transport, MosquittoBroker broker) throws Exception {
    int threads = 4;
    int each = 50;
    try (MqttClient sub = subscriber(transport, broker, "csub", "c/#", QoS.AT_LEAST_ONCE);
        MqttClient pub = connected(transport, broker, "cpub")) {
      List<Thread> publishers = new ArrayList<>();
      List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        publishers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        for (int i = 0; i < each; i++) {
                          QoS qos = i % 2 == 0 ? QoS.AT_LEAST_ONCE : QoS.EXACTLY_ONCE;
                          pub.publish("c/" + thread, utf8(thread + ":" + i), qos, false);
                        }
                      } catch (Throwable e) {
                        failures.add(e);
                      }
                    }));
      }
      for (Thread t : publishers) {
        t.join();
      }
      assertThat(failures).isEmpty();

      Set<String> received = new HashSet<>();
      for (int i = 0; i < threads * each; i++) {
        received.add(receive(sub).payloadAsString());
      }
      assertThat(received).hasSize(threads * each).contains("0:0", "3:49");
    }
  }

  /**
   * 100 virtual threads publish 10 messages each through one client at once, at QoS 1 and 2 (a
   * broker may drop QoS 0 messages under load).
   */
  @ParameterizedTest(name = "{0} at {1}")
  @MethodSource("transportsAndAcknowledgedQos")
  void aHundredVirtualThreadsPublishingAtOnceAllReturnAndEveryMessageArrives(
      BrokerTransport transport, QoS qos, MosquittoBroker broker) throws Exception {
    int threads = 100;
    int each = 10;
    String topic = "load/" + transport.name() + "/" + qos.value();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        MqttClient sub = subscriber(transport, broker, "lsub", topic, qos);
        MqttClient pub = connected(transport, broker, "lpub")) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> publishers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        publishers.add(
            executor.submit(
                () -> {
                  if (!go.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("no start signal within 10 s");
                  }
                  for (int i = 0; i < each; i++) {
                    pub.publish(topic, utf8(thread + ":" + i), qos, false);
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> publisher : publishers) {
        publisher.get(1, TimeUnit.MINUTES);
      }

      Map<String, Integer> counts = new HashMap<>();
      while (counts.size() < threads * each) {
        counts.merge(receive(sub).payloadAsString(), 1, Integer::sum);
      }
      if (qos == QoS.EXACTLY_ONCE) {
        assertThat(counts.values()).as("each message exactly once").containsOnly(1);
        assertNoMessagePending(sub);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("TRANSPORTS")
  void aHalfMebibytePayloadArrivesIntact(BrokerTransport transport, MosquittoBroker broker)
      throws Exception {
    byte[] payload = new byte[512 * 1024];
    new Random(7).nextBytes(payload);
    try (MqttClient sub = subscriber(transport, broker, "bsub", "big", QoS.EXACTLY_ONCE);
        MqttClient pub = connected(transport, broker, "bpub")) {
      pub.publish("big", payload, QoS.EXACTLY_ONCE, false);

      // mosquitto 2.0.11 (libwebsockets 4.1) writes a large message to a WebSocket client about
      // 4 KiB per turn of its event loop: half a mebibyte takes it some 15 s.
      Duration wait = transport.name().startsWith("ws") ? Duration.ofSeconds(60) : RECEIVE_TIMEOUT;
      assertThat(sub.deliverMessage(wait).payload()).isEqualTo(payload);
    }
  }

  private static MqttClient connected(
      BrokerTransport transport, MosquittoBroker broker, String prefix)
      throws InterruptedException {
    MqttClient client = MqttClient.create(clientId(prefix), MqttConfig.defaults());
    try {
      assertThat(client.connect(transport.uri(broker), transport.options(broker)).returnCode())
          .isZero();
      return client;
    } catch (RuntimeException | Error | InterruptedException e) {
      client.close();
      throw e;
    }
  }

  private static MqttClient subscriber(
      BrokerTransport transport, MosquittoBroker broker, String prefix, String filter, QoS qos)
      throws InterruptedException {
    MqttClient client = connected(transport, broker, prefix);
    try {
      assertThat(client.subscribe(List.of(Subscription.of(filter, qos))))
          .containsExactly(qos.value());
      return client;
    } catch (RuntimeException | Error e) {
      client.close();
      throw e;
    }
  }
}
