package io.vmqtt.cli;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Properties;

/**
 * A Moquette 0.17 broker running in this JVM on 127.0.0.1 and a free port: anonymous clients
 * allowed, sessions in memory only, no WebSocket listener, and no telemetry.
 *
 * <p>Moquette publishes no {@code $SYS} topics. It starts its own (Netty) platform threads; {@link
 * #close()} stops them. Not thread-safe: start and close it from one thread.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.start()) {
 *   client.connect(broker.uri()); // mqtt://127.0.0.1:<port>
 * }
 * }</pre>
 */
final class EmbeddedBroker implements AutoCloseable {

  /**
   * Moquette 0.16+ posts the OS, JVM, heap size, broker version and a UUID it keeps in {@code
   * data_path} to telemetry.moquette.io at start-up unless this is false: {@code
   * Server.startServer} reads it with {@code config.boolProp("telemetry_enabled", true)} ({@code
   * BrokerConstants.ENABLE_TELEMETRY_NAME} in 0.17).
   */
  static final String TELEMETRY_ENABLED = "telemetry_enabled";

  private static final Duration BIND_WAIT = Duration.ofSeconds(5);

  private final Server server;
  private final int port;

  private EmbeddedBroker(Server server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * The configuration the broker is started with. {@code MemoryConfig} fills in Moquette's defaults
   * first, among them {@code persistence_enabled=true} with {@code data_path=data/}, so persistence
   * is turned off explicitly.
   */
  static IConfig config() {
    return config(0);
  }

  static IConfig config(int port) {
    Properties p = new Properties();
    p.setProperty("host", "127.0.0.1");
    p.setProperty("port", Integer.toString(port));
    p.setProperty("allow_anonymous", "true");
    p.setProperty("persistence_enabled", "false"); // in-memory sessions, nothing written to disk
    p.setProperty("websocket_port", "disabled");
    // ssl_port and secure_websocket_port stay unset: Moquette sets up TLS when either is present,
    // even as "disabled".
    p.setProperty(TELEMETRY_ENABLED, "false");
    return new MemoryConfig(p);
  }

  /**
   * Starts a broker with {@link #config()}.
   *
   * @throws IOException when the broker cannot start, e.g. cannot bind its port
   */
  static EmbeddedBroker start() throws IOException {
    if (System.getProperty("io.netty.noUnsafe") == null) {
      // Netty 4.1 would use sun.misc.Unsafe, which JDK 24+ warns about on the console.
      System.setProperty("io.netty.noUnsafe", "true");
    }
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      // A port chosen here, not 0: Moquette reports a port it picked from a HashMap that Netty
      // fills on another thread, and reading it meanwhile can corrupt the map.
      int port = freePort();
      Server server = new Server();
      server.startServer(config(port));
      try {
        awaitListening(port);
        return new EmbeddedBroker(server, port);
      } catch (IOException e) {
        server.stopServer(); // another process took the port in between: try another
        last = e;
      }
    }
    throw last;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Waits, bounded, until the broker accepts connections on {@code port}. */
  private static void awaitListening(int port) throws IOException {
    long deadline = System.nanoTime() + BIND_WAIT.toNanos();
    while (true) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException e) {
        if (System.nanoTime() - deadline > 0) {
          throw new IOException(
              "the embedded broker did not listen on port "
                  + port
                  + " within "
                  + BIND_WAIT.toMillis()
                  + " ms",
              e);
        }
        try {
          Thread.sleep(10); // the connect attempts above are the wait; this only spaces them
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the embedded broker", ie);
        }
      }
    }
  }

  /** The port the broker listens on, on 127.0.0.1. */
  int port() {
    return port;
  }

  /** The URI clients connect to: {@code mqtt://127.0.0.1:<port>}. */
  String uri() {
    return "mqtt://127.0.0.1:" + port;
  }

  /** Stops the broker and its threads, closing every client connection. */
  @Override
  public void close() {
    server.stopServer();
  }
}
