package io.vmqtt.bench;

import io.vmqtt.bench.ScaleCurve.Point;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The scale curve's Markdown report (header, limits and skipped counts, one table, a paragraph on
 * flatness computed from the figures) and its CSV.
 */
final class ScaleReport {
  /** Per-connection cost at the largest count over that at the smallest, at most, to be "flat". */
  static final double FLAT = 1.25;

  private final ScaleCurve.Result result;
  private final HarnessOptions options;
  private final MachineInfo machine;
  private final String command;
  private final String loadAtEnd;

  ScaleReport(
      ScaleCurve.Result result,
      HarnessOptions options,
      MachineInfo machine,
      String command,
      String loadAtEnd) {
    this.result = result;
    this.options = options;
    this.machine = machine;
    this.command = command;
    this.loadAtEnd = loadAtEnd;
  }

  String markdown() {
    ScaleCurve.Plan plan = result.plan();
    int ka = options.keepAlive();
    StringBuilder md = new StringBuilder("## Scale curve\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Measured %s on %s; broker mosquitto %s on the same machine; MQTT %s. `%s`: each"
                + " (client, count) in a fresh JVM (`%s`%s), the connections opened 64 at a time,"
                + " each subscribed to its own topic; keep-alive %d s; after one keep-alive of"
                + " settling, an idle window of %d s. Load average (1, 5, 15 min) at the start:"
                + " %s; at the end: %s.\n\n",
            machine.date(),
            machine.describe(),
            result.brokerVersion(),
            options.childJvmArgs().contains("-D" + HarnessOptions.PROTOCOL_PROPERTY + "=5")
                ? "5 (vmqtt, HiveMQ; Paho 3.1.1)"
                : "3.1.1",
            command,
            String.join(" ", ChildProcess.JVM_OPTIONS),
            plan.heapGiB() > 1 ? ", heap " + plan.heapGiB() + " GiB" : "",
            ka,
            options.idleSeconds(),
            machine.load(),
            loadAtEnd));
    if (!plan.skipped().isEmpty()) {
      md.append("**").append(plan.skippedSentence()).append("**\n\n");
    }
    if (plan.addresses() > 1) {
      md.append(
          String.format(
              Locale.ROOT,
              "The ephemeral port range has %,d ports; the connections were spread over %d"
                  + " addresses of the broker (127.0.0.1–127.0.0.%d), at most half the range to"
                  + " each.\n\n",
              plan.ports(),
              plan.addresses(),
              plan.addresses()));
    }
    md.append(
        "Heap: used heap after two `System.gc()` with the connections open, minus before, per"
            + " connection. RSS: `VmRSS` likewise (the heap is pre-touched, so this is memory"
            + " beyond it: thread stacks, direct buffers, metadata). Keep-alive CPU: the child's"
            + " process CPU time over the idle window, less what the same JVM used idle before"
            + " connecting, per connection and per keep-alive period; writes: the child's write"
            + " calls in the window (PINGREQs) per connection and period.\n\n");
    md.append(
        "| connections | client | connected | connect+subscribe /s | heap B/conn |"
            + " RSS B/conn (beyond heap) | platform threads/conn | virtual threads/conn |"
            + " keep-alive CPU µs/conn/period | writes/conn/period | mosquitto CPU µs/conn/period |"
            + " up after the idle window |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    List<Point> sorted = new ArrayList<>(result.points());
    sorted.sort(
        Comparator.comparingInt(Point::requested)
            .thenComparingInt(p -> options.clients().indexOf(p.client())));
    for (Point p : sorted) {
      md.append(
          String.format(
              Locale.ROOT, "| %,d | %s |", p.requested(), ReportWriter.label(p.client())));
      if (p.error() != null) {
        md.append(" failed: ").append(p.error()).append(" |").append(" |".repeat(9)).append('\n');
        continue;
      }
      md.append(' ')
          .append(String.format(Locale.ROOT, "%,.0f", p.connected()))
          .append(" | ")
          .append(num(p.connectPerSecond()))
          .append(" | ")
          .append(num(p.heapPerConnection()))
          .append(" | ")
          .append(num(p.rssPerConnection()))
          .append(" | ")
          .append(fixed(p.platformThreadsPerConnection()))
          .append(" | ")
          .append(fixed(p.virtualThreadsPerConnection()))
          .append(" | ")
          .append(num(p.keepAliveCpuMicros(ka)))
          .append(" | ")
          .append(fixed(p.writesPerPeriod(ka)))
          .append(" | ")
          .append(num(p.brokerCpuMicros(ka)))
          .append(" | ")
          .append(String.format(Locale.ROOT, "%,.0f", p.alive()))
          .append(" |\n");
    }
    md.append("\n### Flatness\n\n");
    for (String client : options.clients()) {
      String f = flatness(client);
      if (!f.isEmpty()) {
        md.append("- ").append(f).append('\n');
      }
    }
    List<String> notes =
        sorted.stream()
            .filter(p -> p.note() != null)
            .map(
                p ->
                    String.format(
                        Locale.ROOT,
                        "- %s, %,d: %s",
                        ReportWriter.label(p.client()),
                        p.requested(),
                        p.note()))
            .toList();
    if (!notes.isEmpty()) {
      md.append("\n### Notes\n\n").append(String.join("\n", notes)).append('\n');
    }
    return md.toString();
  }

