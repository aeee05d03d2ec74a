package io.vmqtt.it.brokers;

import io.vmqtt.QoS;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NATS server (Debian's {@code nats-server}) with its MQTT listener, run as a child process for
 * tests: its own temporary directory, a config file written from the builder, the NATS client port
 * and the MQTT port free ports of {@code 127.0.0.1}.
 *
 * <pre>{@code
 * try (NatsServer nats = NatsServer.builder().user("alice", "s3cret").allowAnonymous(true).start()) {
 *   client.connect(nats.uri());      // mqtt://127.0.0.1:<MQTT port>
 * }
 * }</pre>
 *
 * <p>NATS speaks MQTT 3.1.1 only, and keeps MQTT sessions, retained messages and QoS 1 messages in
 * JetStream, which it therefore needs, and JetStream needs a server name: the config has both,
 * JetStream storing its files in the broker's directory. The log goes to {@code nats.log} there.
 *
 * <p>Users: without any, every client is let in. With users ({@code authorization { users }}), a
 * client must give one's name and password, unless anonymous clients are allowed: then a client
 * without credentials acts as the first user ({@code no_auth_user}).
 *
 * <p>Not thread-safe for start and close; the accessors may be called from any thread.
 */
public final class NatsServer implements Broker {
  /** Where Debian's {@code nats-server} package installs the server. */
  public static final Path DEFAULT_EXECUTABLE = Path.of("/usr/sbin/nats-server");

  static final String NOT_INSTALLED =
      "nats-server is not installed: apt-get install -y nats-server";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int START_ATTEMPTS = 5;
  private static final Pattern VERSION = Pattern.compile("Version:\\s+(\\S+)");

  private final Builder config;
  private final Path directory;
  private final Path configFile;
  private final Path logFile;
  private final Path outputFile;
  private final String serverName;
  private int clientPort;
  private int mqttPort;
  private ChildProcess process;
  private String version = "unknown";

  private NatsServer(Builder config, Path directory) {
    this.config = config;
    this.directory = directory;
    this.configFile = directory.resolve("nats.conf");
    this.logFile = directory.resolve("nats.log");
    this.outputFile = directory.resolve("nats.out");
    this.serverName =
        config.serverName != null
            ? config.serverName
            : "vmqtt-it-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Kind kind() {
    return Kind.PROCESS;
  }

  @Override
  public String product() {
    return "NATS server";
  }

  @Override
  public String version() {
    return version;
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
    return mqttPort;
  }

  @Override
  public String uri(String listener) {
    return "mqtt://" + host() + ":" + port(listener);
  }

  /** The port of the NATS protocol listener (not MQTT). */
  public int natsPort() {
    return clientPort;
  }

  /** The {@code server_name} JetStream runs under. */
  public String serverName() {
    return serverName;
  }

  /**
   * NATS 2.9 accepts MQTT 3.1.1 only, grants at most QoS 1 and keeps retained messages (its MQTT
   * documentation: "QoS 2 is not supported").
   */
  @Override
  public Capabilities capabilities() {
    return new Capabilities(Set.of(4), QoS.AT_LEAST_ONCE, true);
  }

  /** The broker's directory: config, log and JetStream store; deleted by {@link #close()}. */
  public Path directory() {
    return directory;
  }

  /** The whole log so far. */
  public String log() {
    return BrokerFiles.read(logFile);
  }

  @Override
  public String logTail() {
    return BrokerFiles.tail("nats-server output", outputFile)
        + BrokerFiles.tail("nats-server log", logFile);
  }

  @Override
  public boolean isRunning() {
    ChildProcess p = process;
    return p != null && p.isAlive();
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
    return "NatsServer[mqtt=" + mqttPort + ", nats=" + clientPort + "]";
  }

  private void stop() {
    ChildProcess p = process;
    process = null;
    if (p != null) {
      p.stop(STOP_TIMEOUT);
    }
  }

  private void startFresh() throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      List<Integer> ports = FreePorts.allocate(2);
      clientPort = ports.get(0);
      mqttPort = ports.get(1);
      BrokerFiles.write(configFile, configText());
      process =
          ChildProcess.start(
              "nats-server",
              List.of(config.executable.toString(), "-c", configFile.toString()),
              Map.of(),
              directory,
              outputFile);
      ChildProcess.Outcome outcome =
          process.awaitReady(() -> FreePorts.allAccept(ports), START_TIMEOUT);
      if (outcome == ChildProcess.Outcome.READY) {
        Matcher m = VERSION.matcher(log());
        version = m.find() ? m.group(1).replaceFirst("^v", "") : "unknown";
        return;
      }
      String exit = process.exitCode();
      stop();
      if (outcome == ChildProcess.Outcome.EXITED
          && log().contains("address already in use")
          && attempt < START_ATTEMPTS) {
        continue; // another process took a port between our probe and the server's bind
      }
      throw new IllegalStateException(
          (outcome == ChildProcess.Outcome.EXITED
                  ? "nats-server exited with code " + exit + " before accepting connections"
                  : "nats-server did not accept connections within "
                      + START_TIMEOUT.toSeconds()
                      + " s")
              + " on 127.0.0.1:"
              + ports
              + "\n--- "
              + configFile
              + " ---\n"
              + BrokerFiles.read(configFile)
              + logTail());
    }
  }

  private String configText() {
    StringBuilder c = new StringBuilder("# written by NatsServer for one test run\n");
    c.append("server_name: ").append(quote(serverName)).append('\n');
    c.append("listen: ").append(quote(host() + ":" + clientPort)).append('\n');
    c.append("log_file: ").append(quote(logFile.toString())).append('\n');
    c.append("jetstream {\n");
    c.append("  store_dir: ").append(quote(directory.resolve("jetstream").toString())).append('\n');
    c.append("  max_memory_store: 256MB\n");
    c.append("  max_file_store: 1GB\n");
    c.append("}\n");
    if (!config.users.isEmpty()) {
      c.append("authorization {\n  users: [\n");
      config.users.forEach(
          (user, password) ->
              c.append("    {user: ")
                  .append(quote(user))
                  .append(", password: ")
                  .append(quote(password))
                  .append("}\n"));
      c.append("  ]\n}\n");
      if (config.anonymous()) {
        c.append("no_auth_user: ")
            .append(quote(config.users.keySet().iterator().next()))
            .append('\n');
      }
    }
    for (String lines : config.extraConfig) {
      c.append(lines).append('\n');
    }
    c.append("mqtt {\n");
    c.append("  listen: ").append(quote(host() + ":" + mqttPort)).append('\n');
    for (String lines : config.mqttConfig) {
      c.append("  ").append(lines).append('\n');
    }
    c.append("}\n");
    return c.toString();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Builds a {@link NatsServer} configuration; {@link #start()} runs it. Not thread-safe. */
  public static final class Builder {
    private Path executable = DEFAULT_EXECUTABLE;
    private final Map<String, String> users = new LinkedHashMap<>();
    private Boolean allowAnonymous;
    private String serverName;
    private final List<String> extraConfig = new ArrayList<>();
    private final List<String> mqttConfig = new ArrayList<>();

    private Builder() {}

    /** The {@code nats-server} executable; {@link #DEFAULT_EXECUTABLE} unless told. */
    public Builder executable(Path executable) {
      this.executable = Objects.requireNonNull(executable, "executable");
      return this;
    }

    /** A user (plain-text password in the config). With users, anonymous clients are refused. */
    public Builder user(String name, String password) {
      if (name.isEmpty()) {
        throw new IllegalArgumentException("user name must not be empty");
      }
      users.put(name, Objects.requireNonNull(password, "password"));
      return this;
    }

    /**
     * Whether a client without credentials is let in (as the first user, when there are users); by
     * default true without users and false with them.
     */
    public Builder allowAnonymous(boolean allowAnonymous) {
      this.allowAnonymous = allowAnonymous;
      return this;
    }

    /** The {@code server_name}; a random {@code vmqtt-it-<hex>} unless told. */
    public Builder serverName(String serverName) {
      this.serverName = Objects.requireNonNull(serverName, "serverName");
      return this;
    }

    /** Raw top-level config lines, e.g. {@code "max_payload: 65536"}. */
    public Builder extraConfig(String lines) {
      extraConfig.add(Objects.requireNonNull(lines, "lines"));
      return this;
    }

    /** Raw lines inside the {@code mqtt} block, e.g. {@code "max_ack_pending: 100"}. */
    public Builder mqttConfig(String lines) {
      mqttConfig.add(Objects.requireNonNull(lines, "lines"));
      return this;
    }

    private boolean anonymous() {
      return allowAnonymous != null ? allowAnonymous : users.isEmpty();
    }

    /**
     * Writes the config into a fresh temporary directory, starts the server on free ports and waits
     * until both the NATS and the MQTT port accept connections.
     *
     * @throws IllegalStateException when nats-server is not installed, exits early or does not
     *     accept connections within 20 s; the message has the config and the log tail
     */
    public NatsServer start() {
      if (!Files.isExecutable(executable)) {
        throw new IllegalStateException(NOT_INSTALLED + " (no executable at " + executable + ")");
      }
      if (users.isEmpty() && allowAnonymous == Boolean.FALSE) {
        throw new IllegalStateException(
            "anonymous clients can only be refused when there are users");
      }
      NatsServer broker = new NatsServer(copy(), BrokerFiles.createDirectory("nats"));
      try {
        broker.startFresh();
        return broker;
      } catch (InterruptedException e) {
        broker.close();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting nats-server", e);
      } catch (RuntimeException | Error e) {
        broker.close();
        throw e;
      }
    }

    private Builder copy() {
      Builder b = new Builder();
      b.executable = executable;
      b.users.putAll(users);
      b.allowAnonymous = allowAnonymous;
      b.serverName = serverName;
      b.extraConfig.addAll(extraConfig);
      b.mqttConfig.addAll(mqttConfig);
      return b;
    }
  }
}
