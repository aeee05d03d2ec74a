package io.vmqtt.it.interop;

import static io.vmqtt.it.interop.CompatibilityReport.record;
import static io.vmqtt.it.interop.MatrixSupport.assertNoMessagePending;
import static io.vmqtt.it.interop.MatrixSupport.clientId;
import static io.vmqtt.it.interop.MatrixSupport.config;
import static io.vmqtt.it.interop.MatrixSupport.connected;
import static io.vmqtt.it.interop.MatrixSupport.min;
import static io.vmqtt.it.interop.MatrixSupport.receive;
import static io.vmqtt.it.interop.MatrixSupport.topic;
import static io.vmqtt.it.interop.MatrixSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.Connack;
import io.vmqtt.ConnectException;
import io.vmqtt.ConnectOptions;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.brokers.Broker;
import io.vmqtt.it.interop.CompatibilityReport.Feature;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Persistent sessions and offline queueing against every broker of the matrix. */
@Tag(BrokerMatrix.TAG)
class SessionMatrixTest {
  @RegisterExtension static final BrokerMatrix matrix = new BrokerMatrix();

  private static final MqttConfig PERSISTENT = config().cleanSession(false).build();
  private static final ConnectOptions CLEAN = ConnectOptions.builder().cleanSession(true).build();

