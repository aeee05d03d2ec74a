package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.assertNoMessagePending;
import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.connected;
import static io.vmqtt.it.ItSupport.receive;
import static io.vmqtt.it.ItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.DisconnectOptions;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.ReasonCode;
import io.vmqtt.Subscription;
import io.vmqtt.UserProperty;
import io.vmqtt.Will;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MQTT 5 subscription options, shared subscriptions, will properties and the two ends of a
 * connection against mosquitto 2.0: what the broker does with what the client sends.
 */
class Mqtt5SubscriptionsMosquittoTest {
  private static MqttConfig.Builder v5() {
    return MqttConfig.builder().protocolVersion(5).autoReconnect(false);
  }

  @Test
  void noLocalKeepsTheClientsOwnMessagesFromIt() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient client = connected(broker, clientId("nolocal"), v5().build());
        MqttClient other = connected(broker, clientId("other"), v5().build())) {
      client.subscribe(
          List.of(Subscription.builder("nl/#").qos(QoS.AT_LEAST_ONCE).noLocal(true).build()));

      client.publish("nl/own", utf8("mine"), QoS.AT_LEAST_ONCE, false);
      other.publish("nl/other", utf8("theirs"), QoS.AT_LEAST_ONCE, false);

      assertThat(receive(client).topic()).isEqualTo("nl/other");
    }
  }

  @Test
  void retainAsPublishedKeepsTheRetainFlagOfForwardedMessages() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient keeps = connected(broker, clientId("rap"), v5().build());
        MqttClient clears = connected(broker, clientId("norap"), v5().build());
        MqttClient pub = connected(broker, clientId("pub"), v5().build())) {
      keeps.subscribe(
          List.of(
              Subscription.builder("rap/x")
                  .qos(QoS.AT_LEAST_ONCE)
                  .retainAsPublished(true)
                  .build()));
      clears.subscribe(List.of(Subscription.of("rap/x", QoS.AT_LEAST_ONCE)));

      pub.publish("rap/x", utf8("kept"), QoS.AT_LEAST_ONCE, true);

      assertThat(receive(keeps).retain()).isTrue();
      assertThat(receive(clears).retain()).isFalse(); // [MQTT-3.3.1-12]
    }
  }

  @Test
  void retainHandlingDecidesWhetherRetainedMessagesComeAtSubscribe() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient client = connected(broker, clientId("rh"), v5().build());
        MqttClient pub = connected(broker, clientId("pub"), v5().build())) {
      pub.publish("rh/x", utf8("retained"), QoS.AT_LEAST_ONCE, true);

      client.subscribe(List.of(rh("rh/#", Subscription.RetainHandling.DO_NOT_SEND)));
      assertNoMessagePending(client); // [MQTT-3.3.1-11]

      client.subscribe(List.of(rh("rh/+", Subscription.RetainHandling.SEND_IF_NEW_SUBSCRIPTION)));
      Message first = receive(client);
      assertThat(first.topic()).isEqualTo("rh/x");
      assertThat(first.retain()).isTrue();
      client.subscribe(List.of(rh("rh/+", Subscription.RetainHandling.SEND_IF_NEW_SUBSCRIPTION)));
      assertNoMessagePending(client); // it existed [MQTT-3.3.1-10]

      client.subscribe(List.of(rh("rh/+", Subscription.RetainHandling.SEND_ON_SUBSCRIBE)));
      assertThat(receive(client).payloadAsString()).isEqualTo("retained"); // [MQTT-3.3.1-9]
    }
  }

  private static Subscription rh(String filter, Subscription.RetainHandling handling) {
    return Subscription.builder(filter).qos(QoS.AT_LEAST_ONCE).retainHandling(handling).build();
  }

  @Test
  void subscriptionIdentifiersReachTheMessagesOfTheirSubscriptions() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient client = connected(broker, clientId("subid"), v5().build());
        MqttClient pub = connected(broker, clientId("pub"), v5().build())) {
      // Different identifiers in one call: two SUBSCRIBE packets, the codes in the list's order.
      assertThat(
              client.subscribe(
                  List.of(
                      Subscription.builder("si/a")
                          .qos(QoS.AT_LEAST_ONCE)
                          .subscriptionIdentifier(1)
                          .build(),
                      Subscription.builder("si/#")
                          .qos(QoS.EXACTLY_ONCE)
                          .subscriptionIdentifier(268_435_455)
                          .build())))
          .containsExactly(1, 2);

      pub.publish("si/b", utf8("one match"), QoS.AT_LEAST_ONCE, false);
      assertThat(receive(client).subscriptionIdentifiers()).containsExactly(268_435_455);

      // Overlapping subscriptions: mosquitto sends a copy per subscription, each with its id.
      pub.publish("si/a", utf8("two matches"), QoS.AT_LEAST_ONCE, false);
      List<Integer> ids = new ArrayList<>();
      ids.addAll(receive(client).subscriptionIdentifiers());
      ids.addAll(receive(client).subscriptionIdentifiers());
      assertThat(ids).containsExactlyInAnyOrder(1, 268_435_455);
    }
  }

  /**
   * Three consumers in one share group split 3,000 QoS 1 messages, none lost and none twice; each
   * consumer's listener is attached with the {@code $share} filter, and the messages come with
   * their own topics. mosquitto offers shared subscriptions at MQTT 3.1.1 too.
   */
  @ParameterizedTest(name = "protocol_version {0}")
  @ValueSource(ints = {4, 5})
  void threeConsumersInAShareGroupSplit3000MessagesNoneLostNoneTwice(int protocolVersion)
      throws Exception {
    int messages = 3_000;
    MqttConfig config = MqttConfig.builder().protocolVersion(protocolVersion).build();
    Subscription share = Subscription.shared("workers", "jobs/+", QoS.AT_LEAST_ONCE);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    AtomicInteger wrongTopic = new AtomicInteger();
    List<AtomicInteger> perConsumer = new ArrayList<>();
    List<MqttClient> consumers = new ArrayList<>();
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient pub = connected(broker, clientId("producer"), config);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      try {
        for (int c = 0; c < 3; c++) {
          MqttClient consumer = connected(broker, clientId("worker" + c), config);
          consumers.add(consumer);
          AtomicInteger count = new AtomicInteger();
          perConsumer.add(count);
          assertThat(
                  consumer.subscribe(
                      share,
                      m -> {
                        if (!m.topic().startsWith("jobs/")) {
                          wrongTopic.incrementAndGet();
                        }
                        count.incrementAndGet();
                        if (!seen.add(m.payloadAsString())) {
                          duplicates.incrementAndGet();
                        }
                      }))
              .isEqualTo(1);
        }
        List<Future<?>> publishers = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
          int thread = t;
          publishers.add(
              threads.submit(
                  () -> {
                    for (int i = thread; i < messages; i += 10) {
                      pub.publish("jobs/" + thread, utf8("m" + i), QoS.AT_LEAST_ONCE, false);
                    }
                    return null;
                  }));
        }
        for (Future<?> f : publishers) {
          f.get(60, TimeUnit.SECONDS);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == messages);
        assertThat(duplicates).hasValue(0);
        assertThat(wrongTopic).hasValue(0); // their own topics, without $share/workers/
        assertThat(perConsumer.stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(messages);
        assertThat(perConsumer).allSatisfy(n -> assertThat(n.get()).isPositive());
        // Nothing for the plain deliverMessage queue: every message went to a listener.
        assertThat(consumers).allSatisfy(c -> assertThat(c.pollMessage()).isEmpty());
      } finally {
        consumers.forEach(MqttClient::close);
      }
    }
  }

  @Test
  void aDelayedWillArrivesWithItsPropertiesAfterTheDelay() throws Exception {
    // The will is published when the delay or the session ends, whichever is first: a session
    // expiry of 10 s lets the delay of 2 s decide.
    Will will =
        Will.builder("wills/dev7")
            .payload("{\"online\": false}")
            .qos(QoS.AT_LEAST_ONCE)
            .delayInterval(Duration.ofSeconds(2))
            .messageExpiryInterval(Duration.ofSeconds(600))
            .contentType("application/json")
            .responseTopic("wills/ack")
            .correlationData(utf8("c-7"))
            .payloadUtf8(true)
            .userProperty("site", "hall-2")
            .userProperty("site", "bay-4")
            .build();
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient watcher = connected(broker, clientId("watcher"), v5().build())) {
      watcher.subscribe(List.of(Subscription.of("wills/#", QoS.AT_LEAST_ONCE)));
      MqttClient device =
          connected(
              broker,
              clientId("dev7"),
              v5().will(will).sessionExpiryInterval(Duration.ofSeconds(10)).build());

      device.close(); // no DISCONNECT: the broker is to publish the will
      assertNoMessagePending(watcher); // not at once: the delay holds it back

      Message m = watcher.deliverMessage(Duration.ofSeconds(15));
      assertThat(m.topic()).isEqualTo("wills/dev7");
      assertThat(m.payloadAsString()).isEqualTo("{\"online\": false}");
      assertThat(m.contentType()).contains("application/json");
      assertThat(m.responseTopic()).contains("wills/ack");
      assertThat(m.correlationData()).hasValueSatisfying(c -> assertThat(c).isEqualTo(utf8("c-7")));
      assertThat(m.payloadUtf8()).isTrue();
      assertThat(m.userProperties())
          .containsExactly(new UserProperty("site", "hall-2"), new UserProperty("site", "bay-4"));
      // What is left of the expiry interval when mosquitto forwards it.
      assertThat(m.messageExpiryInterval())
          .hasValueSatisfying(
              d -> assertThat(d).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(600)));
    }
  }

  @Test
  void disconnectWithWillMessageHasTheBrokerPublishTheWill() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient watcher = connected(broker, clientId("watcher"), v5().build());
        MqttClient device =
            connected(
                broker,
                clientId("dev8"),
                v5().will(Will.of("wills/dev8", "gone", QoS.AT_LEAST_ONCE, false)).build())) {
      watcher.subscribe(List.of(Subscription.of("wills/#", QoS.AT_LEAST_ONCE)));

      device.disconnect(
          DisconnectOptions.builder()
              .reasonCode(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
              .reasonString("leaving, tell the others")
              .build());

      assertThat(receive(watcher).payloadAsString()).isEqualTo("gone");
    }
  }

  @Test
  void aSessionExpiryOfZeroOnDisconnectEndsTheSessionThatWouldHaveBeenKept() throws Exception {
    String id = clientId("expiry");
    MqttConfig keep =
        v5().cleanSession(false).sessionExpiryInterval(Duration.ofSeconds(300)).build();
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient client = MqttClient.create(id, keep)) {
      client.connect(broker.uri());
      client.disconnect();
      assertThat(client.connect(broker.uri()).sessionPresent()).isTrue();

      client.disconnect(DisconnectOptions.builder().sessionExpiryInterval(Duration.ZERO).build());

      assertThat(client.connect(broker.uri()).sessionPresent()).isFalse();
    }
  }

  /** The example of the README's "Subscription options, shared subscriptions..." section. */
  @Test
  void theReadmeExampleRuns() throws Exception {
    String id = clientId("sensor-7");
    MqttConfig config =
        MqttConfig.builder()
            .protocolVersion(5)
            .cleanSession(false)
            .sessionExpiryInterval(Duration.ofMinutes(10))
            .will(
                Will.builder("devices/" + id + "/status")
                    .payload("{\"online\": false}")
                    .payloadUtf8(true)
                    .contentType("application/json")
                    .qos(QoS.AT_LEAST_ONCE)
                    .delayInterval(Duration.ofSeconds(30))
                    .messageExpiryInterval(Duration.ofHours(1))
                    .userProperty("site", "hall-2")
                    .build())
            .build();
    CompletableFuture<Message> job = new CompletableFuture<>();
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient other = connected(broker, clientId("other"), v5().build());
        MqttClient client = MqttClient.create(id, config)) {
      client.connect(broker.uri());
      client.subscribe(
          List.of(
              Subscription.builder("commands/" + id + "/#")
                  .qos(QoS.AT_LEAST_ONCE)
                  .noLocal(true)
                  .retainHandling(Subscription.RetainHandling.SEND_IF_NEW_SUBSCRIPTION)
                  .subscriptionIdentifier(7)
                  .build(),
              Subscription.builder("config/#")
                  .qos(QoS.AT_LEAST_ONCE)
                  .retainAsPublished(true)
                  .build()));
      client.subscribe(Subscription.shared("workers", "jobs/+", QoS.AT_LEAST_ONCE), job::complete);

      client.publish("commands/" + id + "/own", utf8("not for me"), QoS.AT_LEAST_ONCE, false);
      other.publish("commands/" + id + "/reboot", utf8("now"), QoS.AT_LEAST_ONCE, false);
      other.publish("jobs/1", utf8("job 1"), QoS.AT_LEAST_ONCE, false);

      Message m = client.deliverMessage(Duration.ofSeconds(5));
      assertThat(m.topic()).isEqualTo("commands/" + id + "/reboot");
      assertThat(m.subscriptionIdentifiers()).containsExactly(7);
      assertThat(job.get(5, TimeUnit.SECONDS).topic()).isEqualTo("jobs/1");

      client.disconnect(
          DisconnectOptions.builder().sessionExpiryInterval(Duration.ofHours(1)).build());
      assertThat(client.connect(broker.uri()).sessionPresent()).isTrue();
    }
  }
}
