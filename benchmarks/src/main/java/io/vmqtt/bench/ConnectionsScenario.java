package io.vmqtt.bench;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Opens many connections in one JVM, each subscribed to its own topic, and measures what they cost:
 * connections per second (CONNECT to SUBACK, {@code concurrency} at a time), heap, RSS and threads
 * per connection, read after two {@code System.gc()} before and after, once the connecting threads
 * have ended. Those threads are the harness's: virtual for vmqtt (its API is made for them),
 * platform for the others (Paho's blocking waits would pin a virtual thread's carrier).
 *
 * <p>For the scale curve ({@link ScaleCurve}) it also measures what keeping them alive costs: with
 * an {@link IdleWindow}, it first reads the idle JVM's CPU over a baseline window before
 * connecting, and after the readings lets the connections idle for a settling period and then a
 * measured window, reading the process's CPU time and write system calls (the PINGREQs) at both
 * ends, and finally counts the connections still up. Connection {@code i} goes to host {@code i mod
 * hosts}: several addresses of the broker let more connections through than one address's ephemeral
 * ports allow.
 */
final class ConnectionsScenario {
  /**
   * The keep-alive measurement: {@code baseline} of an idle JVM before connecting, {@code settle}
   * after the connections are up and measured, then the measured {@code window}; all zero for none.
   */
  record IdleWindow(Duration baseline, Duration settle, Duration window) {
    static final IdleWindow NONE = new IdleWindow(Duration.ZERO, Duration.ZERO, Duration.ZERO);
  }

  private final String clientName;
  private final List<String> hosts;
  private final int port;
  private final String run;
  private final int concurrency;
  private final boolean histogram;
  private final IdleWindow idle;

  /**
   * @param histogram whether to print the heap's class histogram (the top 30 classes) to standard
   *     error with the connections open: what a connection is made of
   */
  ConnectionsScenario(
      String clientName,
      List<String> hosts,
      int port,
      String run,
      int concurrency,
      boolean histogram,
      IdleWindow idle) {
    this.clientName = clientName;
    this.hosts = List.copyOf(hosts);
    this.port = port;
    this.run = run;
    this.concurrency = concurrency;
    this.histogram = histogram;
    this.idle = idle;
  }

  /** The quiet between the last connection and the readings: see {@link #run}. */
  static final long SETTLE_MILLIS = 2_000;

  void run(int count, Map<String, Object> result) throws InterruptedException {
    long heap0 = ProcessMeter.usedHeapAfterGc();
    long rss0 = ProcessMeter.rssBytes();
    int threads0 = ProcessMeter.platformThreads();
    long virtual0 = ProcessMeter.virtualThreads();
    if (!idle.window().isZero()) {
      ProcessMeter.Snapshot b0 = ProcessMeter.Snapshot.now();
      Thread.sleep(idle.baseline());
      ProcessMeter.Snapshot b1 = ProcessMeter.Snapshot.now();
      result.put("baselineSeconds", (b1.nanos() - b0.nanos()) / 1e9);
      result.put("baselineCpuSeconds", (b1.cpuNanos() - b0.cpuNanos()) / 1e9);
    }
    List<ClientAdapter> clients = Collections.synchronizedList(new ArrayList<>(count));
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    ClientRunner.say("START t=" + System.nanoTime());
    long start = System.nanoTime();
    try (ExecutorService pool =
        clientName.startsWith("vmqtt")
            ? Executors.newVirtualThreadPerTaskExecutor()
            : Executors.newFixedThreadPool(concurrency)) {
      for (int w = 0; w < concurrency; w++) {
        pool.execute(
            () -> {
              for (int i = next.getAndIncrement();
                  i < count && failure.get() == null;
                  i = next.getAndIncrement()) {
                // The raw client idles here: 1 KiB buffers, not the 64 KiB it uses for throughput.
                ClientAdapter c =
                    clientName.equals("raw")
                        ? new RawClient(1024)
                        : ClientAdapter.create(clientName);
                try {
                  c.connect(hosts.get(i % hosts.size()), port, "conn-" + run + "-" + i, 0);
                  c.subscribe("conn/" + run + "/" + i, 0, false);
                  clients.add(c);
                } catch (Throwable t) {
                  failure.compareAndSet(null, t);
                }
              }
            });
      }
      pool.shutdown();
      pool.awaitTermination(10, TimeUnit.MINUTES);
    }
    long seconds = System.nanoTime() - start;
    ClientRunner.say("END");
    // What is measured is idle connections: a quiet plain-TCP connection of vmqtt's gives its
    // reader thread up after a second without a byte; every client gets the same quiet.
    Thread.sleep(SETTLE_MILLIS);
    int connected = clients.size();
    long heap1 = ProcessMeter.usedHeapAfterGc();
    long rss1 = ProcessMeter.rssBytes();
    int threads1 = ProcessMeter.platformThreads();
    long virtual1 = ProcessMeter.virtualThreads();
    result.put("connections", connected);
    result.put("requested", count);
    result.put("seconds", seconds / 1e9);
    result.put("heapBytes", heap1 - heap0);
    result.put("rssBytes", rss1 - rss0);
    result.put("platformThreads", threads1 - threads0);
    result.put("virtualThreads", virtual0 < 0 || virtual1 < 0 ? -1 : virtual1 - virtual0);
    if (failure.get() != null) {
      ClientRunner.say(
          "FAILURE after " + connected + " connections: " + ClientRunner.oneLine(failure.get()));
    }
    if (histogram) {
      printHistogram();
    }
    if (!idle.window().isZero()) {
      measureIdle(clients, result);
    }
    // Held until the readings are taken; the process exits without closing them one by one.
    Reference.reachabilityFence(clients);
  }

  /**
   * Lets the connections idle for the settling period, then measures the process's CPU time and
   * write calls over the window; the harness reads the broker's CPU at IDLE-START and IDLE-END.
   */
  private void measureIdle(List<ClientAdapter> clients, Map<String, Object> result)
      throws InterruptedException {
    Thread.sleep(idle.settle());
    ProcessMeter.Snapshot w0 = ProcessMeter.Snapshot.now();
    ClientRunner.say("IDLE-START");
    Thread.sleep(idle.window());
    ProcessMeter.Snapshot w1 = ProcessMeter.Snapshot.now();
    ClientRunner.say("IDLE-END");
    result.put("idleSeconds", (w1.nanos() - w0.nanos()) / 1e9);
    result.put("idleCpuSeconds", (w1.cpuNanos() - w0.cpuNanos()) / 1e9);
    result.put("idleWriteCalls", w0.writeCalls() < 0 ? -1 : w1.writeCalls() - w0.writeCalls());
    // The connecting threads have ended; the copy is taken under the synchronized list's lock.
    result.put("alive", List.copyOf(clients).stream().filter(ClientAdapter::isConnected).count());
  }

  private static void printHistogram() {
    try {
      Object text =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "gcClassHistogram",
                  new Object[] {new String[0]},
                  new String[] {String[].class.getName()});
      text.toString().lines().limit(33).forEach(System.err::println);
    } catch (JMException e) {
      System.err.println("no class histogram: " + e);
    }
  }
}
