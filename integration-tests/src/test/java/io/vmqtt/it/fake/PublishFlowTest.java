package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.QUIET;
import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.OperationTimeoutException;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Outbound publish flows against a broker whose acknowledgements are late, held or missing. */
class PublishFlowTest {
  /** Long enough that holding acks never turns into a timeout; the tests release them. */
  private static final Duration PATIENT = Duration.ofSeconds(30);

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
    client = MqttClient.create("fake-publish", config);
    client.connect(broker.uri());
    broker.takePacket(RawPacket.CONNECT, WAIT);
  }

  private BackgroundCall<PublishResult> publishInBackground(String topic, QoS qos) {
    return BackgroundCall.start(
        topic, () -> client.publish(topic, utf8("payload of " + topic), qos, false));
  }

  @Test
  void aPubackThatNeverComesFailsPublishWithOperationTimeoutAndTheConnectionStaysUsable()
      throws Exception {
    broker.enqueue(RawPacket.PUBLISH, Action.ignore());
    connect(config().build());

    Throwable failure =
        catchThrowable(() -> client.publish("a/b", utf8("lost"), QoS.AT_LEAST_ONCE, false));

    assertThat(failure).isInstanceOf(OperationTimeoutException.class);
    assertThat(((OperationTimeoutException) failure).timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(failure).hasMessageContaining("1000 ms (operation_timeout)");
    int unacknowledgedId = broker.takePacket(WAIT).packetId();
    assertThat(client.isConnected()).isTrue();

    assertThat(client.publish("a/c", utf8("qos 0"), QoS.AT_MOST_ONCE, false))
        .isEqualTo(PublishResult.of(QoS.AT_MOST_ONCE, 0));
    Frames.Publish qos0 = broker.takePacket(WAIT).asPublish();
    assertThat(qos0.topic()).isEqualTo("a/c");
    assertThat(qos0.qos()).isZero();
    client.ping();
    PublishResult next = client.publish("a/d", utf8("qos 1"), QoS.AT_LEAST_ONCE, false);
    assertThat(next.packetId())
        .as("the timed-out flow may still be acknowledged, so its id is not reused yet")
        .isNotEqualTo(unacknowledgedId);
  }

  @Test
  void publishesOfQos0And1And2FromThreeThreadsAllLeaveBeforeAnyAcknowledgement() throws Exception {
    // hbmqtt's second publisher: three publishes at once, acks held until all three arrived.
    CountDownLatch acks = new CountDownLatch(1);
    broker.on(RawPacket.PUBLISH, Action.holdUntil(acks));
    connect(config().operationTimeout(PATIENT).build());

    List<BackgroundCall<PublishResult>> calls = new ArrayList<>();
    for (QoS qos : QoS.values()) {
      calls.add(publishInBackground("test/qos" + qos.value(), qos));
    }
    Set<Integer> qosReceived = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      RawPacket p = broker.takePacket(WAIT);
      assertThat(p.type()).as("packet %d the broker received", i + 1).isEqualTo(RawPacket.PUBLISH);
      qosReceived.add(p.qos());
    }
    assertThat(qosReceived).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(calls.get(1).isDone()).as("QoS 1 publish returned before PUBACK").isFalse();
    assertThat(calls.get(2).isDone()).as("QoS 2 publish returned before PUBCOMP").isFalse();

    acks.countDown();

    for (QoS qos : QoS.values()) {
      assertThat(calls.get(qos.value()).result().qos()).isEqualTo(qos);
    }
    RawPacket pubrel = broker.takePacket(RawPacket.PUBREL, WAIT);
    assertThat(pubrel.flags()).as("PUBREL flags [MQTT-3.6.1-1]").isEqualTo(2);
    assertThat(pubrel.packetId()).isEqualTo(calls.get(2).result().packetId());
  }

  @Test
  void aQos2PublishReturnsOnlyWhenPubcompArrives() throws Exception {
    CountDownLatch pubcomp = new CountDownLatch(1);
    broker.on(RawPacket.PUBREL, Action.holdUntil(pubcomp));
    connect(config().operationTimeout(PATIENT).build());

    BackgroundCall<PublishResult> publish = publishInBackground("a/b", QoS.EXACTLY_ONCE);
    RawPacket sent = broker.takePacket(WAIT);
    assertThat(sent.qos()).isEqualTo(2);
    assertThat(sent.asPublish().dup()).isFalse();
    RawPacket pubrel = broker.takePacket(WAIT);
    assertThat(pubrel.type()).isEqualTo(RawPacket.PUBREL);
    assertThat(pubrel.packetId()).isEqualTo(sent.packetId());
    publish.awaitBlocked();
    assertThat(publish.isDone()).as("QoS 2 publish returned before PUBCOMP").isFalse();

    pubcomp.countDown();

    assertThat(publish.result()).isEqualTo(PublishResult.of(QoS.EXACTLY_ONCE, sent.packetId()));
  }

  /**
   * RabbitMQ 3.10 answers a QoS 2 PUBLISH with PUBACK (it downgrades QoS 2 to 1). Regression: the
   * publish waited for a PUBREC that never came until the operation timeout, holding its packet id
   * and in-flight slot, and stayed in the session to be resent on every reconnect.
   */
  @Test
  void aQos2PublishThatTheBrokerAnswersWithPubackReturnsWithQos1AndFreesItsSlot() throws Exception {
    broker.on(RawPacket.PUBLISH, Action.reply(p -> Frames.puback(p.packetId())));
    connect(config().maxInflight(1).operationTimeout(PATIENT).build());

    PublishResult first = client.publish("a/b", utf8("one"), QoS.EXACTLY_ONCE, false);
    PublishResult second = client.publish("a/b", utf8("two"), QoS.EXACTLY_ONCE, false);

    assertThat(first.qos()).as("acknowledged at QoS 1").isEqualTo(QoS.AT_LEAST_ONCE);
    assertThat(second.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
    RawPacket one = broker.takePacket(WAIT);
    RawPacket two = broker.takePacket(WAIT);
    assertThat(one.qos()).isEqualTo(2);
    assertThat(one.packetId()).isEqualTo(first.packetId());
    assertThat(two.asPublish().dup()).as("the second is new, not a resend").isFalse();
    assertThat(two.packetId()).isEqualTo(second.packetId());
    client.ping();
    assertThat(broker.takePacket(WAIT).type())
        .as("no PUBREL before it")
        .isEqualTo(RawPacket.PINGREQ);
    assertThat(broker.pollPacket(QUIET)).as("no PUBREL, no resend").isEmpty();
  }

  @Test
  void publishersPastMaxInflightWaitForASlotInsteadOfFailing() throws Exception {
    CountDownLatch acks = new CountDownLatch(1);
    broker.on(RawPacket.PUBLISH, Action.holdUntil(acks));
    connect(config().maxInflight(2).operationTimeout(PATIENT).build());

    List<BackgroundCall<PublishResult>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(publishInBackground("inflight/" + i, QoS.AT_LEAST_ONCE));
    }
    assertThat(broker.takePacket(WAIT).type()).isEqualTo(RawPacket.PUBLISH);
    assertThat(broker.takePacket(WAIT).type()).isEqualTo(RawPacket.PUBLISH);
    calls.forEach(BackgroundCall::awaitBlocked);
    assertThat(broker.pollPacket(QUIET)).as("a third PUBLISH while 2 are in flight").isEmpty();
    assertThat(calls).noneMatch(BackgroundCall::isDone);

    acks.countDown();

    for (BackgroundCall<PublishResult> call : calls) {
      assertThat(call.result().qos()).isEqualTo(QoS.AT_LEAST_ONCE);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(broker.takePacket(WAIT).type()).isEqualTo(RawPacket.PUBLISH);
    }
  }

  @Test
  void thePacketIdOfAQos1PublishIsNeverOneStillInFlight() throws Exception {
    int publishes = 30;
    int window = 5;
    broker.on(RawPacket.PUBLISH, Action.ignore()); // the test acknowledges, oldest first
    connect(config().maxInflight(window).operationTimeout(PATIENT).build());
    List<BackgroundCall<PublishResult>> calls = new ArrayList<>();
    for (int i = 0; i < publishes; i++) {
      calls.add(publishInBackground("ids/" + i, QoS.AT_LEAST_ONCE));
    }

    Deque<Integer> inFlight = new ArrayDeque<>();
    int received = 0;
    for (; received < window; received++) {
      takeNewId(inFlight);
    }
    while (!inFlight.isEmpty()) {
      broker.sendRaw(Frames.puback(inFlight.poll()));
      if (received < publishes) {
        takeNewId(inFlight);
        received++;
      }
    }

    for (BackgroundCall<PublishResult> call : calls) {
      assertThat(call.result().qos()).isEqualTo(QoS.AT_LEAST_ONCE);
    }
  }

  private void takeNewId(Deque<Integer> inFlight) throws InterruptedException {
    RawPacket p = broker.takePacket(WAIT);
    assertThat(p.type()).isEqualTo(RawPacket.PUBLISH);
    int id = p.packetId();
    assertThat(id).isBetween(1, 65_535);
    assertThat(inFlight).as("packet ids in flight").doesNotContain(id);
    inFlight.add(id);
  }

  @Test
  void interruptingAThreadBlockedInPublishThrowsInterruptedExceptionAndKeepsTheConnection()
      throws Exception {
    broker.on(RawPacket.PUBLISH, Action.ignore());
    connect(config().operationTimeout(PATIENT).build());
    BackgroundCall<PublishResult> publish = publishInBackground("a/b", QoS.AT_LEAST_ONCE);
    broker.takePacket(RawPacket.PUBLISH, WAIT);
    publish.awaitBlocked();

    publish.thread().interrupt();

    assertThat(publish.failure()).isInstanceOf(InterruptedException.class);
    assertThat(publish.interruptedAfterwards())
        .as("the interrupt is reported once: by the exception, with the flag cleared")
        .isFalse();
    assertThat(client.isConnected()).isTrue();
    client.ping();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
