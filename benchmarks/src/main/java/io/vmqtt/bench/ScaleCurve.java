package io.vmqtt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The scale curve ({@code ./bench --scale-curve 1000,10000,25000,50000}): for every count and
 * client, a fresh JVM opens that many connections to one mosquitto, each subscribed to its own
 * topic (the {@code connections} scenario), and measures the connect rate, heap and RSS beyond heap
 * per connection, threads, and what keeping them alive costs: with keep-alive {@code --keep-alive}
 * (5 s), after a settling period of one keep-alive, the child's CPU time over an idle window of
 * {@code --idle} seconds, less what an idle JVM uses (measured in the same child before
 * connecting), per connection and per keep-alive period; the write calls in that window (the
 * PINGREQs) per connection and period; the broker's CPU in that window; the connections still up.
 *
 * <p>Each connection is a socket in the client and one in mosquitto, so the open-file limits cap
 * the count: counts above the hard limit of this process (which the children inherit, their soft
 * limit raised to it), or above the broker's limit, less {@link #RESERVED_FILES}, are skipped and
 * said to be, and the most the limits allow (rounded down to a thousand) is run instead. When the
 * counts exceed half the ephemeral port range ({@code net.ipv4.ip_local_port_range}) the broker
 * listens on more loopback addresses and the connections are spread over them. Runs on the
 * harness's thread.
 */
final class ScaleCurve {
  /** Files a process needs besides its connections: jars, pipes, epoll and event descriptors. */
  static final int RESERVED_FILES = 256;

  /** The idle JVM's CPU is read over this before connecting, and subtracted. */
  static final int BASELINE_SECONDS = 5;

  /** Heap the child gets per connection of the largest count (vmqtt and HiveMQ use 12–15 KB). */
  private static final long HEAP_PER_CONNECTION = 40 * 1024;

  private static final long TIMEOUT_SECONDS = 900;

  /**
   * What will run, and why not more.
   *
   * @param counts the counts run, ascending
   * @param skipped the counts asked for that the limits do not allow
   * @param added the count run in their place (the most the limits allow), 0 if none
   * @param clientFiles the children's limit on open files (this process's hard limit)
   * @param brokerFiles mosquitto's limit on open files
   * @param addresses the broker's loopback addresses the connections are spread over
   * @param ports the ephemeral port range's size
   * @param heapGiB the children's heap
   */
  record Plan(
      List<Integer> counts,
      List<Integer> skipped,
      int added,
      long clientFiles,
      long brokerFiles,
      int addresses,
      int ports,
      int heapGiB) {

    /** The most connections the limits allow. */
    long maxConnections() {
      return Math.min(clientFiles, brokerFiles) - RESERVED_FILES;
    }

    /** The counts a client runs: Paho only up to its cap, and the cap itself. */
    List<Integer> countsFor(String client, int pahoCap) {
      if (!client.equals("paho")) {
        return counts;
      }
      TreeSet<Integer> c = new TreeSet<>();
      counts.stream().filter(n -> n <= pahoCap).forEach(c::add);
      if (pahoCap <= maxConnections() && pahoCap < counts.get(counts.size() - 1)) {
        c.add(pahoCap);
      }
      return List.copyOf(c);
    }

    /** One sentence on the skipped counts, or "" if none. */
    String skippedSentence() {
      if (skipped.isEmpty()) {
        return "";
      }
      return String.format(
          Locale.ROOT,
          "Skipped %s connections: each connection is a socket in the client JVM and one in"
              + " mosquitto, and the limit on open files is %s for the client JVM (the hard limit"
              + " of `ulimit -Hn`, which it cannot raise) and %s for mosquitto, so at most %,d"
              + " connections (%d files kept for the JVM's and the broker's own)%s.",
          String.join(
              ", ", skipped.stream().map(n -> String.format(Locale.ROOT, "%,d", n)).toList()),
          limit(clientFiles),
          limit(brokerFiles),
          maxConnections(),
          RESERVED_FILES,
          added > 0 ? String.format(Locale.ROOT, "; %,d ran in their place", added) : "");
    }

    private static String limit(long files) {
      return files == Long.MAX_VALUE
          ? "unlimited"
          : files < 0 ? "unknown" : String.format(Locale.ROOT, "%,d", files);
    }
  }

