package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.RECEIVE_TIMEOUT;
import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.ConnectOptions;
import io.vmqtt.Message;
import io.vmqtt.MessageSelector;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.BrokerTransport;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The four ways of receiving—listeners, {@code deliverMessage}, {@code pollMessage}, streams—and
 * manual acknowledgement, against mosquitto over every transport ({@code mqtt}, {@code mqtts},
 * {@code ws}, {@code wss}) and every protocol level (MQTT 3.1, 3.1.1 and 5).
 */
class ReceivingStylesTest {
  @RegisterExtension
  static final MosquittoExtension mosquitto = new MosquittoExtension(BrokerTransport::configureAll);

  static Stream<Arguments> transportsAndLevels() {
    return BrokerTransport.ALL.stream()
        .flatMap(t -> Stream.of(5, 4, 3).map(level -> Arguments.of(t, level)));
  }

  @ParameterizedTest(name = "{0}, protocol level {1}")
  @MethodSource("transportsAndLevels")
  void aListenerGetsWhatItSubscribedToAtEveryQosAndQos1InOrder(
      BrokerTransport transport, int level, MosquittoBroker broker) throws Exception {
    String topic = "styles/listener/" + transport.name() + "/" + level;
    List<Message> got = new CopyOnWriteArrayList<>();
    try (MqttClient sub = connect(transport, broker, "lsub", config(level));
        MqttClient pub = connect(transport, broker, "lpub", config(level))) {
      assertThat(sub.subscribe(topic + "/#", QoS.EXACTLY_ONCE, got::add)).isEqualTo(2);

      for (int i = 0; i < 10; i++) {
        pub.publish(topic + "/one", utf8("q1-" + i), QoS.AT_LEAST_ONCE, false);
      }
      pub.publish(topic + "/zero", utf8("q0"), QoS.AT_MOST_ONCE, false);
      pub.publish(topic + "/two", utf8("q2"), QoS.EXACTLY_ONCE, false);

      await().atMost(RECEIVE_TIMEOUT).until(() -> got.size() == 12);
      assertThat(got.stream().filter(m -> m.qos() == QoS.AT_LEAST_ONCE))
          .extracting(Message::payloadAsString)
          .containsExactly(
              "q1-0", "q1-1", "q1-2", "q1-3", "q1-4", "q1-5", "q1-6", "q1-7", "q1-8", "q1-9");
      assertThat(got).extracting(Message::payloadAsString).contains("q0", "q2");
      assertThat(sub.pollMessage()).isEmpty();
    }
  }

