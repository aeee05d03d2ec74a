package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.QUIET;
import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vmqtt.ConnectionListener;
import io.vmqtt.ConnectionState;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.it.fixture.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Acknowledgements on the wire: in the order the messages arrived, per QoS [MQTT-4.6.0-2]
 * [MQTT-4.6.0-3], whatever the order they were handled in; {@code manual_ack}; and an
 * acknowledgement never goes to a connection or session the message did not come from.
 */
class AcknowledgementOrderTest {
  private FakeBroker broker;
  private MqttClient client;

  @BeforeEach
  void startBroker() throws Exception {
    broker = FakeBroker.start();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    broker.close();
  }

  private void connect(MqttConfig config) throws Exception {
    client = MqttClient.create("fake-acks", config);
    client.connect(broker.uri());
    broker.takePacket(RawPacket.CONNECT, WAIT);
  }

  private static MqttConfig manual() {
    return config().manualAck(true).build();
  }

  private void publish(String topic, String payload, int qos, int packetId) {
    broker.publishToClient(topic, utf8(payload), qos, false, false, packetId);
  }

  private List<Message> take(int n) throws Exception {
    List<Message> taken = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      taken.add(client.deliverMessage(WAIT));
    }
    return taken;
  }

  @Test
  void manualAcksInReverseOrderGoOutAsPubacksInArrivalOrder() throws Exception {
    connect(manual()); // [MQTT-4.6.0-2]
    for (int id = 1; id <= 5; id++) {
      publish("m", "m" + id, 1, id);
    }
    List<Message> taken = take(5);
    assertThat(broker.pollPacket(QUIET)).as("a PUBACK before any ack()").isEmpty();

    for (int i = 4; i >= 1; i--) {
      client.ack(taken.get(i)); // 5, 4, 3, 2: all wait for 1
    }
    assertThat(broker.pollPacket(QUIET)).as("a PUBACK while packet id 1 is not acked").isEmpty();
    client.ack(taken.get(0));

    for (int id = 1; id <= 5; id++) {
      assertThat(named(broker.takePacket(WAIT))).isEqualTo("PUBACK " + id);
    }
  }

  @Test
  void manualAcksOfQos2MessagesGoOutAsPubrecsInArrivalOrder() throws Exception {
    broker.on(RawPacket.PUBREC, Action.ignore()); // no PUBREL: only PUBRECs to look at
    connect(manual()); // [MQTT-4.6.0-3]
    Recorder listener = new Recorder("qos2");
    client.addMessageListener("q2", listener);
    for (int id = 21; id <= 23; id++) {
      publish("q2", "m" + id, 2, id);
    }
    List<Message> got = listener.await(3, WAIT);

    client.ack(got.get(2));
    client.ack(got.get(1));
    assertThat(broker.pollPacket(QUIET)).isEmpty();
    client.ack(got.get(0));

    for (int id = 21; id <= 23; id++) {
      assertThat(named(broker.takePacket(WAIT))).isEqualTo("PUBREC " + id);
    }
  }

  @Test
  void pubacksAndPubrecsAreOrderedEachAmongThemselves() throws Exception {
    broker.on(RawPacket.PUBREC, Action.ignore());
    connect(manual());
    publish("q", "two", 2, 1);
    publish("q", "one", 1, 2);
    List<Message> taken = take(2);

    client.ack(taken.get(1)); // the QoS 1 message: no QoS 1 message before it

    assertThat(named(broker.takePacket(WAIT))).isEqualTo("PUBACK " + 2);
    client.ack(taken.get(0));
    assertThat(named(broker.takePacket(WAIT))).isEqualTo("PUBREC " + 1);
  }

  @Test
  void listenersReturningOutOfOrderHaveTheirMessagesAcknowledgedInArrivalOrder() throws Exception {
    connect(config().build());
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch slowStarted = new CountDownLatch(1);
    client.addMessageListener(
        "slow",
        m -> {
          slowStarted.countDown();
          release.await(30, TimeUnit.SECONDS);
        });
    Recorder fast = new Recorder("fast");
    client.addMessageListener("fast", fast);

    publish("slow", "1", 1, 1);
    assertThat(slowStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    publish("fast", "2", 1, 2);
    publish("fast", "3", 1, 3);
    fast.await(2, WAIT);
    assertThat(broker.pollPacket(QUIET)).as("PUBACK 2 before PUBACK 1").isEmpty();

    release.countDown();

    for (int id = 1; id <= 3; id++) {
      assertThat(named(broker.takePacket(WAIT))).isEqualTo("PUBACK " + id);
    }
  }

  @Test
  void aMessageTakenByTwoListenersIsAcknowledgedWhenBothHaveReturned() throws Exception {
    connect(config().build());
    CountDownLatch release = new CountDownLatch(1);
    Recorder quick = new Recorder("quick");
    CountDownLatch slowStarted = new CountDownLatch(1);
    client.addMessageListener("shared", quick);
    client.addMessageListener(
        "shared",
        m -> {
          slowStarted.countDown();
          release.await(30, TimeUnit.SECONDS);
        });

    publish("shared", "x", 1, 8);
    quick.await(1, WAIT);
    assertThat(slowStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(broker.pollPacket(QUIET)).isEmpty();

    release.countDown();
    assertThat(named(broker.takePacket(WAIT))).isEqualTo("PUBACK " + 8);
  }

  @Test
  void ackIsIdempotentAndDoesNothingForQos0OrWithoutManualAck() throws Exception {
    connect(manual());
    publish("a", "zero", 0, 0);
    publish("a", "one", 1, 4);
    List<Message> taken = take(2);

    client.ack(taken.get(0));
    client.ack(taken.get(1));
    client.ack(taken.get(1));

    assertThat(named(broker.takePacket(WAIT))).isEqualTo("PUBACK " + 4);
    assertThat(broker.pollPacket(QUIET)).isEmpty();

    client.close();
    connectAutomatic();
    publish("a", "auto", 1, 5);
    Message m = client.deliverMessage(WAIT);
    assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(5);
    client.ack(m); // the client acknowledged it already
    assertThat(broker.pollPacket(QUIET)).isEmpty();
  }

  private void connectAutomatic() throws Exception {
    client = MqttClient.create("fake-acks-2", config().build());
    client.connect(broker.uri());
    broker.takePacket(RawPacket.CONNECT, WAIT);
  }

  @Test
  void ackOfAMessageThisClientDidNotReceiveIsAnIllegalArgument() throws Exception {
    connect(manual());
    Message made = Message.of("a", "made here", QoS.AT_LEAST_ONCE, false);

    assertThatThrownBy(() -> client.ack(made))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not received by this client");
    client.ack(Message.of("a", "zero", QoS.AT_MOST_ONCE, false)); // QoS 0: nothing to acknowledge
    assertThat(broker.pollPacket(QUIET)).isEmpty();
  }

  @Test
  void aListenerThatThrowsUnderManualAckLeavesTheMessageToAck() throws Exception {
    connect(manual());
    List<Message> seen = new ArrayList<>();
    client.addMessageListener(
        "job",
        m -> {
          synchronized (seen) {
            seen.add(m);
          }
          throw new IllegalStateException("failed " + m.payloadAsString());
        });

    publish("job", "j", 1, 3);
    await().atMost(WAIT).until(() -> !snapshot(seen).isEmpty());
    assertThat(broker.pollPacket(QUIET)).as("a PUBACK no one asked for").isEmpty();

    client.ack(snapshot(seen).get(0));
    assertThat(named(broker.takePacket(WAIT))).isEqualTo("PUBACK " + 3);
  }

  @Test
  void anAckOfAMessageFromAnEarlierConnectionIsNotSentAndItsRedeliveryIsDeliveredAgain()
      throws Exception {
    broker.onConnect(Action.reply(Frames.connack(true, 0)));
    connect(
        config()
            .manualAck(true)
            .cleanSession(false)
            .autoReconnect(true)
            .reconnectMinInterval(Duration.ofMillis(50))
            .reconnectJitter(0)
            .build());
    publish("r", "once", 1, 7);
    Message first = client.deliverMessage(WAIT);
    assertThat(first.dup()).isFalse();

    broker.closeConnection();
    broker.takePacket(RawPacket.CONNECT, WAIT);
    await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTED);
    broker.publishToClient(
        "r", utf8("once"), 1, false, true, 7); // the broker's resend [MQTT-4.4.0-1]
    Message again = client.deliverMessage(WAIT);
    assertThat(again.dup()).isTrue();
    assertThat(again.payloadAsString()).isEqualTo("once");

    try (LogCapture log = LogCapture.start("io.vmqtt", Level.DEBUG)) {
      client.ack(first);
      assertThat(broker.pollPacket(QUIET)).as("a PUBACK for the first connection's copy").isEmpty();
      assertThat(log.events())
          .extracting(ILoggingEvent::getFormattedMessage)
          .anySatisfy(line -> assertThat(line).contains("ack of").contains("connection"));
    }
    client.ack(again);
    assertThat(named(broker.takePacket(WAIT))).isEqualTo("PUBACK " + 7);
  }

  @Test
  void anAckIntoABrokerSessionThatEndedIsNotSent() throws Exception {
    broker.onConnect(Action.reply(Frames.connack(false, 0))); // never a session present
    connect(
        config()
            .autoReconnect(true)
            .reconnectMinInterval(Duration.ofMillis(50))
            .reconnectJitter(0)
            .build());
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    client.addMessageListener(
        "s",
        m -> {
          started.countDown();
          release.await(30, TimeUnit.SECONDS);
        });
    publish("s", "old session", 1, 9);
    assertThat(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    broker.closeConnection();
    broker.takePacket(RawPacket.CONNECT, WAIT);
    await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTED);
    release.countDown(); // handled now: its session is gone, so no PUBACK 9 on the new one

    publish("s2", "new", 1, 9); // the new session may use id 9 for another message
    assertThat(client.deliverMessage(WAIT).payloadAsString()).isEqualTo("new");
    assertThat(named(broker.takePacket(WAIT))).isEqualTo("PUBACK " + 9);
    assertThat(broker.pollPacket(QUIET)).as("a second PUBACK 9").isEmpty();
  }

  @Test
  void acknowledgementsDueWhileReconnectingGoOutInOrderOnTheResumedSession() throws Exception {
    broker.onConnect(Action.reply(Frames.connack(true, 0)));
    connect(
        config()
            .cleanSession(false)
            .autoReconnect(true)
            .reconnectMinInterval(Duration.ofMillis(200))
            .reconnectJitter(0)
            .build());
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    client.addMessageListener(
        "h",
        m -> {
          started.countDown();
          release.await(30, TimeUnit.SECONDS);
        });
    CountDownLatch lost = connectionLost();
    publish("h", "1", 1, 1);
    publish("h", "2", 1, 2);
    assertThat(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    broker.closeConnection();
    assertThat(lost.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    release.countDown(); // both are handled while there is no connection
    broker.takePacket(RawPacket.CONNECT, WAIT);
    await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTED);
    assertThat(broker.pollPacket(QUIET)).as("a PUBACK before the broker resent it").isEmpty();

    // The broker resends both (DUP): each is answered once, in order, and not delivered again.
    broker.publishToClient("h", utf8("1"), 1, false, true, 1);
    broker.publishToClient("h", utf8("2"), 1, false, true, 2);

    assertThat(named(broker.takePacket(WAIT))).isEqualTo("PUBACK " + 1);
    assertThat(named(broker.takePacket(WAIT))).isEqualTo("PUBACK " + 2);
    assertThat(broker.pollPacket(QUIET)).isEmpty();
    assertThat(client.pollMessage()).isEmpty();
  }

  @Test
  void aHeldAcknowledgementIsReleasedByTheFirstMessageThatIsNotAResend() throws Exception {
    broker.onConnect(Action.reply(Frames.connack(true, 0)));
    connect(
        config()
            .cleanSession(false)
            .autoReconnect(true)
            .reconnectMinInterval(Duration.ofMillis(200))
            .reconnectJitter(0)
            .build());
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    client.addMessageListener(
        "h",
        m -> {
          started.countDown();
          release.await(30, TimeUnit.SECONDS);
        });
    CountDownLatch lost = connectionLost();
    publish("h", "1", 1, 1);
    assertThat(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    broker.closeConnection();
    // Handled once the client knows its connection is gone: due while there is no connection.
    assertThat(lost.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    release.countDown();
    broker.takePacket(RawPacket.CONNECT, WAIT);
    await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTED);

    publish("other", "new", 1, 2); // a broker that did not resend packet id 1

    assertThat(named(broker.takePacket(WAIT))).isEqualTo("PUBACK 1");
    assertThat(client.deliverMessage(WAIT).payloadAsString()).isEqualTo("new");
    assertThat(named(broker.takePacket(WAIT))).isEqualTo("PUBACK 2");
  }

  /**
   * Counts down when the client has noticed that its connection is lost: the event follows the
   * inbound delivery's end of that connection, so an acknowledgement due from then on waits for the
   * next one instead of going to the dead socket.
   */
  private CountDownLatch connectionLost() {
    CountDownLatch lost = new CountDownLatch(1);
    client.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void connectionLost(Throwable cause) {
            lost.countDown();
          }
        });
    return lost;
  }

  /** E.g. {@code "PUBACK 3"}. */
  private static String named(RawPacket p) {
    return p.typeName() + " " + p.packetId();
  }

  private static List<Message> snapshot(List<Message> list) {
    synchronized (list) {
      return List.copyOf(list);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
