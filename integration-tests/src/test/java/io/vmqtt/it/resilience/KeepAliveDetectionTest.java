package io.vmqtt.it.resilience;

import static io.vmqtt.it.resilience.ResilienceSupport.WAIT;
import static io.vmqtt.it.resilience.ResilienceSupport.clientId;
import static io.vmqtt.it.resilience.ResilienceSupport.millis;
import static io.vmqtt.it.resilience.ResilienceSupport.reconnecting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.ConnectionState;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.it.fixture.FaultProxy;
import io.vmqtt.it.fixture.MosquittoTest;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test 5b of the resilience list: a connection that goes silent without a FIN or RST (the proxy
 * becomes a black hole) is detected by keep-alive alone within 1.5 × {@code keep_alive}. With
 * {@code keep_alive} 2 s and {@code ping_delay} 0.5 s the client sends PINGREQ after 1.5 s of
 * silence and gives up 1 s (keep_alive / 2) later: at most 2.5 s after the last byte, within the 3
 * s bound. The proxy hides the broker's own timeout from the client, so only the client's
 * keep-alive can notice.
 */
@MosquittoTest
class KeepAliveDetectionTest {
  private static final Logger log = LoggerFactory.getLogger(KeepAliveDetectionTest.class);

  private static final Duration KEEP_ALIVE = Duration.ofSeconds(2);
  private static final Duration PING_DELAY = Duration.ofMillis(500);

  /** Slack for scheduling on a loaded two-core machine: virtual threads wake a little late. */
  private static final Duration SCHEDULING_TOLERANCE = Duration.ofMillis(250);

  @Test
  void aBlackHoledConnectionIsDetectedThroughKeepAliveWithinOneAndAHalfKeepAlives(
      MosquittoBroker broker) throws Exception {
    String id = clientId("blackhole");
    MqttConfig config =
        reconnecting()
            .keepAlive(KEEP_ALIVE)
            .pingDelay(PING_DELAY)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    Duration bound = KEEP_ALIVE.multipliedBy(3).dividedBy(2);
    try (FaultProxy proxy = FaultProxy.to(broker);
        MqttClient client = MqttClient.create(id, config)) {
      ConnectionEvents events = ConnectionEvents.attachTo(client);
      client.connect(proxy.uri());
      client.ping(); // a full round trip through the proxy before the lights go out

      long start = System.nanoTime();
      proxy.blackhole(true);

      await("connectionLost heard")
          .atMost(bound.plus(SCHEDULING_TOLERANCE))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> !events.lost().isEmpty());
      ConnectionEvents.Lost lost = events.lost().get(0);
      long detectedMillis = millis(lost.nanos() - start);
      log.info(
          "RESILIENCE test5b: black hole detected after {} ms (keep_alive {} ms, ping_delay {} ms,"
              + " bound 1.5 x keep_alive = {} ms)",
          detectedMillis,
          KEEP_ALIVE.toMillis(),
          PING_DELAY.toMillis(),
          bound.toMillis());

      assertThat(messages(lost.cause()))
          .as("the cause of the loss names the keep-alive timeout")
          .anyMatch(m -> m.contains("PINGRESP") || m.contains("keep_alive"));
      assertThat(proxy.cuts()).as("the proxy cut nothing: keep-alive found it").isZero();
      assertThat(client.state())
          .as("reconnecting, and unable to while the black hole lasts")
          .isEqualTo(ConnectionState.CONNECTING);

      // Once the network is back, the client reconnects by itself.
      proxy.blackhole(false);
      proxy.cutAll(); // connections begun in the dark lost their CONNECT: start them afresh
      events.awaitReconnects(1, WAIT);
      assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
      client.ping();
    }
  }

  /** The messages of a throwable and its causes, outermost first. */
  private static List<String> messages(Throwable t) {
    List<String> messages = new ArrayList<>();
    for (Throwable c = t; c != null; c = c.getCause()) {
      messages.add(String.valueOf(c.getMessage()));
    }
    return messages;
  }
}
