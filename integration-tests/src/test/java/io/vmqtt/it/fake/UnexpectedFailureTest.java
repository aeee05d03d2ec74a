package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vmqtt.ConnectionLostException;
import io.vmqtt.ConnectionState;
import io.vmqtt.MqttClient;
import io.vmqtt.QoS;
import io.vmqtt.it.fixture.LogCapture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 0: an exception on one of the client's own threads that no network failure
 * produces — a bug — must never go unseen. It fails the connection and every waiting call with
 * itself as the cause, and is logged once, with its stack trace.
 */
class UnexpectedFailureTest {

  @AfterEach
  void nothingLeftPlanted() {
    FaultyTransportProvider.reset();
  }

  @Test
  void anUncheckedExceptionOnTheReaderFailsTheWaitingPublishWithItAsTheCauseAndIsLoggedOnce()
      throws Exception {
    IllegalStateException planted = new IllegalStateException("planted on the reader");
    try (FakeBroker broker = FakeBroker.start();
        MqttClient client = MqttClient.create("reader-bug", config().build())) {
      broker.on(RawPacket.PUBLISH, Action.ignore());
      client.connect("faulty://127.0.0.1:" + broker.port());
      BackgroundCall<?> publish =
          BackgroundCall.start(
              "publish", () -> client.publish("a/b", new byte[1], QoS.AT_LEAST_ONCE, false));
      broker.takePacket(RawPacket.PUBLISH, WAIT);

      try (LogCapture log = LogCapture.start("io.vmqtt", Level.WARN)) {
        FaultyTransportProvider.failNextRead(planted);
        broker.sendRaw(Frames.pingresp()); // the reader wakes, and reads the fault
        assertThat(publish.failure()).isInstanceOf(ConnectionLostException.class).hasCause(planted);
        assertLoggedOnceWithStackTrace(log, planted);
      }
      assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
    }
  }

  @Test
  void anErrorOnTheWriterFailsThePublishWithItAsTheCauseAndIsLoggedOnce() throws Exception {
    AssertionError planted = new AssertionError("planted on the writer");
    try (FakeBroker broker = FakeBroker.start();
        MqttClient client = MqttClient.create("writer-bug", config().build())) {
      client.connect("faulty://127.0.0.1:" + broker.port());
      try (LogCapture log = LogCapture.start("io.vmqtt", Level.WARN)) {
        FaultyTransportProvider.failNextWrite(planted);
        BackgroundCall<?> publish =
            BackgroundCall.start(
                "publish", () -> client.publish("a/b", new byte[1], QoS.AT_LEAST_ONCE, false));
        assertThat(publish.failure())
            .isInstanceOf(ConnectionLostException.class)
            .hasRootCauseMessage("planted on the writer");
        assertLoggedOnceWithStackTrace(log, planted);
      }
    }
  }

  @Test
  void aClientWithAutomaticReconnectionReconnectsAfterAnUnexpectedExceptionOnTheReader()
      throws Exception {
    try (FakeBroker broker = FakeBroker.start();
        MqttClient client =
            MqttClient.create(
                "reader-bug-reconnect",
                config()
                    .autoReconnect(true)
                    .reconnectMinInterval(Duration.ofMillis(50))
                    .reconnectRetries(-1)
                    .build())) {
      client.connect("faulty://127.0.0.1:" + broker.port());
      FaultyTransportProvider.failNextRead(new IllegalStateException("planted"));
      broker.sendRaw(Frames.pingresp());
      await().atMost(WAIT).until(() -> broker.connectionCount() == 2);
      await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTED);
      client.publish("a/b", new byte[1], QoS.AT_LEAST_ONCE, false);
    }
  }

  /** The planted failure is logged, at ERROR with its stack trace, and no second time after. */
  private static void assertLoggedOnceWithStackTrace(LogCapture log, Throwable planted) {
    await().atMost(WAIT).until(() -> logged(log, planted).size() >= 1);
    await()
        .during(ClientSupport.QUIET)
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(logged(log, planted))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getLevel()).isEqualTo(Level.ERROR)));
  }

  private static List<ILoggingEvent> logged(LogCapture log, Throwable planted) {
    return log.events().stream()
        .filter(e -> e.getThrowableProxy() != null)
        .filter(e -> planted.getMessage().equals(e.getThrowableProxy().getMessage()))
        .toList();
  }
}
