package io.vmqtt.it.brokers;

import io.vmqtt.QoS;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * HiveMQ Community Edition embedded in this JVM for tests, with listeners on free ports of {@code
 * 127.0.0.1}, its config written from the builder, and every file in a temporary directory. HiveMQ
 * speaks MQTT 3.1, 3.1.1 and 5; this fixture holds no test logic, so MQTT 5 tests use it as it is,
 * with the listeners and limits they configure.
 *
 * <pre>{@code
 * try (HiveMq hivemq = HiveMq.builder()
 *         .websocketListener("ws", "/mqtt")          // besides the plain "mqtt" listener
 *         .user("alice", "s3cret")                  // anonymous clients are refused then
 *         .mqtt("<topic-alias><max-per-client>3</max-per-client></topic-alias>")
 *         .start()) {
 *   client.connect(hivemq.uri());                  // mqtt://127.0.0.1:<port>
 *   client.connect(hivemq.uri("ws"));              // ws://127.0.0.1:<port>/mqtt
 * }
 * }</pre>
 *
 * <p><b>Class loader.</b> HiveMQ brings its own BouncyCastle, SLF4J, logback, Netty and Guava, in
 * versions that differ from the client's and Moquette's. It therefore runs in a class loader of its
 * own, whose parent is the platform class loader, holding the {@code hivemq-launcher} module and
 * its dependencies ({@code hivemq-launcher/target/classes} and {@code
 * hivemq-launcher/target/hivemq.classpath}, found through the system property {@value
 * #LAUNCHER_PROPERTY}, by default {@code ../hivemq-launcher/target}); the fixture calls the
 * launcher by reflection with JDK types only. One such class loader serves every HiveMQ of the JVM.
 *
 * <p><b>Logging.</b> HiveMQ's own logback writes {@code hivemq.log} in the broker's directory
 * ({@link #logTail()}); nothing reaches the test output.
 *
 * <p><b>Users.</b> HiveMQ CE lets every client in: it has no authentication without an extension.
 * With users, an embedded extension checks every CONNECT's user name and password (a wrong one is
 * refused with "bad user name or password": MQTT 3.1.1 code 4, MQTT 5 reason code 0x86), and
 * refuses a client without a user name with "not authorized" (5, 0x87) unless anonymous clients are
 * allowed.
 *
 * <p>Not thread-safe for start and close; the accessors may be called from any thread.
 */
public final class HiveMq implements Broker {
  /** The system property naming {@code hivemq-launcher/target}. */
  public static final String LAUNCHER_PROPERTY = "vmqtt.hivemq.launcher";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS = 3;

  private final HiveMqConfig config;
  private final Path directory;
  private final HiveMqRuntime runtime;

  /** The port of each listener; replaced whole on each start attempt. */
  private volatile Map<String, Integer> ports = Map.of();

  private volatile AutoCloseable running;

  private HiveMq(HiveMqConfig config, Path directory, HiveMqRuntime runtime) {
    this.config = config;
    this.directory = directory;
    this.runtime = runtime;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Kind kind() {
    return Kind.EMBEDDED;
  }

  @Override
  public String product() {
    return "HiveMQ CE";
  }

  /** The HiveMQ CE version in the launcher's class path, e.g. {@code 2025.5}. */
  @Override
  public String version() {
    return runtime.version();
  }

  @Override
  public Set<String> listeners() {
    return config.listeners().keySet();
  }

  @Override
  public int port(String listener) {
    Integer port = ports.get(listener);
    if (port == null) {
      throw new IllegalArgumentException(
          "no listener '" + listener + "'; listeners: " + config.listeners().keySet());
    }
    return port;
  }

  /** {@code mqtt://}, {@code mqtts://}, {@code ws://...<path>} or {@code wss://...<path>}. */
  @Override
  public String uri(String listener) {
    int port = port(listener);
    HiveMqConfig.Listener l = config.listeners().get(listener);
    return l.scheme() + "://" + host() + ":" + port + (l.path() == null ? "" : l.path());
  }

  /**
   * MQTT 3.1, 3.1.1 and 5; the configured maximum QoS and retained messages (default 2, on). HiveMQ
   * CE's {@code max-qos} and {@code retained-messages} limit what it accepts in a PUBLISH (an MQTT
   * 5 client learns them from CONNACK; an MQTT 3 client's PUBLISH beyond them closes its
   * connection); its SUBACK still grants QoS 2.
   */
  @Override
  public Capabilities capabilities() {
    return new Capabilities(
        Set.of(3, 4, 5),
        QoS.of(config.maxQos() == null ? 2 : config.maxQos()),
        config.retainedMessages() == null || config.retainedMessages());
  }

  /** The broker's directory: {@code conf/config.xml}, {@code data/}, {@code hivemq.log}. */
  public Path directory() {
    return directory;
  }

  /** The generated {@code config.xml}. */
  public Path configFile() {
    return directory.resolve("conf").resolve("config.xml");
  }

  /** HiveMQ's whole log so far. */
  public String log() {
    return BrokerFiles.read(logFile());
  }

  @Override
  public String logTail() {
    return BrokerFiles.tail("HiveMQ log", logFile());
  }

  @Override
  public boolean isRunning() {
    return running != null;
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      BrokerFiles.deleteDirectory(directory);
    }
  }

  @Override
  public String toString() {
    return "HiveMq" + ports + (running != null ? " running" : " stopped");
  }

  private Path logFile() {
    return directory.resolve("hivemq.log");
  }

  private void stop() {
    AutoCloseable r = running;
    running = null;
    if (r != null) {
      try {
        r.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stopping HiveMQ", e);
      } catch (Exception e) {
        throw new IllegalStateException("HiveMQ did not stop\n" + logTail(), e);
      }
    }
  }

  private void startFresh() throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      List<Integer> free = FreePorts.allocate(config.listeners().size());
      Map<String, Integer> chosen = new LinkedHashMap<>();
      int i = 0;
      for (String name : config.listeners().keySet()) {
        chosen.put(name, free.get(i++));
      }
      ports = Collections.unmodifiableMap(chosen);
      Path data = BrokerFiles.createDirectories(directory.resolve("data"));
      Path extensions = BrokerFiles.createDirectories(directory.resolve("extensions"));
      BrokerFiles.write(configFile(), config.configXml(host(), ports));
      BrokerFiles.write(
          directory.resolve("conf").resolve("logback.xml"), config.logbackXml(logFile()));
      try {
        running =
            runtime.start(
                directory.resolve("conf"),
                data,
                extensions,
                config.users(),
                config.anonymous(),
                config.refusedSubscriptions(),
                START_TIMEOUT);
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(
            "HiveMQ did not start\n--- config.xml ---\n"
                + BrokerFiles.read(configFile())
                + logTail(),
            e);
      }
      // HiveMQ starts even when a listener cannot bind (it logs the failure): check them all.
      if (FreePorts.allAccept(ports.values())) {
        return;
      }
      String failure =
          "HiveMQ started, but not every listener accepts connections on 127.0.0.1:"
              + ports
              + "\n--- config.xml ---\n"
              + BrokerFiles.read(configFile())
              + logTail();
      stop();
      BrokerFiles.deleteDirectory(data);
      if (attempt >= START_ATTEMPTS) {
        throw new IllegalStateException(failure);
      }
    }
  }

  /**
   * A TLS listener's key store (JKS or PKCS#12), as HiveMQ's {@code <keystore>} wants it.
   *
   * @param keystore the key store file
   * @param password the key store's password
   * @param privateKeyPassword the private key's password
   */
  public record Tls(Path keystore, String password, String privateKeyPassword) {
    public Tls {
      Objects.requireNonNull(keystore, "keystore");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(privateKeyPassword, "privateKeyPassword");
    }
  }

  /** Builds a {@link HiveMq} configuration; {@link #start()} runs it. Not thread-safe. */
  public static final class Builder {
    private final Map<String, HiveMqConfig.Listener> listeners = new LinkedHashMap<>();
    private final Map<String, String> users = new LinkedHashMap<>();
    private Boolean allowAnonymous;
    private final List<String> refusedSubscriptions = new ArrayList<>();
    private Integer maxQos;
    private Boolean retainedMessages;
    private final List<String> mqtt = new ArrayList<>();
    private final List<String> restrictions = new ArrayList<>();
    private final List<String> security = new ArrayList<>();
    private boolean filePersistence;
    private String logLevel = "INFO";

    private Builder() {
      listeners.put(MQTT, new HiveMqConfig.Listener("tcp-listener", "mqtt", null, null));
    }

    /** Another plain TCP listener ({@code mqtt://}). */
    public Builder tcpListener(String name) {
      return listener(name, new HiveMqConfig.Listener("tcp-listener", "mqtt", null, null));
    }

    /** A TLS listener ({@code mqtts://}) with this key store. */
    public Builder tlsTcpListener(String name, Tls tls) {
      return listener(name, new HiveMqConfig.Listener("tls-tcp-listener", "mqtts", null, tls));
    }

    /** A WebSocket listener ({@code ws://}) at this path, e.g. {@code /mqtt}. */
    public Builder websocketListener(String name, String path) {
      return listener(
          name, new HiveMqConfig.Listener("websocket-listener", "ws", path(path), null));
    }

    /** A WebSocket listener over TLS ({@code wss://}) at this path, with this key store. */
    public Builder tlsWebsocketListener(String name, String path, Tls tls) {
      return listener(
          name, new HiveMqConfig.Listener("tls-websocket-listener", "wss", path(path), tls));
    }

    private Builder listener(String name, HiveMqConfig.Listener listener) {
      if (listeners.containsKey(name)) {
        throw new IllegalArgumentException("listener '" + name + "' is already defined");
      }
      listeners.put(name, listener);
      return this;
    }

    private static String path(String path) {
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path must start with '/': " + path);
      }
      return path;
    }

    /**
     * A user the embedded authentication extension accepts. With users, anonymous clients are
     * refused unless {@link #allowAnonymous} says otherwise; without any, HiveMQ lets every client
     * in.
     */
    public Builder user(String name, String password) {
      if (name.isEmpty()) {
        throw new IllegalArgumentException("user name must not be empty");
      }
      users.put(name, Objects.requireNonNull(password, "password"));
      return this;
    }

    /** With users: whether a client without a user name is let in (default false). */
    public Builder allowAnonymous(boolean allowAnonymous) {
      this.allowAnonymous = allowAnonymous;
      return this;
    }

    /**
     * Refuses every SUBSCRIBE to this exact topic filter with "not authorized" (MQTT 5 reason code
     * 0x87, MQTT 3.1.1 0x80), through the embedded security extension; other filters are granted.
     */
    public Builder refuseSubscriptionsTo(String topicFilter) {
      refusedSubscriptions.add(Objects.requireNonNull(topicFilter, "topicFilter"));
      return this;
    }

    /** {@code <quality-of-service><max-qos>}: the highest QoS HiveMQ grants and accepts. */
    public Builder maxQos(int maxQos) {
      QoS.of(maxQos);
      this.maxQos = maxQos;
      return this;
    }

    /** {@code <retained-messages><enabled>}. */
    public Builder retainedMessages(boolean enabled) {
      this.retainedMessages = enabled;
      return this;
    }

    /**
     * A raw element inside {@code <mqtt>}, e.g. {@code
     * "<receive-maximum><server-receive-maximum>5</server-receive-maximum></receive-maximum>"}
     * (each element at most once: not {@code quality-of-service} with {@link #maxQos}, nor {@code
     * retained-messages} with {@link #retainedMessages}).
     */
    public Builder mqtt(String element) {
      mqtt.add(Objects.requireNonNull(element, "element"));
      return this;
    }

    /** A raw element inside {@code <restrictions>}, e.g. {@code max-client-id-length}. */
    public Builder restrictions(String element) {
      restrictions.add(Objects.requireNonNull(element, "element"));
      return this;
    }

    /** A raw element inside {@code <security>}, e.g. {@code allow-empty-client-id}. */
    public Builder security(String element) {
      security.add(Objects.requireNonNull(element, "element"));
      return this;
    }

    /** Sessions and retained messages in files of the broker's directory, not in memory. */
    public Builder filePersistence() {
      this.filePersistence = true;
      return this;
    }

    /** The level of HiveMQ's log ({@code INFO} unless told), e.g. {@code DEBUG}. */
    public Builder logLevel(String level) {
      this.logLevel = Objects.requireNonNull(level, "level");
      return this;
    }

    private boolean anonymous() {
      return allowAnonymous != null ? allowAnonymous : users.isEmpty();
    }

    /**
     * Writes the config into a fresh temporary directory, starts HiveMQ in its class loader on free
     * ports and waits until it has started and every listener accepts connections.
     *
     * @throws IllegalStateException when the launcher module is not built, or HiveMQ does not start
     *     within 60 s; the message has the config and the log tail
     */
    public HiveMq start() {
      if (users.isEmpty() && allowAnonymous == Boolean.FALSE) {
        throw new IllegalStateException(
            "anonymous clients can only be refused when there are users");
      }
      HiveMqRuntime runtime = HiveMqRuntime.get();
      HiveMqConfig config =
          new HiveMqConfig(
              listeners,
              users,
              anonymous(),
              refusedSubscriptions,
              maxQos,
              retainedMessages,
              mqtt,
              restrictions,
              security,
              filePersistence,
              logLevel);
      HiveMq broker = new HiveMq(config, BrokerFiles.createDirectory("hivemq"), runtime);
      try {
        broker.startFresh();
        return broker;
      } catch (InterruptedException e) {
        broker.close();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting HiveMQ", e);
      } catch (RuntimeException | Error e) {
        broker.close();
        throw e;
      }
    }
  }
}
