package io.vmqtt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Markdown report: a header (date, machine, JDK, broker, rounds), one table of every figure
 * with medians, min–max and ratios to raw, the targets, the failures; and a CSV of every run.
 */
final class ReportWriter {
  private final Summary summary;
  private final MachineInfo machine;
  private final String brokerVersion;
  private final HarnessOptions options;

  ReportWriter(Summary summary, MachineInfo machine, String brokerVersion, HarnessOptions options) {
    this.summary = summary;
    this.machine = machine;
    this.brokerVersion = brokerVersion;
    this.options = options;
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("## Latest figures\n\n");
    md.append("Measured ")
        .append(machine.date())
        .append(" on ")
        .append(machine.describe())
        .append("; broker mosquitto ")
        .append(brokerVersion)
        .append(" on the same machine; ")
        .append(
            options.childJvmArgs().contains("-D" + HarnessOptions.PROTOCOL_PROPERTY + "=5")
                ? "MQTT 5.0 for vmqtt and HiveMQ's client (raw and Paho at MQTT 3.1.1), "
                : "MQTT 3.1.1, ")
        .append("64-byte payloads; ")
        .append(options.rounds())
        .append(options.rounds() == 1 ? " round" : " rounds")
        .append(", each client in a fresh JVM")
        .append(options.quick() ? "; **quick run (smoke test, not for comparison)**" : "")
        .append(". Child JVM options: `")
        .append(String.join(" ", ChildProcess.JVM_OPTIONS))
        .append(
            options.childJvmArgs().isEmpty() ? "" : " " + String.join(" ", options.childJvmArgs()))
        .append("`. Load average (1, 5, 15 min) at the start: ")
        .append(machine.load())
        .append("; at the end: ")
        .append(MachineInfo.loadAverage())
        .append(
            " — the machine is shared, and load from other processes shows most in latency"
                + " and in the spread between rounds.\n\n");
    md.append(
        "Cells: median over the rounds [min–max]; (×raw) is the ratio of the medians to the "
            + "raw-socket reference in this run. Client CPU is the client JVM's process CPU time over "
            + "the measured window per message; allocation is heap bytes allocated by all its threads "
            + "per message.\n\n");
    md.append("| scenario | metric |");
    List<String> clients = options.clients();
    for (String c : clients) {
      md.append(' ').append(label(c)).append(" |");
    }
    md.append("\n|---|---|").append("---|".repeat(clients.size())).append('\n');
    for (Scenario s : options.scenarios()) {
      boolean first = true;
      for (Metric m : Metric.of(s)) {
        md.append("| ")
            .append(first ? "**" + s.title() + "**" : "")
            .append(" | ")
            .append(m.label())
            .append(" |");
        first = false;
        for (String c : clients) {
          md.append(' ').append(cell(s, c, m)).append(" |");
        }
        md.append('\n');
      }
    }
    if (clients.contains("vmqtt")) {
      md.append("\n### vmqtt against the targets\n\n| target | measured | met |\n|---|---|---|\n");
      for (TargetCheck.Verdict v : TargetCheck.check(summary)) {
        md.append("| ")
            .append(v.target())
            .append(" | ")
            .append(v.measured())
            .append(" | ")
            .append(v.met() == null ? "—" : v.met() ? "yes" : "**no**")
            .append(" |\n");
      }
    }
    StringBuilder problems = new StringBuilder();
    for (RunResult r : summary.results()) {
      String text = r.error() != null ? "failed: " + r.error() : r.note();
      if (text != null) {
        problems
            .append("- round ")
            .append(r.round())
            .append(", ")
            .append(r.scenario().id())
            .append(", ")
            .append(label(r.client()))
            .append(": ")
            .append(text)
            .append('\n');
      }
    }
    if (!problems.isEmpty()) {
      md.append("\n### Failures and notes\n\n").append(problems);
    }
    return md.toString();
  }