  /**
   * One (client, count): the child's raw readings (see ConnectionsScenario), the broker's CPU over
   * the idle window, or the error that stopped it.
   */
  record Point(
      String client,
      int requested,
      Map<String, Double> child,
      double brokerIdleCpuSeconds,
      String error,
      String note) {

    double get(String key) {
      Double v = child.get(key);
      return v == null ? Double.NaN : v;
    }

    double connected() {
      return get("connections");
    }

    double connectPerSecond() {
      return connected() / get("seconds");
    }

    double heapPerConnection() {
      return get("heapBytes") / connected();
    }

    double rssPerConnection() {
      return get("rssBytes") / connected();
    }

    double platformThreadsPerConnection() {
      return get("platformThreads") / connected();
    }

    double virtualThreadsPerConnection() {
      double v = get("virtualThreads");
      return v < 0 ? Double.NaN : v / connected();
    }

    /** Keep-alive periods in the idle window. */
    double periods(int keepAliveSeconds) {
      return get("idleSeconds") / keepAliveSeconds;
    }

    /** The idle JVM's CPU, in seconds per second. */
    double baselineCpuRate() {
      return get("baselineCpuSeconds") / get("baselineSeconds");
    }

    /**
     * CPU µs per connection per keep-alive period over the idle window, less what the idle JVM used
     * before connecting.
     */
    double keepAliveCpuMicros(int keepAliveSeconds) {
      double cpu = get("idleCpuSeconds") - baselineCpuRate() * get("idleSeconds");
      return Math.max(0, cpu) * 1e6 / connected() / periods(keepAliveSeconds);
    }

    /** Write calls (PINGREQs, the only writes of idle connections) per connection and period. */
    double writesPerPeriod(int keepAliveSeconds) {
      double w = get("idleWriteCalls");
      return w < 0 ? Double.NaN : w / connected() / periods(keepAliveSeconds);
    }

    /** mosquitto's CPU µs per connection per keep-alive period over the idle window. */
    double brokerCpuMicros(int keepAliveSeconds) {
      return brokerIdleCpuSeconds < 0
          ? Double.NaN
          : brokerIdleCpuSeconds * 1e6 / connected() / periods(keepAliveSeconds);
    }

    double alive() {
      return get("alive");
    }
  }

  private final HarnessOptions options;
  private final Path logDir;

  ScaleCurve(HarnessOptions options, Path logDir) {
    this.options = options;
    this.logDir = logDir;
  }

  /**
   * The plan for this machine before the broker starts: the counts the client's limit allows, and
   * how many addresses they need.
   */
  static Plan plan(List<Integer> asked, long clientFiles, long brokerFiles, int ports) {
    long files = Math.min(clientFiles < 0 ? Long.MAX_VALUE : clientFiles, brokerFiles);
    long max = files == Long.MAX_VALUE ? Long.MAX_VALUE : files - RESERVED_FILES;
    List<Integer> counts = new ArrayList<>(asked.stream().filter(n -> n <= max).toList());
    List<Integer> skipped = asked.stream().filter(n -> n > max).toList();
    int added = 0;
    if (!skipped.isEmpty() && max > 0) {
      int most = (int) (max >= 1000 ? max / 1000 * 1000 : max);
      if (counts.isEmpty() || most > counts.get(counts.size() - 1)) {
        added = most;
        counts.add(most);
      }
    }
    if (counts.isEmpty()) {
      throw new IllegalStateException(
          "no count of " + asked + " fits the open-file limits (" + files + ")");
    }
    int largest = counts.get(counts.size() - 1);
    int perAddress = Math.max(1000, ports / 2);
    int addresses = (largest + perAddress - 1) / perAddress;
    int heap = (int) Math.max(1, (largest * HEAP_PER_CONNECTION + (1L << 30) - 1) >> 30);
    return new Plan(
        List.copyOf(counts), skipped, added, clientFiles, brokerFiles, addresses, ports, heap);
  }

  /** What a run measured: the plan it followed, the broker's version, the points in run order. */
  record Result(Plan plan, String brokerVersion, List<Point> points) {}

  /** Runs every (count, client) of the plan, counts ascending. */
  Result run() throws Exception {
    long clientFiles = ProcessMeter.openFileLimit(ProcessHandle.current().pid(), true);
    int ports = ephemeralPorts();
    // The broker inherits the same hard limit; its own reading below confirms it.
    Plan plan = plan(options.scaleCurve(), clientFiles, Long.MAX_VALUE, ports);
    BrokerProcess broker = BrokerProcess.start(options.mosquitto(), logDir, plan.addresses());
    List<Point> points = new ArrayList<>();
    String version = broker.version();
    try {
      long brokerFiles = broker.openFileLimit();
      plan =
          plan(
              options.scaleCurve(),
              clientFiles,
              brokerFiles < 0 ? Long.MAX_VALUE : brokerFiles,
              ports);
      log(
          String.format(
              Locale.ROOT,
              "scale curve: counts %s; open files: client %s, mosquitto %s; ephemeral ports %,d;"
                  + " broker on %s port %d; child heap %d GiB",
              plan.counts(),
              clientFiles,
              brokerFiles,
              ports,
              String.join(",", broker.hosts()),
              broker.port(),
              plan.heapGiB()));
      if (!plan.skipped().isEmpty()) {
        log(plan.skippedSentence());
      }
      TreeSet<Integer> all = new TreeSet<>();
      for (String client : options.clients()) {
        all.addAll(plan.countsFor(client, options.pahoConnections()));
      }
      for (int count : all) {
        for (String client : options.clients()) {
          if (!plan.countsFor(client, options.pahoConnections()).contains(count)) {
            continue;
          }
          if (!broker.isAlive()) {
            log("mosquitto died; starting it again (see " + logDir + "/mosquitto.log)");
            broker = BrokerProcess.start(options.mosquitto(), logDir, plan.addresses());
          }
          Point p = runOne(broker, plan, client, count);
          points.add(p);
          log(describe(p));
        }
      }
    } finally {
      broker.close();
    }
    return new Result(plan, version, List.copyOf(points));
  }

