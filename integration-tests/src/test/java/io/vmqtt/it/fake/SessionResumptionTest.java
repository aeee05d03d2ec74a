package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.QUIET;
import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vmqtt.Connack;
import io.vmqtt.ConnectException;
import io.vmqtt.ConnectionListener;
import io.vmqtt.ConnectionLostException;
import io.vmqtt.ConnectionState;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.MqttException;
import io.vmqtt.NotConnectedException;
import io.vmqtt.OperationTimeoutException;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Automatic reconnection and session resumption against a broker that drops the connection on cue:
 * waiting calls keep waiting, in-flight flows are resent in order, subscriptions come back.
 */
class SessionResumptionTest {
  private static final int DUP = 0x08;

  private FakeBroker broker;
  private MqttClient client;
  private final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    broker = FakeBroker.start();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    broker.close();
  }

  /** Fast automatic reconnection without end; {@code tweak} adjusts it for one test. */
  private MqttClient connect(UnaryOperator<MqttConfig.Builder> tweak) throws InterruptedException {
    MqttConfig.Builder config =
        ClientSupport.config()
            .autoReconnect(true)
            .reconnectMinInterval(Duration.ofMillis(20))
            .reconnectMaxInterval(Duration.ofMillis(100))
            .reconnectRetries(-1)
            .operationTimeout(Duration.ofSeconds(10));
    client = MqttClient.create("resume", tweak.apply(config).build());
    client.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void connected(Connack connack) {
            events.add("connected");
          }

          @Override
          public void connectionLost(Throwable cause) {
            events.add("lost");
          }

          @Override
          public void reconnected(Connack connack) {
            events.add("reconnected " + connack.sessionPresent());
          }

          @Override
          public void reconnectFailed(ConnectException cause, boolean givingUp) {
            events.add("failed " + cause.returnCode() + " " + givingUp);
          }
        });
    client.connect(broker.uri());
    return client;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aPublishWaitingWhenTheConnectionDropsReturnsAfterTheReconnectWithItsResendMarkedDup()
      throws Exception {
    connect(c -> c);
    broker.enqueue(RawPacket.PUBLISH, Action.closeSocket());

    BackgroundCall<PublishResult> publish =
        BackgroundCall.start(
            "publisher", () -> client.publish("a/b", utf8("m"), QoS.AT_LEAST_ONCE, false));

    RawPacket first = broker.takePacket(RawPacket.PUBLISH, WAIT);
    RawPacket resent = broker.takePacket(RawPacket.PUBLISH, WAIT);
    assertThat(first.flags() & DUP).isZero();
    assertThat(resent.flags() & DUP).as("the resend carries DUP").isEqualTo(DUP);
    assertThat(resent.packetId()).isEqualTo(first.packetId());
    assertThat(publish.result()).isEqualTo(PublishResult.of(QoS.AT_LEAST_ONCE, first.packetId()));
    assertThat(broker.connectionCount()).isEqualTo(2);
    await().atMost(WAIT).until(() -> events.contains("reconnected false"));
    assertThat(events).containsSubsequence("connected", "lost", "reconnected false");
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
  }

  @Test
  void inFlightFlowsAreResentInTheirOriginalOrderBeforeNewTraffic() throws Exception {
    connect(c -> c);
    broker.on(RawPacket.PUBLISH, Action.ignore());
    List<BackgroundCall<PublishResult>> calls = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 5; i++) {
      String payload = "m" + i;
      calls.add(
          BackgroundCall.start(
              "p" + i, () -> client.publish("a/b", utf8(payload), QoS.AT_LEAST_ONCE, false)));
      broker.takePacket(RawPacket.PUBLISH, WAIT); // one at a time, so the order is known
    }
    broker.on(RawPacket.PUBLISH, Action.auto());
    broker.closeConnection();

    for (int i = 0; i < 5; i++) {
      RawPacket p = broker.takePacket(RawPacket.PUBLISH, WAIT);
      assertThat(p.asPublish().payloadAsString()).isEqualTo("m" + i);
      assertThat(p.flags() & DUP).isEqualTo(DUP);
    }
    for (BackgroundCall<PublishResult> call : calls) {
      assertThat(call.result().qos()).isEqualTo(QoS.AT_LEAST_ONCE);
    }
  }

  @Test
  void aQos2FlowPastPubrecResendsPubrelWhenTheSessionIsPresent() throws Exception {
    broker.onConnect(Action.reply(Frames.connack(true, 0)));
    connect(c -> c.cleanSession(false));
    broker.enqueue(RawPacket.PUBREL, Action.closeSocket());

    BackgroundCall<PublishResult> publish =
        BackgroundCall.start(
            "qos2", () -> client.publish("a/b", utf8("m"), QoS.EXACTLY_ONCE, false));

    RawPacket publishPacket = broker.takePacket(RawPacket.PUBLISH, WAIT);
    RawPacket firstRelease = broker.takePacket(RawPacket.PUBREL, WAIT);
    RawPacket afterReconnect = broker.takePacket(WAIT);
    while (afterReconnect.type() == RawPacket.CONNECT) {
      afterReconnect = broker.takePacket(WAIT);
    }
    assertThat(afterReconnect.type())
        .as("PUBREL, not PUBLISH, is resent")
        .isEqualTo(RawPacket.PUBREL);
    assertThat(afterReconnect.packetId()).isEqualTo(publishPacket.packetId());
    assertThat(firstRelease.packetId()).isEqualTo(publishPacket.packetId());
    assertThat(publish.result().packetId()).isEqualTo(publishPacket.packetId());
  }

  @Test
  void subscriptionsAreRestoredWhenTheBrokerKeptNoSessionButNotWhenItDid() throws Exception {
    connect(c -> c);
    assertThat(
            client.subscribe(
                List.of(
                    Subscription.of("a/#", QoS.AT_LEAST_ONCE),
                    Subscription.of("b", QoS.EXACTLY_ONCE))))
        .containsExactly(1, 2);
    broker.takePacket(RawPacket.SUBSCRIBE, WAIT);

    broker.closeConnection();
    RawPacket restored = broker.takePacket(RawPacket.SUBSCRIBE, WAIT);
    assertThat(restored.asSubscribe())
        .extracting(Frames.TopicRequest::filter, Frames.TopicRequest::qos)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a/#", 1),
            org.assertj.core.groups.Tuple.tuple("b", 2));

    broker.onConnect(Action.reply(Frames.connack(true, 0)));
    broker.closeConnection();
    await().atMost(WAIT).until(() -> broker.connectionCount() == 3 && client.isConnected());
    assertThat(broker.pollPacket(QUIET).filter(p -> p.type() == RawPacket.SUBSCRIBE))
        .as("no SUBSCRIBE after a session-present reconnect")
        .isEmpty();
  }

  @Test
  void anUnsubscribedFilterIsNotRestored() throws Exception {
    connect(c -> c);
    client.subscribe(
        List.of(Subscription.of("a", QoS.AT_MOST_ONCE), Subscription.of("b", QoS.AT_MOST_ONCE)));
    client.unsubscribe(List.of("a"));
    broker.takePacket(RawPacket.UNSUBSCRIBE, WAIT);

    broker.closeConnection();
    RawPacket restored = broker.takePacket(RawPacket.SUBSCRIBE, WAIT);
    assertThat(restored.asSubscribe()).extracting(Frames.TopicRequest::filter).containsExactly("b");
  }

  @Test
  void aRefusalRetryingCannotFixStopsReconnectionAtOnceAndFailsTheWaitingPublish()
      throws Exception {
    connect(c -> c);
    broker.on(RawPacket.PUBLISH, Action.ignore());
    BackgroundCall<PublishResult> publish =
        BackgroundCall.start(
            "publisher", () -> client.publish("a/b", utf8("m"), QoS.AT_LEAST_ONCE, false));
    broker.takePacket(RawPacket.PUBLISH, WAIT);
    broker.onConnect(Action.reply(Frames.connack(false, 5)));

    broker.closeConnection();

    assertThat(publish.failure()).isInstanceOf(ConnectionLostException.class);
    assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
    await().atMost(WAIT).until(() -> events.contains("failed 5 true"));
    await().during(QUIET).atMost(WAIT).until(() -> broker.connectionCount() == 2);
    assertThat(events).filteredOn(e -> e.startsWith("failed")).containsExactly("failed 5 true");
  }

  @Test
  void retriesThatRunOutFailEveryWaitingCall() throws Exception {
    client =
        MqttClient.create(
            "retries",
            ClientSupport.config()
                .autoReconnect(true)
                .reconnectMinInterval(Duration.ofMillis(10))
                .reconnectMaxInterval(Duration.ofMillis(20))
                .reconnectRetries(2)
                .operationTimeout(Duration.ofSeconds(10))
                .build());
    client.connect(broker.uri());
    broker.on(RawPacket.PUBLISH, Action.ignore());
    BackgroundCall<PublishResult> publish =
        BackgroundCall.start(
            "publisher", () -> client.publish("a/b", utf8("m"), QoS.AT_LEAST_ONCE, false));
    broker.takePacket(RawPacket.PUBLISH, WAIT);
    broker.onConnect(Action.closeSocket());

    broker.closeConnection();

    Throwable failure = publish.failure();
    assertThat(failure).isInstanceOf(ConnectionLostException.class);
    assertThat(failure).hasRootCauseInstanceOf(java.io.IOException.class);
    assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
    assertThat(broker.connectionCount()).as("the first connection and 1 + 2 attempts").isEqualTo(4);
  }

  @Test
  void aQos0PublishWhileReconnectingIsQueuedAndSentAfterTheReconnection() throws Exception {
    connect(c -> c.connectTimeout(Duration.ofSeconds(30)));
    java.util.concurrent.CountDownLatch connack = new java.util.concurrent.CountDownLatch(1);
    broker.onConnect(Action.holdUntil(connack)); // the reconnection waits for its CONNACK
    broker.closeConnection();
    await().atMost(WAIT).until(() -> broker.connectionCount() == 2);
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTING);

    client.publish("q0", utf8("offline"), QoS.AT_MOST_ONCE, false);
    assertThat(broker.pollPacket(QUIET).filter(p -> p.type() == RawPacket.PUBLISH)).isEmpty();
    connack.countDown();

    RawPacket p = broker.takePacket(RawPacket.PUBLISH, WAIT);
    assertThat(p.asPublish().payloadAsString()).isEqualTo("offline");
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
  }

  @Test
  void aQos0PublishWhileReconnectingFailsFastWhenTheOfflinePolicyIsFail() throws Exception {
    connect(
        c ->
            c.reconnectMinInterval(Duration.ofSeconds(5))
                .reconnectMaxInterval(Duration.ofSeconds(5))
                .offlineQos0(MqttConfig.OfflinePolicy.FAIL));
    broker.closeConnection();
    await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTING);

    assertThatThrownBy(() -> client.publish("q0", utf8("x"), QoS.AT_MOST_ONCE, false))
        .isInstanceOf(NotConnectedException.class)
        .hasMessageContaining("offline_qos0 fail");
  }

  @Test
  void aFullOutboundQueueFailsAPublishWhenTheOverflowPolicyIsFail() throws Exception {
    connect(
        c ->
            c.reconnectMinInterval(Duration.ofSeconds(5))
                .reconnectMaxInterval(Duration.ofSeconds(5))
                .maxQueuedMessages(2)
                .queueOverflow(MqttConfig.QueueOverflow.FAIL));
    broker.closeConnection();
    await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTING);
    client.publish("q0", utf8("1"), QoS.AT_MOST_ONCE, false);
    client.publish("q0", utf8("2"), QoS.AT_MOST_ONCE, false);

    assertThatThrownBy(() -> client.publish("q0", utf8("3"), QoS.AT_MOST_ONCE, false))
        .isInstanceOf(MqttException.class)
        .hasMessageContaining("max_queued_messages 2");
  }

  @Test
  void qos0PublishesQueuedWhileReconnectingAreBoundedInBytesAndAllGoOutAfterTheReconnect()
      throws Exception {
    connect(
        c ->
            c.reconnectMinInterval(Duration.ofSeconds(3))
                .reconnectMaxInterval(Duration.ofSeconds(3))
                .maxQueuedBytes(3 * (1 << 20) + 1024)
                .queueOverflow(MqttConfig.QueueOverflow.FAIL));
    broker.closeConnection();
    await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTING);
    byte[] mib = new byte[1 << 20];
    for (int i = 0; i < 3; i++) {
      client.publish("q0", mib, QoS.AT_MOST_ONCE, false);
    }

    assertThatThrownBy(() -> client.publish("q0", mib, QoS.AT_MOST_ONCE, false))
        .isInstanceOf(MqttException.class)
        .hasMessageContaining("3 messages of")
        .hasMessageContaining("max_queued_bytes 3146752");

    for (int i = 0; i < 3; i++) {
      assertThat(broker.takePacket(RawPacket.PUBLISH, Duration.ofSeconds(10)).body().length)
          .isEqualTo(2 + 2 + (1 << 20));
    }
  }

  @Test
  void aTimedOutPublishStaysInTheSessionAndCompletesAfterTheReconnect() throws Exception {
    connect(c -> c.operationTimeout(Duration.ofMillis(300)));
    broker.enqueue(RawPacket.PUBLISH, Action.ignore());

    assertThatThrownBy(() -> client.publish("a/b", utf8("late"), QoS.AT_LEAST_ONCE, false))
        .isInstanceOf(OperationTimeoutException.class)
        .hasMessageContaining("still in the session");
    int id = broker.takePacket(RawPacket.PUBLISH, WAIT).packetId();

    broker.closeConnection();
    RawPacket resent = broker.takePacket(RawPacket.PUBLISH, WAIT);
    assertThat(resent.packetId()).isEqualTo(id);
    assertThat(resent.asPublish().payloadAsString()).isEqualTo("late");
    assertThat(resent.flags() & DUP).isEqualTo(DUP);
  }

  @Test
  void disconnectWhileReconnectingStopsReconnectingAndFailsWaitingCalls() throws Exception {
    connect(
        c ->
            c.reconnectMinInterval(Duration.ofSeconds(5))
                .reconnectMaxInterval(Duration.ofSeconds(5)));
    broker.closeConnection();
    await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTING);
    BackgroundCall<PublishResult> publish =
        BackgroundCall.start(
            "offline publisher", () -> client.publish("a/b", utf8("m"), QoS.AT_LEAST_ONCE, false));
    publish.awaitBlocked();

    client.disconnect();

    assertThat(publish.failure())
        .isInstanceOf(ConnectionLostException.class)
        .hasMessageContaining("disconnected");
    assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
    await().during(QUIET).atMost(WAIT).until(() -> broker.connectionCount() == 1);
  }
}
