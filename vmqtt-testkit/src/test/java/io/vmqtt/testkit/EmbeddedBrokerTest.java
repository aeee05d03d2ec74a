package io.vmqtt.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerTest {

  /** CONNECT, MQTT 3.1.1, clean session, keep-alive 60 s, client id "demo" [MQTT-3.1]. */
  private static final byte[] CONNECT = {
    0x10,
    16, // fixed header: CONNECT, remaining length 16
    0x00,
    0x04,
    'M',
    'Q',
    'T',
    'T', // protocol name
    0x04, // protocol level 4 = 3.1.1
    0x02, // connect flags: clean session
    0x00,
    0x3C, // keep-alive 60 s
    0x00,
    0x04,
    'd',
    'e',
    'm',
    'o' // client identifier
  };

  /** CONNACK, remaining length 2, session present 0, return code 0 = accepted [MQTT-3.2]. */
  private static final byte[] CONNACK_ACCEPTED = {0x20, 0x02, 0x00, 0x00};

  /** The method of Moquette 0.17's {@code Server} that starts the telemetry thread. */
  private static final String TELEMETRY_STARTER = "collectAndSendTelemetryDataAsynch";

  @Test
  void theBrokerListensOnAFreePortOfTheLoopbackAndAcceptsAnAnonymousConnect() throws IOException {
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      assertThat(broker.port()).isPositive();
      assertThat(broker.uri()).isEqualTo("mqtt://127.0.0.1:" + broker.port());

      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", broker.port()), 5_000);
        socket.setSoTimeout(5_000);
        OutputStream out = socket.getOutputStream();
        out.write(CONNECT);
        out.flush();
        assertThat(readFully(socket.getInputStream(), 4)).containsExactly(CONNACK_ACCEPTED);
      }
    }
  }

  @Test
  void closingTheBrokerStopsItsListener() throws IOException {
    EmbeddedBroker broker = EmbeddedBroker.start();
    int port = broker.port();
    broker.close();

    assertThatThrownBy(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
              }
            })
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void theConfigurationTurnsTelemetryAndPersistenceOff() {
    IConfig config = EmbeddedBroker.config();

    // Server.startServer reads exactly this: config.boolProp("telemetry_enabled", true)
    assertThat(config.boolProp(EmbeddedBroker.TELEMETRY_ENABLED, true)).isFalse();
    assertThat(config.boolProp("persistence_enabled", true)).isFalse();
    assertThat(config.getProperty("allow_anonymous")).isEqualTo("true");
    assertThat(config.getProperty("host")).isEqualTo("127.0.0.1");
    assertThat(config.getProperty("websocket_port")).isEqualTo("disabled");
  }

  @Test
  void startingTheBrokerStartsNoTelemetryThread() throws Exception {
    List<RecordedEvent> starts;
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ThreadStart").withStackTrace();
      recording.start();
      EmbeddedBroker.start().close();
      recording.stop();
      starts = events(recording);
    }

    assertThat(starts).as("thread starts recorded").isNotEmpty();
    assertThat(telemetryThread(starts)).isEmpty();
  }

  /**
   * The control for the test above: with Moquette's default, the same recording does see the
   * telemetry thread start. A proxy selector that refuses every URI keeps the thread off the
   * network, and its data directory is a temporary one.
   */
  @Test
  void withMoquettesDefaultTheTelemetryThreadIsSeenToStart(@TempDir Path data) throws Exception {
    IConfig config = EmbeddedBroker.config();
    config.setProperty(EmbeddedBroker.TELEMETRY_ENABLED, "true");
    config.setProperty("data_path", data.toString() + "/");
    ProxySelector previous = ProxySelector.getDefault();
    ProxySelector.setDefault(new RefusingProxySelector());
    try {
      List<RecordedEvent> starts;
      try (Recording recording = new Recording()) {
        recording.enable("jdk.ThreadStart").withStackTrace();
        recording.start();
        Server server = new Server();
        server.startServer(config);
        server.stopServer();
        recording.stop();
        starts = events(recording);
      }

      Optional<RecordedThread> telemetry = telemetryThread(starts);
      assertThat(telemetry).isPresent();
      join(telemetry.get().getJavaThreadId());
    } finally {
      ProxySelector.setDefault(previous);
    }
  }

  private static Optional<RecordedThread> telemetryThread(List<RecordedEvent> threadStarts) {
    return threadStarts.stream()
        .filter(
            e ->
                e.getStackTrace() != null
                    && e.getStackTrace().getFrames().stream()
                        .anyMatch(f -> f.getMethod().getName().equals(TELEMETRY_STARTER)))
        .map(e -> (RecordedThread) e.getValue("thread"))
        .findFirst();
  }

  private static List<RecordedEvent> events(Recording recording) throws IOException {
    Path file = Files.createTempFile("thread-starts", ".jfr");
    try {
      recording.dump(file);
      return RecordingFile.readAllEvents(file);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void join(long threadId) throws InterruptedException {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.threadId() == threadId) {
        t.join(10_000);
      }
    }
  }

  private static byte[] readFully(InputStream in, int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    assertThat(bytes).as("bytes received before the broker closed").hasSize(n);
    return bytes;
  }

  /** Fails every lookup, so no URL connection of this JVM can be opened. */
  private static final class RefusingProxySelector extends ProxySelector {
    @Override
    public List<Proxy> select(URI uri) {
      throw new IllegalArgumentException("no network in tests: " + uri);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException e) {}
  }
}
