package io.vmqtt.it.resilience;

import static io.vmqtt.it.resilience.ResilienceSupport.WAIT;
import static io.vmqtt.it.resilience.ResilienceSupport.clientId;
import static io.vmqtt.it.resilience.ResilienceSupport.occurrences;
import static io.vmqtt.it.resilience.ResilienceSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vmqtt.Connack;
import io.vmqtt.ConnectOptions;
import io.vmqtt.ConnectionLostException;
import io.vmqtt.ConnectionState;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import io.vmqtt.ReasonCode;
import io.vmqtt.it.fixture.FaultProxy;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Test 5a of the resilience list: a client whose password the broker stops accepting makes exactly
 * one reconnection attempt after losing its connection, hears the refusal (code 5: mosquitto 2.0.11
 * answers 5 to any bad credentials under MQTT 3.1.1) as {@code reconnectFailed(e, true)}, and stays
 * disconnected: retrying cannot fix a refused password, however many retries are configured.
 */
class ReconnectRefusalTest {
  private static final String USER = "alice";

  /** Long enough for a dozen more attempts at the configured waits of 100 to 500 ms. */
  private static final Duration QUIET = Duration.ofSeconds(2);

  @Test
  void aBadPasswordStopsReconnectionAfterTheFirstRefusalWithCode5() throws Exception {
    String id = clientId("refused");
    MqttConfig config =
        MqttConfig.builder()
            .autoReconnect(true)
            .reconnectMinInterval(Duration.ofMillis(100))
            .reconnectMaxInterval(Duration.ofMillis(500))
            .reconnectRetries(-1) // forever: only the refusal may stop it
            .operationTimeout(ResilienceSupport.OPERATION_TIMEOUT)
            .build();
    try (MosquittoBroker broker =
            MosquittoBroker.builder().user(USER, "right").verboseLog().start();
        FaultProxy proxy = FaultProxy.to(broker);
        MqttClient client = MqttClient.create(id, config)) {
      ConnectionEvents events = ConnectionEvents.attachTo(client);
      ConnectOptions credentials = ConnectOptions.builder().credentials(USER, "right").build();
      assertThat(client.connect(proxy.uri(), credentials)).isEqualTo(Connack.accepted(false));
      long accepted = proxy.connectionsAccepted();
      int connections = occurrences(broker.log(), "New connection from");

      // The password changes under the connected client. Mosquitto 2.0 disconnects a client its
      // new password file refuses while it reloads: the black hole hides that from the client,
      // and the cut below is the one loss it sees, whatever the broker does on reload.
      proxy.blackhole(true);
      broker.changePassword(USER, "changed");
      broker.reload();
      // A QoS 1 publish waits in the dark: it must fail when reconnection gives up.
      CompletableFuture<PublishResult> stranded = new CompletableFuture<>();
      Thread publisher = publishInBackground(client, "refused/" + id, stranded);
      await("the publish waiting for its PUBACK")
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(10))
          .until(
              () ->
                  publisher.getState() == Thread.State.WAITING
                      || publisher.getState() == Thread.State.TIMED_WAITING);
      proxy.blackhole(false);
      proxy.cutAll();

      await("reconnection gives up")
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> events.failed().stream().anyMatch(ConnectionEvents.Failed::givingUp));
      ConnectionEvents.Failed refusal = events.failed().get(0);
      assertThat(refusal.givingUp()).isTrue();
      assertThat(refusal.cause().reasonCode()).contains(ReasonCode.NOT_AUTHORIZED);
      assertThat(refusal.cause().isRefusal()).isTrue();
      assertThat(refusal.thread()).isEqualTo("vmqtt-" + id + "-events");
      assertThat(events.lost()).hasSize(1);
      assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
      assertThat(client.isConnected()).isFalse();

      // Exactly one attempt reached the broker, and nothing follows.
      assertThat(proxy.connectionsAccepted()).isEqualTo(accepted + 1);
      assertThat(occurrences(broker.log(), "New connection from")).isEqualTo(connections + 1);
      assertThat(occurrences(broker.log(), "Sending CONNACK to 127.0.0.1 (0, 5)")).isEqualTo(1);
      await("no further attempt")
          .during(QUIET)
          .atMost(QUIET.plusSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  proxy.connectionsAccepted() == accepted + 1
                      && events.failed().size() == 1
                      && events.reconnected().isEmpty()
                      && client.state() == ConnectionState.DISCONNECTED);

      assertThatThrownBy(() -> stranded.get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .as("the publish waiting when reconnection gave up")
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(ConnectionLostException.class);
    }
  }

  /**
   * Starts a QoS 1 publish on a virtual thread of its own; its result or failure goes to result.
   */
  private static Thread publishInBackground(
      MqttClient client, String topic, CompletableFuture<PublishResult> result) {
    return Thread.ofVirtual()
        .name("stranded-publish")
        .start(
            () -> {
              try {
                result.complete(client.publish(topic, utf8("stranded"), QoS.AT_LEAST_ONCE, false));
              } catch (Throwable t) {
                result.completeExceptionally(t);
              }
            });
  }
}
