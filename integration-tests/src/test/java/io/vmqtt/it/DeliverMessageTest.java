package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.ABSENCE_TIMEOUT;
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
import io.vmqtt.NotConnectedException;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.ClientSetup;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * {@code deliverMessage}: waiting, order, acknowledgement on take, the QoS 0 queue bound.
 *
 * <p>Each test runs at protocol levels 4 and 5 over {@code mqtt}, {@code mqtts} and {@code ws}
 * ({@link ClientSetup#ALL}), or at both levels over plain TCP ({@link ClientSetup#TCP}) where its
 * subject is the configuration rather than the wire.
 */
class DeliverMessageTest {
  @RegisterExtension
  static final MosquittoExtension mosquitto = new MosquittoExtension(ClientSetup::configure);

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#TCP")
  void deliverMessageWithATimeoutThrowsTimeoutExceptionWhenNothingArrives(
      ClientSetup setup, MosquittoBroker broker) throws InterruptedException {
    try (MqttClient client =
        setup.subscriber(broker, clientId("quiet"), "quiet", QoS.AT_LEAST_ONCE)) {
      assertThatThrownBy(() -> client.deliverMessage(ABSENCE_TIMEOUT))
          .isInstanceOf(TimeoutException.class);
      assertThat(client.isConnected()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#TCP")
  void deliverMessageWithoutATimeoutWaitsForAMessageThatArrivesLater(
      ClientSetup setup, MosquittoBroker broker) throws Exception {
    try (MqttClient client =
            setup.subscriber(broker, clientId("waiter"), "later", QoS.AT_LEAST_ONCE);
        MqttClient publisher = setup.connected(broker, clientId("publisher"))) {
      CompletableFuture<Message> taken = new CompletableFuture<>();
      Thread taker =
          Thread.ofVirtual()
              .name("taker")
              .start(
                  () -> {
                    try {
                      taken.complete(client.deliverMessage());
                    } catch (Throwable t) {
                      taken.completeExceptionally(t);
                    }
                  });
      await("deliverMessage() waiting")
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  taker.getState() == Thread.State.WAITING
                      || taker.getState() == Thread.State.TIMED_WAITING);
      assertThat(taken).isNotDone();

      publisher.publish("later", utf8("worth the wait"), QoS.AT_LEAST_ONCE, false);

      Message m = taken.get(10, TimeUnit.SECONDS);
      assertThat(m.topic()).isEqualTo("later");
      assertThat(m.payloadAsString()).isEqualTo("worth the wait");
      assertThat(m.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#ALL")
  void messagesOnATopicAreDeliveredInTheOrderTheyWerePublished(
      ClientSetup setup, MosquittoBroker broker) throws InterruptedException {
    // [MQTT-4.6.0-6]: the broker keeps the order per topic; so must the client's queue.
    try (MqttClient sub =
            setup.subscriber(broker, clientId("order-sub"), "order", QoS.AT_LEAST_ONCE);
        MqttClient pub = setup.connected(broker, clientId("order-pub"))) {
      for (int i = 0; i < 100; i++) {
        pub.publish("order", utf8(Integer.toString(i)), QoS.AT_LEAST_ONCE, false);
      }
      List<String> received = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        received.add(receive(sub).payloadAsString());
      }
      assertThat(received)
          .containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(Integer::toString).toList());
    }
  }

  /**
   * A QoS 1 message is acknowledged when the application takes it, not when it arrives: the broker
   * redelivers messages a subscriber received but never took.
   */
  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#ALL")
  void qos1MessagesAreAcknowledgedWhenTakenSoUntakenOnesAreRedelivered(ClientSetup setup)
      throws InterruptedException {
    MosquittoBroker.Builder verbose = MosquittoBroker.builder().verboseLog();
    ClientSetup.configure(verbose);
    try (MosquittoBroker broker = verbose.start();
        MqttClient pub = setup.connected(broker, clientId("redeliver-pub"))) {
      String id = clientId("redeliver");
      MqttConfig persistent = MqttConfig.builder().cleanSession(false).autoReconnect(false).build();

      MqttClient first = setup.connected(broker, id, persistent);
      try {
        first.subscribe(List.of(Subscription.of("redeliver/#", QoS.AT_LEAST_ONCE)));
        for (int i = 0; i < 5; i++) {
          pub.publish("redeliver/x", utf8(Integer.toString(i)), QoS.AT_LEAST_ONCE, false);
        }
        await("mosquitto sending all five to " + id)
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> occurrences(broker.log(), "Sending PUBLISH to " + id + " (d0, q1") == 5);
        // The messages sit in the client, untaken: no PUBACK may go out.
        await("no PUBACK from " + id + " while nothing is taken")
            .during(Duration.ofMillis(500))
            .atMost(Duration.ofSeconds(2))
            .until(() -> !broker.logContains("Received PUBACK from " + id));

        first.close(); // no DISCONNECT, so the session is kept
      } finally {
        first.close(); // idempotent: ends the client when an assertion failed first
      }
      broker.awaitLog("Client " + id + " closed its connection.", Duration.ofSeconds(10));

      try (MqttClient second = MqttClient.create(id, persistent)) {
        assertThat(setup.connect(second, broker).sessionPresent()).isTrue();
        for (int i = 0; i < 5; i++) {
          Message m = receive(second);
          assertThat(m.topic()).isEqualTo("redeliver/x");
          assertThat(m.payloadAsString()).isEqualTo(Integer.toString(i));
          assertThat(m.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
          assertThat(m.dup()).as("mosquitto flags a redelivery DUP").isTrue();
        }
        // Taken now, so acknowledged; DISCONNECT goes out after the PUBACKs.
        second.disconnect();
      }
      await("five PUBACKs from " + id)
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> occurrences(broker.log(), "Received PUBACK from " + id) == 5);

      try (MqttClient third = MqttClient.create(id, persistent)) {
        assertThat(setup.connect(third, broker).sessionPresent()).isTrue();
        assertNoMessagePending(third);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#TCP")
  void messagesReceivedBeforeDisconnectCanStillBeTaken(ClientSetup setup, MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient client = setup.connected(broker, clientId("keeper"))) {
      client.subscribe(List.of(Subscription.of("keep", QoS.AT_MOST_ONCE)));
      client.publish("keep", utf8("1"), QoS.AT_MOST_ONCE, false);
      client.publish("keep", utf8("2"), QoS.AT_MOST_ONCE, false);
      // QoS 1 (delivered at the granted QoS 0): its PUBACK comes after the three messages.
      client.publish("keep", utf8("3"), QoS.AT_LEAST_ONCE, false);

      client.disconnect();

      assertThat(client.isConnected()).isFalse();
      assertThat(receive(client).payloadAsString()).isEqualTo("1");
      assertThat(receive(client).payloadAsString()).isEqualTo("2");
      assertThat(receive(client).payloadAsString()).isEqualTo("3");
      assertThatThrownBy(client::deliverMessage).isInstanceOf(NotConnectedException.class);
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#TCP")
  void aFullQos0QueueDropsTheOldestMessagesAndCountsThem(ClientSetup setup, MosquittoBroker broker)
      throws InterruptedException {
    MqttConfig config =
        MqttConfig.builder()
            .incomingQueueSize(2)
            .incomingOverflow(MqttConfig.OverflowPolicy.DROP_OLDEST)
            .build();
    try (MqttClient client = setup.connected(broker, clientId("oldest"), config)) {
      flood(client);

      await("3 of 5 QoS 0 messages dropped")
          .atMost(Duration.ofSeconds(10))
          .until(() -> client.droppedMessages() == 3);
      assertThat(receive(client).payloadAsString()).isEqualTo("3");
      assertThat(receive(client).payloadAsString()).isEqualTo("4");
      assertNoMessagePending(client);
      assertThat(client.droppedMessages()).isEqualTo(3);
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#TCP")
  void aFullQos0QueueCanDropTheNewestMessagesInstead(ClientSetup setup, MosquittoBroker broker)
      throws InterruptedException {
    MqttConfig config =
        MqttConfig.builder()
            .incomingQueueSize(2)
            .incomingOverflow(MqttConfig.OverflowPolicy.DROP_NEWEST)
            .build();
    try (MqttClient client = setup.connected(broker, clientId("newest"), config)) {
      flood(client);

      await("3 of 5 QoS 0 messages dropped")
          .atMost(Duration.ofSeconds(10))
          .until(() -> client.droppedMessages() == 3);
      assertThat(receive(client).payloadAsString()).isEqualTo("0");
      assertThat(receive(client).payloadAsString()).isEqualTo("1");
      assertNoMessagePending(client);
    }
  }

  /** Five QoS 0 messages "0".."4" to the client itself; all have arrived when this returns. */
  private static void flood(MqttClient client) throws InterruptedException {
    assertThat(client.droppedMessages()).isZero();
    client.subscribe(List.of(Subscription.of("flood", QoS.AT_MOST_ONCE)));
    for (int i = 0; i < 4; i++) {
      client.publish("flood", utf8(Integer.toString(i)), QoS.AT_MOST_ONCE, false);
    }
    // QoS 1, delivered at the granted QoS 0: its PUBACK follows all five on the wire.
    client.publish("flood", utf8("4"), QoS.AT_LEAST_ONCE, false);
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      count++;
    }
    return count;
  }
}
