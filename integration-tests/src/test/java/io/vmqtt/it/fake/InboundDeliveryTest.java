package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.QUIET;
import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vmqtt.ConnectionLostException;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.MqttConfig.OverflowPolicy;
import io.vmqtt.QoS;
import io.vmqtt.it.fixture.LogCapture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Messages the broker pushes: QoS 1 and 2 acknowledged when the application takes them, QoS 2
 * delivered once, QoS 0 bounded by the incoming queue.
 */
class InboundDeliveryTest {
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
    client = MqttClient.create("fake-inbound", config);
    client.connect(broker.uri());
    broker.takePacket(RawPacket.CONNECT, WAIT);
  }

  @Test
  void aQos0MessageIsDeliveredWithItsFieldsAndNothingIsSentBack() throws Exception {
    connect(config().build());

    broker.publishToClient("sensors/1", utf8("21.5"), 0, true, false, 0);

    Message m = client.deliverMessage(WAIT);
    assertThat(m).isEqualTo(Message.of("sensors/1", "21.5", QoS.AT_MOST_ONCE, true));
    assertThat(broker.pollPacket(QUIET)).isEmpty();
  }

  @Test
  void anInboundQos1MessageIsAcknowledgedOnlyWhenTheApplicationTakesIt() throws Exception {
    connect(config().build());

    broker.publishToClient("sensors/1", utf8("21.5"), 1, false, false, 7);

    assertThat(broker.pollPacket(QUIET)).as("an ack before deliverMessage()").isEmpty();
    Message m = client.deliverMessage(WAIT);
    assertThat(m).isEqualTo(Message.of("sensors/1", "21.5", QoS.AT_LEAST_ONCE, false));
    RawPacket puback = broker.takePacket(WAIT);
    assertThat(puback.type()).isEqualTo(RawPacket.PUBACK);
    assertThat(puback.packetId()).isEqualTo(7);
  }

  @Test
  void anInboundQos2MessageIsDeliveredOnceWithPubrecWhenTakenAndPubcompAfterPubrel()
      throws Exception {
    broker.on(RawPacket.PUBREC, Action.ignore()); // the test sends PUBREL itself
    connect(config().build());

    broker.publishToClient("orders/9", utf8("one"), 2, false, false, 9);

    assertThat(broker.pollPacket(QUIET)).as("a PUBREC before deliverMessage()").isEmpty();
    Message m = client.deliverMessage(WAIT);
    assertThat(m).isEqualTo(Message.of("orders/9", "one", QoS.EXACTLY_ONCE, false));
    RawPacket pubrec = broker.takePacket(WAIT);
    assertThat(pubrec.type()).isEqualTo(RawPacket.PUBREC);
    assertThat(pubrec.packetId()).isEqualTo(9);

    broker.sendRaw(Frames.pubrel(9));

    RawPacket pubcomp = broker.takePacket(WAIT);
    assertThat(pubcomp.type()).isEqualTo(RawPacket.PUBCOMP);
    assertThat(pubcomp.packetId()).isEqualTo(9);
    assertThatThrownBy(() -> client.deliverMessage(QUIET)).isInstanceOf(TimeoutException.class);
  }

  @Test
  void aQos2RedeliveryBeforePubrelIsAnsweredWithPubrecAgainAndNotDeliveredTwice() throws Exception {
    broker.on(RawPacket.PUBREC, Action.ignore()); // the test sends PUBREL itself
    connect(config().build());
    broker.publishToClient("orders/9", utf8("one"), 2, false, false, 9);
    assertThat(client.deliverMessage(WAIT).payloadAsString()).isEqualTo("one");
    assertThat(broker.takePacket(RawPacket.PUBREC, WAIT).packetId()).isEqualTo(9);

    // The broker did not see the PUBREC (say) and sends the message again, DUP set [MQTT-4.3.3].
    broker.publishToClient("orders/9", utf8("one"), 2, false, true, 9);

    RawPacket again = broker.takePacket(WAIT);
    assertThat(again.type()).isEqualTo(RawPacket.PUBREC);
    assertThat(again.packetId()).isEqualTo(9);
    assertThatThrownBy(() -> client.deliverMessage(QUIET))
        .as("the redelivery was handed to the application a second time")
        .isInstanceOf(TimeoutException.class);
    broker.sendRaw(Frames.pubrel(9));
    RawPacket pubcomp = broker.takePacket(WAIT);
    assertThat(pubcomp.type()).isEqualTo(RawPacket.PUBCOMP);
    assertThat(pubcomp.packetId()).isEqualTo(9);
  }

  @Test
  void qos0MessagesBeyondIncomingQueueSizeDropTheOldestAndAreCounted() throws Exception {
    connect(config().incomingQueueSize(10).incomingOverflow(OverflowPolicy.DROP_OLDEST).build());

    pushQos0Messages(25);

    await("droppedMessages() to reach 15").atMost(WAIT).until(() -> client.droppedMessages() == 15);
    assertThat(takeAllPayloads())
        .containsExactlyElementsOf(IntStream.range(15, 25).mapToObj(i -> "m" + i).toList());
    assertThat(client.droppedMessages()).isEqualTo(15);
  }

  @Test
  void qos0MessagesBeyondIncomingQueueSizeDropTheNewestWhenSoConfigured() throws Exception {
    connect(config().incomingQueueSize(10).incomingOverflow(OverflowPolicy.DROP_NEWEST).build());

    pushQos0Messages(25);

    await("droppedMessages() to reach 15").atMost(WAIT).until(() -> client.droppedMessages() == 15);
    assertThat(takeAllPayloads())
        .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "m" + i).toList());
  }

  @Test
  void qos0MessagesBeyondIncomingQueueBytesDropTheOldestAndAreCounted() throws Exception {
    // Each message costs 1000 bytes of payload, 2 × 5 of topic and 64 of overhead: 10 fit.
    connect(config().incomingQueueBytes(10 * 1074).build());

    for (int i = 0; i < 25; i++) {
      broker.publishToClient("burst", padded("m" + i, 1000), 0, false, false, 0);
    }

    await("droppedMessages() to reach 15").atMost(WAIT).until(() -> client.droppedMessages() == 15);
    assertThat(takeAllPayloads())
        .containsExactlyElementsOf(
            IntStream.range(15, 25).mapToObj(i -> new String(padded("m" + i, 1000))).toList());
  }

  @Test
  void qos1MessagesBeyondIncomingQueueBytesWaitAtTheBrokerAndArriveInOrderOnceTaken()
      throws Exception {
    connect(config().incomingQueueBytes(2 * 1074).build());

    for (int id = 1; id <= 6; id++) {
      broker.publishToClient("burst", padded("m" + id, 1000), 1, false, false, id);
    }

    for (int id = 1; id <= 6; id++) {
      Message m = client.deliverMessage(WAIT);
      assertThat(m.payload()).isEqualTo(padded("m" + id, 1000));
      assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(id);
    }
    assertThat(client.droppedMessages()).isZero();
  }

  /** Issue 14, item 7: the second message used to vanish without a line in the log. */
  @Test
  void aBrokerReusingAPacketIdStillAwaitingOurPubackIsLoggedAndItsNewMessageDropped()
      throws Exception {
    connect(config().build());
    try (LogCapture log = LogCapture.start("io.vmqtt", Level.WARN)) {
      broker.publishToClient("a", utf8("first"), 1, false, false, 5);
      broker.publishToClient("b", utf8("second"), 1, false, false, 5);

      // The reader has seen both before the first is taken (taking it frees the id).
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(log.events())
                      .extracting(ILoggingEvent::getFormattedMessage)
                      .anySatisfy(
                          line ->
                              assertThat(line)
                                  .contains("reused packet id 5 for a QoS 1 PUBLISH to 'b'")
                                  .contains("[MQTT-2.3.1-2]")));
      assertThat(client.deliverMessage(WAIT).payloadAsString()).isEqualTo("first");
      assertThatThrownBy(() -> client.deliverMessage(QUIET)).isInstanceOf(TimeoutException.class);
    }
  }

  /** Issue 14, item 7: the message used to leave the reason to the cause. */
  @Test
  void deliverMessageAfterTheConnectionIsLostSaysWhyInItsMessage() throws Exception {
    connect(config().build());

    broker.closeConnection();

    assertThatThrownBy(() -> client.deliverMessage(WAIT))
        .isInstanceOf(ConnectionLostException.class)
        .hasMessageContaining("was lost: java.io.EOFException: connection closed by peer");
  }

  /** {@code text}, then spaces up to {@code size} bytes. */
  private static byte[] padded(String text, int size) {
    byte[] b = new byte[size];
    java.util.Arrays.fill(b, (byte) ' ');
    byte[] t = utf8(text);
    System.arraycopy(t, 0, b, 0, t.length);
    return b;
  }

  private void pushQos0Messages(int count) {
    for (int i = 0; i < count; i++) {
      broker.publishToClient("burst", utf8("m" + i), 0, false, false, 0);
    }
  }

  /** Takes messages until none is left; the queue holds at most what its bound allows. */
  private List<String> takeAllPayloads() throws InterruptedException {
    List<String> payloads = new ArrayList<>();
    while (true) {
      try {
        payloads.add(client.deliverMessage(QUIET).payloadAsString());
      } catch (TimeoutException e) {
        return payloads;
      }
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
