package io.vmqtt.it.brokers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vmqtt.ConnectException;
import io.vmqtt.ConnectOptions;
import io.vmqtt.ConnectionLostException;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.TlsOptions;
import io.vmqtt.testkit.TestCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker fixtures on their own: each starts with users and anonymous clients refused, reports
 * its version, and leaves nothing behind when closed (no process, no directory, no listening port).
 */
@Tag("broker-matrix") // only with -Pbroker-matrix, like the matrix (BrokerMatrix.TAG)
class BrokerFixturesTest {
  // MQTT 3.1.1's CONNACK return codes [MQTT-3.2.2-3].
  private static final int NOT_AUTHORIZED = 5;
  private static final int BAD_USER_NAME_OR_PASSWORD = 4;

  private static final String USER = "alice";
  private static final String PASSWORD = "s3cret";

  @Test
  void natsServerRefusesAnonymousClientsWhenItHasUsersAndLeavesNothingBehind() throws Exception {
    assumeTrue(Files.isExecutable(NatsServer.DEFAULT_EXECUTABLE), NatsServer.NOT_INSTALLED);
    NatsServer nats = NatsServer.builder().user(USER, PASSWORD).start();
    try {
      assertThat(nats.product()).isEqualTo("NATS server");
      assertThat(nats.version()).matches("\\d+\\.\\d+\\.\\d+");
      assertThat(nats.uri()).isEqualTo("mqtt://127.0.0.1:" + nats.port());
      assertThat(accepts(nats.natsPort())).isTrue();
      assertThat(nats.log()).contains("Starting JetStream", nats.serverName());
      assertCredentialsChecked(nats, NOT_AUTHORIZED, NOT_AUTHORIZED);
    } finally {
      nats.close();
    }
    assertGone(nats.directory(), nats.port(), nats.natsPort());
    nats.close(); // idempotent
  }

