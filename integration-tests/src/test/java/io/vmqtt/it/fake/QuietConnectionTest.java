package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.LogCapture;
import io.vmqtt.it.fixture.ThreadDump;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A quiet plain-TCP connection gives its reader thread up: after a second without a byte its input
 * is parked with the JVM-wide idle selector, and a new reader thread starts when bytes arrive, when
 * a write needs the socket, or when the socket closes. Nothing sent or received on the way is lost
 * or waits for anything else to happen first.
 */
class QuietConnectionTest {
  /** Past the reader's one second of quiet, on a loaded machine. */
  private static final Duration PARKED = Duration.ofSeconds(10);

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
  void aQuietConnectionHoldsNoReaderThreadAndStillReceivesWhatTheBrokerSends() throws Exception {
    connectAndAwaitParked("fake-quiet-receive", config());

    broker.publishToClient("quiet/a", utf8("one"), 1, false, false, 7);

    Message m = client.deliverMessage(WAIT);
    assertThat(m.topic()).isEqualTo("quiet/a");
    assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo("one");
    assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(7);
    assertThat(readerThreads("fake-quiet-receive")).as("a reader reads again").hasSize(1);
  }

  @Test
  void aPublishOnAQuietConnectionLeavesAndIsAcknowledged() throws Exception {
    connectAndAwaitParked("fake-quiet-publish", config());

    client.publish("quiet/b", utf8("two"), QoS.AT_LEAST_ONCE, false); // returns after PUBACK

    Frames.Publish sent = broker.takePacket(RawPacket.PUBLISH, WAIT).asPublish();
    assertThat(sent.topic()).isEqualTo("quiet/b");
    assertThat(sent.payloadAsString()).isEqualTo("two");
  }

  @Test
  void aSubscribeOnAQuietConnectionGetsItsSuback() throws Exception {
    connectAndAwaitParked("fake-quiet-subscribe", config());

    client.subscribe(List.of(Subscription.of("quiet/#", QoS.AT_LEAST_ONCE)));

    assertThat(broker.takePacket(RawPacket.SUBSCRIBE, WAIT).asSubscribe()).hasSize(1);
  }

  @Test
  void keepAliveGoesOnWhileTheConnectionIsQuietBetweenPings() throws Exception {
    connectAndAwaitParked(
        "fake-quiet-ping", config().keepAlive(Duration.ofSeconds(2)).pingDelay(Duration.ZERO));

    // Each PINGREQ leaves while the socket is parked, each PINGRESP is taken by the idle selector,
    // and no reader thread is left between them.
    for (int i = 0; i < 3; i++) {
      broker.takePacket(RawPacket.PINGREQ, WAIT);
      await("the reader to park again after PINGRESP " + i)
          .atMost(PARKED)
          .until(() -> readerThreads("fake-quiet-ping").isEmpty());
    }
    assertThat(client.isConnected()).isTrue();
  }

  @Test
  void theKeepAlivesAnswerOnAQuietConnectionIsTakenWithoutStartingAReaderThread() throws Exception {
    try (LogCapture trace = LogCapture.start("io.vmqtt.trace", Level.DEBUG)) {
      connectAndAwaitParked(
          "fake-quiet-pingresp",
          config().keepAlive(Duration.ofSeconds(2)).pingDelay(Duration.ZERO));

      for (int i = 1; i <= 3; i++) {
        broker.takePacket(RawPacket.PINGREQ, WAIT);
        int answered = i;
        await("PINGRESP " + i + " in the trace")
            .atMost(WAIT)
            .until(() -> pingresps(trace).size() == answered);
      }

      // The idle selector's thread takes them; a reader thread would have been started for each.
      assertThat(pingresps(trace))
          .extracting(ILoggingEvent::getThreadName)
          .containsOnly("vmqtt-idle-reads");
      assertThat(client.isConnected()).isTrue();
      // The connection still reads what else comes, on a reader thread.
      broker.publishToClient("quiet/c", utf8("after"), 1, false, false, 9);
      assertThat(client.deliverMessage(WAIT).topic()).isEqualTo("quiet/c");
      assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(9);
    }
  }

  private static List<ILoggingEvent> pingresps(LogCapture trace) {
    return trace.events().stream()
        .filter(e -> e.getFormattedMessage().contains("<-in--"))
        .filter(e -> e.getFormattedMessage().contains("PingrespPacket"))
        .toList();
  }

  @Test
  void aBrokerThatClosesAQuietConnectionIsNoticedWithoutWaitingForKeepAlive() throws Exception {
    connectAndAwaitParked("fake-quiet-dropped", config()); // keep-alive 60 s

    broker.closeConnection();

    await("the closed socket to be noticed").atMost(WAIT).until(() -> !client.isConnected());
  }

  @Test
  void closingTheClientOfAQuietConnectionClosesTheSocketAndLeavesNoThread() throws Exception {
    connectAndAwaitParked("fake-quiet-close", config());

    client.close();

    assertThat(broker.awaitConnectionClosed(WAIT)).as("the broker saw the socket close").isTrue();
    assertThat(ThreadDump.threadsNamedAfter("vmqtt-fake-quiet-close")).isEmpty();
  }

  private void connectAndAwaitParked(String clientId, io.vmqtt.MqttConfig.Builder config)
      throws Exception {
    client = MqttClient.create(clientId, config.build());
    client.connect(broker.uri());
    broker.takePacket(RawPacket.CONNECT, WAIT);
    await("the reader thread of a quiet connection to end")
        .atMost(PARKED)
        .until(() -> readerThreads(clientId).isEmpty());
  }

  private static List<String> readerThreads(String clientId) {
    return ThreadDump.threadsNamedAfter("vmqtt-" + clientId + "-reader");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
