package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.connected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keep-alive and {@code ping}. */
class KeepAliveTest {

  /** {@code log_type all}: the broker logs every PINGREQ it receives. */
  @RegisterExtension
  static final MosquittoExtension mosquitto = new MosquittoExtension(broker -> broker.verboseLog());

  @Test
  void anIdleClientWithKeepAlive2StaysConnectedFor10Seconds(MosquittoBroker broker)
      throws InterruptedException {
    String id = clientId("idle");
    MqttConfig config = MqttConfig.builder().keepAlive(Duration.ofSeconds(2)).build();
    try (MqttClient client = connected(broker, id, config)) {
      broker.awaitLog(" as " + id + " (p2, c1, k2).", Duration.ofSeconds(5));

      // Mosquitto drops a client that sends nothing for 1.5 x keep-alive = 3 s [MQTT-3.1.2-24].
      await("client " + id + " connected throughout")
          .during(Duration.ofSeconds(10))
          .atMost(Duration.ofSeconds(12))
          .pollInterval(Duration.ofMillis(100))
          .until(client::isConnected);

      client.ping();
      assertThat(broker.log()).contains("Received PINGREQ from " + id);
      assertThat(broker.log()).doesNotContain("Client " + id + " has exceeded timeout");
    }
  }

  @Test
  void pingReturnsOnceTheBrokerHasAnswered(MosquittoBroker broker) throws InterruptedException {
    String id = clientId("ping");
    // keep-alive off, so the only PINGREQ is ours
    MqttConfig config = MqttConfig.builder().keepAlive(Duration.ZERO).build();
    try (MqttClient client = connected(broker, id, config)) {
      assertThat(broker.log()).doesNotContain("Received PINGREQ from " + id);

      client.ping();

      assertThat(broker.log())
          .contains("Received PINGREQ from " + id)
          .contains("Sending PINGRESP to " + id);
      client.ping();
      assertThat(client.isConnected()).isTrue();
    }
  }
}
