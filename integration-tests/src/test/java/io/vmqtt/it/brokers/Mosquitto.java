package io.vmqtt.it.brokers;

import io.vmqtt.QoS;
import io.vmqtt.testkit.MosquittoBroker;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link MosquittoBroker} (Debian's {@code mosquitto}, a child process on free ports) seen as a
 * {@link Broker}; everything mosquitto-specific stays in {@link #mosquitto()}.
 *
 * <pre>{@code
 * try (Mosquitto broker = Mosquitto.builder().user("alice", "s3cret").allowAnonymous(true).start()) {
 *   client.connect(broker.uri());
 *   broker.mosquitto().awaitLog("...", Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class Mosquitto implements Broker {
  private static final Pattern VERSION = Pattern.compile("mosquitto version (\\S+) starting");

  private final MosquittoBroker broker;
  private final Set<String> listeners;
  private final String version;

  private Mosquitto(MosquittoBroker broker, Set<String> listeners) {
    this.broker = broker;
    this.listeners = Set.copyOf(listeners);
    Matcher m = VERSION.matcher(broker.log());
    this.version = m.find() ? m.group(1) : "unknown";
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The broker itself: its log, restart, reload... */
  public MosquittoBroker mosquitto() {
    return broker;
  }

  @Override
  public Kind kind() {
    return Kind.PROCESS;
  }

  @Override
  public boolean isRunning() {
    return broker.isRunning();
  }

  @Override
  public String product() {
    return "mosquitto";
  }

  /** From the broker's log line {@code mosquitto version 2.0.11 starting}. */
  @Override
  public String version() {
    return version;
  }

  @Override
  public Set<String> listeners() {
    return listeners;
  }

  @Override
  public int port(String listener) {
    return broker.port(listener);
  }

  @Override
  public String uri(String listener) {
    return broker.uri(listener);
  }

  /** Mosquitto 2.0 speaks MQTT 3.1, 3.1.1 and 5, QoS 0 to 2, and retains. */
  @Override
  public Capabilities capabilities() {
    return new Capabilities(Set.of(3, 4, 5), QoS.EXACTLY_ONCE, true);
  }

  @Override
  public String logTail() {
    return broker.logTail();
  }

  @Override
  public void close() {
    broker.close();
  }

  @Override
  public String toString() {
    return broker.toString();
  }

  /** Builds a {@link Mosquitto}; {@link #start()} runs it. Not thread-safe. */
  public static final class Builder {
    private final MosquittoBroker.Builder builder = MosquittoBroker.builder();
    private final Set<String> listeners = new LinkedHashSet<>(Set.of(MQTT));

    private Builder() {}

    /** A user of the password file. With users, anonymous clients are refused unless allowed. */
    public Builder user(String name, String password) {
      builder.user(name, password);
      return this;
    }

    /** {@code allow_anonymous}; by default true without users and false with them. */
    public Builder allowAnonymous(boolean allowAnonymous) {
      builder.allowAnonymous(allowAnonymous);
      return this;
    }

    /**
     * Another listener (see {@link MosquittoBroker.Builder#listener}), e.g. {@code listener("ws",
     * "ws", "protocol websockets")}.
     */
    public Builder listener(String name, String scheme, String... options) {
      builder.listener(name, scheme, options);
      listeners.add(name);
      return this;
    }

    /** Anything else mosquitto can be told, e.g. {@code b -> b.verboseLog()}. */
    public Builder configure(Consumer<MosquittoBroker.Builder> configuration) {
      Objects.requireNonNull(configuration, "configuration").accept(builder);
      return this;
    }

    /**
     * Starts mosquitto (see {@link MosquittoBroker.Builder#start()}).
     *
     * @throws IllegalStateException when mosquitto is not installed or does not start
     */
    public Mosquitto start() {
      return new Mosquitto(builder.start(), listeners);
    }
  }
}