  /** Every run, one line each, every metric: the data behind the table. */
  String csv() {
    StringBuilder csv = new StringBuilder("round,scenario,client");
    for (Metric m : Metric.values()) {
      csv.append(',').append(m.name().toLowerCase(Locale.ROOT));
    }
    csv.append(",error\n");
    for (RunResult r : summary.results()) {
      csv.append(r.round()).append(',').append(r.scenario().id()).append(',').append(r.client());
      for (Metric m : Metric.values()) {
        Double v = r.metrics().get(m);
        csv.append(',').append(v == null ? "" : String.format(Locale.ROOT, "%.4g", v));
      }
      String note = r.error() != null ? r.error() : r.note() != null ? r.note() : "";
      csv.append(",\"").append(note.replace("\"", "'")).append("\"\n");
    }
    return csv.toString();
  }

  private String cell(Scenario s, String client, Metric m) {
    Stats st = summary.stats(s, client, m);
    if (st.n() == 0) {
      return "—";
    }
    StringBuilder c = new StringBuilder(m.format(st.median()));
    if (!client.equals("raw")
        && (m == Metric.MSG_PER_SEC || m == Metric.CPU_US_PER_MSG || m == Metric.P50_US)) {
      double r = summary.ratio(s, m, client, "raw");
      if (!Double.isNaN(r)) {
        c.append(String.format(Locale.ROOT, " (%.2f×)", r));
      }
    }
    if (st.n() > 1) {
      c.append(" [").append(m.format(st.min())).append("–").append(m.format(st.max())).append(']');
    }
    return c.toString();
  }

  static final String FIGURES_START = "<!-- latest figures: written by the harness -->";
  static final String FIGURES_END = "<!-- end of latest figures -->";

  static final String SCALE_START = "<!-- scale curve: written by the harness -->";
  static final String SCALE_END = "<!-- end of scale curve -->";

  /** Replaces what stands between the two markers in {@code readme} with {@code md}. */
  static void replaceFigures(Path readme, String md) throws IOException {
    replaceBetween(readme, FIGURES_START, FIGURES_END, md);
  }

  /** Replaces what stands between {@code from} and {@code to} in {@code readme} with {@code md}. */
  static void replaceBetween(Path readme, String from, String to, String md) throws IOException {
    String text = Files.readString(readme);
    int start = text.indexOf(from);
    int end = text.indexOf(to);
    if (start < 0 || end < start) {
      return;
    }
    Files.writeString(
        readme,
        text.substring(0, start + from.length()) + "\n\n" + md + "\n" + text.substring(end));
  }

  private static final Pattern JAR_VERSION = Pattern.compile("-(\\d[\\w.]*)\\.jar$");

  /** The client's name with the version on the class path, e.g. "Paho 1.2.5". */
  static String label(String client) {
    return switch (client) {
      case "raw" -> "raw socket";
      case "vmqtt" -> "vmqtt";
      case "vmqtt-listener" -> "vmqtt (listener)";
      case "paho" -> "Paho " + jarVersion("org.eclipse.paho.client.mqttv3");
      case "hivemq" -> "HiveMQ " + jarVersion("hivemq-mqtt-client");
      default -> client;
    };
  }

  private static String jarVersion(String artifact) {
    String cp = System.getProperty("java.class.path");
    for (String entry : cp.split(java.io.File.pathSeparator)) {
      String name = entry.substring(entry.lastIndexOf('/') + 1);
      if (name.startsWith(artifact + "-")) {
        Matcher m = JAR_VERSION.matcher(name);
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    // Launched with -cp benchmarks.jar: the versions are in its manifest's Class-Path.
    try (var jar = new java.util.jar.JarFile(cp.split(java.io.File.pathSeparator)[0])) {
      String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
      for (String entry : classPath.split(" ")) {
        String name = entry.substring(entry.lastIndexOf('/') + 1);
        if (name.startsWith(artifact + "-")) {
          Matcher m = JAR_VERSION.matcher(name);
          if (m.find()) {
            return m.group(1);
          }
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // Unknown.
    }
    return "";
  }
}
