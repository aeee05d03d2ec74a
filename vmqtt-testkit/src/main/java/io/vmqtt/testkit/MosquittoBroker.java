package io.vmqtt.testkit;

import static org.awaitility.Awaitility.await;

import io.vmqtt.TlsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A mosquitto broker run as a child process: its own temporary directory, a config file written
 * from the builder, and listeners on free ports of {@code 127.0.0.1}. The {@link
 * TestBroker.Kind#PROCESS process} kind of {@link TestBroker}.
 *
 * <pre>{@code
 * try (MosquittoBroker broker = MosquittoBroker.builder()
 *         .user("alice", "s3cret")           // a password file; anonymous clients are refused
 *         .tls()                             // an mqtts listener with a certificate made for it
 *         .websockets()                      // a ws listener
 *         .extraConfig("sys_interval 1")     // any mosquitto.conf line
 *         .start()) {
 *   client.connect(broker.uri());                      // "mqtt://127.0.0.1:<port>"
 *   other.connect(broker.uri(MosquittoBroker.TLS),     // "mqtts://127.0.0.1:<port>"
 *       ConnectOptions.builder().tls(broker.clientTls()).build());
 * }
 * }</pre>
 *
 * <p>Mosquitto must be installed (Debian/Ubuntu: {@code apt-get install mosquitto}; macOS: {@code
 * brew install mosquitto}); it is looked for in the system property {@value #EXECUTABLE_PROPERTY},
 * then in {@code /usr/sbin}, {@code /usr/local/sbin}, Homebrew's folders and the {@code PATH}.
 * Mosquitto 2 speaks MQTT 3.1, 3.1.1 and 5 on every listener; {@link Builder#maxQos}, {@link
 * Builder#retainAvailable}, {@link Builder#maxPacketSize}, {@link Builder#maxKeepAlive} and {@link
 * Builder#maxTopicAlias} set what it announces to MQTT 5 clients in CONNACK.
 *
 * <p>The config always has {@code user root} (mosquitto run as root otherwise drops privileges and
 * cannot read files in the temporary directory), {@code persistence false} and {@code log_dest file
 * <dir>/mosquitto.log}; the log file is flushed line by line, so {@link #log()} and {@link
 * #awaitLog} see what the broker did. In every config line given to the builder, {@code ${dir}}
 * stands for the broker's directory (see {@link Builder#file}).
 *
 * <p>Thread-safe: {@link #stop()}, {@link #restart()}, {@link #reload()}, {@link #changePassword}
 * and {@link #close()} take one lock, so parallel tests sharing a broker may call them; the
 * accessors may be called from any thread at any time. A broker still running when the JVM exits is
 * killed by a shutdown hook.
 */
public final class MosquittoBroker implements TestBroker {
  /** The system property that names the mosquitto executable to run. */
  public static final String EXECUTABLE_PROPERTY = "vmqtt.testkit.mosquitto";

  /** The host every listener binds: the IPv4 loopback address. */
  public static final String HOST = "127.0.0.1";

  /** The name of the listener every broker has; {@link #port()} and {@link #uri()} refer to it. */
  public static final String DEFAULT_LISTENER = "mqtt";

  /** The listener {@link Builder#tls()} adds: {@code mqtts}, the testkit's server certificate. */
  public static final String TLS = "tls";

  /** The listener {@link Builder#websockets()} adds: MQTT over WebSocket, {@code ws}. */
  public static final String WEBSOCKETS = "ws";

  /** The listener {@link Builder#psk} adds: {@code mqtts} with TLS-PSK only. */
  public static final String PSK = "psk";

  static final String INSTALL_HINT =
      "mosquitto is not installed: apt-get install -y mosquitto (Debian, Ubuntu), brew install"
          + " mosquitto (macOS), or set -D"
          + EXECUTABLE_PROPERTY
          + "=<path>";
  private static final List<Path> SEARCHED =
      List.of(
          Path.of("/usr/sbin/mosquitto"),
          Path.of("/usr/local/sbin/mosquitto"),
          Path.of("/opt/homebrew/sbin/mosquitto"),
          Path.of("/opt/homebrew/opt/mosquitto/sbin/mosquitto"),
          Path.of("/usr/local/opt/mosquitto/sbin/mosquitto"));
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);
  private static final int START_ATTEMPTS = 5;
  private static final String RELOADING = "Reloading config.";

  /** Brokers still running; a JVM that exits without closing them does not leave them behind. */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "mosquitto-reaper"));
  }

  private final Path executable;
  private final String configTemplate;
  private final Map<String, Listener> listeners;
  private final Path directory;
  private final Path configFile;
  private final Path logFile;
  private final Path outputFile;
  private final TlsOptions clientTls;

  /** Guards starting, stopping, reloading and the password file. */
  private final ReentrantLock lock = new ReentrantLock();

  /** The port of each listener, in declaration order; replaced whole, under {@link #lock}. */
  private volatile Map<String, Integer> ports = Map.of();

  /** The user names and passwords of the password file; guarded by {@link #lock}. */
  private final Map<String, String> users;

  /** The running process, or null; written under {@link #lock}. */
  private volatile Process process;

  private MosquittoBroker(Builder b, Path executable, Path directory) {
    this.executable = executable;
    this.listeners = new LinkedHashMap<>();
    b.listeners.forEach(
        (name, l) -> {
          List<String> options = new ArrayList<>(l.options());
          options.addAll(b.listenerLimits());
          listeners.put(name, new Listener(l.scheme(), List.copyOf(options)));
        });
    this.directory = directory;
    this.configFile = directory.resolve("mosquitto.conf");
    this.logFile = directory.resolve("mosquitto.log");
    this.outputFile = directory.resolve("mosquitto.out");
    this.configTemplate = b.globalConfig(directory, logFile);
    this.users = new LinkedHashMap<>(b.users);
    this.clientTls = b.clientTls();
  }

  /** A builder for a broker with the defaults: one anonymous listener, nothing else. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a broker with the defaults: one anonymous MQTT listener.
   *
   * @throws IllegalStateException when mosquitto is not installed or does not start
   */
  public static MosquittoBroker start() {
    return builder().start();
  }

  /**
   * Whether a mosquitto executable can be found (see the class comment), e.g. for {@code
   * assumeTrue(MosquittoBroker.isInstalled())}.
   */
  public static boolean isInstalled() {
    return findExecutable().isPresent();
  }

  @Override
  public Kind kind() {
    return Kind.PROCESS;
  }

  /** The host every listener binds: {@code 127.0.0.1}. */
  @Override
  public String host() {
    return HOST;
  }

  /** The port of the default listener. */
  @Override
  public int port() {
    return port(DEFAULT_LISTENER);
  }

  /**
   * The port of a listener.
   *
   * @throws IllegalArgumentException when there is no listener of that name
   */
  public int port(String listener) {
    Integer port = ports.get(Objects.requireNonNull(listener, "listener"));
    if (port == null) {
      throw new IllegalArgumentException(
          "no listener '" + listener + "'; listeners: " + listeners.keySet());
    }
    return port;
  }

  /** {@code mqtt://127.0.0.1:<port>} for the default listener. */
  @Override
  public String uri() {
    return uri(DEFAULT_LISTENER);
  }

  /**
   * {@code <scheme>://127.0.0.1:<port>} for a listener, with the scheme it was declared with, e.g.
   * {@code uri(MosquittoBroker.TLS)} is {@code mqtts://127.0.0.1:<port>}.
   *
   * @throws IllegalArgumentException when there is no listener of that name
   */
  public String uri(String listener) {
    int port = port(listener);
    return listeners.get(listener).scheme() + "://" + HOST + ":" + port;
  }

  /** The names of the listeners, the default one first. */
  public Set<String> listeners() {
    return java.util.Collections.unmodifiableSet(listeners.keySet());
  }

  /**
   * TLS options for a client of this broker's {@link #TLS} and {@link #PSK} listeners: the testkit
   * CA ({@link TestCertificates#ca()}) as the trusted certificate, or the identity and key given to
   * {@link Builder#psk}. Use them with {@code ConnectOptions.builder().tls(...)} or {@code
   * MqttConfig.builder().tls(...)}.
   *
   * @throws IllegalStateException when the broker has neither listener
   */
  public TlsOptions clientTls() {
    if (clientTls == null) {
      throw new IllegalStateException(
          "this broker has no tls or psk listener: add one with MosquittoBroker.builder().tls()"
              + " or .psk(identity, key)");
    }
    return clientTls;
  }

  /** The broker's temporary directory; deleted by {@link #close()}. */
  public Path directory() {
    return directory;
  }

  /** The generated {@code mosquitto.conf}. */
  public Path configFile() {
    return configFile;
  }

  /** The broker's log file ({@code log_dest file}). */
  public Path logFile() {
    return logFile;
  }

  /** The mosquitto executable this broker runs. */
  public Path executable() {
    return executable;
  }

  /** Whether the broker process is running. */
  @Override
  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /**
   * The process id of the running broker.
   *
   * @throws IllegalStateException when it is not running
   */
  public long pid() {
    Process p = process;
    if (p == null) {
      throw new IllegalStateException("mosquitto is not running");
    }
    return p.pid();
  }

  /** The whole broker log so far; empty when there is none. Lines start with a Unix timestamp. */
  public String log() {
    return TestFiles.read(logFile);
  }

  /** Whether the broker log contains this text. */
  public boolean logContains(String text) {
    return log().contains(Objects.requireNonNull(text, "text"));
  }

  /**
   * Waits until the broker log contains this text, e.g. {@code "Client sensor-7 disconnected."}.
   *
   * @throws AssertionError with the log tail when it does not appear in time
   */
  public void awaitLog(String text, Duration timeout) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(timeout, "timeout");
    try {
      await("mosquitto log line containing \"" + text + "\"")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> logContains(text));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "mosquitto did not log \""
              + text
              + "\" within "
              + timeout.toMillis()
              + " ms\n"
              + logTail(),
          e);
    }
  }

  /** The last lines of the process output and of the broker log, for failure messages. */
  public String logTail() {
    return "--- mosquitto output ("
        + outputFile
        + ") ---\n"
        + TestFiles.tail(TestFiles.read(outputFile))
        + "--- mosquitto log ("
        + logFile
        + ") ---\n"
        + TestFiles.tail(log());
  }

  /**
   * Stops the broker: SIGTERM, a bounded wait, then SIGKILL. Clients see their connections close.
   * The directory and ports are kept, so {@link #restart()} can start it again. Does nothing when
   * it is not running.
   *
   * @throws IllegalStateException when the process survives SIGKILL
   */
  public void stop() {
    lock.lock();
    try {
      Process p = process;
      if (p == null) {
        return;
      }
      process = null;
      try {
        p.destroy();
        if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          if (!p.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(
                "mosquitto (pid " + p.pid() + ") did not exit after SIGKILL\n" + logTail());
          }
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      } finally {
        RUNNING.remove(p);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the broker if it runs and starts it again with the same config on the same ports. With
   * {@code persistence false} it forgets every session and retained message.
   *
   * @throws IllegalStateException when it does not come back, with the log tail
   */
  public void restart() {
    lock.lock();
    try {
      stop();
      Outcome outcome = launch();
      if (outcome != Outcome.READY) {
        String failure = failure(outcome, "restart");
        stop();
        throw new IllegalStateException(failure);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Gives a user of the password file a new password; the running broker reads it on {@link
   * #reload()}.
   *
   * @throws IllegalArgumentException when the builder declared no such user
   */
  public void changePassword(String user, String password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    lock.lock();
    try {
      if (!users.containsKey(user)) {
        throw new IllegalArgumentException("no user '" + user + "'; users: " + users.keySet());
      }
      users.put(user, password);
      writePasswordFile(directory, users);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes the broker reload its config, password file included (SIGHUP), and waits until it logs
   * {@code "Reloading config."}. Mosquitto reloads between two turns of its single-threaded main
   * loop, so every packet it handles after that line meets the new config. Mosquitto 2.0 also
   * disconnects, during the reload, clients whose credentials the new password file refuses.
   *
   * @throws IllegalStateException when it is not running, or the signal cannot be sent
   * @throws AssertionError when the log line does not appear within 5 s
   */
  public void reload() {
    lock.lock();
    try {
      long before = occurrences(log(), RELOADING);
      long pid = pid();
      ProcessBuilder kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid));
      try {
        Process p = kill.redirectErrorStream(true).start();
        if (!p.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
          throw new IllegalStateException(
              "kill -HUP " + pid + " failed: " + new String(p.getInputStream().readAllBytes()));
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot run kill -HUP " + pid, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while sending SIGHUP to mosquitto", e);
      }
      try {
        await("mosquitto log line \"" + RELOADING + "\" number " + (before + 1))
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> occurrences(log(), RELOADING) > before);
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("mosquitto did not reload within 5 s\n" + logTail(), e);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Stops the broker and deletes its directory. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      stop();
    } finally {
      try {
        TestFiles.deleteTree(directory);
      } finally {
        lock.unlock();
      }
    }
  }

  @Override
  public String toString() {
    return "MosquittoBroker" + ports + (isRunning() ? " running" : " stopped");
  }

  // --- starting -------------------------------------------------------------------------------

  private void startFresh() {
    for (int attempt = 1; ; attempt++) {
      List<Integer> free = TestFiles.freePorts(HOST, listeners.size());
      Map<String, Integer> allocated = new LinkedHashMap<>();
      int i = 0;
      for (String name : listeners.keySet()) {
        allocated.put(name, free.get(i++));
      }
      ports = java.util.Collections.unmodifiableMap(allocated);
      TestFiles.deleteIfExists(logFile);
      TestFiles.deleteIfExists(outputFile);
      Outcome outcome = launch();
      if (outcome == Outcome.READY) {
        return;
      }
      String failure = failure(outcome, "start");
      stop();
      // Another process took a port between our probe and mosquitto's bind: try other ports.
      // For a websockets listener, mosquitto 2.0.11 (libwebsockets) logs only "Unable to create
      // websockets listener on port N".
      if (outcome == Outcome.EXITED
          && (log().contains("Address already in use")
              || log().contains("Unable to create websockets listener"))
          && attempt < START_ATTEMPTS) {
        continue;
      }
      throw new IllegalStateException(failure);
    }
  }

  /** Writes the config, starts the process and waits for its listeners; under {@link #lock}. */
  private Outcome launch() {
    writeConfig();
    ProcessBuilder pb =
        new ProcessBuilder(executable.toString(), "-c", configFile.toString())
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()));
    Process started;
    try {
      started = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException(INSTALL_HINT + " (cannot run " + executable + ")", e);
    }
    process = started;
    RUNNING.add(started);
    try {
      return awaitReady(started);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
      throw new IllegalStateException("interrupted while waiting for mosquitto to start", e);
    }
  }

  /**
   * Polls every listener port until each accepts a connection, backing off from 5 to 200 ms. The
   * back-off is a bounded wait for the process to exit, so an early exit is seen at once.
   */
  private Outcome awaitReady(Process started) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    long backoffMillis = 5;
    while (true) {
      if (!started.isAlive()) {
        return Outcome.EXITED;
      }
      if (ports.values().stream().allMatch(port -> TestFiles.accepts(HOST, port))) {
        return started.isAlive() ? Outcome.READY : Outcome.EXITED;
      }
      if (System.nanoTime() - deadline > 0) {
        return Outcome.TIMED_OUT;
      }
      if (started.waitFor(backoffMillis, TimeUnit.MILLISECONDS)) {
        return Outcome.EXITED;
      }
      backoffMillis = Math.min(backoffMillis * 2, 200);
    }
  }

  private String failure(Outcome outcome, String what) {
    String head =
        switch (outcome) {
          case EXITED ->
              "mosquitto exited with code "
                  + exitCode()
                  + " before accepting connections on "
                  + HOST
                  + ":"
                  + ports.values();
          case TIMED_OUT ->
              "mosquitto did not accept connections on "
                  + HOST
                  + ":"
                  + ports.values()
                  + " within "
                  + START_TIMEOUT.toSeconds()
                  + " s";
          case READY -> throw new AssertionError(outcome);
        };
    return head
        + " ("
        + what
        + ")\n--- "
        + configFile
        + " ---\n"
        + TestFiles.read(configFile)
        + logTail();
  }

  private String exitCode() {
    Process p = process;
    return p == null || p.isAlive() ? "?" : Integer.toString(p.exitValue());
  }

  private void writeConfig() {
    StringBuilder config = new StringBuilder(configTemplate);
    for (Map.Entry<String, Listener> e : listeners.entrySet()) {
      config.append("\n# listener '").append(e.getKey()).append("'\n");
      config
          .append("listener ")
          .append(ports.get(e.getKey()))
          .append(' ')
          .append(HOST)
          .append('\n');
      for (String option : e.getValue().options()) {
        config.append(expand(option, directory)).append('\n');
      }
    }
    TestFiles.write(configFile, config.toString());
  }

  // --- helpers --------------------------------------------------------------------------------

  private enum Outcome {
    READY,
    EXITED,
    TIMED_OUT
  }

  private record Listener(String scheme, List<String> options) {}

  /** The executable named by the system property, else the first one found. */
  static java.util.Optional<Path> findExecutable() {
    String property = System.getProperty(EXECUTABLE_PROPERTY, "");
    if (!property.isBlank()) {
      return java.util.Optional.of(Path.of(property)).filter(Files::isExecutable);
    }
    List<Path> candidates = new ArrayList<>(SEARCHED);
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir, "mosquitto"));
      }
    }
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  /** How often {@code text} occurs in {@code log}. */
  private static long occurrences(String log, String text) {
    long n = 0;
    for (int i = log.indexOf(text); i >= 0; i = log.indexOf(text, i + text.length())) {
      n++;
    }
    return n;
  }

  private static void writePasswordFile(Path directory, Map<String, String> users) {
    StringBuilder lines = new StringBuilder();
    users.forEach((user, password) -> lines.append(PasswordFile.line(user, password)).append('\n'));
    TestFiles.write(directory.resolve("passwords"), lines.toString());
  }

  static String expand(String line, Path directory) {
    return line.replace("${dir}", directory.toString());
  }

  /**
   * A mosquitto 2.0 password-file line for a user, as {@code mosquitto_passwd} writes it: {@code
   * user:$7$101$<salt>$<hash>} (PBKDF2 with HMAC-SHA512), e.g. for a password file of your own
   * given with {@link Builder#file} and {@link Builder#extraConfig}.
   *
   * @throws IllegalArgumentException when the user name is empty or contains ':'
   */
  public static String passwordFileLine(String user, String password) {
    return PasswordFile.line(user, password);
  }

  /**
   * Builds a {@link MosquittoBroker} configuration; {@link #start()} runs it. Every method checks
   * its arguments and throws {@link NullPointerException} or {@link IllegalArgumentException}
   * naming the one at fault. Not thread-safe: build on one thread.
   */
  public static final class Builder {
    private Path executable;
    private final Map<String, String> users = new LinkedHashMap<>();
    private Boolean allowAnonymous;
    private String acl;
    private Integer maxInflightMessages;
    private boolean verboseLog;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final List<String> extraConfig = new ArrayList<>();
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private final List<String> limits = new ArrayList<>();
    private final List<String> listenerLimits = new ArrayList<>();
    private String pskIdentity;
    private byte[] pskKey;
    private boolean tls;

    private Builder() {
      listeners.put(DEFAULT_LISTENER, new Listener("mqtt", new ArrayList<>()));
    }

    /**
     * The mosquitto executable to run, instead of the one found as the class comment says.
     *
     * @throws NullPointerException when it is null
     */
    public Builder executable(Path executable) {
      this.executable = Objects.requireNonNull(executable, "executable");
      return this;
    }

    /**
     * Adds a user to the broker's password file (hashed as {@code mosquitto_passwd} does). Once
     * there is a user, anonymous clients are refused unless {@link #allowAnonymous} says otherwise.
     *
     * @throws IllegalArgumentException when the name is empty or contains ':'
     */
    public Builder user(String name, String password) {
      PasswordFile.checkUser(name);
      users.put(name, Objects.requireNonNull(password, "password"));
      return this;
    }

    /** {@code allow_anonymous}; by default true without users and false with them. */
    public Builder allowAnonymous(boolean allowAnonymous) {
      this.allowAnonymous = allowAnonymous;
      return this;
    }

    /**
     * An ACL file with this content ({@code acl_file}). Mosquitto 2.0 does not refuse a SUBSCRIBE
     * the ACL forbids; it just delivers nothing.
     */
    public Builder acl(String content) {
      this.acl = Objects.requireNonNull(content, "content");
      return this;
    }

    /**
     * {@code max_inflight_messages}: outgoing QoS 1/2 messages in flight per client, 0 (no limit)
     * to 65535; mosquitto's default is 20. MQTT 5 clients see it as Receive Maximum.
     */
    public Builder maxInflightMessages(int max) {
      this.maxInflightMessages = checkRange("maxInflightMessages", max, 0, 65535);
      return this;
    }

    /**
     * {@code max_qos} on every listener: the highest QoS the broker grants, 0 to 2 (announced as
     * Maximum QoS to MQTT 5 clients).
     */
    public Builder maxQos(int qos) {
      listenerLimits.add("max_qos " + checkRange("maxQos", qos, 0, 2));
      return this;
    }

    /**
     * {@code retain_available}: whether retained messages are supported (announced as Retain
     * Available to MQTT 5 clients; mosquitto disconnects an MQTT 5 client that sends one anyway).
     */
    public Builder retainAvailable(boolean available) {
      limits.add("retain_available " + available);
      return this;
    }

    /**
     * {@code max_packet_size}: the largest packet the broker accepts, 20 to 268435455 bytes
     * (announced as Maximum Packet Size to MQTT 5 clients).
     */
    public Builder maxPacketSize(int bytes) {
      limits.add("max_packet_size " + checkRange("maxPacketSize", bytes, 20, 268435455));
      return this;
    }

    /**
     * {@code max_keepalive}: the longest keep-alive the broker allows, 10 to 65535 seconds (an MQTT
     * 5 client asking for more is told this value as Server Keep Alive).
     */
    public Builder maxKeepAlive(int seconds) {
      limits.add("max_keepalive " + checkRange("maxKeepAlive", seconds, 10, 65535));
      return this;
    }

    /**
     * {@code max_topic_alias} on every listener: topic aliases an MQTT 5 client may use, 0 to 65535
     * (announced as Topic Alias Maximum).
     */
    public Builder maxTopicAlias(int max) {
      listenerLimits.add("max_topic_alias " + checkRange("maxTopicAlias", max, 0, 65535));
      return this;
    }

    /** {@code log_type all}: every packet in the log, e.g. {@code "Received PINGREQ from id"}. */
    public Builder verboseLog() {
      this.verboseLog = true;
      return this;
    }

    /**
     * Writes a file into the broker's directory before it starts, e.g. a certificate; config lines
     * refer to it as {@code ${dir}/name}.
     *
     * @throws IllegalArgumentException when the name is absolute or leaves the directory
     */
    public Builder file(String relativeName, byte[] content) {
      Objects.requireNonNull(relativeName, "relativeName");
      Objects.requireNonNull(content, "content");
      if (relativeName.isEmpty()
          || Path.of(relativeName).isAbsolute()
          || relativeName.contains("..")) {
        throw new IllegalArgumentException(
            "file name must be relative and inside the broker's directory: '" + relativeName + "'");
      }
      files.put(relativeName, content.clone());
      return this;
    }

    /** Like {@link #file(String, byte[])} with UTF-8 text. */
    public Builder file(String relativeName, String content) {
      Objects.requireNonNull(content, "content");
      return file(relativeName, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Raw {@code mosquitto.conf} lines placed before the listeners, e.g. {@code "sys_interval 1"}
     * or {@code "max_queued_messages 0"}. {@code ${dir}} is the broker's directory.
     */
    public Builder extraConfig(String lines) {
      extraConfig.add(Objects.requireNonNull(lines, "lines"));
      return this;
    }

    /** A line under the default listener, e.g. {@code "max_qos 1"}. */
    public Builder listenerOption(String line) {
      listeners.get(DEFAULT_LISTENER).options().add(Objects.requireNonNull(line, "line"));
      return this;
    }

    /**
     * Another listener on its own free port of 127.0.0.1, with its option lines, e.g. {@code
     * listener("ws", "ws", "protocol websockets")} or {@code listener("tls", "mqtts", "certfile
     * ${dir}/server.pem", "keyfile ${dir}/server.key")}; {@link #port(String)} and {@link
     * #uri(String)} give its port and {@code <scheme>://127.0.0.1:<port>}.
     *
     * @throws IllegalArgumentException when the name is taken or empty, or the scheme is not a URI
     *     scheme
     */
    public Builder listener(String name, String scheme, String... options) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(scheme, "scheme");
      if (name.isBlank()) {
        throw new IllegalArgumentException("listener name must not be blank");
      }
      if (!scheme.matches("[a-zA-Z][a-zA-Z0-9+.-]*")) {
        throw new IllegalArgumentException("not a URI scheme: '" + scheme + "'");
      }
      if (listeners.containsKey(name)) {
        throw new IllegalArgumentException("listener '" + name + "' is already defined");
      }
      List<String> lines = new ArrayList<>();
      for (String option : options) {
        lines.add(Objects.requireNonNull(option, "option"));
      }
      listeners.put(name, new Listener(scheme, lines));
      return this;
    }

    /**
     * Adds the {@link #TLS} listener ({@code mqtts}) with the server certificate of {@link
     * TestCertificates#get()}, valid for {@code localhost} and {@code 127.0.0.1} and signed by the
     * testkit CA; {@link #clientTls()} trusts that CA.
     */
    public Builder tls() {
      TestCertificates certificates = TestCertificates.get();
      file("testkit-ca.pem", certificates.ca().certificatePem());
      file("testkit-server.pem", certificates.server().certificatePem());
      file("testkit-server.key", certificates.server().pkcs8Pem());
      listener(
          TLS, "mqtts", "certfile ${dir}/testkit-server.pem", "keyfile ${dir}/testkit-server.key");
      tls = true;
      return this;
    }

    /** Adds the {@link #WEBSOCKETS} listener: MQTT over WebSocket ({@code ws://}). */
    public Builder websockets() {
      listener(WEBSOCKETS, "ws", "protocol websockets");
      return this;
    }

    /**
     * Adds the {@link #PSK} listener ({@code mqtts}): TLS with a pre-shared key instead of
     * certificates; the identity becomes the MQTT user name. {@link #clientTls()} holds the
     * identity and key.
     *
     * @param identity the PSK identity, e.g. {@code "sensor-7"}
     * @param keyHex the key as hexadecimal digits, e.g. 64 of them for 32 bytes
     * @throws IllegalArgumentException when the identity is empty or holds ':' or a line break, or
     *     the key is not an even number of hex digits
     */
    public Builder psk(String identity, String keyHex) {
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(keyHex, "keyHex");
      if (identity.isEmpty() || identity.contains(":") || identity.contains("\n")) {
        throw new IllegalArgumentException(
            "PSK identity must be non-empty, without ':' or line breaks: '" + identity + "'");
      }
      byte[] key;
      try {
        key = HexFormat.of().parseHex(keyHex);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "PSK key must be an even number of hex digits, was '" + keyHex + "'", e);
      }
      if (key.length == 0) {
        throw new IllegalArgumentException("PSK key must not be empty");
      }
      file("testkit-psk", identity + ":" + keyHex + "\n");
      extraConfig("psk_file ${dir}/testkit-psk"); // global: per_listener_settings is false
      listener(PSK, "mqtts", "psk_hint vmqtt-testkit", "use_identity_as_username true");
      this.pskIdentity = identity;
      this.pskKey = key;
      return this;
    }

    /**
     * Writes the config into a fresh temporary directory, starts mosquitto on free ports and waits
     * until every listener accepts connections.
     *
     * @throws IllegalStateException when mosquitto is not installed, exits early or does not accept
     *     connections within 10 s; the message has the config and the log tail
     */
    public MosquittoBroker start() {
      Path exe = executable;
      if (exe == null) {
        exe =
            findExecutable()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            INSTALL_HINT
                                + " (looked in "
                                + SEARCHED.get(0).getParent()
                                + ", /usr/local/sbin, Homebrew's folders and the PATH)"));
      } else if (!Files.isExecutable(exe)) {
        throw new IllegalStateException(INSTALL_HINT + " (no executable at " + exe + ")");
      }
      Path directory;
      try {
        directory = Files.createTempDirectory("mosquitto-");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot create a temporary directory", e);
      }
      MosquittoBroker broker = new MosquittoBroker(this, exe, directory);
      broker.lock.lock();
      try {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
          TestFiles.write(directory.resolve(f.getKey()), f.getValue());
        }
        if (!users.isEmpty()) {
          writePasswordFile(directory, users);
        }
        if (acl != null) {
          TestFiles.write(directory.resolve("acl"), acl);
        }
        broker.startFresh();
        return broker;
      } catch (RuntimeException | Error e) {
        broker.close();
        throw e;
      } finally {
        broker.lock.unlock();
      }
    }

    private List<String> listenerLimits() {
      return listenerLimits;
    }

    private TlsOptions clientTls() {
      if (pskIdentity != null) {
        return TlsOptions.builder().psk(pskIdentity, pskKey).build();
      }
      if (tls) {
        return TlsOptions.builder().caData(TestCertificates.get().ca().certificatePem()).build();
      }
      return null;
    }

    private String globalConfig(Path directory, Path logFile) {
      StringBuilder c = new StringBuilder("# written by io.vmqtt.testkit.MosquittoBroker\n");
      c.append("user root\n");
      c.append("persistence false\n");
      c.append("log_dest file ").append(logFile).append('\n');
      if (verboseLog) {
        c.append("log_type all\n");
      }
      boolean anonymous = allowAnonymous != null ? allowAnonymous : users.isEmpty();
      c.append("allow_anonymous ").append(anonymous).append('\n');
      if (!users.isEmpty()) {
        c.append("password_file ").append(directory.resolve("passwords")).append('\n');
      }
      if (acl != null) {
        c.append("acl_file ").append(directory.resolve("acl")).append('\n');
      }
      if (maxInflightMessages != null) {
        c.append("max_inflight_messages ").append(maxInflightMessages).append('\n');
      }
      for (String line : limits) {
        c.append(line).append('\n');
      }
      for (String lines : extraConfig) {
        c.append(expand(lines, directory)).append('\n');
      }
      return c.toString();
    }

    private static int checkRange(String name, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + " must be between " + min + " and " + max + ", was " + value);
      }
      return value;
    }
  }
}
