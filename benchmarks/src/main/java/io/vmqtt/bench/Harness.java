package io.vmqtt.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The end-to-end benchmark: starts a private mosquitto, runs every (round, scenario, client) as a
 * {@link ClientRunner} in a fresh JVM — the clients' order rotating from round to round, so none
 * always runs first or last — and prints the report, which it also writes to {@code latest.md},
 * {@code latest.csv} and {@code latest.png}. With {@code --scale-curve} it runs the {@link
 * ScaleCurve} instead and writes {@code scale-latest.md}, {@code .csv} and {@code .png}. Options:
 * {@link HarnessOptions}. Run it with {@code ./bench} from the repository root.
 */
public final class Harness {
  private Harness() {}

  public static void main(String[] args) throws Exception {
    HarnessOptions options;
    try {
      options = HarnessOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path logDir = Files.createTempDirectory("vmqtt-bench-");
    MachineInfo machine = MachineInfo.current();
    List<RunResult> results = new ArrayList<>();
    String brokerVersion;
    long started = System.nanoTime();
    log("logs in " + logDir);
    if (!options.scaleCurve().isEmpty()) {
      scaleCurve(options, logDir, machine, args, started);
      return;
    }
    BrokerProcess broker = BrokerProcess.start(options.mosquitto(), logDir);
    try {
      brokerVersion = broker.version();
      log("mosquitto " + brokerVersion + " on port " + broker.port());
      warmUpHelpers(broker);
      for (int round = 1; round <= options.rounds(); round++) {
        for (Scenario s : options.scenarios()) {
          for (String client : rotate(options.clients(), round - 1)) {
            if (!broker.isAlive()) {
              log("mosquitto died; starting it again (see " + logDir + "/mosquitto.log)");
              broker = BrokerProcess.start(options.mosquitto(), logDir);
            }
            RunResult r = new ChildRun(options, broker, logDir).run(client, s, round);
            results.add(r);
            log(describe(r));
          }
        }
      }
    } finally {
      broker.close();
    }
    Summary summary = new Summary(results);
    ReportWriter report = new ReportWriter(summary, machine, brokerVersion, options);
    String md = report.markdown();
    System.out.println(md);
    Files.createDirectories(options.out());
    Files.writeString(options.out().resolve("latest.md"), md);
    Files.writeString(options.out().resolve("latest.csv"), report.csv());
    new ChartWriter(
            summary,
            options,
            machine.date() + ", " + machine.cpus() + " CPUs, mosquitto " + brokerVersion)
        .write(options.out().resolve("latest.png"));
    Path readme = options.out().resolveSibling("README.md");
    if (options.out().endsWith(Path.of("benchmarks", "results")) && Files.exists(readme)) {
      ReportWriter.replaceFigures(readme, md);
    }
    log(
        String.format(
            Locale.ROOT,
            "wrote %s/latest.{md,csv,png} after %.1f min",
            options.out(),
            (System.nanoTime() - started) / 60e9));
  }

  private static void scaleCurve(
      HarnessOptions options, Path logDir, MachineInfo machine, String[] args, long started)
      throws Exception {
    ScaleCurve.Result result = new ScaleCurve(options, logDir).run();
    ScaleReport report =
        new ScaleReport(
            result,
            options,
            machine,
            "./bench " + String.join(" ", args),
            MachineInfo.loadAverage());
    String md = report.markdown();
    System.out.println(md);
    Files.createDirectories(options.out());
    Files.writeString(options.out().resolve("scale-latest.md"), md);
    Files.writeString(options.out().resolve("scale-latest.csv"), report.csv());
    new ScaleChart(
            report,
            options,
            "Scale curve: "
                + machine.date()
                + ", "
                + machine.cpus()
                + " CPUs, mosquitto "
                + result.brokerVersion()
                + ", keep-alive "
                + options.keepAlive()
                + " s, load "
                + machine.load().split(" ")[0])
        .write(options.out().resolve("scale-latest.png"));
    Path readme = options.out().resolveSibling("README.md");
    if (options.out().endsWith(Path.of("benchmarks", "results")) && Files.exists(readme)) {
      ReportWriter.replaceBetween(
          readme,
          ReportWriter.SCALE_START,
          ReportWriter.SCALE_END,
          md.replace("\n### ", "\n#### ").replaceFirst("^## ", "### "));
    }
    log(
        String.format(
            Locale.ROOT,
            "wrote %s/scale-latest.{md,csv,png} after %.1f min",
            options.out(),
            (System.nanoTime() - started) / 60e9));
  }

  /**
   * Runs the harness's own raw subscriber and blaster through the broker once, so that they are
   * compiled before the first measurement and do not slow the first client down.
   */
  private static void warmUpHelpers(BrokerProcess broker) throws Exception {
    try (RawClient sub = new RawClient();
        RawClient pub = new RawClient()) {
      sub.connect("127.0.0.1", broker.port(), "harness-warmup-sub", 64);
      sub.subscribe("harness/warmup", 0, false);
      pub.connect("127.0.0.1", broker.port(), "harness-warmup-pub", 64);
      byte[] payload = new byte[64];
      for (int i = 0; i < 3; i++) {
        pub.publishBurst("harness/warmup", payload, 100_000);
        pub.publishBlocking("harness/warmup", new byte[ClientAdapter.MARKER_LENGTH], 0);
        sub.receive(Long.MAX_VALUE, java.time.Duration.ofSeconds(10));
      }
    }
  }

  /** The list turned left by {@code by}: round 1 runs a, b, c; round 2 runs b, c, a. */
  static List<String> rotate(List<String> list, int by) {
    List<String> r = new ArrayList<>(list);
    java.util.Collections.rotate(r, -(by % Math.max(1, list.size())));
    return r;
  }

  private static String describe(RunResult r) {
    String head = "round " + r.round() + " " + r.scenario().id() + " " + r.client() + ": ";
    if (r.error() != null) {
      return head + "FAILED " + r.error();
    }
    return head
        + r.metrics().entrySet().stream()
            .map(e -> e.getKey().label() + " " + e.getKey().format(e.getValue()))
            .collect(Collectors.joining(", "))
        + (r.note() != null ? " (" + r.note() + ")" : "");
  }

  private static void log(String line) {
    System.err.println("[bench] " + line);
  }
}
