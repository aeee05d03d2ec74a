package io.vmqtt.testkit;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Moquette 0.17 broker running in this JVM on 127.0.0.1 and a free port: the {@link
 * TestBroker.Kind#EMBEDDED embedded} kind of {@link TestBroker}. It needs nothing installed and
 * speaks MQTT 3.1.1 (and 3.1). Sessions are kept in memory only, messages up to {@value
 * #MAX_MESSAGE_SIZE} bytes are accepted, and Moquette's telemetry is off.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.start()) {
 *   client.connect(broker.uri());                 // mqtt://127.0.0.1:<port>
 * }
 * try (EmbeddedBroker broker = EmbeddedBroker.builder()
 *         .user("alice", "s3cret")                 // anonymous clients are refused then
 *         .websockets()                            // ws://127.0.0.1:<port>/mqtt
 *         .start()) {
 *   client.connect(broker.websocketUri(), ConnectOptions.builder()
 *       .credentials("alice", "s3cret").build());
 * }
 * }</pre>
 *
 * <p>Moquette publishes no {@code $SYS} topics. It starts its own (Netty) platform threads; {@link
 * #close()} stops them. Thread-safe: any thread may read its accessors or close it.
 */
public final class EmbeddedBroker implements TestBroker {

  /**
   * Moquette 0.16+ posts the OS, JVM, heap size, broker version and a UUID it keeps in {@code
   * data_path} to telemetry.moquette.io at start-up unless this is false: {@code
   * Server.startServer} reads it with {@code config.boolProp("telemetry_enabled", true)} ({@code
   * BrokerConstants.ENABLE_TELEMETRY_NAME} in 0.17).
   */
  static final String TELEMETRY_ENABLED = "telemetry_enabled";

  /**
   * The largest message the broker accepts, 16 MiB (Moquette's own default, {@code
   * netty.mqtt.message_size}, is 8,092 bytes: a bigger PUBLISH closes the connection).
   */
  public static final int MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

  /** The path of the WebSocket listener, Moquette's. */
  public static final String WEBSOCKET_PATH = "/mqtt";

  private static final String HOST = "127.0.0.1";
  private static final Duration BIND_WAIT = Duration.ofSeconds(5);
  private static final int START_ATTEMPTS = 5;

  private final Server server;
  private final int port;
  private final Optional<Integer> websocketPort;
  private final Optional<Path> passwordFile;
  private final ReentrantLock lock = new ReentrantLock();

  /** Whether {@link #close()} ran; guarded by {@link #lock}, read without it. */
  private volatile boolean closed;

  private EmbeddedBroker(
      Server server, int port, Optional<Integer> websocketPort, Optional<Path> passwordFile) {
    this.server = server;
    this.port = port;
    this.websocketPort = websocketPort;
    this.passwordFile = passwordFile;
  }

  /**
   * Starts a broker that accepts anonymous clients on one MQTT listener.
   *
   * @throws UncheckedIOException when it cannot start, e.g. cannot bind a port
   */
  public static EmbeddedBroker start() {
    return builder().start();
  }

  /** A builder for a broker with users or a WebSocket listener. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The configuration the broker is started with. {@code MemoryConfig} fills in Moquette's defaults
   * first, among them {@code persistence_enabled=true} with {@code data_path=data/}, so persistence
   * is turned off explicitly.
   */
  static IConfig config() {
    return config(0, Optional.empty(), Optional.empty());
  }

  static IConfig config(int port, Optional<Integer> websocketPort, Optional<Path> passwordFile) {
    Properties p = new Properties();
    p.setProperty("host", HOST);
    p.setProperty("port", Integer.toString(port));
    p.setProperty("allow_anonymous", Boolean.toString(passwordFile.isEmpty()));
    passwordFile.ifPresent(file -> p.setProperty("password_file", file.toString()));
    p.setProperty("persistence_enabled", "false"); // in-memory sessions, nothing written to disk
    p.setProperty(
        "websocket_port", websocketPort.map(ws -> Integer.toString(ws)).orElse("disabled"));
    p.setProperty("netty.mqtt.message_size", Integer.toString(MAX_MESSAGE_SIZE));
    // ssl_port and secure_websocket_port stay unset: Moquette sets up TLS when either is present,
    // even as "disabled".
    p.setProperty(TELEMETRY_ENABLED, "false");
    return new MemoryConfig(p);
  }

  @Override
  public Kind kind() {
    return Kind.EMBEDDED;
  }

  /** {@code 127.0.0.1}. */
  @Override
  public String host() {
    return HOST;
  }

  /** The port the broker listens on, on 127.0.0.1. */
  @Override
  public int port() {
    return port;
  }

  /** The URI clients connect to: {@code mqtt://127.0.0.1:<port>}. */
  @Override
  public String uri() {
    return "mqtt://" + HOST + ":" + port;
  }

  /**
   * {@code ws://127.0.0.1:<port>/mqtt}, the WebSocket listener (add {@code io.vmqtt:mqtt-websocket}
   * to the client's class path).
   *
   * @throws IllegalStateException when the broker was built without {@link Builder#websockets()}
   */
  public String websocketUri() {
    return "ws://"
        + HOST
        + ":"
        + websocketPort.orElseThrow(
            () ->
                new IllegalStateException(
                    "this broker has no WebSocket listener: build it with"
                        + " EmbeddedBroker.builder().websockets()"))
        + WEBSOCKET_PATH;
  }

  @Override
  public boolean isRunning() {
    return !closed;
  }

  /** Stops the broker and its threads, closing every client connection. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      server.stopServer();
      passwordFile.ifPresent(file -> TestFiles.deleteTree(file.getParent()));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "EmbeddedBroker[" + uri() + (closed ? ", closed]" : "]");
  }

  /** Builds an {@link EmbeddedBroker}; {@link #start()} runs it. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> users = new LinkedHashMap<>();
    private boolean websockets;

    private Builder() {}

    /**
     * Adds a user; once there is one, anonymous clients are refused (CONNACK 5 from Moquette).
     *
     * @throws IllegalArgumentException when the name is empty or contains ':'
     */
    public Builder user(String name, String password) {
      PasswordFile.checkUser(name);
      users.put(name, Objects.requireNonNull(password, "password"));
      return this;
    }

    /** Adds a WebSocket listener on its own free port, path {@value #WEBSOCKET_PATH}. */
    public Builder websockets() {
      this.websockets = true;
      return this;
    }

    /**
     * Starts the broker and waits until it accepts connections.
     *
     * @throws UncheckedIOException when it cannot start, e.g. cannot bind a port
     */
    public EmbeddedBroker start() {
      if (System.getProperty("io.netty.noUnsafe") == null) {
        // Netty 4.1 would use sun.misc.Unsafe, which JDK 24+ warns about on the console.
        System.setProperty("io.netty.noUnsafe", "true");
      }
      Optional<Path> passwordFile = users.isEmpty() ? Optional.empty() : Optional.of(writeUsers());
      IOException last = null;
      for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
        // Ports chosen here, not 0: Moquette reports a port it picked from a HashMap that Netty
        // fills on another thread, and reading it meanwhile can corrupt the map.
        List<Integer> ports = TestFiles.freePorts(HOST, websockets ? 2 : 1);
        Optional<Integer> ws = websockets ? Optional.of(ports.get(1)) : Optional.empty();
        Server server = new Server();
        try {
          server.startServer(config(ports.get(0), ws, passwordFile));
          awaitListening(ports);
          return new EmbeddedBroker(server, ports.get(0), ws, passwordFile);
        } catch (IOException e) {
          server.stopServer(); // another process took the port in between: try another
          last = e;
        }
      }
      passwordFile.ifPresent(file -> TestFiles.deleteTree(file.getParent()));
      throw new UncheckedIOException(
          "the embedded Moquette broker did not start in " + START_ATTEMPTS + " attempts", last);
    }

    /** Moquette's password file: {@code user:sha256hex(password)} per line. */
    private Path writeUsers() {
      try {
        Path directory = Files.createTempDirectory("moquette-");
        StringBuilder lines = new StringBuilder();
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        users.forEach(
            (user, password) ->
                lines
                    .append(user)
                    .append(':')
                    .append(
                        HexFormat.of()
                            .formatHex(sha256.digest(password.getBytes(StandardCharsets.UTF_8))))
                    .append('\n'));
        Path file = directory.resolve("passwords");
        TestFiles.write(file, lines.toString());
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the embedded broker's password file", e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is not available", e);
      }
    }

    /** Waits, bounded, until the broker accepts connections on every port. */
    private static void awaitListening(List<Integer> ports) throws IOException {
      long deadline = System.nanoTime() + BIND_WAIT.toNanos();
      for (int port : ports) {
        while (!TestFiles.accepts(HOST, port)) {
          if (System.nanoTime() - deadline > 0) {
            throw new IOException(
                "the embedded broker did not listen on port "
                    + port
                    + " within "
                    + BIND_WAIT.toMillis()
                    + " ms");
          }
          try {
            Thread.sleep(10); // the connect attempts are the wait; this only spaces them
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the embedded broker", ie);
          }
        }
      }
    }
  }
}
