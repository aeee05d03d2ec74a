package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.connected;
import static io.vmqtt.it.ItSupport.receive;
import static io.vmqtt.it.ItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.vmqtt.Connack;
import io.vmqtt.ConnectionLostException;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.NotConnectedException;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.MosquittoTest;
import io.vmqtt.testkit.MosquittoBroker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connect, disconnect, reconnect and close; what a client does when it is not connected; and a
 * connection the broker drops. Clients here have {@code auto_reconnect} off where a lost connection
 * is the point.
 */
@MosquittoTest
class LifecycleTest {
  private static final MqttConfig NO_AUTO_RECONNECT =
      MqttConfig.builder().autoReconnect(false).build();
  private static final AtomicInteger DUMPS = new AtomicInteger();
  private static final Pattern THREAD_NAME = Pattern.compile("\"name\": \"([^\"]*)\"");

  @Test
  void disconnectThenConnectAgainOnTheSameClientWorks(MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient client = connected(broker, clientId("again"))) {
      client.disconnect();
      assertThat(client.isConnected()).isFalse();

      assertThat(client.connect(broker.uri())).isEqualTo(Connack.accepted(false));

      assertThat(client.isConnected()).isTrue();
      assertRoundTrip(client, "again/1");
    }
  }

  @Test
  void reconnectAfterDisconnectConnectsToTheSameUri(MosquittoBroker broker)
      throws InterruptedException {
    String id = clientId("reconnect");
    try (MqttClient client = connected(broker, id)) {
      client.disconnect();
      broker.awaitLog("Client " + id + " disconnected.", Duration.ofSeconds(5));

      Connack ack = client.reconnect();

      assertThat(ack.returnCode()).isZero();
      assertThat(client.isConnected()).isTrue();
      client.ping();
      assertRoundTrip(client, "reconnect/1");
    }
  }

  @Test
  void reconnectBeforeAnyConnectThrowsIllegalState() {
    try (MqttClient client = MqttClient.create(clientId("never"), MqttConfig.defaults())) {
      assertThatThrownBy(client::reconnect).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void reconnectWhileConnectedReturnsTheCurrentConnackLikeHbmqtt(MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient client = connected(broker, clientId("busy"))) {
      assertThat(client.reconnect()).isEqualTo(Connack.accepted(false));
      assertThat(client.isConnected()).isTrue();
      client.ping();
    }
  }

  @Test
  void everyOperationOfAClientThatNeverConnectedThrowsNotConnected() throws InterruptedException {
    try (MqttClient client = MqttClient.create(clientId("offline"), MqttConfig.defaults())) {
      assertThat(client.isConnected()).isFalse();
      assertThatThrownBy(() -> client.publish("t", utf8("x"), QoS.AT_MOST_ONCE, false))
          .isInstanceOf(NotConnectedException.class);
      assertThatThrownBy(() -> client.publish("t", utf8("x")))
          .isInstanceOf(NotConnectedException.class);
      assertThatThrownBy(() -> client.subscribe(List.of(Subscription.of("t", QoS.AT_LEAST_ONCE))))
          .isInstanceOf(NotConnectedException.class);
      assertThatThrownBy(() -> client.unsubscribe(List.of("t")))
          .isInstanceOf(NotConnectedException.class);
      assertThatThrownBy(client::ping).isInstanceOf(NotConnectedException.class);
      assertThatThrownBy(client::deliverMessage).isInstanceOf(NotConnectedException.class);
      assertThat(client.droppedMessages()).isZero();

      client.disconnect(); // does nothing when not connected
      assertThat(client.isConnected()).isFalse();
    }
  }

  @Test
  void closeIsIdempotentAndAClosedClientCannotConnect(MosquittoBroker broker)
      throws InterruptedException {
    MqttClient client = connected(broker, clientId("closed"));
    client.close();
    client.close();

    assertThat(client.isConnected()).isFalse();
    assertThatThrownBy(() -> client.connect(broker.uri()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(client::reconnect).isInstanceOf(IllegalStateException.class);
  }

  /**
   * The engine names its threads after the client ({@code vmqtt-<clientId>-reader}, {@code
   * -writer}, {@code -keepalive}); virtual threads are not in {@code Thread.getAllStackTraces()}
   * but are in the JDK's JSON thread dump.
   */
  @Test
  void afterCloseNoThreadOfTheClientIsLeft(MosquittoBroker broker, @TempDir Path dumps)
      throws Exception {
    String id = clientId("threads");
    MqttConfig config = MqttConfig.builder().keepAlive(Duration.ofSeconds(5)).build();
    try (MqttClient client = connected(broker, id, config)) {
      assertRoundTrip(client, "threads/1");
      assertThat(threadsNamedAfter(id, dumps))
          .as("a thread dump while connected shows the client's threads by name")
          .isNotEmpty();
    }
    // The alias must not name the client: Awaitility names its polling thread after it.
    await("no thread of the closed client left")
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(threadsNamedAfter(id, dumps)).isEmpty());
  }

  @Test
  void whenTheBrokerGoesAwayAWaitingDeliverMessageThrowsConnectionLost(MosquittoBroker broker)
      throws Exception {
    try (MqttClient client = connected(broker, clientId("lost"), NO_AUTO_RECONNECT)) {
      client.subscribe(List.of(Subscription.of("lost", QoS.AT_LEAST_ONCE)));
      CompletableFuture<Message> taken = new CompletableFuture<>();
      Thread taker =
          Thread.ofVirtual()
              .name("taker")
              .start(
                  () -> {
                    try {
                      taken.complete(client.deliverMessage());
                    } catch (Throwable t) {
                      taken.completeExceptionally(t);
                    }
                  });
      await("deliverMessage() waiting")
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  taker.getState() == Thread.State.WAITING
                      || taker.getState() == Thread.State.TIMED_WAITING);

      broker.stop();

      assertThatThrownBy(() -> taken.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(ConnectionLostException.class)
          .cause()
          .as("the failure that closed the connection")
          .isNotNull();
      await("isConnected() false")
          .atMost(Duration.ofSeconds(10))
          .until(() -> !client.isConnected());
      assertThatThrownBy(() -> client.publish("lost", utf8("x"), QoS.AT_LEAST_ONCE, false))
          .isInstanceOf(NotConnectedException.class);
    }
  }

  @Test
  void messagesReceivedBeforeTheConnectionWasLostCanStillBeTaken(MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient client = connected(broker, clientId("kept"), NO_AUTO_RECONNECT)) {
      client.subscribe(List.of(Subscription.of("kept", QoS.AT_MOST_ONCE)));
      client.publish("kept", utf8("1"), QoS.AT_MOST_ONCE, false);
      // QoS 1, delivered at the granted QoS 0: its PUBACK follows both messages on the wire.
      client.publish("kept", utf8("2"), QoS.AT_LEAST_ONCE, false);

      broker.stop();
      await("isConnected() false")
          .atMost(Duration.ofSeconds(10))
          .until(() -> !client.isConnected());

      assertThat(receive(client).payloadAsString()).isEqualTo("1");
      assertThat(receive(client).payloadAsString()).isEqualTo("2");
      // Nothing left: the connection is gone, reported as either.
      assertThatThrownBy(client::deliverMessage)
          .isInstanceOfAny(NotConnectedException.class, ConnectionLostException.class);
    }
  }

  @Test
  void reconnectAfterTheBrokerRestartsConnectsAgain(MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient client = connected(broker, clientId("restart"), NO_AUTO_RECONNECT)) {
      broker.stop();
      await("isConnected() false")
          .atMost(Duration.ofSeconds(10))
          .until(() -> !client.isConnected());

      broker.restart();
      Connack ack = client.reconnect();

      assertThat(ack).isEqualTo(Connack.accepted(false));
      assertThat(client.isConnected()).isTrue();
      assertRoundTrip(client, "restart/1");
    }
  }

  /** Subscribes, publishes at QoS 1 to itself and takes the message. */
  private static void assertRoundTrip(MqttClient client, String topic) throws InterruptedException {
    assertThat(client.subscribe(List.of(Subscription.of(topic, QoS.AT_LEAST_ONCE))))
        .containsExactly(1);
    client.publish(topic, utf8("round trip"), QoS.AT_LEAST_ONCE, false);
    Message m = receive(client);
    assertThat(m.topic()).isEqualTo(topic);
    assertThat(m.payloadAsString()).isEqualTo("round trip");
  }

  /**
   * The names of live threads, platform or virtual, that contain {@code clientId}, from the JDK's
   * JSON thread dump ({@code "name": "..."} of each thread).
   */
  private static List<String> threadsNamedAfter(String clientId, Path directory)
      throws IOException {
    Path file = directory.resolve("threads-" + DUMPS.incrementAndGet() + ".json");
    ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
        .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
    return THREAD_NAME
        .matcher(Files.readString(file))
        .results()
        .map(m -> m.group(1))
        .filter(name -> name.contains(clientId))
        .toList();
  }
}
