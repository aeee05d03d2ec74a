package io.vmqtt.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vmqtt.ConnectException;
import io.vmqtt.ConnectOptions;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The process kind on its own: config, listeners, users, lifecycle and failures. */
class MosquittoBrokerTest {

  @Test
  void aStartedBrokerAcceptsMqttConnectionsOnItsPortAndLogsThem() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start()) {
      assertThat(broker.isRunning()).isTrue();
      assertThat(broker.kind()).isEqualTo(TestBroker.Kind.PROCESS);
      assertThat(broker.host()).isEqualTo("127.0.0.1");
      assertThat(broker.port()).isBetween(1, 65535);
      assertThat(broker.uri()).isEqualTo("mqtt://127.0.0.1:" + broker.port());
      assertThat(broker.listeners()).containsExactly(MosquittoBroker.DEFAULT_LISTENER);
      assertThat(broker.configFile()).content().contains("user root", "persistence false");

      assertThat(connack(broker.uri(), "fx-plain", null, null)).isZero();
      broker.awaitLog("as fx-plain (p2, c1, k", Duration.ofSeconds(5));
    }
  }

  @Test
  void closeEndsTheProcessFreesThePortAndDeletesTheDirectory() {
    MosquittoBroker broker = MosquittoBroker.start();
    long pid = broker.pid();
    int port = broker.port();
    Path directory = broker.directory();
    assertThat(ProcessHandle.of(pid)).isPresent();

    broker.close();

    assertThat(broker.isRunning()).isFalse();
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(directory).doesNotExist();
    assertThat(TestFiles.accepts(MosquittoBroker.HOST, port)).isFalse();
    broker.close(); // idempotent
  }

  @Test
  void aMissingExecutableFailsWithAnInstallHint() {
    assertThatThrownBy(
            () -> MosquittoBroker.builder().executable(Path.of("/nonexistent/mosquitto")).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mosquitto is not installed: apt-get install -y mosquitto")
        .hasMessageContaining("/nonexistent/mosquitto");
  }

  @Test
  void theExecutableIsFoundWhereDebianInstallsIt() {
    assertThat(MosquittoBroker.isInstalled()).isTrue();
    try (MosquittoBroker broker = MosquittoBroker.start()) {
      assertThat(broker.executable()).isExecutable();
    }
  }

  @Test
  void aBrokerThatExitsEarlyFailsWithItsConfigAndLog() {
    assertThatThrownBy(() -> MosquittoBroker.builder().extraConfig("bogus_option 1").start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mosquitto exited with code")
        .hasMessageContaining("bogus_option 1")
        .hasMessageContaining("Unknown configuration variable \"bogus_option\"");
  }

  @Test
  void builderArgumentsAreCheckedWhenGiven() {
    MosquittoBroker.Builder builder = MosquittoBroker.builder();
    assertThatThrownBy(() -> builder.user("a:b", "pw"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a:b'");
    assertThatThrownBy(() -> builder.user("alice", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("password");
    assertThatThrownBy(() -> builder.maxQos(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxQos must be between 0 and 2, was 3");
    assertThatThrownBy(() -> builder.file("../escape", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'../escape'");
    assertThatThrownBy(() -> builder.listener(MosquittoBroker.DEFAULT_LISTENER, "mqtt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("listener 'mqtt' is already defined");
    assertThatThrownBy(() -> builder.listener("x", "not a scheme"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a URI scheme: 'not a scheme'");
    assertThatThrownBy(() -> builder.psk("sensor", "xyz"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hex digits");
  }

  @Test
  void aPasswordFileRefusesAnonymousClientsAndWrongPasswordsAndAcceptsItsUsers() throws Exception {
    try (MosquittoBroker broker =
        MosquittoBroker.builder().user("alice", "s3cret").user("bob", "hunter2").start()) {
      // Mosquitto 2.0.11 answers 5 (not authorised) to all three refusals for MQTT 3.1.1.
      assertThat(connack(broker.uri(), "fx-anon", null, null)).isEqualTo(5);
      assertThat(connack(broker.uri(), "fx-wrong", "alice", "wrong")).isEqualTo(5);
      assertThat(connack(broker.uri(), "fx-nobody", "nobody", "s3cret")).isEqualTo(5);
      assertThat(connack(broker.uri(), "fx-alice", "alice", "s3cret")).isZero();
      assertThat(connack(broker.uri(), "fx-bob", "bob", "hunter2")).isZero();
    }
  }

  @Test
  void aChangedPasswordCountsAfterReloadAndTheReloadDisconnectsItsConnectedUser() throws Exception {
    try (MosquittoBroker broker =
            MosquittoBroker.builder().user("alice", "old").user("bob", "hunter2").start();
        MqttClient connected =
            MqttClient.create("fx-stays", MqttConfig.builder().autoReconnect(false).build())) {
      connected.connect(broker.uri(), ConnectOptions.builder().credentials("alice", "old").build());

      broker.changePassword("alice", "new");
      assertThat(connack(broker.uri(), "fx-before", "alice", "old"))
          .as("before the reload")
          .isZero();
      broker.reload();

      assertThat(connack(broker.uri(), "fx-old", "alice", "old")).isEqualTo(5);
      assertThat(connack(broker.uri(), "fx-new", "alice", "new")).isZero();
      assertThat(connack(broker.uri(), "fx-bob", "bob", "hunter2")).isZero();
      // Mosquitto 2.0 re-checks connected clients against the new password file.
      await().atMost(Duration.ofSeconds(5)).until(() -> !connected.isConnected());
      broker.awaitLog("Client fx-stays disconnected.", Duration.ofSeconds(5));
      assertThatThrownBy(() -> broker.changePassword("carol", "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("carol");
    }
  }

  @Test
  void aBrokerWithUsersCanStillAllowAnonymousClients() throws Exception {
    try (MosquittoBroker broker =
        MosquittoBroker.builder().user("alice", "s3cret").allowAnonymous(true).start()) {
      assertThat(connack(broker.uri(), "fx-anon", null, null)).isZero();
      assertThat(connack(broker.uri(), "fx-alice", "alice", "s3cret")).isZero();
    }
  }

  @Test
  void listenerOptionsApplyToTheDefaultListener() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.builder().listenerOption("max_qos 1").start()) {
      assertThat(grantedQos(broker.uri(), "fx-maxqos")).isEqualTo(1);
    }
  }

  @Test
  void maxQosAppliesToEveryListener() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.builder().websockets().maxQos(0).start()) {
      assertThat(broker.configFile()).content().contains("max_qos 0");
      assertThat(grantedQos(broker.uri(), "fx-q0")).isZero();
    }
  }

  @Test
  void additionalListenersGetTheirOwnPortAndUri() throws Exception {
    try (MosquittoBroker broker =
        MosquittoBroker.builder().listener("second", "tcp", "max_qos 0").start()) {
      int second = broker.port("second");
      assertThat(second).isNotEqualTo(broker.port());
      assertThat(broker.uri("second")).isEqualTo("tcp://127.0.0.1:" + second);
      assertThat(broker.listeners()).containsExactly("mqtt", "second");
      assertThat(grantedQos(broker.uri("second"), "fx-second")).isZero();
      assertThat(grantedQos(broker.uri(), "fx-first")).isEqualTo(2);
      assertThatThrownBy(() -> broker.port("third"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("no listener 'third'; listeners: [mqtt, second]");
    }
  }

  @Test
  void filesAndConfigLinesSeeTheBrokerDirectoryAsDollarDir() throws Exception {
    try (MosquittoBroker broker =
        MosquittoBroker.builder()
            .file("conf/users", MosquittoBroker.passwordFileLine("carol", "pw") + "\n")
            .extraConfig("password_file ${dir}/conf/users")
            .allowAnonymous(false)
            .start()) {
      assertThat(broker.configFile())
          .content()
          .contains("password_file " + broker.directory().resolve("conf/users"));
      assertThat(connack(broker.uri(), "fx-anon", null, null)).isEqualTo(5);
      assertThat(connack(broker.uri(), "fx-carol", "carol", "pw")).isZero();
    }
  }

  @Test
  void verboseLogRecordsEveryPacket() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.builder().verboseLog().start()) {
      assertThat(connack(broker.uri(), "fx-verbose", null, null)).isZero();
      broker.awaitLog("Sending CONNACK to fx-verbose (0, 0)", Duration.ofSeconds(5));
    }
  }

  @Test
  void awaitLogFailsWithTheLogTail() {
    try (MosquittoBroker broker = MosquittoBroker.start()) {
      assertThatThrownBy(() -> broker.awaitLog("never logged", Duration.ofMillis(200)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("did not log \"never logged\"")
          .hasMessageContaining("mosquitto version 2.");
    }
  }

  @Test
  void stopClosesClientConnectionsAndRestartComesBackOnTheSamePort() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start()) {
      int port = broker.port();
      long pid = broker.pid();
      try (Socket idle = connectSocket(port)) {
        broker.stop();
        assertThat(broker.isRunning()).isFalse();
        InputStream in = idle.getInputStream();
        idle.setSoTimeout(5_000);
        assertThat(readOrEndOfStream(in)).isEqualTo(-1);
      }

      broker.restart();

      assertThat(broker.isRunning()).isTrue();
      assertThat(broker.port()).isEqualTo(port);
      assertThat(broker.pid()).isNotEqualTo(pid);
      assertThat(connack(broker.uri(), "fx-restarted", null, null)).isZero();
      assertThat(Files.exists(broker.directory())).isTrue();
    }
  }

  @Test
  void clientTlsNeedsATlsOrPskListener() {
    try (MosquittoBroker broker = MosquittoBroker.start()) {
      assertThatThrownBy(broker::clientTls)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("MosquittoBroker.builder().tls()");
    }
  }

  /** The CONNACK return code for a client with these credentials (null: none). */
  static int connack(String uri, String clientId, String user, String password)
      throws InterruptedException {
    ConnectOptions.Builder options = ConnectOptions.builder();
    if (user != null) {
      options.credentials(user, password);
    }
    try (MqttClient client =
        MqttClient.create(clientId, MqttConfig.builder().autoReconnect(false).build())) {
      int code = client.connect(uri, options.build()).returnCode();
      client.disconnect();
      return code;
    } catch (ConnectException e) {
      if (!e.isRefusal()) {
        throw e;
      }
      return e.returnCode();
    }
  }

  /** The QoS the broker grants to a subscription asking for 2. */
  private static int grantedQos(String uri, String clientId) throws InterruptedException {
    try (MqttClient client = MqttClient.create(clientId)) {
      client.connect(uri);
      List<Integer> codes = client.subscribe(List.of(Subscription.of("a/#", QoS.EXACTLY_ONCE)));
      client.disconnect();
      return codes.get(0);
    }
  }

  private static Socket connectSocket(int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static int readOrEndOfStream(InputStream in) {
    try {
      return in.read();
    } catch (IOException reset) {
      return -1; // a reset is as good as an end of stream here
    }
  }
}