  @Test
  void aMessageGoesToEveryListenerWhoseFilterAndConditionHoldUntilAnExclusiveOneTakesIt(
      MosquittoBroker broker) throws Exception {
    String topic = "styles/route/" + clientId("r");
    List<String> all = new CopyOnWriteArrayList<>();
    List<String> temperatures = new CopyOnWriteArrayList<>();
    List<String> alarms = new CopyOnWriteArrayList<>();
    AtomicInteger thrown = new AtomicInteger();
    BrokerTransport mqtt = BrokerTransport.MQTT;
    try (MqttClient sub = connect(mqtt, broker, "rsub", config(4));
        MqttClient pub = connect(mqtt, broker, "rpub", config(4))) {
      sub.addMessageListener(topic + "/#", m -> all.add(m.payloadAsString()));
      sub.addMessageListener(
          MessageSelector.topic(topic + "/+/temp").priority(5),
          m -> temperatures.add(m.payloadAsString()));
      sub.addMessageListener(
          MessageSelector.topic(topic + "/alarm/#")
              .when(m -> m.payloadAsString().startsWith("!"))
              .priority(10)
              .exclusive(),
          m -> alarms.add(m.payloadAsString()));
      sub.addMessageListener(
          topic + "/x",
          m -> {
            thrown.incrementAndGet();
            throw new IllegalStateException("a listener that throws, on purpose");
          });
      assertThat(sub.subscribe(List.of(Subscription.of(topic + "/#", QoS.AT_LEAST_ONCE))))
          .containsExactly(1);

      pub.publish(topic + "/a/temp", utf8("21"), QoS.AT_LEAST_ONCE, false);
      pub.publish(topic + "/alarm/door", utf8("!open"), QoS.AT_LEAST_ONCE, false);
      pub.publish(topic + "/alarm/door", utf8("closed"), QoS.AT_LEAST_ONCE, false);
      for (int i = 0; i < 30; i++) { // more than mosquitto's window of 20 unacknowledged
        pub.publish(topic + "/x", utf8("x" + i), QoS.AT_LEAST_ONCE, false);
      }
      pub.publish(topic + "/b/temp", utf8("22"), QoS.AT_LEAST_ONCE, false);

      await().atMost(RECEIVE_TIMEOUT).until(() -> all.size() == 33 && temperatures.size() == 2);
      assertThat(temperatures).containsExactly("21", "22");
      assertThat(alarms)
          .as("the exclusive listener's condition held once")
          .containsExactly("!open");
      assertThat(all)
          .as("everything but what the exclusive listener took, in order")
          .startsWith("21", "closed", "x0")
          .endsWith("x29", "22")
          .doesNotContain("!open");
      assertThat(thrown.get()).as("the throwing listener got each of its messages").isEqualTo(30);
      assertThat(sub.isConnected()).isTrue();
      assertThat(sub.pollMessage()).as("every message was taken by a listener").isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}, protocol level {1}")
  @MethodSource("transportsAndLevels")
  void deliverMessageAndPollMessageTakeWhatNoListenerTakes(
      BrokerTransport transport, int level, MosquittoBroker broker) throws Exception {
    String topic = "styles/take/" + transport.name() + "/" + level;
    List<Message> listened = new CopyOnWriteArrayList<>();
    try (MqttClient sub = connect(transport, broker, "tsub", config(level));
        MqttClient pub = connect(transport, broker, "tpub", config(level))) {
      sub.addMessageListener(topic + "/listened", listened::add);
      assertThat(sub.subscribe(List.of(Subscription.of(topic + "/#", QoS.AT_LEAST_ONCE))))
          .containsExactly(1);

      pub.publish(topic + "/listened", utf8("to the listener"), QoS.AT_LEAST_ONCE, false);
      pub.publish(topic + "/taken", utf8("to deliverMessage"), QoS.AT_LEAST_ONCE, false);
      pub.publish(topic + "/polled", utf8("to pollMessage"), QoS.AT_LEAST_ONCE, false);

      assertThat(sub.deliverMessage(RECEIVE_TIMEOUT).payloadAsString())
          .isEqualTo("to deliverMessage");
      assertThat(poll(sub).payloadAsString()).isEqualTo("to pollMessage");
      await().atMost(RECEIVE_TIMEOUT).until(() -> listened.size() == 1);
      assertThat(listened.get(0).payloadAsString()).isEqualTo("to the listener");
    }
  }

  @ParameterizedTest(name = "{0}, protocol level {1}")
  @MethodSource("transportsAndLevels")
  void aStreamDeliversWhatItRequested(BrokerTransport transport, int level, MosquittoBroker broker)
      throws Exception {
    String topic = "styles/stream/" + transport.name() + "/" + level;
    List<String> got = new CopyOnWriteArrayList<>();
    Flow.Subscription[] subscription = new Flow.Subscription[1];
    try (MqttClient sub = connect(transport, broker, "ssub", config(level));
        MqttClient pub = connect(transport, broker, "spub", config(level))) {
      sub.messages(MessageSelector.topic(topic))
          .subscribe(
              new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                  subscription[0] = s;
                  s.request(2);
                }

                @Override
                public void onNext(Message m) {
                  got.add(m.payloadAsString());
                }

                @Override
                public void onError(Throwable t) {
                  got.add("error " + t);
                }

                @Override
                public void onComplete() {
                  got.add("complete");
                }
              });
      assertThat(sub.subscribe(List.of(Subscription.of(topic, QoS.AT_LEAST_ONCE))))
          .containsExactly(1);
      for (int i = 0; i < 3; i++) {
        pub.publish(topic, utf8("s" + i), QoS.AT_LEAST_ONCE, false);
      }

      await().atMost(RECEIVE_TIMEOUT).until(() -> got.size() == 2);
      await().during(Duration.ofMillis(300)).atMost(RECEIVE_TIMEOUT).until(() -> got.size() == 2);
      subscription[0].request(1);
      await().atMost(RECEIVE_TIMEOUT).until(() -> got.size() == 3);
      sub.close();
      await().atMost(RECEIVE_TIMEOUT).until(() -> got.size() == 4);
      assertThat(got).containsExactly("s0", "s1", "s2", "complete");
    }
  }

  @ParameterizedTest(name = "{0}, protocol level {1}")
  @MethodSource("transportsAndLevels")
  void withManualAckAnUnackedMessageComesBackWithDupAndAnAckedOneDoesNot(
      BrokerTransport transport, int level, MosquittoBroker broker) throws Exception {
    String id = clientId("manual");
    String topic = "styles/manual/" + id;
    MqttConfig config =
        MqttConfig.builder().protocolVersion(level).manualAck(true).cleanSession(false).build();
    List<Message> got = new CopyOnWriteArrayList<>();
    try (MqttClient sub = MqttClient.create(id, config);
        MqttClient pub = connect(transport, broker, "mpub", config(level))) {
      sub.addMessageListener(topic, got::add);
      sub.connect(transport.uri(broker), transport.options(broker));
      assertThat(sub.subscribe(List.of(Subscription.of(topic, QoS.AT_LEAST_ONCE))))
          .containsExactly(1);
      pub.publish(topic, utf8("unacked"), QoS.AT_LEAST_ONCE, false);
      await().atMost(RECEIVE_TIMEOUT).until(() -> got.size() == 1);
      Message first = got.get(0);
      assertThat(first.dup()).isFalse();

      sub.disconnect();
      sub.connect(transport.uri(broker), transport.options(broker));

      await().atMost(RECEIVE_TIMEOUT).until(() -> got.size() == 2);
      Message again = got.get(1);
      assertThat(again.payloadAsString()).isEqualTo("unacked");
      assertThat(again.dup()).as("redelivered by the broker [MQTT-4.4.0-1]").isTrue();
      sub.ack(first); // of the first connection: does nothing
      sub.ack(again);
      sub.ping(); // the PUBACK went out before the PINGREQ, so the broker has it

      sub.disconnect();
      sub.connect(transport.uri(broker), transport.options(broker));
      sub.ping();
      await().during(Duration.ofMillis(300)).atMost(RECEIVE_TIMEOUT).until(() -> got.size() == 2);
    } finally {
      cleanUp(transport, broker, id);
    }
  }

  /** Ends the persistent session {@code id} left on the broker. */
  private static void cleanUp(BrokerTransport transport, MosquittoBroker broker, String id)
      throws InterruptedException {
    try (MqttClient c = MqttClient.create(id, MqttConfig.builder().cleanSession(true).build())) {
      c.connect(transport.uri(broker), transport.options(broker));
      c.disconnect();
    }
  }

  private static MqttConfig config(int level) {
    return MqttConfig.builder().protocolVersion(level).build();
  }

  private static MqttClient connect(
      BrokerTransport transport, MosquittoBroker broker, String prefix, MqttConfig config)
      throws InterruptedException {
    MqttClient client = MqttClient.create(clientId(prefix), config);
    try {
      ConnectOptions options = transport.options(broker);
      assertThat(client.connect(transport.uri(broker), options).returnCode()).isZero();
      return client;
    } catch (RuntimeException | Error | InterruptedException e) {
      client.close();
      throw e;
    }
  }

  private static Message poll(MqttClient client) {
    List<Message> got = new ArrayList<>();
    await()
        .atMost(RECEIVE_TIMEOUT)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              Optional<Message> m = client.pollMessage();
              m.ifPresent(got::add);
              return m.isPresent();
            });
    return got.get(0);
  }
}
