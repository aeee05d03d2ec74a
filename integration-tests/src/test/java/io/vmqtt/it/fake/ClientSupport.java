package io.vmqtt.it.fake;

import io.vmqtt.MqttConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the engine tests against the {@link FakeBroker} share. Stateless. */
final class ClientSupport {
  /** The bound on waiting for something that must happen. */
  static final Duration WAIT = Duration.ofSeconds(5);

  /** How long to watch for something that must not happen. */
  static final Duration QUIET = Duration.ofMillis(300);

  private ClientSupport() {}

  /**
   * A configuration for tests: operation and connect timeouts of 1 s, no automatic reconnect (a
   * lost connection must stay lost, so waiters fail), and a keep-alive of 60 s so that no PINGREQ
   * shows up among the packets a test takes, unless it asks for one.
   */
  static MqttConfig.Builder config() {
    return MqttConfig.builder()
        .operationTimeout(Duration.ofSeconds(1))
        .connectTimeout(Duration.ofSeconds(1))
        .autoReconnect(false)
        .keepAlive(Duration.ofSeconds(60));
  }

  /**
   * {@link #config()} at {@code protocol_version} 5, with timeouts of 10 s that no MQTT 5 test
   * waits for, so that a loaded machine does not reach them.
   */
  static MqttConfig.Builder v5() {
    return config()
        .protocolVersion(5)
        .connectTimeout(Duration.ofSeconds(10))
        .operationTimeout(Duration.ofSeconds(10));
  }

  /** The messages of {@code t} and all its causes, one per line, for matching. */
  static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c : chain(t)) {
      sb.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append('\n');
    }
    return sb.toString();
  }

  private static List<Throwable> chain(Throwable t) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
      chain.add(c);
    }
    return chain;
  }
}
