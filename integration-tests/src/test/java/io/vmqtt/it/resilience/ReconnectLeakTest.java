package io.vmqtt.it.resilience;

import static io.vmqtt.it.resilience.ResilienceSupport.WAIT;
import static io.vmqtt.it.resilience.ResilienceSupport.clientId;
import static io.vmqtt.it.resilience.ResilienceSupport.receive;
import static io.vmqtt.it.resilience.ResilienceSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.vmqtt.ConnectionState;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.FaultProxy;
import io.vmqtt.it.fixture.MosquittoTest;
import io.vmqtt.it.pinning.WithoutPinningGuard;
import io.vmqtt.testkit.MosquittoBroker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test 7 of the resilience list: after 200 forced reconnects a client holds what it held before:
 * the same threads by name (once idle, at most {@code vmqtt-<clientId>-reader}, which over plain
 * TCP itself ends after a second of quiet: keep-alive runs on the JVM-wide ticker, and the {@code
 * -writer} (while a backlog lasts), {@code -reconnect} and {@code -events} threads come and go), no
 * more platform threads, and no more heap once garbage is collected.
 *
 * <p>The baseline is taken after a warm-up of 10 reconnects, so classes loaded and pools grown on
 * the first reconnect (the virtual-thread scheduler's carriers, say) are in it. The tolerances: two
 * platform threads, for the JVM's own housekeeping (compiler and GC threads come and go); 2 MB of
 * heap, about 10 KB per reconnect, which a leak of one buffer or one connection's worth of objects
 * per reconnect would exceed.
 */
@WithoutPinningGuard("measures the heap in use; the buffers of a JFR stream would blur it")
@MosquittoTest
class ReconnectLeakTest {
  private static final Logger log = LoggerFactory.getLogger(ReconnectLeakTest.class);

  private static final int WARM_UP = 10;
  private static final int RECONNECTS = 200;
  private static final int PLATFORM_THREAD_TOLERANCE = 2;
  private static final long HEAP_TOLERANCE_BYTES = 2L * 1024 * 1024;
  private static final Pattern THREAD_NAME = Pattern.compile("\"name\": \"([^\"]*)\"");
  private static final AtomicInteger DUMPS = new AtomicInteger();

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void afterTwoHundredForcedReconnectsTheThreadsAndTheHeapAreBackWhereTheyStarted(
      MosquittoBroker broker, @TempDir Path dumps) throws Exception {
    String id = clientId("leak");
    String topic = "leak/" + id;
    MqttConfig config =
        MqttConfig.builder()
            .autoReconnect(true)
            .reconnectMinInterval(Duration.ofMillis(10))
            .reconnectMaxInterval(Duration.ofMillis(100))
            .reconnectJitter(0)
            .reconnectRetries(-1)
            .keepAlive(Duration.ofSeconds(5))
            .operationTimeout(ResilienceSupport.OPERATION_TIMEOUT)
            .build();
    ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try (FaultProxy proxy = FaultProxy.to(broker);
        MqttClient client = MqttClient.create(id, config)) {
      ConnectionEvents events = ConnectionEvents.attachTo(client);
      client.connect(proxy.uri());
      client.subscribe(List.of(Subscription.of(topic, QoS.AT_LEAST_ONCE)));
      roundTrip(client, topic, "before");

      forceReconnects(proxy, client, events, WARM_UP);
      roundTrip(client, topic, "warmed up");
      Map<String, Long> steadyThreads = awaitSteadyThreads(id, dumps);
      int platformBefore = threadBean.getThreadCount();
      long heapBefore = usedHeapAfterGc(memory);

      long start = System.nanoTime();
      forceReconnects(proxy, client, events, RECONNECTS);
      long elapsed = System.nanoTime() - start;
      roundTrip(client, topic, "after");

      await("the client's threads back to " + steadyThreads)
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () -> assertThat(withoutReader(id, threadsOf(id, dumps))).isEqualTo(steadyThreads));
      await("platform threads back to " + platformBefore)
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () ->
                  assertThat(threadBean.getThreadCount())
                      .isLessThanOrEqualTo(platformBefore + PLATFORM_THREAD_TOLERANCE));
      await("used heap back within 2 MB of " + heapBefore)
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () ->
                  assertThat(usedHeapAfterGc(memory))
                      .isLessThanOrEqualTo(heapBefore + HEAP_TOLERANCE_BYTES));
      int platformAfter = threadBean.getThreadCount();
      long heapAfter = usedHeapAfterGc(memory);
      log.info(
          "RESILIENCE test7: {} forced reconnects in {} ms; client threads {}; platform threads"
              + " {} -> {}; used heap after GC {} KB -> {} KB ({} KB)",
          RECONNECTS,
          ResilienceSupport.millis(elapsed),
          steadyThreads,
          platformBefore,
          platformAfter,
          heapBefore / 1024,
          heapAfter / 1024,
          (heapAfter - heapBefore) / 1024);

      assertThat(events.reconnected()).hasSize(WARM_UP + RECONNECTS);
      assertThat(events.lost()).hasSize(WARM_UP + RECONNECTS);
      assertThat(events.reconnected()).allMatch(r -> r.thread().equals("vmqtt-" + id + "-events"));
      assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  /** Cuts the client's connection n times, each time waiting for it to come back. */
  private static void forceReconnects(
      FaultProxy proxy, MqttClient client, ConnectionEvents events, int n)
      throws InterruptedException {
    for (int i = 0; i < n; i++) {
      assertThat(proxy.cutAll()).as("connections cut in round %d", i).isEqualTo(1);
      events.awaitReconnects(1, WAIT);
      assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  private static void roundTrip(MqttClient client, String topic, String text)
      throws InterruptedException {
    client.publish(topic, utf8(text), QoS.AT_LEAST_ONCE, false);
    assertThat(receive(client).payloadAsString()).isEqualTo(text);
  }

  /**
   * The client's threads once the short-lived ones have ended: the same names twice in a row, and
   * none of them a writer, reconnection or events thread.
   */
  private static Map<String, Long> awaitSteadyThreads(String clientId, Path dumps) {
    AtomicReference<Map<String, Long>> last = new AtomicReference<>();
    await("the threads of " + clientId + " settle")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Map<String, Long> now = threadsOf(clientId, dumps);
              boolean settled =
                  now.equals(last.get())
                      && now.keySet().stream()
                          .noneMatch(
                              n ->
                                  n.endsWith("-reconnect")
                                      || n.endsWith("-events")
                                      || n.endsWith("-writer"));
              last.set(now);
              return settled;
            });
    String reader = "vmqtt-" + clientId + "-reader";
    assertThat(withoutReader(clientId, last.get()))
        .as("an idle connected client's threads: its writer thread ends once nothing is queued")
        .isEmpty();
    assertThat(last.get().getOrDefault(reader, 0L)).as("reader threads").isLessThanOrEqualTo(1);
    return withoutReader(clientId, last.get());
  }

  /**
   * The threads but the reader: over plain TCP a quiet connection gives its reader thread up after
   * a second and starts a new one when bytes arrive, so whether it is there depends on the moment.
   * At most one is ever there; that is checked on its own.
   */
  private static Map<String, Long> withoutReader(String clientId, Map<String, Long> threads) {
    String reader = "vmqtt-" + clientId + "-reader";
    assertThat(threads.getOrDefault(reader, 0L)).as("reader threads").isLessThanOrEqualTo(1);
    Map<String, Long> rest = new TreeMap<>(threads);
    rest.remove(reader);
    return rest;
  }

  /**
   * How many live threads, platform or virtual, bear each name starting with {@code
   * vmqtt-<clientId>-}, from the JDK's JSON thread dump (virtual threads are not in {@code
   * Thread.getAllStackTraces()}).
   */
  private static Map<String, Long> threadsOf(String clientId, Path directory) throws IOException {
    Path file = directory.resolve("threads-" + DUMPS.incrementAndGet() + ".json");
    ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
        .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
    String prefix = "vmqtt-" + clientId + "-";
    Map<String, Long> names =
        THREAD_NAME
            .matcher(Files.readString(file))
            .results()
            .map(m -> m.group(1))
            .filter(name -> name.startsWith(prefix))
            .collect(Collectors.groupingBy(name -> name, TreeMap::new, Collectors.counting()));
    Files.delete(file);
    return names;
  }

  private static long usedHeapAfterGc(MemoryMXBean memory) {
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }
}
