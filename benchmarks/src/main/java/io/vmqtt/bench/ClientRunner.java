package io.vmqtt.bench;

import io.vmqtt.bench.ClientAdapter.Received;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The child process: runs one scenario with one client, in a fresh JVM, and prints what it
 * measured. {@code java -cp benchmarks.jar io.vmqtt.bench.ClientRunner <client> <scenario>
 * key=value...} with keys {@code host}, {@code port}, {@code messages}, {@code warmup}, {@code
 * payload} (bytes), {@code window}, {@code run} (a unique id for topic names); for the connections
 * scenario also {@code concurrency} (64), {@code histogram} (false: true prints the heap's class
 * histogram with the connections open), {@code hosts} (comma-separated, instead of {@code host}:
 * connection i goes to the i-th modulo their number) and, for the scale curve's keep-alive CPU,
 * {@code baseline}, {@code settle} and {@code idle} in seconds (0: no idle window; see {@link
 * ConnectionsScenario.IdleWindow}).
 *
 * <p>It talks to the {@link Harness} in lines: on standard output, lines starting with {@code @@}
 * ({@code @@ SUBSCRIBED}, {@code @@ START t=<nanos>}, {@code @@ END}, {@code @@ IDLE-START},
 * {@code @@ IDLE-END}, {@code @@ RESULT k=v ...}, {@code @@ ERROR text}); on standard input, {@code
 * DONE} when the harness's subscriber has every message. Everything between START and END is the
 * measured window: the client warms up before it, and the harness reads the broker's CPU at both.
 */
public final class ClientRunner {
  static final String PREFIX = "@@ ";
  private static final Duration IDLE = Duration.ofSeconds(10);

  private final String clientName;
  private final Scenario scenario;
  private final Map<String, String> args;
  private final String host;
  private final int port;
  private final long messages;
  private final long warmup;
  private final byte[] payload;
  private final String run;
  private final Map<String, Object> result = new LinkedHashMap<>();
  private ClientAdapter client;
  private final BufferedReader stdin =
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

