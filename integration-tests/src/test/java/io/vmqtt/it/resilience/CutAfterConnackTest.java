package io.vmqtt.it.resilience;

import static io.vmqtt.it.resilience.ResilienceSupport.WAIT;
import static io.vmqtt.it.resilience.ResilienceSupport.clientId;
import static io.vmqtt.it.resilience.ResilienceSupport.receive;
import static io.vmqtt.it.resilience.ResilienceSupport.reconnecting;
import static io.vmqtt.it.resilience.ResilienceSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.ConnectionState;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.FaultProxy;
import io.vmqtt.it.fixture.MosquittoTest;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A reconnection whose connection is lost again right after its CONNACK: the reader sees the
 * CONNACK and then the end of the stream while the reconnect thread is still returning from its
 * attempt. The client must notice the second loss and reconnect once more, every time.
 *
 * <p>Found by {@link CuttingProxyQos2Test} under CPU load, where a cut landed in that window once
 * in about seven runs: the engine then counted the dead connection as reconnected, reported
 * CONNECTED, and its new reconnection loop failed every attempt with "reconnection ... stopped"
 * without opening a connection, so every publish waited for its operation timeout. Here the proxy
 * puts the cut in that window on purpose ({@link FaultProxy#cutAfterBytesToClient} with the 4 bytes
 * of a CONNACK), many times over.
 */
@MosquittoTest
class CutAfterConnackTest {
  private static final int ROUNDS = 30;

  /** CONNACK: fixed header 0x20, remaining length 2, flags, return code. */
  private static final int CONNACK_BYTES = 4;

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aConnectionCutRightAfterItsConnackIsFollowedByAnotherReconnectionEveryTime(
      MosquittoBroker broker) throws Exception {
    String id = clientId("connack-cut");
    String topic = "connack-cut/" + id;
    // A short operation timeout: a publish that cannot complete fails the round in 5 s.
    MqttConfig config = reconnecting().operationTimeout(Duration.ofSeconds(5)).build();
    try (FaultProxy proxy = FaultProxy.to(broker);
        MqttClient client = MqttClient.create(id, config)) {
      client.connect(proxy.uri());
      assertThat(client.subscribe(List.of(Subscription.of(topic, QoS.AT_LEAST_ONCE))))
          .containsExactly(1);

      for (int round = 1; round <= ROUNDS; round++) {
        long accepted = proxy.connectionsAccepted();
        proxy.cutAfterBytesToClient(CONNACK_BYTES);
        assertThat(proxy.cutAll()).as("round %d: the cut", round).isEqualTo(1);

        // The first reconnection is cut after its CONNACK; the one after it must hold.
        int r = round;
        await("round " + round + ": a reconnection after the one cut at its CONNACK")
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(10))
            .untilAsserted(
                () -> {
                  assertThat(proxy.connectionsAccepted())
                      .as("round %d: connections accepted (state %s)", r, client.state())
                      .isGreaterThanOrEqualTo(accepted + 2);
                  assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
                });
        client.publish(topic, utf8("round " + round), QoS.AT_LEAST_ONCE, false);
        assertThat(receive(client).payloadAsString()).isEqualTo("round " + round);
      }
      assertThat(proxy.cuts()).isEqualTo(2L * ROUNDS);
    }
  }
}
