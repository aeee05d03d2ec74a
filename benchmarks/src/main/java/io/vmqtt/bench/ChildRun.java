package io.vmqtt.bench;

import io.vmqtt.bench.ClientAdapter.Received;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one (client, scenario, round) in a child process and plays the harness's part in it: for QoS
 * 0 publish, a raw subscriber that counts what reaches the broker; for QoS 0 receive, a raw
 * blaster; for every scenario, the broker's CPU read at the child's START and END. Turns the
 * child's raw readings into {@link Metric}s.
 */
final class ChildRun {
  private static final Duration SUBSCRIBER_IDLE = Duration.ofSeconds(5);
  private static final long TIMEOUT_SECONDS = 600;

  private final HarnessOptions options;
  private final BrokerProcess broker;
  private final Path logDir;
  private final byte[] payload = new byte[64];
  private final byte[] marker = new byte[ClientAdapter.MARKER_LENGTH];

  ChildRun(HarnessOptions options, BrokerProcess broker, Path logDir) {
    this.options = options;
    this.broker = broker;
    this.logDir = logDir;
  }

  RunResult run(String client, Scenario scenario, int round) throws InterruptedException {
    String run =
        scenario.id().replace("-", "")
            + "-"
            + client
            + "-"
            + round
            + "-"
            + Long.toString(System.nanoTime() & 0xFFFFFF, 36);
    long messages = options.messages(scenario, client);
    List<String> args =
        List.of(
            "host=127.0.0.1",
            "port=" + broker.port(),
            "messages=" + messages,
            "warmup=" + options.warmup(scenario),
            "payload=" + payload.length,
            "window=64",
            "run=" + run);
    Path log = logDir.resolve(round + "-" + scenario.id() + "-" + client + ".log");
    RawClient helper = null;
    try {
      if (scenario == Scenario.QOS0_PUBLISH || scenario == Scenario.QOS0_RECEIVE) {
        helper = new RawClient();
        helper.connect("127.0.0.1", broker.port(), "harness-" + run, 64);
        if (scenario == Scenario.QOS0_PUBLISH) {
          helper.subscribe("bench/" + run, 0, false);
        }
      }
      try (ChildProcess child =
          ChildProcess.start(
              client, scenario, args, options.childJvmArgs(), log, TIMEOUT_SECONDS)) {
        return drive(child, helper, client, scenario, round, run, messages);
      }
    } catch (Exception e) {
      return new RunResult(
          client, scenario, round, Map.of(), ClientRunner.oneLine(e) + " (log: " + log + ")", null);
    } finally {
      if (helper != null) {
        helper.close();
      }
    }
  }

  private RunResult drive(
      ChildProcess child,
      RawClient helper,
      String client,
      Scenario scenario,
      int round,
      String run,
      long messages)
      throws Exception {
    List<String> notes = new ArrayList<>();
    if (scenario == Scenario.QOS0_RECEIVE) {
      child.await("SUBSCRIBED", notes);
      blast(helper, "recv/" + run, options.warmup(scenario));
    }
    String start = child.await("START", notes);
    long t0 = Long.parseLong(start.substring(start.indexOf("t=") + 2));
    long brokerCpu0 = broker.cpuNanos();
    long wall0 = System.nanoTime();
    Received counted = null;
    if (scenario == Scenario.QOS0_PUBLISH) {
      counted = helper.receive(messages, SUBSCRIBER_IDLE);
      child.send("DONE");
    } else if (scenario == Scenario.QOS0_RECEIVE) {
      blast(helper, "recv/" + run, messages);
    }
    child.await("END", notes);
    long brokerCpu1 = broker.cpuNanos();
    long wall1 = System.nanoTime();
    Map<String, Double> r = parse(child.await("RESULT", notes));
    notes.removeIf(n -> !n.startsWith("FAILURE"));

    Map<Metric, Double> m = new EnumMap<>(Metric.class);
    if (brokerCpu0 >= 0 && brokerCpu1 >= 0 && scenario != Scenario.CONNECTIONS) {
      m.put(Metric.BROKER_CPU_PCT, 100.0 * (brokerCpu1 - brokerCpu0) / (wall1 - wall0));
    }
    if (scenario == Scenario.CONNECTIONS) {
      double n = r.get("connections");
      m.put(Metric.CONNECTIONS, n);
      m.put(Metric.CONNECT_PER_SEC, n / r.get("seconds"));
      m.put(Metric.HEAP_PER_CONN, r.get("heapBytes") / n);
      m.put(Metric.RSS_PER_CONN, r.get("rssBytes") / n);
      m.put(Metric.PLATFORM_THREADS_PER_CONN, r.get("platformThreads") / n);
      if (r.get("virtualThreads") >= 0) {
        m.put(Metric.VIRTUAL_THREADS_PER_CONN, r.get("virtualThreads") / n);
      }
    } else {
      double sent = messages;
      double handled = r.get("messages");
      if (handled == 0) {
        throw new IllegalStateException("the child handled no message: " + r);
      }
      m.put(Metric.CPU_US_PER_MSG, r.get("cpuSeconds") * 1e6 / handled);
      m.put(Metric.ALLOC_PER_MSG, r.get("allocatedBytes") / handled);
      if (r.containsKey("writeCalls") && scenario.qos() > 0) {
        m.put(Metric.WRITES_PER_MSG, r.get("writeCalls") / handled);
      }
      if (scenario == Scenario.QOS0_PUBLISH) {
        m.put(Metric.MSG_PER_SEC, counted.count() / ((counted.lastNanos() - t0) / 1e9));
        m.put(Metric.LOST, sent - counted.count());
      } else {
        m.put(Metric.MSG_PER_SEC, handled / r.get("seconds"));
      }
      if (scenario == Scenario.QOS0_RECEIVE) {
        m.put(Metric.LOST, sent - handled);
      }
      if (r.containsKey("p50Us")) {
        m.put(Metric.P50_US, r.get("p50Us"));
        m.put(Metric.P99_US, r.get("p99Us"));
      }
    }
    return new RunResult(
        client, scenario, round, m, null, notes.isEmpty() ? null : String.join("; ", notes));
  }

  /** Publishes {@code count} QoS 0 messages and an end marker, as fast as the broker takes them. */
  private void blast(RawClient blaster, String topic, long count) throws Exception {
    blaster.publishBurst(topic, payload, count);
    blaster.publishBlocking(topic, marker, 0);
  }

  /** The key=value pairs of a child's RESULT line. */
  static Map<String, Double> parse(String resultLine) {
    Map<String, Double> values = new HashMap<>();
    for (String kv : resultLine.substring("RESULT".length()).trim().split("\\s+")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        values.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
      }
    }
    return values;
  }
}
