package io.vmqtt.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The harness's command line.
 *
 * <pre>
 * --rounds N            rounds of every (scenario, client); default 3 (1 with --quick)
 * --scenarios a,b       default all: qos0-publish,qos0-receive,qos1-seq,qos1-64,qos2-64,
 *                       qos1-request,qos2-request,ping-pong,connections
 * --clients a,b         default raw,vmqtt,paho,hivemq
 * --connections N       connections in the connections scenario; default 10000 (500 with --quick)
 * --paho-connections N  Paho's cap in it (4 platform threads per connection); default 2000
 * --scale F             multiplies every message count; default 1 (0.1 with --quick)
 * --quick               a smoke test: 1 round, a tenth of the messages, 500 connections
 * --out DIR             where latest.md, latest.png and latest.csv go; default benchmarks/results
 *                       (benchmarks/target/quick-results with --quick); when it is benchmarks/results,
 *                       the figures in benchmarks/README.md are replaced too
 * --mosquitto PATH      default /usr/sbin/mosquitto
 * --child-jvm-args "…"  extra JVM options for every child, e.g. a JFR recording
 * --protocol 4|5        the MQTT level of vmqtt and hivemq (default 4, MQTT 3.1.1); raw and paho
 *                       stay at 3.1.1. Passed to the children as -Dvmqtt.bench.protocol=N, which
 *                       the report shows with the JVM options
 * --scale-curve a,b     instead of the scenarios, the scale curve (see ScaleCurve): a,b connections
 *                       per client in one JVM each, e.g. 1000,10000,25000,50000; counts above the
 *                       open-file limits are skipped, and the most the limits allow is run instead
 * --keep-alive S        the scale curve's keep-alive, in seconds; default 5
 * --idle S              the scale curve's measured idle window, in seconds; default 30
 * </pre>
 *
 * <p>With {@code --scale-curve}, {@code --clients} defaults to vmqtt,hivemq,paho (the raw client
 * never pings, so it has no keep-alive to measure) and Paho runs only the counts up to {@code
 * --paho-connections}, and that cap itself.
 */
record HarnessOptions(
    int rounds,
    List<Scenario> scenarios,
    List<String> clients,
    int connections,
    int pahoConnections,
    double scale,
    boolean quick,
    Path out,
    Path mosquitto,
    List<String> childJvmArgs,
    List<Integer> scaleCurve,
    int keepAlive,
    int idleSeconds) {

  static final List<String> ALL_CLIENTS = List.of("raw", "vmqtt", "paho", "hivemq");
  static final List<String> SCALE_CURVE_CLIENTS = List.of("vmqtt", "hivemq", "paho");

  /** The system property of the children that sets their keep-alive (see ClientAdapter). */
  static final String KEEP_ALIVE_PROPERTY = "vmqtt.bench.keepAlive";

  /** The system property of the children that {@code --protocol} sets (see ClientAdapter). */
  static final String PROTOCOL_PROPERTY = "vmqtt.bench.protocol";

  static HarnessOptions parse(String[] args) {
    boolean quick = Arrays.asList(args).contains("--quick");
    int rounds = quick ? 1 : 3;
    List<Scenario> scenarios = List.of(Scenario.values());
    List<String> clients = null;
    int connections = quick ? 500 : 10_000;
    int paho = 2000;
    double scale = quick ? 0.1 : 1;
    // A smoke test does not overwrite the published figures.
    Path out = Path.of(quick ? "benchmarks/target/quick-results" : "benchmarks/results");
    Path mosquitto = Path.of("/usr/sbin/mosquitto");
    List<String> jvm = List.of();
    int protocol = 4;
    List<Integer> curve = List.of();
    int keepAlive = 5;
    int idle = 30;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> {}
        case "--rounds" -> rounds = Integer.parseInt(value(args, ++i, a));
        case "--scenarios" ->
            scenarios = Arrays.stream(value(args, ++i, a).split(",")).map(Scenario::of).toList();
        case "--clients" -> {
          clients = List.of(value(args, ++i, a).split(","));
          clients.forEach(c -> ClientAdapter.create(c)); // fails early on an unknown name
        }
        case "--connections" -> connections = Integer.parseInt(value(args, ++i, a));
        case "--paho-connections" -> paho = Integer.parseInt(value(args, ++i, a));
        case "--scale" -> scale = Double.parseDouble(value(args, ++i, a));
        case "--out" -> out = Path.of(value(args, ++i, a));
        case "--mosquitto" -> mosquitto = Path.of(value(args, ++i, a));
        case "--child-jvm-args" -> jvm = List.of(value(args, ++i, a).trim().split("\\s+"));
        case "--protocol" -> protocol = Integer.parseInt(value(args, ++i, a));
        case "--scale-curve" ->
            curve =
                Arrays.stream(value(args, ++i, a).split(","))
                    .map(String::trim)
                    .map(Integer::parseInt)
                    .distinct()
                    .sorted()
                    .toList();
        case "--keep-alive" -> keepAlive = Integer.parseInt(value(args, ++i, a));
        case "--idle" -> idle = Integer.parseInt(value(args, ++i, a));
        default ->
            throw new IllegalArgumentException(
                "unknown option '"
                    + a
                    + "'; see the Javadoc of HarnessOptions or benchmarks/README.md");
      }
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be at least 1, was " + rounds);
    }
    if (protocol != 4 && protocol != 5) {
      throw new IllegalArgumentException("--protocol must be 4 or 5, was " + protocol);
    }
    if (protocol == 5) {
      jvm = Stream.concat(jvm.stream(), Stream.of("-D" + PROTOCOL_PROPERTY + "=5")).toList();
    }
    if (curve.isEmpty()) {
      clients = clients == null ? ALL_CLIENTS : clients;
    } else {
      clients = clients == null ? SCALE_CURVE_CLIENTS : clients;
      if (clients.contains("raw")) {
        throw new IllegalArgumentException(
            "the scale curve measures keep-alive, and the raw client never pings: leave it out");
      }
      if (curve.get(0) < 1) {
        throw new IllegalArgumentException("--scale-curve counts must be positive: " + curve);
      }
      if (keepAlive < 1 || idle < 1) {
        throw new IllegalArgumentException("--keep-alive and --idle must be at least 1 s");
      }
    }
    if (!Files.isExecutable(mosquitto)) {
      throw new IllegalArgumentException("no mosquitto at " + mosquitto + "; use --mosquitto PATH");
    }
    return new HarnessOptions(
        rounds,
        scenarios,
        clients,
        connections,
        paho,
        scale,
        quick,
        out,
        mosquitto,
        jvm,
        curve,
        keepAlive,
        idle);
  }

  /** Messages measured in {@code s} (connections for the connections scenario, per client). */
  long messages(Scenario s, String client) {
    if (s == Scenario.CONNECTIONS) {
      return client.equals("paho") ? Math.min(connections, pahoConnections) : connections;
    }
    return Math.max(1, Math.round(s.messages() * scale));
  }

  long warmup(Scenario s) {
    return Math.max(1000, Math.round(s.warmup() * scale));
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
