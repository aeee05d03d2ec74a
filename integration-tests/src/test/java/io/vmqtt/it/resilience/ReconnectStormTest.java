package io.vmqtt.it.resilience;

import static io.vmqtt.it.resilience.ResilienceSupport.clientId;
import static io.vmqtt.it.resilience.ResilienceSupport.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.ConnectionState;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.it.fixture.FaultProxy;
import io.vmqtt.it.fixture.MosquittoTest;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test 6 of the resilience list: 100 clients cut at the same moment do not reconnect in lock-step.
 *
 * <p>Each waits {@code reconnect_min_interval} (1 s) shortened by a random fraction of up to {@code
 * reconnect_jitter} (0.5, the default) before its first attempt, so the first attempts should fall
 * uniformly between 0.5 and 1.0 s after the cut. The proxy records when it accepts each of them.
 * The thresholds, and why they are robust both ways:
 *
 * <ul>
 *   <li>No attempt before 0.5 s: the jitter shortens the wait by at most half, and the wait starts
 *       after the cut (5 ms allowed for timers that round).
 *   <li>The attempts span at least 200 ms, and their middle half (the interquartile range) at least
 *       100 ms. Uniform over 500 ms, they span about 490 ms with an interquartile range of about
 *       250 ms; the chance that all fall within 200 ms is about 100 × 0.4^99, nil. Clients in
 *       lock-step all wake at the same moment and reach the proxy within the few tens of
 *       milliseconds two cores take to open 100 connections: both figures far below the bounds.
 *   <li>No 10 ms slice holds more than 30 of them (2 expected). Not tighter: a stall of the whole
 *       JVM holds back every attempt due during it, and they all arrive together when it ends; one
 *       run here saw no attempt before 639 ms and then 18 within 10 ms. The two figures above are
 *       what tell lock-step apart; this one catches a pile-up beyond any stall.
 * </ul>
 *
 * <p>The log line also gives when the clients heard of the loss ({@code connectionLost}), from the
 * cut: the backoff starts about then.
 */
@MosquittoTest
class ReconnectStormTest {
  private static final Logger log = LoggerFactory.getLogger(ReconnectStormTest.class);

  private static final int CLIENTS = 100;
  private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  private static final double JITTER = 0.5;
  private static final long SLICE_MILLIS = 10;
  private static final int MAX_PER_SLICE = 30;
  private static final long MIN_SPAN_MILLIS = 200;
  private static final long MIN_INTERQUARTILE_MILLIS = 100;

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aHundredClientsCutAtOnceSpreadTheirFirstRetriesOverTheJitterWindow(MosquittoBroker broker)
      throws Exception {
    MqttConfig config =
        MqttConfig.builder()
            .autoReconnect(true)
            .reconnectMinInterval(MIN_INTERVAL)
            .reconnectMaxInterval(Duration.ofSeconds(10))
            .reconnectJitter(JITTER)
            .reconnectRetries(-1)
            .keepAlive(Duration.ofSeconds(60))
            .operationTimeout(ResilienceSupport.OPERATION_TIMEOUT)
            .build();
    String prefix = clientId("storm");
    List<MqttClient> clients = new ArrayList<>(CLIENTS);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        FaultProxy proxy = FaultProxy.to(broker)) {
      try {
        for (int i = 0; i < CLIENTS; i++) {
          clients.add(MqttClient.create(prefix + "-" + i, config));
        }
        List<Future<?>> connects = new ArrayList<>();
        for (MqttClient c : clients) {
          connects.add(threads.submit(() -> c.connect(proxy.uri())));
        }
        for (Future<?> f : connects) {
          f.get(30, TimeUnit.SECONDS);
        }
        assertThat(proxy.connectionsAccepted()).isEqualTo(CLIENTS);
        List<ConnectionEvents> events = clients.stream().map(ConnectionEvents::attachTo).toList();

        long cutAt = System.nanoTime();
        assertThat(proxy.cutAll()).isEqualTo(CLIENTS);

        await("all " + CLIENTS + " clients reconnected")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> events.stream().allMatch(e -> !e.reconnected().isEmpty()));
        assertThat(clients).allMatch(c -> c.state() == ConnectionState.CONNECTED);

        List<Long> retries = proxy.acceptTimes().subList(CLIENTS, proxy.acceptTimes().size());
        assertThat(retries)
            .as("one attempt per client: each first retry was accepted")
            .hasSize(CLIENTS);
        List<Long> offsets = retries.stream().map(t -> millis(t - cutAt)).sorted().toList();
        long first = offsets.get(0);
        long last = offsets.get(offsets.size() - 1);
        Map<Long, Long> perSlice =
            offsets.stream()
                .collect(
                    Collectors.groupingBy(
                        o -> o / SLICE_MILLIS * SLICE_MILLIS, TreeMap::new, Collectors.counting()));
        long busiest = perSlice.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        Map<Long, Long> perTenth =
            offsets.stream()
                .collect(
                    Collectors.groupingBy(o -> o / 100 * 100, TreeMap::new, Collectors.counting()));
        long interquartile = offsets.get(offsets.size() * 3 / 4) - offsets.get(offsets.size() / 4);
        List<Long> heard =
            events.stream().map(e -> millis(e.lost().get(0).nanos() - cutAt)).sorted().toList();
        log.info(
            "RESILIENCE test6: {} clients cut at once; first retries from {} ms to {} ms after the"
                + " cut (span {} ms, interquartile range {} ms, median {} ms); busiest {} ms slice"
                + " holds {}; per 100 ms: {}; loss heard after {} to {} ms (median {} ms)",
            CLIENTS,
            first,
            last,
            last - first,
            interquartile,
            offsets.get(offsets.size() / 2),
            SLICE_MILLIS,
            busiest,
            perTenth,
            heard.get(0),
            heard.get(heard.size() - 1),
            heard.get(heard.size() / 2));

        long earliest = (long) (MIN_INTERVAL.toMillis() * (1 - JITTER));
        assertThat(first)
            .as("no retry before the shortest jittered wait, ms")
            .isGreaterThanOrEqualTo(earliest - 5);
        assertThat(last - first)
            .as("span of the first retries, ms")
            .isGreaterThanOrEqualTo(MIN_SPAN_MILLIS);
        assertThat(interquartile)
            .as("interquartile range of the first retries, ms")
            .isGreaterThanOrEqualTo(MIN_INTERQUARTILE_MILLIS);
        assertThat(busiest)
            .as("first retries in the busiest %d ms slice: %s", SLICE_MILLIS, perSlice)
            .isLessThanOrEqualTo(MAX_PER_SLICE);
      } finally {
        clients.forEach(MqttClient::close);
      }
    }
  }
}
