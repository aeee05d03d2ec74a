package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.QUIET;
import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code pollMessage()}, umqtt's {@code check_msg}: never waits, never throws for the state. */
class PollMessageTest {
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

  @Test
  void pollReturnsEmptyWhenNothingWaitsConnectedOrNot() throws Exception {
    client = MqttClient.create("fake-poll", config().build());
    assertThat(client.pollMessage()).isEmpty();
    client.connect(broker.uri());
    assertThat(client.pollMessage()).isEmpty();
    client.disconnect();
    assertThat(client.pollMessage()).isEmpty();
    client.close();
    assertThat(client.pollMessage()).isEmpty();
  }

  @Test
  void pollTakesMessagesInOrderAndAcknowledgesAQos1OneWhenItTakesIt() throws Exception {
    client = MqttClient.create("fake-poll", config().build());
    client.connect(broker.uri());
    broker.takePacket(RawPacket.CONNECT, WAIT);
    broker.publishToClient("p", utf8("zero"), 0, false, false, 0);
    broker.publishToClient("p", utf8("one"), 1, false, false, 6);
    assertThat(broker.pollPacket(QUIET)).as("a PUBACK before the message is taken").isEmpty();

    assertThat(poll().payloadAsString()).isEqualTo("zero");
    assertThat(poll().payloadAsString()).isEqualTo("one");

    assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(6);
    assertThat(client.pollMessage()).isEmpty();
  }

  @Test
  void aMessageTakenWhileDisconnectedCanStillBePolled() throws Exception {
    client = MqttClient.create("fake-poll", config().build());
    client.connect(broker.uri());
    broker.publishToClient("p", utf8("kept"), 0, false, false, 0);
    await().atMost(WAIT).pollInterval(java.time.Duration.ofMillis(10)).until(this::peeked);
    client.disconnect();

    assertThat(kept.map(Message::payloadAsString)).contains("kept");
  }

  private Optional<Message> kept = Optional.empty();

  private boolean peeked() {
    kept = client.pollMessage();
    return kept.isPresent();
  }

  @Test
  void withManualAckAPolledMessageIsAcknowledgedOnlyByAck() throws Exception {
    client = MqttClient.create("fake-poll", config().manualAck(true).build());
    client.connect(broker.uri());
    broker.takePacket(RawPacket.CONNECT, WAIT);
    broker.publishToClient("p", utf8("one"), 1, false, false, 2);

    Message m = poll();
    assertThat(broker.pollPacket(QUIET)).isEmpty();
    client.ack(m);

    assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(2);
  }

  /** Polls until a message is there: pollMessage itself never waits. */
  private Message poll() {
    Message[] got = new Message[1];
    await()
        .atMost(WAIT)
        .pollInterval(java.time.Duration.ofMillis(5))
        .until(
            () -> {
              Optional<Message> m = client.pollMessage();
              m.ifPresent(x -> got[0] = x);
              return m.isPresent();
            });
    return got[0];
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
