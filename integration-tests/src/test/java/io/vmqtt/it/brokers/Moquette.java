package io.vmqtt.it.brokers;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.vmqtt.QoS;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * A Moquette broker ({@code io.moquette:moquette-broker}) running in this JVM for tests, on {@code
 * 127.0.0.1} and a free port: sessions in memory, no WebSocket or TLS listener, no telemetry, and
 * otherwise Moquette's defaults (among them an 8,092-byte limit on incoming packets and no
 * zero-byte client ids). Its threads are Netty platform threads; it logs through SLF4J into the
 * test output.
 *
 * <pre>{@code
 * try (Moquette moquette = Moquette.builder().user("alice", "s3cret").start()) {
 *   client.connect(moquette.uri());
 * }
 * }</pre>
 *
 * <p>Users: checked by an in-memory authenticator (Moquette's {@code IAuthenticator}) instead of a
 * password file. A client without a user name is let in only when anonymous clients are allowed.
 *
 * <p>Not thread-safe for start and close; the accessors may be called from any thread.
 */
public final class Moquette implements Broker {
  private static final Duration BIND_WAIT = Duration.ofSeconds(10);
  private static final int START_ATTEMPTS = 5;

  private final Server server;
  private final int port;
  private volatile boolean closed;

  private Moquette(Server server, int port) {
    this.server = server;
    this.port = port;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Kind kind() {
    return Kind.EMBEDDED;
  }

  @Override
  public boolean isRunning() {
    return !closed;
  }

  @Override
  public String product() {
    return "Moquette";
  }

  /** {@code Server.MOQUETTE_VERSION}, e.g. {@code 0.17}. */
  @Override
  public String version() {
    return Server.MOQUETTE_VERSION;
  }

  @Override
  public Set<String> listeners() {
    return Set.of(MQTT);
  }

  @Override
  public int port(String listener) {
    if (!MQTT.equals(listener)) {
      throw new IllegalArgumentException("no listener '" + listener + "'; listeners: [mqtt]");
    }
    return port;
  }

  @Override
  public String uri(String listener) {
    return "mqtt://" + host() + ":" + port(listener);
  }

  /** Moquette 0.17 speaks MQTT 3.1 and 3.1.1 (MQTT 5 came with 0.18), QoS 0 to 2, retains. */
  @Override
  public Capabilities capabilities() {
    return new Capabilities(Set.of(3, 4), QoS.EXACTLY_ONCE, true);
  }

  /** The broker itself, for tests that need Moquette's own API. */
  public Server server() {
    return server;
  }

  @Override
  public String logTail() {
    return "--- Moquette runs in this JVM and logs through SLF4J (logger io.moquette) ---\n";
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      server.stopServer();
    }
  }

  @Override
  public String toString() {
    return "Moquette[" + port + (closed ? ", stopped]" : "]");
  }

  /** Builds a {@link Moquette} configuration; {@link #start()} runs it. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> users = new LinkedHashMap<>();
    private Boolean allowAnonymous;
    private final Map<String, String> properties = new LinkedHashMap<>();

    private Builder() {}

    /** A user the authenticator accepts. With users, anonymous clients are refused. */
    public Builder user(String name, String password) {
      if (name.isEmpty()) {
        throw new IllegalArgumentException("user name must not be empty");
      }
      users.put(name, Objects.requireNonNull(password, "password"));
      return this;
    }

    /** {@code allow_anonymous}; by default true without users and false with them. */
    public Builder allowAnonymous(boolean allowAnonymous) {
      this.allowAnonymous = allowAnonymous;
      return this;
    }

    /**
     * A Moquette configuration property (see {@code io.moquette.BrokerConstants}), e.g. {@code
     * property("netty.mqtt.message_size", "1048576")}; {@code host} and {@code port} are the
     * fixture's.
     */
    public Builder property(String key, String value) {
      if (key.equals("host") || key.equals("port")) {
        throw new IllegalArgumentException(key + " is chosen by the fixture");
      }
      properties.put(key, Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Starts the broker on a free port and waits until it accepts connections.
     *
     * @throws UncheckedIOException when it cannot start or does not listen within 10 s
     */
    public Moquette start() {
      if (System.getProperty("io.netty.noUnsafe") == null) {
        // Netty 4.1 would use sun.misc.Unsafe, which JDK 24+ warns about on the console.
        System.setProperty("io.netty.noUnsafe", "true");
      }
      boolean anonymous = allowAnonymous != null ? allowAnonymous : users.isEmpty();
      IAuthenticator authenticator = users.isEmpty() ? null : new Users(Map.copyOf(users));
      IOException last = null;
      for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
        // A port chosen here, not 0: Moquette reports a port it picked from a HashMap that Netty
        // fills on another thread, and reading it meanwhile can corrupt the map.
        int port = FreePorts.allocate(1).get(0);
        Properties p = new Properties();
        p.setProperty("persistence_enabled", "false"); // in-memory sessions, no files
        p.setProperty("websocket_port", "disabled");
        // ssl_port and secure_websocket_port stay unset: Moquette sets up TLS when either is
        // present, even as "disabled".
        p.setProperty("telemetry_enabled", "false"); // else it posts to telemetry.moquette.io
        p.putAll(properties);
        p.setProperty("host", FreePorts.HOST);
        p.setProperty("port", Integer.toString(port));
        p.setProperty("allow_anonymous", Boolean.toString(anonymous));
        Server server = new Server();
        try {
          server.startServer(new MemoryConfig(p), List.of(), null, authenticator, null);
          awaitListening(port);
          return new Moquette(server, port);
        } catch (IOException e) {
          server.stopServer(); // another process took the port in between: try another
          last = e;
        } catch (InterruptedException e) {
          server.stopServer();
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while starting Moquette", e);
        }
      }
      throw new UncheckedIOException("Moquette did not start", last);
    }

    private static void awaitListening(int port) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + BIND_WAIT.toNanos();
      long backoffMillis = 5;
      while (!FreePorts.allAccept(List.of(port))) {
        if (System.nanoTime() - deadline > 0) {
          throw new IOException(
              "Moquette did not listen on port "
                  + port
                  + " within "
                  + BIND_WAIT.toSeconds()
                  + " s");
        }
        Thread.sleep(backoffMillis); // the connect attempts are the wait; this only spaces them
        backoffMillis = Math.min(backoffMillis * 2, 100);
      }
    }
  }

  /** User name and password check; called by Moquette on its Netty threads. Thread-safe. */
  private record Users(Map<String, String> users) implements IAuthenticator {
    @Override
    public boolean checkValid(String clientId, String username, byte[] password) {
      String expected = username == null ? null : users.get(username);
      return expected != null
          && password != null
          && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), password);
    }
  }
}