  private ClientRunner(String clientId, Scenario scenario, Map<String, String> args) {
    this.clientName = clientId;
    this.scenario = scenario;
    this.args = args;
    this.host = args.getOrDefault("host", "127.0.0.1");
    this.port = Integer.parseInt(args.get("port"));
    this.messages = Long.parseLong(args.getOrDefault("messages", "" + scenario.messages()));
    this.warmup = Long.parseLong(args.getOrDefault("warmup", "" + scenario.warmup()));
    this.payload = new byte[Integer.parseInt(args.getOrDefault("payload", "64"))];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) ('a' + i % 26);
    }
    this.run = args.getOrDefault("run", "r" + ProcessHandle.current().pid());
  }

  public static void main(String[] argv) {
    if (argv.length < 2) {
      System.err.println(
          "usage: ClientRunner <raw|vmqtt|vmqtt-listener|paho|hivemq> <scenario> key=value...");
      System.exit(2);
    }
    Map<String, String> args = new LinkedHashMap<>();
    for (int i = 2; i < argv.length; i++) {
      int eq = argv[i].indexOf('=');
      args.put(argv[i].substring(0, eq), argv[i].substring(eq + 1));
    }
    int status = 0;
    try {
      new ClientRunner(argv[0], Scenario.of(argv[1]), args).run();
    } catch (Throwable t) {
      t.printStackTrace();
      say("ERROR " + oneLine(t));
      status = 1;
    }
    System.exit(status); // some clients leave non-daemon threads behind
  }

  private void run() throws Exception {
    int window = Integer.parseInt(args.getOrDefault("window", "64"));
    if (scenario == Scenario.CONNECTIONS) {
      int concurrency = Integer.parseInt(args.getOrDefault("concurrency", "64"));
      boolean histogram = Boolean.parseBoolean(args.getOrDefault("histogram", "false"));
      List<String> hosts = List.of(args.getOrDefault("hosts", host).split(","));
      ConnectionsScenario.IdleWindow idle =
          new ConnectionsScenario.IdleWindow(
              seconds("baseline"), seconds("settle"), seconds("idle"));
      new ConnectionsScenario(clientName, hosts, port, run, concurrency, histogram, idle)
          .run((int) messages, result);
      report();
      return;
    }
    client = ClientAdapter.create(clientName);
    client.connect(host, port, "bench-" + run, window);
    try {
      switch (scenario) {
        case QOS0_PUBLISH -> qos0Publish();
        case QOS0_RECEIVE -> qos0Receive();
        case QOS1_SEQUENTIAL -> sequential();
        case QOS1_WINDOW, QOS2_WINDOW -> concurrent(window);
        case QOS1_REQUEST, QOS2_REQUEST -> requestThreads(window);
        case PING_PONG -> pingPong();
        default -> throw new IllegalStateException(scenario.toString());
      }
      result.put("droppedByClient", client.droppedByClient());
    } finally {
      client.close();
    }
    report();
  }

  private Duration seconds(String key) {
    return Duration.ofSeconds(Long.parseLong(args.getOrDefault(key, "0")));
  }

  /** Publishes as fast as it can; the harness's subscriber counts what reaches the broker. */
  private void qos0Publish() throws Exception {
    String warmTopic = "warm/" + run;
    client.publishBurst(warmTopic, payload, warmup);
    client.publishBlocking(warmTopic, payload, 1); // the broker has read all before it
    ProcessMeter.Snapshot start = begin();
    client.publishBurst("bench/" + run, payload, messages);
    long written = System.nanoTime();
    awaitHarness("DONE");
    end(start, messages);
    result.put("writtenSeconds", (written - start.nanos()) / 1e9);
  }

  /** The harness blasts; this client consumes what its subscription delivers. */
  private void qos0Receive() throws Exception {
    client.subscribe("recv/" + run, 0, false);
    say("SUBSCRIBED");
    // Each batch from the blaster ends with a marker; consume up to it.
    Received warm = client.receive(Long.MAX_VALUE, IDLE);
    result.put("warmupReceived", warm.count());
    ProcessMeter.Snapshot start = begin();
    Received r = client.receive(Long.MAX_VALUE, IDLE);
    ProcessMeter.Snapshot stop = ProcessMeter.Snapshot.now();
    say("END");
    put(start, stop, r.count());
    result.put("received", r.count());
    result.put("seconds", (r.lastNanos() - start.nanos()) / 1e9);
  }

  /** One thread, one blocking QoS 1 publish after the other. */
  private void sequential() throws Exception {
    String topic = "seq/" + run;
    for (long i = 0; i < warmup; i++) {
      client.publishBlocking(topic, payload, 1);
    }
    LatencyRecorder latencies = new LatencyRecorder((int) messages);
    ProcessMeter.Snapshot start = begin();
    for (long i = 0; i < messages; i++) {
      long t = System.nanoTime();
      client.publishBlocking(topic, payload, 1);
      latencies.record(System.nanoTime() - t);
    }
    end(start, messages);
    putLatencies(latencies);
  }

  /** QoS 1 or 2 with {@code window} flows outstanding. */
  private void concurrent(int window) throws Exception {
    String topic = "win/" + run;
    client.publishConcurrently(
        topic, payload, scenario.qos(), warmup, window, LatencyRecorder.discarding());
    LatencyRecorder latencies = new LatencyRecorder((int) messages);
    ProcessMeter.Snapshot start = begin();
    client.publishConcurrently(topic, payload, scenario.qos(), messages, window, latencies);
    end(start, messages);
    putLatencies(latencies);
  }

  /** QoS 1 or 2, each publish made by a new virtual thread, {@code window} outstanding. */
  private void requestThreads(int window) throws Exception {
    String topic = "req/" + run;
    client.publishFromRequestThreads(
        topic, payload, scenario.qos(), warmup, window, LatencyRecorder.discarding());
    LatencyRecorder latencies = new LatencyRecorder((int) messages);
    ProcessMeter.Snapshot start = begin();
    client.publishFromRequestThreads(topic, payload, scenario.qos(), messages, window, latencies);
    end(start, messages);
    putLatencies(latencies);
  }

  /** Publishes to its own subscription and waits for the message to come back, one at a time. */
  private void pingPong() throws Exception {
    String topic = "ping/" + run;
    client.subscribe(topic, 0, true);
    for (long i = 0; i < warmup; i++) {
      client.publishBlocking(topic, payload, 0);
      client.takeMessage(IDLE);
    }
    LatencyRecorder latencies = new LatencyRecorder((int) messages);
    ProcessMeter.Snapshot start = begin();
    for (long i = 0; i < messages; i++) {
      long t = System.nanoTime();
      client.publishBlocking(topic, payload, 0);
      client.takeMessage(IDLE);
      latencies.record(System.nanoTime() - t);
    }
    end(start, messages);
    putLatencies(latencies);
  }

  /** Collects garbage, reads the meters and tells the harness the window starts. */
  private ProcessMeter.Snapshot begin() {
    System.gc();
    ProcessMeter.Snapshot s = ProcessMeter.Snapshot.now();
    say("START t=" + s.nanos());
    return s;
  }

  private void end(ProcessMeter.Snapshot start, long count) {
    ProcessMeter.Snapshot stop = ProcessMeter.Snapshot.now();
    say("END");
    put(start, stop, count);
    result.put("seconds", (stop.nanos() - start.nanos()) / 1e9);
  }

  private void put(ProcessMeter.Snapshot start, ProcessMeter.Snapshot stop, long count) {
    result.put("messages", count);
    result.put("cpuSeconds", (stop.cpuNanos() - start.cpuNanos()) / 1e9);
    result.put("allocatedBytes", stop.allocatedBytes() - start.allocatedBytes());
    if (start.writeCalls() >= 0 && stop.writeCalls() >= 0) {
      result.put("writeCalls", stop.writeCalls() - start.writeCalls());
      result.put("readCalls", stop.readCalls() - start.readCalls());
    }
  }

  private void putLatencies(LatencyRecorder latencies) {
    long[] sorted = latencies.sorted();
    result.put("p50Us", LatencyRecorder.percentileMicros(sorted, 50));
    result.put("p99Us", LatencyRecorder.percentileMicros(sorted, 99));
  }

  private void awaitHarness(String expected) throws IOException {
    String line = stdin.readLine();
    if (!expected.equals(line)) {
      throw new IOException("expected '" + expected + "' from the harness, got '" + line + "'");
    }
  }

  private void report() {
    StringBuilder line = new StringBuilder("RESULT");
    result.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    say(line.toString());
  }

  static void say(String line) {
    System.out.println(PREFIX + line);
    System.out.flush();
  }

  static String oneLine(Throwable t) {
    StringBuilder s = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (s.length() > 0) {
        s.append(" <- ");
      }
      s.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
    }
    return s.toString().replace('\n', ' ');
  }
}
