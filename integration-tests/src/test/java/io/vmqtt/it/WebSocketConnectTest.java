package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.connected;
import static io.vmqtt.it.ItSupport.receive;
import static io.vmqtt.it.ItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.vmqtt.ConnectException;
import io.vmqtt.ConnectOptions;
import io.vmqtt.ConnectionLostException;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.WebSocketBridge;
import io.vmqtt.testkit.MosquittoBroker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Connecting with a {@code ws://} URI: what the upgrade carries, how a refused upgrade fails {@code
 * connect}, the threads of a connection, and a broker that goes away.
 */
class WebSocketConnectTest {
  private static final AtomicInteger DUMPS = new AtomicInteger();
  private static final Pattern THREAD_NAME = Pattern.compile("\"name\": \"([^\"]*)\"");

  /** The threads Java-WebSocket's own {@code WebSocketClient} would start; none may run. */
  private static final List<String> LIBRARY_CLIENT_THREADS =
      List.of("WebSocketConnectReadThread", "WebSocketWriteThread", "connectionLostChecker");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"401 Unauthorized", "403 Forbidden", "404 Not Found"})
  void aRefusedUpgradeFailsConnectWithTheHttpStatus(String status) throws Exception {
    try (RefusingServer server = new RefusingServer("HTTP/1.1 " + status + "\r\n\r\n");
        MqttClient client = MqttClient.create(clientId("refused"), MqttConfig.defaults())) {
      String uri = "ws://127.0.0.1:" + server.port() + "/mqtt";

      ConnectException e = catchThrowableOfType(ConnectException.class, () -> client.connect(uri));

      assertThat(e.getMessage())
          .isEqualTo(
              "cannot connect to "
                  + uri
                  + ": WebSocket upgrade refused by "
                  + uri
                  + ": HTTP "
                  + status);
      assertThat(e.returnCode()).isEqualTo(ConnectException.NO_RETURN_CODE);
      assertThat(e.getCause()).isInstanceOf(IOException.class);
      assertThat(client.isConnected()).isFalse();
    }
  }

  /** Issue 14, item 6: a reset used to read "Connection reset", and nothing of the upgrade. */
  @Test
  void aServerThatResetsTheConnectionDuringTheUpgradeFailsConnectSayingTheUpgradeFailed()
      throws Exception {
    try (RefusingServer server = RefusingServer.resetting();
        MqttClient client = MqttClient.create(clientId("reset"), MqttConfig.defaults())) {
      String uri = "ws://127.0.0.1:" + server.port() + "/mqtt";

      ConnectException e = catchThrowableOfType(ConnectException.class, () -> client.connect(uri));

      assertThat(e.getMessage())
          .startsWith(
              "cannot connect to " + uri + ": the WebSocket upgrade with " + uri + " failed: ")
          .containsIgnoringCase("reset");
      assertThat(e.getCause()).isInstanceOf(IOException.class);
      assertThat(client.isConnected()).isFalse();
    }
  }

  /** Issue 14, item 6: the TCP connection's own failure used to be prefixed twice. */
  @Test
  void aClosedPortIsReportedWithOneCannotConnectPrefix() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    try (MqttClient client = MqttClient.create(clientId("closed"), MqttConfig.defaults())) {
      String uri = "ws://127.0.0.1:" + port + "/mqtt";

      ConnectException e = catchThrowableOfType(ConnectException.class, () -> client.connect(uri));

      assertThat(e.getMessage()).startsWith("cannot connect to " + uri + ": ").contains("refused");
      assertThat(e.getMessage().split("cannot connect to", -1)).hasSize(2);
    }
  }

  /** Mosquitto accepts an upgrade without a subprotocol but then never answers CONNECT. */
  @Test
  void anUpgradeWithoutTheSubprotocolFailsConnectSayingSo() throws Exception {
    try (NoSubprotocolServer server = NoSubprotocolServer.running();
        MqttClient client = MqttClient.create(clientId("nosub"), MqttConfig.defaults())) {
      String uri = "ws://127.0.0.1:" + server.getPort() + "/mqtt";

      ConnectException e = catchThrowableOfType(ConnectException.class, () -> client.connect(uri));

      assertThat(e.getMessage())
          .startsWith("cannot connect to " + uri + ": ")
          .contains("without agreeing to the subprotocol 'mqtt'")
          .endsWith("[MQTT-6.0.0-4]");
      assertThat(client.isConnected()).isFalse();
    }
  }

  @Test
  void aServerThatNeverAnswersTheUpgradeFailsConnectWithinConnectTimeout() throws Exception {
    MqttConfig config = MqttConfig.builder().connectTimeout(Duration.ofMillis(500)).build();
    try (RefusingServer silent = new RefusingServer(null);
        MqttClient client = MqttClient.create(clientId("silent"), config)) {
      String uri = "ws://127.0.0.1:" + silent.port() + "/mqtt";

      ConnectException e = catchThrowableOfType(ConnectException.class, () -> client.connect(uri));

      assertThat(e.getMessage()).contains("did not complete within 500 ms (connect_timeout)");
    }
  }

  /**
   * The request goes to the URI's path and query with the subprotocol and the extra headers; the
   * URI's user name and password go in CONNECT, not into HTTP.
   */
  @Test
  void theUpgradeCarriesPathHeadersAndSubprotocolAndTheUriCredentialsGoInConnect()
      throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Client", "sensor-7");
    headers.put("Proxy-Authorization", "Basic cHJveHk6cGFzcw==");
    MqttConfig config =
        MqttConfig.builder().extraHeaders(Map.of("X-Replaced", "by the options")).build();
    ConnectOptions options = ConnectOptions.builder().extraHeaders(headers).build();
    try (MosquittoBroker broker = MosquittoBroker.builder().user("alice", "s3cret").start();
        WebSocketBridge bridge = WebSocketBridge.start(broker.port());
        MqttClient client = MqttClient.create(clientId("headers"), config)) {
      String uri = bridge.uri("/mqtt?tenant=7").replace("ws://", "ws://alice:s3cret@");

      assertThat(client.connect(uri, options).returnCode()).isZero();

      ClientHandshake request = bridge.takeHandshake();
      assertThat(request.getResourceDescriptor()).isEqualTo("/mqtt?tenant=7");
      assertThat(request.getFieldValue("Sec-WebSocket-Protocol")).isEqualTo("mqtt");
      assertThat(request.getFieldValue("X-Client")).isEqualTo("sensor-7");
      assertThat(request.getFieldValue("Proxy-Authorization")).isEqualTo("Basic cHJveHk6cGFzcw==");
      assertThat(request.hasFieldValue("X-Replaced")).isFalse();
      for (Iterator<String> it = request.iterateHttpFields(); it.hasNext(); ) {
        String field = it.next();
        assertThat(request.getFieldValue(field)).doesNotContain("alice").doesNotContain("s3cret");
      }
      client.ping();
    }
  }

  /** MQTT 3.1 offers the subprotocol {@code mqttv3.1}, which mosquitto knows too. */
  @Test
  void mqtt31ConnectsOverWebSocketWithTheSubprotocolMqttv31() throws Exception {
    MqttConfig config = MqttConfig.builder().protocolVersion(3).build();
    try (MosquittoBroker broker =
            MosquittoBroker.builder().listener("ws", "ws", "protocol websockets").start();
        MqttClient client = connected(broker.uri("ws") + "/mqtt", clientId("v31"), config)) {
      client.subscribe(List.of(Subscription.of("v31/t", QoS.EXACTLY_ONCE)));
      client.publish("v31/t", utf8("old protocol"), QoS.EXACTLY_ONCE, false);

      assertThat(receive(client).payloadAsString()).isEqualTo("old protocol");
    }
  }

  @Test
  void afterCloseNoThreadOfAWebSocketConnectionIsLeft(@TempDir Path dumps) throws Exception {
    try (MosquittoBroker broker =
        MosquittoBroker.builder().listener("ws", "ws", "protocol websockets").start()) {
      String readThread = "vmqtt-ws-127.0.0.1:" + broker.port("ws");
      String id = clientId("ws-threads");
      try (MqttClient client = connected(broker.uri("ws") + "/mqtt", id, MqttConfig.defaults())) {
        client.subscribe(List.of(Subscription.of("threads/1", QoS.AT_LEAST_ONCE)));
        client.publish("threads/1", utf8("x"), QoS.AT_LEAST_ONCE, false);
        receive(client);

        List<String> names = threadNames(dumps);
        assertThat(names).filteredOn(n -> n.startsWith(readThread)).containsExactly(readThread);
        assertThat(names).filteredOn(n -> n.contains(id)).isNotEmpty();
        assertThat(names).noneMatch(WebSocketConnectTest::isLibraryClientThread);
      }
      await("no thread of the closed WebSocket connection left")
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () ->
                  assertThat(threadNames(dumps))
                      .noneMatch(n -> n.startsWith(readThread) || n.contains(id))
                      .noneMatch(WebSocketConnectTest::isLibraryClientThread));
    }
  }

  @Test
  void whenTheBrokerGoesAwayAWaitingDeliverMessageThrowsConnectionLost() throws Exception {
    MqttConfig config = MqttConfig.builder().autoReconnect(false).build();
    try (MosquittoBroker broker =
            MosquittoBroker.builder().listener("ws", "ws", "protocol websockets").start();
        MqttClient client = connected(broker.uri("ws") + "/mqtt", clientId("ws-lost"), config)) {
      client.subscribe(List.of(Subscription.of("lost", QoS.AT_LEAST_ONCE)));
      CompletableFuture<Message> taken = new CompletableFuture<>();
      CountDownLatch waiting = new CountDownLatch(1);
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  waiting.countDown();
                  taken.complete(client.deliverMessage());
                } catch (Throwable t) {
                  taken.completeExceptionally(t);
                }
              });
      assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();

      broker.stop();

      Throwable failure =
          catchThrowableOfType(ExecutionException.class, () -> taken.get(20, TimeUnit.SECONDS))
              .getCause();
      assertThat(failure).isInstanceOf(ConnectionLostException.class);
      assertThat(failure.getCause()).as("the failure that closed the connection").isNotNull();
      await("isConnected() false")
          .atMost(Duration.ofSeconds(10))
          .until(() -> !client.isConnected());
    }
  }

  private static boolean isLibraryClientThread(String name) {
    return LIBRARY_CLIENT_THREADS.stream().anyMatch(name::startsWith);
  }

  private static List<String> threadNames(Path directory) throws IOException {
    Path file = directory.resolve("threads-" + DUMPS.incrementAndGet() + ".json");
    ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
        .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
    return THREAD_NAME.matcher(Files.readString(file)).results().map(m -> m.group(1)).toList();
  }

  /**
   * Answers one upgrade request with a fixed HTTP answer, or with nothing when it is null, and
   * keeps the connection open until closed.
   */
  private static final class RefusingServer implements AutoCloseable {
    private final ServerSocket server;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread thread;

    /** Resets the connection (RST, by SO_LINGER 0) once it has read the upgrade request. */
    static RefusingServer resetting() throws IOException {
      return new RefusingServer(null, true);
    }

    RefusingServer(String answer) throws IOException {
      this(answer, false);
    }

    private RefusingServer(String answer, boolean reset) throws IOException {
      server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      thread =
          Thread.ofVirtual()
              .name("refusing-server")
              .start(
                  () -> {
                    try (Socket s = server.accept()) {
                      readHead(s);
                      if (reset) {
                        s.setSoLinger(true, 0);
                        return;
                      }
                      if (answer != null) {
                        s.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                      }
                      done.await();
                    } catch (IOException | InterruptedException e) {
                      // the client's side is what the test looks at
                    }
                  });
    }

    int port() {
      return server.getLocalPort();
    }

    private static void readHead(Socket s) throws IOException {
      int matched = 0;
      for (int b; matched < 4 && (b = s.getInputStream().read()) != -1; ) {
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
    }

    @Override
    public void close() throws IOException, InterruptedException {
      done.countDown();
      server.close();
      thread.join(Duration.ofSeconds(5));
    }
  }

  /** Completes every upgrade without choosing a subprotocol. */
  private static final class NoSubprotocolServer extends WebSocketServer implements AutoCloseable {
    private final CountDownLatch started = new CountDownLatch(1);

    private NoSubprotocolServer() {
      super(new InetSocketAddress("127.0.0.1", 0), 1);
      setConnectionLostTimeout(0);
      setReuseAddr(true);
    }

    static NoSubprotocolServer running() throws InterruptedException {
      NoSubprotocolServer s = new NoSubprotocolServer();
      s.start();
      if (!s.started.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test WebSocket server did not start");
      }
      return s;
    }

    @Override
    public void onStart() {
      started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {}

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onMessage(WebSocket conn, String message) {}

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void close() throws InterruptedException {
      stop(1000);
    }
  }
}
