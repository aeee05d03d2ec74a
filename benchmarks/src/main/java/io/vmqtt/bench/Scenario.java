package io.vmqtt.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The end-to-end scenarios, with their message counts for a full run; {@code --quick} takes a
 * tenth. Each one's exact definition is in {@code benchmarks/README.md}.
 */
enum Scenario {
  QOS0_PUBLISH("qos0-publish", "QoS 0 publish, one publisher", 500_000, 100_000),
  QOS0_RECEIVE("qos0-receive", "QoS 0 receive", 500_000, 100_000),
  QOS1_SEQUENTIAL("qos1-seq", "QoS 1, one blocking publisher", 30_000, 20_000),
  QOS1_WINDOW("qos1-64", "QoS 1, 64 outstanding", 300_000, 60_000),
  QOS2_WINDOW("qos2-64", "QoS 2, 64 outstanding", 200_000, 40_000),
  QOS1_REQUEST("qos1-request", "QoS 1, a request thread per publish", 300_000, 60_000),
  QOS2_REQUEST("qos2-request", "QoS 2, a request thread per publish", 200_000, 40_000),
  PING_PONG("ping-pong", "QoS 0 ping-pong latency", 30_000, 20_000),
  CONNECTIONS("connections", "connections, one subscription each", 10_000, 0);

  private final String id;
  private final String title;
  private final long messages;
  private final long warmup;

  Scenario(String id, String title, long messages, long warmup) {
    this.id = id;
    this.title = title;
    this.messages = messages;
    this.warmup = warmup;
  }

  String id() {
    return id;
  }

  String title() {
    return title;
  }

  /** Messages measured in a full run (connections for {@link #CONNECTIONS}). */
  long messages() {
    return messages;
  }

  /** Messages sent before measuring, to warm up the JIT of both the client and the path. */
  long warmup() {
    return warmup;
  }

  /** The QoS this scenario publishes at. */
  int qos() {
    return switch (this) {
      case QOS1_SEQUENTIAL, QOS1_WINDOW, QOS1_REQUEST -> 1;
      case QOS2_WINDOW, QOS2_REQUEST -> 2;
      default -> 0;
    };
  }

  static Scenario of(String id) {
    return Arrays.stream(values())
        .filter(s -> s.id.equals(id.toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown scenario '"
                        + id
                        + "'; known: "
                        + String.join(", ", Arrays.stream(values()).map(Scenario::id).toList())));
  }
}