  @Test
  void aMissingNatsServerFailsWithAnInstallHint() {
    assertThatThrownBy(() -> NatsServer.builder().executable(Path.of("/nonexistent/nats")).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apt-get install -y nats-server");
  }

  /** A node of its own (name, epmd, ports, directory), of which nothing survives close(). */
  @Test
  void rabbitMqRunsANodeOfItsOwnWithItsOwnEpmdAndLeavesNothingBehind() throws Exception {
    assumeTrue(Files.isExecutable(RabbitMq.DEFAULT_EXECUTABLE), RabbitMq.NOT_INSTALLED);
    RabbitMq rabbit = RabbitMq.builder().user(USER, PASSWORD).start();
    String node = rabbit.nodeName();
    List<ProcessHandle> processes = rabbit.processes();
    try {
      assertThat(rabbit.version()).matches("\\d+\\.\\d+\\.\\d+");
      assertThat(node).matches("vmqtt-it-[0-9a-f]{8}@localhost");
      assertThat(accepts(rabbit.amqpPort())).isTrue();
      assertThat(processes)
          .as("epmd, the start script, the Erlang VM")
          .hasSizeGreaterThanOrEqualTo(3);
      assertThat(processes).allMatch(ProcessHandle::isAlive);
      assertThat(processes.get(0).info().command().orElse("")).endsWith("epmd");
      // RabbitMQ refuses anonymous clients (mqtt.allow_anonymous false) like bad credentials.
      assertCredentialsChecked(rabbit, BAD_USER_NAME_OR_PASSWORD, BAD_USER_NAME_OR_PASSWORD);
    } finally {
      rabbit.close();
    }
    assertThat(processes)
        .as("processes of node %s after close", node)
        .noneMatch(ProcessHandle::isAlive);
    assertThat(rabbit.processes()).isEmpty();
    assertGone(rabbit.directory(), rabbit.port(), rabbit.amqpPort());
  }

  @Test
  void rabbitMqPasswordHashesAreSaltedSha256AsRabbitMqStoresThem() throws Exception {
    byte[] hash = java.util.Base64.getDecoder().decode(RabbitMqDefinitions.passwordHash("guest"));
    assertThat(hash).hasSize(4 + 32);
    java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
    sha256.update(hash, 0, 4);
    assertThat(sha256.digest("guest".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(java.util.Arrays.copyOfRange(hash, 4, 36));
  }

  @Test
  void moquetteRunsInProcessRefusesAnonymousClientsWhenItHasUsersAndStops() throws Exception {
    Moquette moquette = Moquette.builder().user(USER, PASSWORD).start();
    try {
      assertThat(moquette.version()).isEqualTo("0.17");
      // Moquette 0.17 refuses a client without credentials with 4, like a wrong password.
      assertCredentialsChecked(moquette, BAD_USER_NAME_OR_PASSWORD, BAD_USER_NAME_OR_PASSWORD);
    } finally {
      moquette.close();
    }
    assertThat(accepts(moquette.port())).isFalse();
  }

  /**
   * What MQTT 5 tests need of HiveMQ: listeners of every kind on free ports, users, limits from the
   * builder, and several brokers in one JVM (they share HiveMQ's class loader).
   */
  @Test
  void hiveMqServesTcpTlsAndWebSocketListenersWithTheLimitsItWasGiven(@TempDir Path tmp)
      throws Exception {
    char[] password = "keystore-1".toCharArray();
    Path keystore = tmp.resolve("server.p12");
    writeKeyStore(keystore, password);
    HiveMq.Tls tls = new HiveMq.Tls(keystore, "keystore-1", "keystore-1");
    HiveMq hivemq =
        HiveMq.builder()
            .tlsTcpListener("tls", tls)
            .websocketListener("ws", "/mqtt")
            .tlsWebsocketListener("wss", "/mqtt", tls)
            .user(USER, PASSWORD)
            .start();
    try (HiveMq limited = HiveMq.builder().maxQos(1).retainedMessages(false).start()) {
      assertThat(hivemq.version()).matches("\\d{4}\\.\\d+");
      assertThat(hivemq.listeners()).containsExactly("mqtt", "tls", "ws", "wss");
      assertThat(hivemq.uri("tls")).isEqualTo("mqtts://127.0.0.1:" + hivemq.port("tls"));
      assertThat(hivemq.uri("ws")).isEqualTo("ws://127.0.0.1:" + hivemq.port("ws") + "/mqtt");
      assertThat(hivemq.capabilities().maximumQos()).isEqualTo(QoS.EXACTLY_ONCE);
      assertCredentialsChecked(hivemq, NOT_AUTHORIZED, BAD_USER_NAME_OR_PASSWORD);

      ConnectOptions user = ConnectOptions.builder().credentials(USER, PASSWORD).build();
      ConnectOptions tlsUser =
          ConnectOptions.builder()
              .credentials(USER, PASSWORD)
              .tls(
                  TlsOptions.builder().caData(TestCertificates.get().ca().certificatePem()).build())
              .build();
      for (String listener : List.of("mqtt", "tls", "ws", "wss")) {
        ConnectOptions options = listener.equals("mqtt") || listener.equals("ws") ? user : tlsUser;
        assertRoundTripGrantedQos1Or2(hivemq.uri(listener), options, QoS.EXACTLY_ONCE);
      }

      // A second broker in the same JVM, with limits: max-qos 1 and no retained messages. An
      // MQTT 3 client learns of neither (HiveMQ still grants QoS 2 in SUBACK); a PUBLISH beyond
      // them closes its connection.
      assertThat(limited.port()).isNotEqualTo(hivemq.port());
      assertThat(limited.capabilities().maximumQos()).isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(limited.capabilities().retainAvailable()).isFalse();
      assertThat(limited.configFile())
          .content()
          .contains("<max-qos>1</max-qos>", "<retained-messages><enabled>false</enabled>");
      assertRoundTripGrantedQos1Or2(limited.uri(), ConnectOptions.defaults(), QoS.EXACTLY_ONCE);
      assertPublishClosesTheConnection(limited, QoS.EXACTLY_ONCE, false);
      assertPublishClosesTheConnection(limited, QoS.AT_LEAST_ONCE, true);
      assertThat(hivemq.log()).contains("Started TCP Listener on address 127.0.0.1");
    } finally {
      hivemq.close();
    }
    for (String listener : List.of("mqtt", "tls", "ws", "wss")) {
      assertThat(accepts(hivemq.port(listener))).as("%s after close", listener).isFalse();
    }
    assertThat(hivemq.directory()).doesNotExist();
  }

  @Test
  void mosquittoReportsTheVersionFromItsLog() {
    try (Mosquitto mosquitto = Mosquitto.builder().start()) {
      assertThat(mosquitto.product()).isEqualTo("mosquitto");
      assertThat(mosquitto.version()).matches("\\d+\\.\\d+\\.\\d+");
      assertThat(mosquitto.listeners()).containsExactly("mqtt");
      assertThat(mosquitto.uri()).isEqualTo(mosquitto.mosquitto().uri());
    }
  }

  // --- helpers --------------------------------------------------------------------------------

  /**
   * A client without credentials is refused with {@code anonymousCode}, a wrong password with
   * {@code wrongCode}; the right credentials connect and make a round trip.
   */
  private static void assertCredentialsChecked(Broker broker, int anonymousCode, int wrongCode)
      throws InterruptedException {
    MqttConfig config = config();
    try (MqttClient client = MqttClient.create(id(), config)) {
      ConnectException anonymous =
          catchThrowableOfType(ConnectException.class, () -> client.connect(broker.uri()));
      assertThat(anonymous).as("anonymous connect").isNotNull();
      assertThat(anonymous.returnCode())
          .as("anonymous connect: %s", anonymous)
          .isEqualTo(anonymousCode);
      ConnectException wrong =
          catchThrowableOfType(
              ConnectException.class,
              () ->
                  client.connect(
                      broker.uri(), ConnectOptions.builder().credentials(USER, "wrong").build()));
      assertThat(wrong).as("connect with a wrong password").isNotNull();
      assertThat(wrong.returnCode()).as("wrong password: %s", wrong).isEqualTo(wrongCode);
    }
    assertRoundTripGrantedQos1Or2(
        broker.uri(),
        ConnectOptions.builder().credentials(USER, PASSWORD).build(),
        broker.capabilities().maximumQos() == QoS.EXACTLY_ONCE
            ? QoS.EXACTLY_ONCE
            : QoS.AT_LEAST_ONCE);
  }

  private static void assertPublishClosesTheConnection(Broker broker, QoS qos, boolean retain)
      throws InterruptedException {
    try (MqttClient client = MqttClient.create(id(), config())) {
      client.connect(broker.uri());
      assertThatThrownBy(() -> client.publish("fixture/limit", new byte[1], qos, retain))
          .isInstanceOf(ConnectionLostException.class);
      assertThat(client.isConnected()).isFalse();
    }
  }

  /** Subscribes at QoS 2 (expecting {@code granted}), publishes at QoS 1 and receives it. */
  private static void assertRoundTripGrantedQos1Or2(String uri, ConnectOptions options, QoS granted)
      throws InterruptedException {
    MqttConfig config = config();
    try (MqttClient client = MqttClient.create(id(), config)) {
      assertThat(client.connect(uri, options).returnCode()).isZero();
      String topic = "fixture/" + client.clientId();
      assertThat(client.subscribe(List.of(Subscription.of(topic, QoS.EXACTLY_ONCE))))
          .containsExactly(granted.value());
      client.publish(topic, "hello".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false);
      Message m = client.deliverMessage(Duration.ofSeconds(15));
      assertThat(m.payloadAsString()).isEqualTo("hello");
      client.disconnect();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no message from " + uri, e);
    }
  }

  private static void writeKeyStore(Path file, char[] password)
      throws IOException, GeneralSecurityException {
    KeyStore ks =
        TestCertificates.get()
            .server()
            .keyStore(password, TestCertificates.get().ca().certificate());
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, password);
    }
  }

  /**
   * No automatic reconnection; a generous connect timeout: a broker just started, on a loaded
   * machine, may take seconds over its first CONNECT (HiveMQ loads its extension system's classes).
   */
  private static MqttConfig config() {
    return MqttConfig.builder().autoReconnect(false).connectTimeout(Duration.ofSeconds(60)).build();
  }

  private static String id() {
    return "fx-" + Integer.toHexString(ThreadLocalRandom.current().nextInt() | 0x10000000);
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void assertGone(Path directory, int... ports) {
    assertThat(directory).doesNotExist();
    for (int port : ports) {
      assertThat(accepts(port)).as("port %d after close", port).isFalse();
    }
  }
}
