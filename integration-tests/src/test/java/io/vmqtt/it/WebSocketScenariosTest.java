package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.assertNoMessagePending;
import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.connected;
import static io.vmqtt.it.ItSupport.receive;
import static io.vmqtt.it.ItSupport.subscriber;
import static io.vmqtt.it.ItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.Will;
import io.vmqtt.it.fixture.MosquittoBroker;
import io.vmqtt.it.fixture.MosquittoExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The core scenarios over every transport against mosquitto: publish and subscribe at each QoS,
 * retained messages, the will, unsubscribe, a large payload and concurrent publishers. Each test
 * runs once per transport, {@code mqtt} and {@code ws}, so the WebSocket transport is held to
 * what plain TCP does.
 */
class WebSocketScenariosTest {
  private static final String WS_LISTENER = "ws";

  /**
   * A websockets listener beside the plain one; {@code log_type all} for the will scenarios, and
   * no limit on queued QoS 1/2 messages so a subscriber that falls behind loses none.
   */
  @RegisterExtension
  static final MosquittoExtension mosquitto =
      new MosquittoExtension(
          broker ->
              broker
                  .listener(WS_LISTENER, "ws", "protocol websockets")
                  .verboseLog()
                  .extraConfig("max_queued_messages 0"));

  static Stream<String> transports() {
    return Stream.of("mqtt", "ws");
  }

  static Stream<Arguments> transportsAndQos() {
    return transports()
        .flatMap(t -> Stream.of(QoS.values()).map(qos -> Arguments.of(t, qos)));
  }

  /** The broker's URI for a transport; the WebSocket one with a path, as brokers usually have. */
  static String uri(MosquittoBroker broker, String transport) {
    return switch (transport) {
      case "mqtt" -> broker.uri();
      case "ws" -> broker.uri(WS_LISTENER) + "/mqtt";
      default -> throw new IllegalArgumentException("no listener for transport " + transport);
    };
  }

