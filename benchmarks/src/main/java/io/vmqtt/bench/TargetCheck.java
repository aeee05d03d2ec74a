package io.vmqtt.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The targets for vmqtt, checked against the medians of one run: each says what was
 * measured and whether it is met. A target whose figures are missing says so.
 */
final class TargetCheck {
  /** One target: what it asks, what was measured, and whether that meets it (null: unknown). */
  record Verdict(String target, String measured, Boolean met) {}

  private final Summary s;
  private final List<Verdict> verdicts = new ArrayList<>();

  private TargetCheck(Summary s) {
    this.s = s;
  }

  static List<Verdict> check(Summary summary) {
    TargetCheck t = new TargetCheck(summary);
    t.ratio(
        "QoS 0 publish msg/s ≥ 0.95× raw",
        Scenario.QOS0_PUBLISH,
        Metric.MSG_PER_SEC,
        "raw",
        0.95,
        true);
    t.ratio(
        "QoS 0 publish client CPU/msg ≤ 2× raw",
        Scenario.QOS0_PUBLISH,
        Metric.CPU_US_PER_MSG,
        "raw",
        2,
        false);
    t.ratio(
        "QoS 0 receive client CPU/msg ≤ 0.8× HiveMQ",
        Scenario.QOS0_RECEIVE,
        Metric.CPU_US_PER_MSG,
        "hivemq",
        0.8,
        false);
    t.ratio(
        "QoS 0 receive through a message listener, client CPU/msg ≤ 0.8× HiveMQ's callback",
        "vmqtt-listener",
        Scenario.QOS0_RECEIVE,
        Metric.CPU_US_PER_MSG,
        "hivemq",
        0.8,
        false);
    t.ratio(
        "QoS 0 receive client CPU/msg: message listener < deliverMessage",
        "vmqtt-listener",
        Scenario.QOS0_RECEIVE,
        Metric.CPU_US_PER_MSG,
        "vmqtt",
        1,
        false);
    for (Scenario sc : List.of(Scenario.QOS1_WINDOW, Scenario.QOS2_WINDOW)) {
      String name = sc == Scenario.QOS1_WINDOW ? "QoS 1" : "QoS 2";
      t.ratio(
          name + ", 64 concurrent, msg/s ≥ 1.4× HiveMQ",
          sc,
          Metric.MSG_PER_SEC,
          "hivemq",
          1.4,
          true);
      t.ratio(
          name + ", 64 concurrent, msg/s ≥ 0.85× raw", sc, Metric.MSG_PER_SEC, "raw", 0.85, true);
    }
    for (Scenario sc : List.of(Scenario.QOS1_REQUEST, Scenario.QOS2_REQUEST)) {
      String name = sc == Scenario.QOS1_REQUEST ? "QoS 1" : "QoS 2";
      t.ratio(
          name + ", a request thread per publish, msg/s ≥ 1.2× HiveMQ",
          sc,
          Metric.MSG_PER_SEC,
          "hivemq",
          1.2,
          true);
    }
    t.ratio(
        "ping-pong latency p50 ≤ 1.5× raw", Scenario.PING_PONG, Metric.P50_US, "raw", 1.5, false);
    t.absolute(
        "connections: no platform thread per connection (< 0.01)",
        Metric.PLATFORM_THREADS_PER_CONN,
        0.01);
    t.absolute("connections: heap ≤ 6 KiB per connection", Metric.HEAP_PER_CONN, 6144);
    double heap = summary.median(Scenario.CONNECTIONS, "vmqtt", Metric.HEAP_PER_CONN);
    double rss = summary.median(Scenario.CONNECTIONS, "vmqtt", Metric.RSS_PER_CONN);
    double memory = heap + rss;
    t.verdicts.add(
        new Verdict(
            "connections: memory (heap + RSS beyond heap) ≤ 20 KiB per connection",
            Double.isNaN(memory) ? "—" : Metric.HEAP_PER_CONN.format(memory),
            Double.isNaN(memory) ? null : memory <= 20 * 1024));
    t.ratio(
        "connections: connect rate ≥ HiveMQ's",
        Scenario.CONNECTIONS,
        Metric.CONNECT_PER_SEC,
        "hivemq",
        1,
        true);
    double alloc = summary.median(Scenario.QOS0_PUBLISH, "vmqtt", Metric.ALLOC_PER_MSG);
    t.verdicts.add(
        new Verdict(
            "allocation per QoS 0 publish (64 B payload, reused by the caller) ≤ 200 B",
            Double.isNaN(alloc) ? "—" : Metric.ALLOC_PER_MSG.format(alloc) + " B",
            Double.isNaN(alloc) ? null : alloc <= 200));
    return t.verdicts;
  }

  private void ratio(
      String target, Scenario sc, Metric m, String reference, double bound, boolean atLeast) {
    ratio(target, "vmqtt", sc, m, reference, bound, atLeast);
  }

  /** {@code client}'s median over {@code reference}'s, against {@code bound}. */
  private void ratio(
      String target,
      String client,
      Scenario sc,
      Metric m,
      String reference,
      double bound,
      boolean atLeast) {
    double r = s.ratio(sc, m, client, reference);
    String measured =
        Double.isNaN(r)
            ? "—"
            : String.format(
                Locale.ROOT,
                "%.2f× (%s vs %s)",
                r,
                m.format(s.median(sc, client, m)),
                m.format(s.median(sc, reference, m)));
    verdicts.add(
        new Verdict(target, measured, Double.isNaN(r) ? null : atLeast ? r >= bound : r <= bound));
  }

  private void absolute(String target, Metric m, double bound) {
    double v = s.median(Scenario.CONNECTIONS, "vmqtt", m);
    verdicts.add(
        new Verdict(
            target, Double.isNaN(v) ? "—" : m.format(v), Double.isNaN(v) ? null : v <= bound));
  }
}
