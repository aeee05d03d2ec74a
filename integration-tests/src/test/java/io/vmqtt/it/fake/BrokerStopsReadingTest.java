package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.ConnectionState;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.OperationTimeoutException;
import io.vmqtt.QoS;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14, items 1 and 7: a broker that stops reading must not wedge a call. Writes into a socket
 * whose peer reads nothing block once the buffers are full; each call still ends within {@code
 * operation_timeout} (plus the ticker's period and scheduling), and the connection is declared dead
 * instead of staying CONNECTED. It used to block in the socket write until {@code close()}.
 */
class BrokerStopsReadingTest {
  private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(1);

  /** What a call may take past its operation timeout: the ticker's period and a loaded machine. */
  private static final Duration MARGIN = Duration.ofMillis(1500);

  @AfterEach
  void nothingLeftPlanted() {
    FaultyTransportProvider.reset();
  }

  @ParameterizedTest(name = "virtual caller: {0}")
  @ValueSource(booleans = {true, false})
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void qos0PublishesToABrokerThatReadsNothingEndInTimeAndTheConnectionIsDeclaredDead(
      boolean virtual) throws Exception {
    try (FakeBroker broker = FakeBroker.start();
        MqttClient client =
            MqttClient.create(
                "stops-reading-" + virtual, config().operationTimeout(OPERATION_TIMEOUT).build())) {
      broker.onConnect(Action.replyThenStall(Frames.connack(false, 0)));
      client.connect(broker.uri());
      CompletableFuture<PublishLoop> outcome = new CompletableFuture<>();
      Runnable loop = () -> outcome.complete(PublishLoop.run(client, 10_000));
      if (virtual) {
        Thread.ofVirtual().start(loop);
      } else {
        Thread.ofPlatform().start(loop);
      }
      PublishLoop result = outcome.get(2, TimeUnit.MINUTES);

      assertThat(result.failure())
          .as("after %d publishes of 64 KiB", result.published())
          .isInstanceOf(OperationTimeoutException.class);
      assertThat(result.longestCall()).isLessThan(OPERATION_TIMEOUT.plus(MARGIN));
      await().atMost(WAIT).until(() -> client.state() == ConnectionState.DISCONNECTED);
    }
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void deliverMessageWhoseAcknowledgementCannotBeWrittenReturnsInTimeAndTheConnectionIsDropped()
      throws Exception {
    try (FakeBroker broker = FakeBroker.start();
        MqttClient client =
            MqttClient.create("ack-stuck", config().operationTimeout(OPERATION_TIMEOUT).build())) {
      client.connect("faulty://127.0.0.1:" + broker.port());
      broker.takePacket(RawPacket.CONNECT, WAIT);
      broker.publishToClient("a/b", new byte[] {1}, 1, false, false, 7);
      FaultyTransportProvider.blockNextWrite(); // the PUBACK's: as into a full socket

      long start = System.nanoTime();
      Message m = client.deliverMessage(WAIT);
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(m.payload()).containsExactly(1);
      assertThat(took).isLessThan(OPERATION_TIMEOUT.plus(MARGIN));
      await().atMost(WAIT).until(() -> client.state() == ConnectionState.DISCONNECTED);
    }
  }

  /** Publishes 64 KiB QoS 0 messages until one fails, timing each call. */
  private record PublishLoop(int published, Duration longestCall, Throwable failure) {
    static PublishLoop run(MqttClient client, int max) {
      byte[] payload = new byte[65_536];
      Duration longest = Duration.ZERO;
      for (int i = 0; i < max; i++) {
        long start = System.nanoTime();
        try {
          client.publish("flood", payload, QoS.AT_MOST_ONCE, false);
        } catch (Throwable t) {
          return new PublishLoop(i, max(longest, since(start)), t);
        }
        longest = max(longest, since(start));
      }
      return new PublishLoop(max, longest, null);
    }

    private static Duration since(long start) {
      return Duration.ofNanos(System.nanoTime() - start);
    }

    private static Duration max(Duration a, Duration b) {
      return a.compareTo(b) >= 0 ? a : b;
    }
  }
}
