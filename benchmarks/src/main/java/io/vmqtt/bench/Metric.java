package io.vmqtt.bench;

import java.util.List;
import java.util.Locale;

/** The figures the harness reports, how they print, and which way is better. */
enum Metric {
  MSG_PER_SEC("msg/s", true),
  CPU_US_PER_MSG("client CPU µs/msg", false),
  ALLOC_PER_MSG("client alloc B/msg", false),
  WRITES_PER_MSG("client write calls/msg", false),
  BROKER_CPU_PCT("broker CPU %", false),
  P50_US("latency p50 µs", false),
  P99_US("latency p99 µs", false),
  LOST("messages lost", false),
  CONNECTIONS("connections", true),
  CONNECT_PER_SEC("connect+subscribe /s", true),
  HEAP_PER_CONN("heap B/conn", false),
  RSS_PER_CONN("RSS B/conn (beyond heap)", false),
  PLATFORM_THREADS_PER_CONN("platform threads/conn", false),
  VIRTUAL_THREADS_PER_CONN("virtual threads/conn", false);

  private final String label;
  private final boolean higherIsBetter;

  Metric(String label, boolean higherIsBetter) {
    this.label = label;
    this.higherIsBetter = higherIsBetter;
  }

  String label() {
    return label;
  }

  boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** The metrics shown for a scenario, in order. */
  static List<Metric> of(Scenario s) {
    return switch (s) {
      case QOS0_PUBLISH, QOS0_RECEIVE ->
          List.of(MSG_PER_SEC, CPU_US_PER_MSG, ALLOC_PER_MSG, BROKER_CPU_PCT, LOST);
      case QOS1_SEQUENTIAL, QOS1_WINDOW, QOS2_WINDOW, QOS1_REQUEST, QOS2_REQUEST ->
          List.of(
              MSG_PER_SEC,
              CPU_US_PER_MSG,
              ALLOC_PER_MSG,
              WRITES_PER_MSG,
              BROKER_CPU_PCT,
              P50_US,
              P99_US);
      case PING_PONG -> List.of(P50_US, P99_US, MSG_PER_SEC, CPU_US_PER_MSG, ALLOC_PER_MSG);
      case CONNECTIONS ->
          List.of(
              CONNECTIONS,
              CONNECT_PER_SEC,
              HEAP_PER_CONN,
              RSS_PER_CONN,
              PLATFORM_THREADS_PER_CONN,
              VIRTUAL_THREADS_PER_CONN);
    };
  }

  /** The value as the table shows it: 3 significant figures, k and M for large numbers. */
  String format(double v) {
    if (Double.isNaN(v)) {
      return "—";
    }
    if (this == PLATFORM_THREADS_PER_CONN || this == VIRTUAL_THREADS_PER_CONN) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    if (this == LOST || this == CONNECTIONS) {
      return String.format(Locale.ROOT, "%,d", Math.round(v));
    }
    double a = Math.abs(v);
    if (a >= 1e6) {
      return sig(v / 1e6) + "M";
    }
    if (a >= 1e4) {
      return sig(v / 1e3) + "k";
    }
    return sig(v);
  }

  private static String sig(double v) {
    double a = Math.abs(v);
    String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f";
    return String.format(Locale.ROOT, f, v);
  }
}