  private Point runOne(BrokerProcess broker, Plan plan, String client, int count)
      throws InterruptedException {
    String run =
        "scale-" + client + "-" + count + "-" + Long.toString(System.nanoTime() & 0xFFFFFF, 36);
    List<String> args =
        List.of(
            "host=127.0.0.1",
            "hosts=" + String.join(",", broker.hosts()),
            "port=" + broker.port(),
            "messages=" + count,
            "run=" + run,
            "baseline=" + BASELINE_SECONDS,
            "settle=" + options.keepAlive(),
            "idle=" + options.idleSeconds());
    List<String> jvm = new ArrayList<>(options.childJvmArgs());
    jvm.add("-D" + HarnessOptions.KEEP_ALIVE_PROPERTY + "=" + options.keepAlive());
    if (plan.heapGiB() > 1) {
      jvm.add("-Xms" + plan.heapGiB() + "g");
      jvm.add("-Xmx" + plan.heapGiB() + "g");
    }
    Path log = logDir.resolve("scale-" + count + "-" + client + ".log");
    try (ChildProcess child =
        ChildProcess.start(client, Scenario.CONNECTIONS, args, jvm, log, TIMEOUT_SECONDS)) {
      List<String> notes = new ArrayList<>();
      child.await("END", notes);
      child.await("IDLE-START", notes);
      long cpu0 = broker.cpuNanos();
      child.await("IDLE-END", notes);
      long cpu1 = broker.cpuNanos();
      Map<String, Double> r = ChildRun.parse(child.await("RESULT", notes));
      notes.removeIf(n -> !n.startsWith("FAILURE"));
      double alive = r.getOrDefault("alive", Double.NaN);
      double connected = r.getOrDefault("connections", Double.NaN);
      if (alive < connected) {
        notes.add(
            String.format(
                Locale.ROOT,
                "%,.0f of %,.0f connections lost in the idle window",
                connected - alive,
                connected));
      }
      return new Point(
          client,
          count,
          r,
          cpu0 < 0 || cpu1 < 0 ? -1 : (cpu1 - cpu0) / 1e9,
          null,
          notes.isEmpty() ? null : String.join("; ", notes));
    } catch (Exception e) {
      return new Point(
          client, count, Map.of(), -1, ClientRunner.oneLine(e) + " (log: " + log + ")", null);
    }
  }

  private String describe(Point p) {
    String head = "scale " + p.client() + " " + p.requested() + ": ";
    if (p.error() != null) {
      return head + "FAILED " + p.error();
    }
    int ka = options.keepAlive();
    return head
        + String.format(
            Locale.ROOT,
            "%,.0f connected, %.0f/s, heap %.0f B/conn, RSS %.0f B/conn, %.2f platform threads/conn,"
                + " keep-alive %.2f µs/conn/period, %.2f writes/conn/period, broker %.2f"
                + " µs/conn/period, %,.0f alive",
            p.connected(),
            p.connectPerSecond(),
            p.heapPerConnection(),
            p.rssPerConnection(),
            p.platformThreadsPerConnection(),
            p.keepAliveCpuMicros(ka),
            p.writesPerPeriod(ka),
            p.brokerCpuMicros(ka),
            p.alive())
        + (p.note() != null ? " (" + p.note() + ")" : "");
  }

  /** The size of {@code net.ipv4.ip_local_port_range}; 28,232 (Linux's default) if unreadable. */
  static int ephemeralPorts() {
    try {
      String[] f =
          Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
      return Integer.parseInt(f[1]) - Integer.parseInt(f[0]) + 1;
    } catch (IOException | RuntimeException e) {
      return 60999 - 32768 + 1;
    }
  }

  private static void log(String line) {
    System.err.println("[bench] " + line);
  }
}
