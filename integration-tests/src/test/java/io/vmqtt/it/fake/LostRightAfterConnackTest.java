package io.vmqtt.it.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.ConnectionState;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, item 0: a connection lost before {@code connect()} has returned — the broker accepts,
 * sends CONNACK and at once drops or garbles the connection — must be followed by automatic
 * reconnection like any other loss. The reconnect thread used to read the address of the last
 * connect before {@code connect()} had recorded it, died of a NullPointerException nobody saw, and
 * left the client CONNECTING for good (13 to 38 of 100 clients in three runs).
 */
class LostRightAfterConnackTest {
  private static final int CLIENTS = 200;
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** A first CONNECT per client id gets CONNACK and then a close, or CONNACK and then garbage. */
  private static Action cutTheFirstConnectionOfEachClient(Set<String> cut) {
    byte[] connack = Frames.connack(false, 0);
    byte[] reservedType = Frames.bytes(0xF0, 0x00);
    return Action.choose(
        p -> {
          String id = p.asConnect().clientId();
          if (!cut.add(id)) {
            return Action.auto();
          }
          return id.hashCode() % 2 == 0
              ? Action.replyThenClose(connack)
              : Action.replyThenClose(connack, reservedType);
        });
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void twoHundredClientsWhoseConnectionIsLostRightAfterConnackAllReconnectAndPublish()
      throws Exception {
    Set<String> cut = ConcurrentHashMap.newKeySet();
    MqttConfig config =
        MqttConfig.builder()
            .autoReconnect(true) // the default, which the defect broke
            .reconnectMinInterval(Duration.ofMillis(50))
            .reconnectMaxInterval(Duration.ofMillis(200))
            .reconnectRetries(-1)
            .keepAlive(Duration.ofSeconds(60))
            .operationTimeout(Duration.ofSeconds(30))
            .build();
    List<MqttClient> clients = new ArrayList<>();
    try (FakeBroker broker = FakeBroker.start();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      broker.onConnect(cutTheFirstConnectionOfEachClient(cut));
      for (int i = 0; i < CLIENTS; i++) {
        clients.add(MqttClient.create("lost-after-connack-" + i, config));
      }
      List<Future<?>> connects = new ArrayList<>();
      for (MqttClient client : clients) {
        connects.add(threads.submit(() -> client.connect(broker.uri())));
      }
      for (Future<?> connect : connects) {
        connect.get(); // accepted: the loss right after it is handled as any other loss
      }

      await("every client reconnected")
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(clients)
                      .allSatisfy(c -> assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED)));
      assertThat(cut).hasSize(CLIENTS);
      assertThat(broker.connectionCount()).isEqualTo(2 * CLIENTS);

      List<Future<?>> publishes = new ArrayList<>();
      for (MqttClient client : clients) {
        publishes.add(
            threads.submit(
                () ->
                    client.publish(
                        "after/" + client.clientId(),
                        "reconnected".getBytes(StandardCharsets.UTF_8),
                        QoS.AT_LEAST_ONCE,
                        false)));
      }
      for (Future<?> publish : publishes) {
        publish.get();
      }
    } finally {
      clients.forEach(MqttClient::close);
    }
  }
}