  /**
   * Messages published while a subscriber with a persistent session is away are delivered when it
   * returns: QoS 1 and 2 always; a QoS 0 message (for its QoS 1 subscription) only by RabbitMQ (a
   * MAY). Its QoS 0 subscription is still there, except on RabbitMQ 3.10, which keeps QoS 0
   * subscriptions in a queue that goes with the connection. A clean session afterwards discards the
   * session, and the next persistent one starts afresh.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void messagesPublishedWhileAPersistentSubscriberIsAwayArriveWhenItReturns(BrokerKind kind)
      throws InterruptedException {
    Broker broker = matrix.broker(kind);
    Behaviour expected = Behaviour.of(kind);
    QoS max = broker.capabilities().maximumQos();
    String id = clientId("away");
    String base = topic("away");
    try (MqttClient away = MqttClient.create(id, PERSISTENT)) {
      assertThat(away.connect(broker.uri())).isEqualTo(Connack.accepted(false));
      assertThat(
              away.subscribe(
                  List.of(
                      Subscription.of(base + "/0", QoS.AT_MOST_ONCE),
                      Subscription.of(base + "/1", QoS.AT_LEAST_ONCE),
                      Subscription.of(base + "/2", QoS.EXACTLY_ONCE))))
          .containsExactly(0, 1, min(QoS.EXACTLY_ONCE, max).value());
      away.disconnect();
    }
    QoS highest =
        expected.qos2Publish() == Behaviour.Qos2Publish.CONNECTION_CLOSED
            ? QoS.AT_LEAST_ONCE
            : QoS.EXACTLY_ONCE;
    try (MqttClient pub = connected(broker, "pub")) {
      pub.publish(base + "/1", utf8("zero"), QoS.AT_MOST_ONCE, false);
      pub.publish(base + "/1", utf8("one"), QoS.AT_LEAST_ONCE, false);
      pub.publish(base + "/2", utf8("two"), highest, false);
    }

    Set<String> expectedPayloads = new HashSet<>(Set.of("one", "two"));
    if (expected.queuesQos0Offline()) {
      expectedPayloads.add("zero");
    }
    try (MqttClient back = MqttClient.create(id, PERSISTENT)) {
      assertThat(back.connect(broker.uri())).isEqualTo(Connack.accepted(true));
      Set<String> received = new HashSet<>();
      for (int i = 0; i < expectedPayloads.size(); i++) {
        Message m = receive(back);
        received.add(m.payloadAsString());
        if (m.payloadAsString().equals("two")) {
          assertThat(m.qos()).isEqualTo(min(highest, max));
        }
      }
      assertThat(received).isEqualTo(expectedPayloads);
      assertNoMessagePending(back);

      try (MqttClient pub = connected(broker, "pub")) {
        pub.publish(base + "/0", utf8("live"), QoS.AT_LEAST_ONCE, false);
      }
      if (expected.keepsQos0Subscriptions()) {
        Message live = receive(back);
        assertThat(live.payloadAsString()).isEqualTo("live");
        assertThat(live.qos()).isEqualTo(QoS.AT_MOST_ONCE);
      } else {
        assertNoMessagePending(back);
      }
      back.disconnect();
    }
    record(kind, Feature.PERSISTENT_SESSION, "yes");
    record(kind, Feature.OFFLINE_QOS_0, expected.queuesQos0Offline() ? "queued" : "not queued");
    record(
        kind,
        Feature.QOS_0_SUBSCRIPTION,
        expected.keepsQos0Subscriptions() ? "yes" : "**no: lost when the client disconnects**");

    // A clean session ends the persistent one [MQTT-3.1.2-6]: no session present, nothing queued.
    try (MqttClient clean = MqttClient.create(id, config().build())) {
      assertThat(clean.connect(broker.uri(), CLEAN)).isEqualTo(Connack.accepted(false));
      try (MqttClient pub = connected(broker, "pub")) {
        pub.publish(base + "/1", utf8("after clean"), QoS.AT_LEAST_ONCE, false);
      }
      assertNoMessagePending(clean);
      clean.disconnect();
    }
    // The session the clean one discarded is gone: nothing of it is delivered.
    int closedWithoutConnack = 0;
    while (true) {
      try (MqttClient again = MqttClient.create(id, PERSISTENT)) {
        try {
          Connack ack = again.connect(broker.uri());
          assertThat(ack.returnCode()).isZero();
          if (!expected.persistentAfterCleanMayFail() || !ack.sessionPresent()) {
            // RabbitMQ 3.10 may report a session: the clean one's queue, not yet deleted.
            assertThat(ack.sessionPresent()).as("session present after a clean session").isFalse();
          }
          assertNoMessagePending(again);
          again.disconnect();
          break;
        } catch (ConnectException e) {
          // RabbitMQ 3.10: the clean session's queue may not be deleted yet (see Behaviour).
          assertThat(expected.persistentAfterCleanMayFail())
              .as("%s closed a persistent CONNECT after a clean session: %s", kind, e)
              .isTrue();
          assertThat(e.returnCode()).isEqualTo(ConnectException.NO_RETURN_CODE);
          assertThat(++closedWithoutConnack).as("attempts closed without CONNACK").isLessThan(20);
        }
      }
    }
    record(kind, Feature.CLEAN_SESSION, "yes");
    record(
        kind,
        Feature.PERSISTENT_AFTER_CLEAN,
        expected.persistentAfterCleanMayFail()
            ? "**racy**: may be closed without CONNACK, or report a session present"
            : "accepted");
  }

  /**
   * How many QoS 1 messages a broker keeps for a client that is away: mosquitto 2.0 ({@code
   * max_queued_messages}) and HiveMQ CE ({@code queued-messages max-queue-size}) keep 1,000 by
   * default and drop the rest; the others keep all 1,500.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void aPersistentSubscriberAwayGetsAsManyQueuedMessagesAsTheBrokerKeeps(BrokerKind kind)
      throws InterruptedException {
    Broker broker = matrix.broker(kind);
    int limit = Behaviour.of(kind).offlineQueueLimit();
    int published = 1500;
    String id = clientId("queue");
    String topic = topic("queue");
    try (MqttClient away = MqttClient.create(id, PERSISTENT)) {
      away.connect(broker.uri());
      assertThat(away.subscribe(List.of(Subscription.of(topic, QoS.AT_LEAST_ONCE))))
          .containsExactly(1);
      away.disconnect();
    }
    try (MqttClient pub = connected(broker, "pub")) {
      for (int i = 0; i < published; i++) {
        pub.publish(topic, utf8(Integer.toString(i)), QoS.AT_LEAST_ONCE, false);
      }
    }
    int expected = Math.min(published, limit);
    Set<String> received = new HashSet<>();
    try (MqttClient back = MqttClient.create(id, PERSISTENT)) {
      assertThat(back.connect(broker.uri()).sessionPresent()).isTrue();
      for (int i = 0; i < expected; i++) {
        received.add(receive(back).payloadAsString());
      }
      assertNoMessagePending(back);
      back.disconnect();
    } finally {
      try (MqttClient clean = MqttClient.create(id, config().build())) {
        clean.connect(broker.uri(), CLEAN); // ends the session on the shared broker
      }
    }
    assertThat(received).hasSize(expected);
    record(
        kind,
        Feature.OFFLINE_QUEUE,
        expected == published
            ? "all 1,500"
            : String.format("**%,d** (the rest dropped)", expected));
  }
}