  @ParameterizedTest(name = "{0} at {1}")
  @MethodSource("transportsAndQos")
  void aMessagePublishedAtEachQosArrivesOnceWithThatQos(
      String transport, QoS qos, MosquittoBroker broker) throws InterruptedException {
    String uri = uri(broker, transport);
    try (MqttClient sub = subscriber(uri, clientId("sub"), "rt/#", QoS.EXACTLY_ONCE);
        MqttClient pub = connected(uri, clientId("pub"), MqttConfig.defaults())) {
      PublishResult result = pub.publish("rt/" + qos.value(), utf8("over " + transport), qos, false);

      assertThat(result.qos()).isEqualTo(qos);
      Message m = receive(sub);
      assertThat(m.topic()).isEqualTo("rt/" + qos.value());
      assertThat(m.payloadAsString()).isEqualTo("over " + transport);
      assertThat(m.qos()).isEqualTo(qos);
      assertThat(m.retain()).isFalse();
      assertNoMessagePending(sub);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void aRetainedMessageReachesALaterSubscriberAndAnEmptyOneClearsIt(
      String transport, MosquittoBroker broker) throws InterruptedException {
    String uri = uri(broker, transport);
    try (MqttClient pub = connected(uri, clientId("retainer"), MqttConfig.defaults())) {
      pub.publish("ret/a", utf8("kept"), QoS.AT_LEAST_ONCE, true);

      try (MqttClient later = subscriber(uri, clientId("later"), "ret/a", QoS.AT_LEAST_ONCE)) {
        Message retained = receive(later);
        assertThat(retained.payloadAsString()).isEqualTo("kept");
        assertThat(retained.retain()).isTrue();
      }

      pub.publish("ret/a", new byte[0], QoS.AT_LEAST_ONCE, true);

      try (MqttClient after = subscriber(uri, clientId("after"), "ret/a", QoS.AT_LEAST_ONCE)) {
        assertNoMessagePending(after);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void closeWithoutDisconnectMakesTheBrokerPublishTheWill(
      String transport, MosquittoBroker broker) throws InterruptedException {
    String uri = uri(broker, transport);
    String a = clientId("will-a");
    MqttConfig config =
        MqttConfig.builder()
            .will(new Will("will/" + a, utf8("gone"), QoS.AT_LEAST_ONCE, false))
            .build();
    try (MqttClient b = subscriber(uri, clientId("will-b"), "will/#", QoS.AT_LEAST_ONCE)) {
      connected(uri, a, config).close();

      Message will = receive(b);
      assertThat(will.topic()).isEqualTo("will/" + a);
      assertThat(will.payloadAsString()).isEqualTo("gone");
      assertThat(will.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void disconnectMakesTheBrokerDiscardTheWill(String transport, MosquittoBroker broker)
      throws InterruptedException {
    String uri = uri(broker, transport);
    String a = clientId("will-a");
    MqttConfig config =
        MqttConfig.builder()
            .will(new Will("will/" + a, utf8("gone"), QoS.AT_LEAST_ONCE, false))
            .build();
    try (MqttClient b = subscriber(uri, clientId("will-b"), "will/#", QoS.AT_LEAST_ONCE);
        MqttClient clientA = connected(uri, a, config)) {
      clientA.disconnect();

      await("mosquitto handling the end of " + a)
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  broker.logContains("Client " + a + " disconnected.")
                      || broker.logContains("Client " + a + " closed its connection."));
      assertThat(broker.log()).as("A sent DISCONNECT").contains("Received DISCONNECT from " + a);
      assertNoMessagePending(b);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void afterUnsubscribeMessagesOnThatTopicNoLongerArrive(String transport, MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient client =
        connected(uri(broker, transport), clientId("unsub"), MqttConfig.defaults())) {
      client.subscribe(
          List.of(
              new Subscription("u/1", QoS.AT_LEAST_ONCE),
              new Subscription("u/2", QoS.AT_LEAST_ONCE)));
      client.publish("u/1", utf8("before"), QoS.AT_LEAST_ONCE, false);
      assertThat(receive(client).payloadAsString()).isEqualTo("before");

      client.unsubscribe(List.of("u/1"));

      client.publish("u/1", utf8("after"), QoS.AT_LEAST_ONCE, false);
      assertNoMessagePending(client);
      client.publish("u/2", utf8("still"), QoS.AT_LEAST_ONCE, false);
      assertThat(receive(client).topic()).isEqualTo("u/2");
    }
  }

  /** 100 KB: more than one WebSocket frame (64 KiB) out, and as mosquitto frames it back in. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void aPayloadOf100KilobytesArrivesIntact(String transport, MosquittoBroker broker)
      throws InterruptedException {
    byte[] payload = new byte[100 * 1024];
    new Random(7).nextBytes(payload);
    String uri = uri(broker, transport);
    try (MqttClient sub = subscriber(uri, clientId("big-sub"), "big", QoS.EXACTLY_ONCE);
        MqttClient pub = connected(uri, clientId("big-pub"), MqttConfig.defaults())) {
      pub.publish("big", payload, QoS.EXACTLY_ONCE, false);

      Message m = receive(sub);
      assertThat(m.payload()).isEqualTo(payload);
      sub.ping();
    }
  }

  /** 100 virtual threads publish 10 messages each through one client, at QoS 1 and 2. */
  @ParameterizedTest(name = "{0} at {1}")
  @MethodSource("transportsAndQos")
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aHundredVirtualThreadsPublishingAtOnceAllReturnAndEveryMessageArrives(
      String transport, QoS qos, MosquittoBroker broker) throws Exception {
    int threads = 100;
    int perThread = 10;
    String uri = uri(broker, transport);
    String topic = "load/" + transport + "/" + qos.value();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        MqttClient sub = subscriber(uri, clientId("load-sub"), topic, qos);
        MqttClient pub = connected(uri, clientId("load-pub"), MqttConfig.defaults())) {
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
                  for (int i = 0; i < perThread; i++) {
                    pub.publish(topic, utf8("m-" + thread + "-" + i), qos, false);
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> publisher : publishers) {
        publisher.get(1, TimeUnit.MINUTES);
      }

      if (qos == QoS.AT_MOST_ONCE) {
        // QoS 0 may be dropped by the broker under load; what arrives must be intact.
        pub.ping();
        return;
      }
      Map<String, Integer> counts = new HashMap<>();
      while (counts.size() < threads * perThread) {
        Message m = receive(sub);
        assertThat(m.payloadAsString()).matches("m-\\d+-\\d+");
        counts.merge(m.payloadAsString(), 1, Integer::sum);
      }
      if (qos == QoS.EXACTLY_ONCE) {
        assertThat(counts.values()).as("each message exactly once").containsOnly(1);
        assertNoMessagePending(sub);
      }
    }
  }
}
