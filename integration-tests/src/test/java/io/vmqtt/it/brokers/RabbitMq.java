package io.vmqtt.it.brokers;

import io.vmqtt.QoS;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A RabbitMQ node (Debian's {@code rabbitmq-server}) with the {@code rabbitmq_mqtt} plugin, run as
 * a child process for tests, next to any RabbitMQ the machine runs: its own node name ({@code
 * vmqtt-it-<hex>@localhost}), its own temporary directory for the config, the Mnesia database, the
 * logs and the Erlang cookie ({@code HOME}), and free ports of {@code 127.0.0.1} for AMQP, MQTT and
 * Erlang distribution. It does not touch {@code /etc/rabbitmq} or {@code /var/lib/rabbitmq}.
 *
 * <pre>{@code
 * try (RabbitMq rabbit = RabbitMq.builder().user("alice", "s3cret").start()) {
 *   client.connect(rabbit.uri());     // mqtt://127.0.0.1:<MQTT port>
 * }
 * }</pre>
 *
 * <p>Erlang nodes find each other through {@code epmd}, which a node starts as a daemon on port
 * 4369 when none runs, and which outlives it. This fixture instead runs an {@code epmd} of its own
 * as a child process on a free port ({@code ERL_EPMD_PORT}), and stops it with the node.
 *
 * <p>Users come from a definitions file loaded at boot. The MQTT plugin lets a client without
 * credentials in as its {@code mqtt.default_user} when {@code mqtt.allow_anonymous} is true: the
 * fixture gives it a user of its own for that ({@value #ANONYMOUS_USER}).
 *
 * <p>Starting a fresh node takes 10 to 20 s on 2 cores (the Erlang VM, the database, the feature
 * flags): share one between tests where they allow it. Not thread-safe for start and close; the
 * accessors may be called from any thread.
 */
public final class RabbitMq implements Broker {
  /** The real start script; {@code /usr/sbin/rabbitmq-server} wraps it to run as user rabbitmq. */
  public static final Path DEFAULT_EXECUTABLE = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");

  public static final Path DEFAULT_EPMD = Path.of("/usr/bin/epmd");

  /** The user an MQTT client without credentials acts as, when anonymous clients are allowed. */
  public static final String ANONYMOUS_USER = "vmqtt-anonymous";

  static final String NOT_INSTALLED =
      "rabbitmq-server is not installed: apt-get install -y rabbitmq-server";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final int START_ATTEMPTS = 3;
  private static final Pattern VERSION = Pattern.compile("Starting RabbitMQ (\\S+) on Erlang");
  private static final String STARTED = "Server startup complete";

  private final Builder config;
  private final Path directory;
  private final Path logFile;
  private final Path outputFile;
  private final Path epmdOutputFile;
  private final String nodeName;
  private final String anonymousPassword;
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private ChildProcess epmd;
  private ChildProcess node;
  private String version = "unknown";

  private RabbitMq(Builder config, Path directory) {
    this.config = config;
    this.directory = directory;
    this.logFile = directory.resolve("log").resolve("rabbit.log");
    this.outputFile = directory.resolve("rabbitmq.out");
    this.epmdOutputFile = directory.resolve("epmd.out");
    String id = Integer.toHexString(ThreadLocalRandom.current().nextInt() | 0x10000000);
    this.nodeName = "vmqtt-it-" + id + "@localhost";
    this.anonymousPassword = "anonymous-" + id;
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
    return "RabbitMQ";
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
    return ports.get("mqtt");
  }

  @Override
  public String uri(String listener) {
    return "mqtt://" + host() + ":" + port(listener);
  }

  /** The AMQP 0-9-1 port. */
  public int amqpPort() {
    return ports.get("amqp");
  }

  /** The processes the fixture runs now: epmd, the start script and the Erlang VM under it. */
  public List<ProcessHandle> processes() {
    List<ProcessHandle> all = new ArrayList<>();
    ChildProcess e = epmd;
    ChildProcess n = node;
    if (e != null) {
      all.addAll(e.processTree());
    }
    if (n != null) {
      all.addAll(n.processTree());
    }
    return all;
  }

  /** The Erlang node name, e.g. {@code vmqtt-it-1a2b3c4d@localhost}. */
  public String nodeName() {
    return nodeName;
  }

  /**
   * RabbitMQ 3.10's MQTT plugin speaks MQTT 3.1 and 3.1.1, grants at most QoS 1 ("QoS 2
   * subscriptions are treated as QoS 1") and keeps retained messages in a store of its own.
   */
  @Override
  public Capabilities capabilities() {
    return new Capabilities(Set.of(3, 4), QoS.AT_LEAST_ONCE, true);
  }

  public Path directory() {
    return directory;
  }

  /** The node's whole log so far. */
  public String log() {
    return BrokerFiles.read(logFile);
  }

  @Override
  public String logTail() {
    return BrokerFiles.tail("rabbitmq-server output", outputFile)
        + BrokerFiles.tail("rabbitmq log", logFile);
  }

  @Override
  public boolean isRunning() {
    ChildProcess n = node;
    return n != null && n.isAlive();
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
    return "RabbitMq[" + nodeName + ", " + ports + "]";
  }

  private void stop() {
    ChildProcess n = node;
    ChildProcess e = epmd;
    node = null;
    epmd = null;
    try {
      if (n != null) {
        n.stop(STOP_TIMEOUT); // SIGTERM: the start script stops the Erlang VM and waits for it
      }
    } finally {
      if (e != null) {
        e.stop(STOP_TIMEOUT);
      }
    }
  }

  private void startFresh() throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      List<Integer> free = FreePorts.allocate(4);
      ports.clear();
      ports.put("epmd", free.get(0));
      ports.put("amqp", free.get(1));
      ports.put("mqtt", free.get(2));
      ports.put("dist", free.get(3));
      writeFiles();
      String failure = launch();
      if (failure == null) {
        return;
      }
      stop();
      boolean portTaken =
          BrokerFiles.read(outputFile).contains("eaddrinuse")
              || log().contains("eaddrinuse")
              || BrokerFiles.read(epmdOutputFile).contains("in use");
      if (portTaken && attempt < START_ATTEMPTS) {
        continue; // another process took a port between our probe and the bind
      }
      throw new IllegalStateException(failure);
    }
  }

  /** Starts epmd and the node; null when both run, else what went wrong. */
  private String launch() throws InterruptedException {
    epmd =
        ChildProcess.start(
            "epmd",
            List.of(
                config.epmd.toString(), "-port", ports.get("epmd").toString(), "-address", host()),
            Map.of(),
            directory,
            epmdOutputFile);
    ChildProcess.Outcome epmdUp =
        epmd.awaitReady(() -> FreePorts.allAccept(List.of(ports.get("epmd"))), START_TIMEOUT);
    if (epmdUp != ChildProcess.Outcome.READY) {
      return "epmd did not start on 127.0.0.1:"
          + ports.get("epmd")
          + " ("
          + epmdUp
          + ", exit code "
          + epmd.exitCode()
          + ")\n"
          + BrokerFiles.tail("epmd output", epmdOutputFile);
    }
    node =
        ChildProcess.start(
            "rabbitmq-server",
            List.of(config.executable.toString()),
            environment(),
            directory,
            outputFile);
    ChildProcess.Outcome outcome =
        node.awaitReady(
            () ->
                log().contains(STARTED)
                    && FreePorts.allAccept(List.of(ports.get("amqp"), ports.get("mqtt"))),
            START_TIMEOUT);
    if (outcome == ChildProcess.Outcome.READY) {
      Matcher m = VERSION.matcher(log());
      version = m.find() ? m.group(1) : "unknown";
      return null;
    }
    return (outcome == ChildProcess.Outcome.EXITED
            ? "rabbitmq-server exited with code " + node.exitCode() + " before it started"
            : "rabbitmq-server did not start within " + START_TIMEOUT.toSeconds() + " s")
        + " (node "
        + nodeName
        + ", ports "
        + ports
        + ")\n--- rabbitmq.conf ---\n"
        + BrokerFiles.read(directory.resolve("rabbitmq.conf"))
        + logTail();
  }

  /**
   * The environment of the start script: every location in the broker's directory, and nothing
   * inherited that would point RabbitMQ elsewhere ({@code RABBITMQ_*}, {@code ERL_*}).
   */
  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    for (String name : System.getenv().keySet()) {
      if (name.startsWith("RABBITMQ_") || name.startsWith("ERL_")) {
        env.put(name, null);
      }
    }
    env.put("HOME", directory.resolve("home").toString()); // the Erlang cookie
    env.put("RABBITMQ_CONF_ENV_FILE", directory.resolve("rabbitmq-env.conf").toString());
    env.put("RABBITMQ_CONFIG_FILE", directory.resolve("rabbitmq.conf").toString());
    env.put("RABBITMQ_ADVANCED_CONFIG_FILE", directory.resolve("advanced.config").toString());
    env.put("RABBITMQ_ENABLED_PLUGINS_FILE", directory.resolve("enabled_plugins").toString());
    env.put("RABBITMQ_MNESIA_BASE", directory.resolve("mnesia").toString());
    env.put("RABBITMQ_LOG_BASE", directory.resolve("log").toString());
    env.put("RABBITMQ_PLUGINS_EXPAND_DIR", directory.resolve("plugins-expand").toString());
    env.put("RABBITMQ_PID_FILE", directory.resolve("rabbitmq.pid").toString());
    env.put("RABBITMQ_NODENAME", nodeName);
    env.put("RABBITMQ_DIST_PORT", ports.get("dist").toString());
    env.put("ERL_EPMD_PORT", ports.get("epmd").toString());
    // Distribution on loopback only.
    env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
    return env;
  }

  private void writeFiles() {
    BrokerFiles.createDirectories(directory.resolve("home"));
    BrokerFiles.createDirectories(directory.resolve("log"));
    BrokerFiles.write(directory.resolve("rabbitmq-env.conf"), "# empty: see RabbitMq.java\n");
    BrokerFiles.write(directory.resolve("enabled_plugins"), "[rabbitmq_mqtt].\n");
    Map<String, String> users = new LinkedHashMap<>(config.users);
    users.put(ANONYMOUS_USER, anonymousPassword);
    BrokerFiles.write(directory.resolve("definitions.json"), RabbitMqDefinitions.json(users));
    StringBuilder c = new StringBuilder("# written by RabbitMq for one test run\n");
    c.append("listeners.tcp.default = 127.0.0.1:").append(ports.get("amqp")).append('\n');
    c.append("mqtt.listeners.tcp.default = 127.0.0.1:").append(ports.get("mqtt")).append('\n');
    c.append("mqtt.allow_anonymous = ").append(config.anonymous()).append('\n');
    c.append("mqtt.default_user = ").append(ANONYMOUS_USER).append('\n');
    c.append("mqtt.default_pass = ").append(anonymousPassword).append('\n');
    c.append("loopback_users = none\n");
    c.append("load_definitions = ").append(directory.resolve("definitions.json")).append('\n');
    c.append("log.file = ").append(logFile).append('\n');
    c.append("log.file.level = info\n");
    c.append("log.console = false\n");
    for (String lines : config.extraConfig) {
      c.append(lines).append('\n');
    }
    BrokerFiles.write(directory.resolve("rabbitmq.conf"), c.toString());
  }

  /** Builds a {@link RabbitMq} configuration; {@link #start()} runs it. Not thread-safe. */
  public static final class Builder {
    private Path executable = DEFAULT_EXECUTABLE;
    private Path epmd = DEFAULT_EPMD;
    private final Map<String, String> users = new LinkedHashMap<>();
    private Boolean allowAnonymous;
    private final List<String> extraConfig = new ArrayList<>();

    private Builder() {}

    /** The real start script, {@link #DEFAULT_EXECUTABLE} unless told. */
    public Builder executable(Path executable) {
      this.executable = Objects.requireNonNull(executable, "executable");
      return this;
    }

    /** The {@code epmd} executable, {@link #DEFAULT_EPMD} unless told. */
    public Builder epmd(Path epmd) {
      this.epmd = Objects.requireNonNull(epmd, "epmd");
      return this;
    }

    /** A user with full permissions on the default virtual host. */
    public Builder user(String name, String password) {
      if (name.isEmpty() || name.equals(ANONYMOUS_USER)) {
        throw new IllegalArgumentException("user name must be non-empty and not " + ANONYMOUS_USER);
      }
      users.put(name, Objects.requireNonNull(password, "password"));
      return this;
    }

    /**
     * {@code mqtt.allow_anonymous}: whether an MQTT client without credentials is let in; by
     * default true without users and false with them.
     */
    public Builder allowAnonymous(boolean allowAnonymous) {
      this.allowAnonymous = allowAnonymous;
      return this;
    }

    /** Raw {@code rabbitmq.conf} lines, e.g. {@code "mqtt.prefetch = 100"}. */
    public Builder extraConfig(String lines) {
      extraConfig.add(Objects.requireNonNull(lines, "lines"));
      return this;
    }

    private boolean anonymous() {
      return allowAnonymous != null ? allowAnonymous : users.isEmpty();
    }

    /**
     * Writes the config into a fresh temporary directory, starts epmd and the node on free ports
     * and waits until the node has started and its AMQP and MQTT ports accept connections.
     *
     * @throws IllegalStateException when RabbitMQ or epmd is not installed, or the node exits early
     *     or does not start within 90 s; the message has the config and the log tail
     */
    public RabbitMq start() {
      if (!Files.isExecutable(executable)) {
        throw new IllegalStateException(NOT_INSTALLED + " (no executable at " + executable + ")");
      }
      if (!Files.isExecutable(epmd)) {
        throw new IllegalStateException(
            NOT_INSTALLED + " (no epmd at " + epmd + "; it comes with erlang-base)");
      }
      Builder copy = new Builder();
      copy.executable = executable;
      copy.epmd = epmd;
      copy.users.putAll(users);
      copy.allowAnonymous = allowAnonymous;
      copy.extraConfig.addAll(extraConfig);
      RabbitMq broker = new RabbitMq(copy, BrokerFiles.createDirectory("rabbitmq"));
      try {
        broker.startFresh();
        return broker;
      } catch (InterruptedException e) {
        broker.close();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting rabbitmq-server", e);
      } catch (RuntimeException | Error e) {
        broker.close();
        throw e;
      }
    }
  }
}