  /**
   * One sentence for a client: each per-connection figure at its largest count over its smallest,
   * what the connections between the two largest counts cost each (fixed costs — classes, compiled
   * code, thread pools — cancel out there), and whether that is flat.
   */
  String flatness(String client) {
    List<Point> ps = points(client);
    if (ps.size() < 2) {
      return "";
    }
    int ka = options.keepAlive();
    Point small = ps.get(0);
    Point large = ps.get(ps.size() - 1);
    Point before = ps.get(ps.size() - 2);
    double heap = large.heapPerConnection() / small.heapPerConnection();
    double rss = large.rssPerConnection() / small.rssPerConnection();
    double cpu = large.keepAliveCpuMicros(ka) / small.keepAliveCpuMicros(ka);
    double rate = large.connectPerSecond() / small.connectPerSecond();
    double added = large.connected() - before.connected();
    double marginalHeap = (large.get("heapBytes") - before.get("heapBytes")) / added;
    double marginalRss = (large.get("rssBytes") - before.get("rssBytes")) / added;
    boolean flat = heap <= FLAT && rss <= FLAT && cpu <= FLAT;
    return String.format(
        Locale.ROOT,
        "**%s**, %,.0f → %,.0f connections: heap per connection %s× (%s → %s B), RSS beyond heap"
            + " %s× (%s → %s B), keep-alive CPU %s× (%s → %s µs per connection per period),"
            + " connect rate %s× (%s → %s /s); the %,.0f connections from %,.0f to %,.0f cost %s B"
            + " of heap and %s B of RSS each. %s",
        ReportWriter.label(client),
        small.connected(),
        large.connected(),
        ratio(heap),
        num(small.heapPerConnection()),
        num(large.heapPerConnection()),
        ratio(rss),
        num(small.rssPerConnection()),
        num(large.rssPerConnection()),
        ratio(cpu),
        num(small.keepAliveCpuMicros(ka)),
        num(large.keepAliveCpuMicros(ka)),
        ratio(rate),
        num(small.connectPerSecond()),
        num(large.connectPerSecond()),
        added,
        before.connected(),
        large.connected(),
        num(marginalHeap),
        num(marginalRss),
        flat
            ? String.format(
                Locale.ROOT,
                "Flat: no per-connection cost grows by more than %.0f %%.",
                (FLAT - 1) * 100)
            : String.format(
                Locale.ROOT,
                "**Not flat**: a per-connection cost grows by more than %.0f %%.",
                (FLAT - 1) * 100));
  }

  /** A client's successful points, by count. */
  List<Point> points(String client) {
    return result.points().stream()
        .filter(p -> p.client().equals(client) && p.error() == null && p.connected() > 0)
        .sorted(Comparator.comparingInt(Point::requested))
        .toList();
  }

  /** Every point, one line each: the data behind the table and the chart. */
  String csv() {
    int ka = options.keepAlive();
    StringBuilder csv =
        new StringBuilder(
            "client,requested,connected,connect_per_sec,heap_bytes_per_conn,rss_bytes_per_conn,"
                + "platform_threads_per_conn,virtual_threads_per_conn,"
                + "keepalive_cpu_us_per_conn_period,writes_per_conn_period,"
                + "broker_cpu_us_per_conn_period,alive,idle_jvm_cpu_ms_per_s,connect_seconds,"
                + "error\n");
    List<ToDoubleFunction<Point>> columns =
        List.of(
            Point::connected,
            Point::connectPerSecond,
            Point::heapPerConnection,
            Point::rssPerConnection,
            Point::platformThreadsPerConnection,
            Point::virtualThreadsPerConnection,
            p -> p.keepAliveCpuMicros(ka),
            p -> p.writesPerPeriod(ka),
            p -> p.brokerCpuMicros(ka),
            Point::alive,
            p -> p.baselineCpuRate() * 1000,
            p -> p.get("seconds"));
    for (Point p : result.points()) {
      csv.append(p.client()).append(',').append(p.requested());
      for (ToDoubleFunction<Point> c : columns) {
        double v = p.error() != null ? Double.NaN : c.applyAsDouble(p);
        csv.append(',').append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "");
      }
      String note = p.error() != null ? p.error() : p.note() != null ? p.note() : "";
      csv.append(",\"").append(note.replace("\"", "'")).append("\"\n");
    }
    return csv.toString();
  }

  private static String num(double v) {
    return Metric.CONNECT_PER_SEC.format(v);
  }

  private static String fixed(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "—";
  }

  private static String ratio(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "—";
  }
}
