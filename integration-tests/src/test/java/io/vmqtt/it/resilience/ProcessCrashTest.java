package io.vmqtt.it.resilience;

import static io.vmqtt.it.resilience.ResilienceSupport.SILENCE;
import static io.vmqtt.it.resilience.ResilienceSupport.WAIT;
import static io.vmqtt.it.resilience.ResilienceSupport.assertNoMessagePending;
import static io.vmqtt.it.resilience.ResilienceSupport.clientId;
import static io.vmqtt.it.resilience.ResilienceSupport.onlyDuplicated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.FaultProxy;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.testkit.MosquittoBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test 3 of the resilience list: a publisher process ({@link CrashingPublisher}) with a file
 * session store ({@code FsyncPolicy.ALWAYS}, cleansession false) publishes from 8 threads through a
 * {@link FaultProxy}, is killed with SIGKILL in mid-stream, then started again with the same client
 * id and store. Every message its first life accepted ({@code publish} returned) must reach a
 * subscriber on a direct connection; at QoS 2 each exactly once. Messages it had stored but not yet
 * seen acknowledged when it died may arrive too: they were in flight, not lost.
 *
 * <p>An accepted message has already been acknowledged by the broker, so it would arrive even
 * without a store. What only the store can save are the messages waiting in {@code publish} at the
 * kill: the black-hole variant makes them certain to have missed the broker, and requires them to
 * arrive too.
 */
class ProcessCrashTest {
  private static final Logger log = LoggerFactory.getLogger(ProcessCrashTest.class);

  /** More than the first life can publish before the kill, so the kill is in mid-stream. */
  private static final int PLANNED = 4_000;

  private static final int THREADS = 8;

  /** The kill comes once this many messages have been accepted. */
  private static final int KILL_AFTER = 500;

  private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(30);

  /** How long no publishing thread may make progress before the threads count as stuck. */
  private static final Duration STUCK = Duration.ofMillis(500);

  @RegisterExtension
  static final MosquittoExtension mosquitto =
      new MosquittoExtension(broker -> broker.extraConfig("max_queued_messages 0"));

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void everyQos1MessageAcceptedBeforeASigkillArrivesAfterTheRestart(
      MosquittoBroker broker, @TempDir Path store) throws Exception {
    run(broker, store, QoS.AT_LEAST_ONCE, Kill.WHILE_FLOWING);
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void everyQos2MessageAcceptedBeforeASigkillArrivesExactlyOnceAfterTheRestart(
      MosquittoBroker broker, @TempDir Path store) throws Exception {
    run(broker, store, QoS.EXACTLY_ONCE, Kill.WHILE_FLOWING);
  }

  /**
   * The stronger case: the network goes silent before the kill, so the messages being published
   * when the process dies never reached the broker. Only the file store can bring them back, and
   * the restarted process must: each was stored before it was sent.
   */
  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void qos1MessagesStuckInABlackHoleWhenTheProcessIsKilledArriveAfterTheRestart(
      MosquittoBroker broker, @TempDir Path store) throws Exception {
    run(broker, store, QoS.AT_LEAST_ONCE, Kill.IN_A_BLACK_HOLE);
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void qos2MessagesStuckInABlackHoleWhenTheProcessIsKilledArriveExactlyOnceAfterTheRestart(
      MosquittoBroker broker, @TempDir Path store) throws Exception {
    run(broker, store, QoS.EXACTLY_ONCE, Kill.IN_A_BLACK_HOLE);
  }

  /** When the first life is killed. */
  private enum Kill {
    /** While messages flow: some are in flight, unacknowledged, when it dies. */
    WHILE_FLOWING,
    /**
     * After its network became a black hole and every publishing thread has waited there for {@link
     * #STUCK}: each thread's last message was stored and sent, and cannot have arrived.
     */
    IN_A_BLACK_HOLE
  }

  private static void run(MosquittoBroker broker, Path store, QoS qos, Kill kill) throws Exception {
    String id = clientId("crash-q" + qos.value());
    String topic = "crash/" + id;
    Map<String, Integer> counts = new ConcurrentHashMap<>();
    try (FaultProxy proxy = FaultProxy.to(broker);
        MqttClient sub = MqttClient.create(clientId("crash-sub"), MqttConfig.defaults())) {
      sub.connect(broker.uri());
      assertThat(sub.subscribe(List.of(Subscription.of(topic, qos)))).containsExactly(qos.value());
      CountDownLatch markerSeen = new CountDownLatch(1);
      Thread consumer =
          Thread.ofVirtual().name("crash-consumer").start(() -> consume(sub, counts, markerSeen));

      // First life, through the proxy: killed with SIGKILL once KILL_AFTER messages were accepted.
      Child first = Child.start(proxy.uri(), id, store, topic, qos, "publish");
      await("the first life accepting " + KILL_AFTER + " messages")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> first.accepted().size() >= KILL_AFTER || !first.process().isAlive());
      if (kill == Kill.IN_A_BLACK_HOLE) {
        proxy.blackhole(true);
        await("every publishing thread stuck in the black hole")
            .during(STUCK)
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(20))
            .until(new Unchanged(() -> first.called().size()));
        assertThat(waiting(first))
            .as("one message stuck per publishing thread%s", first.describe())
            .hasSize(THREADS);
      }
      // SIGKILL through the process handle: Process.destroyForcibly() would also close our end
      // of its output pipe, and lines it printed but we had not read yet would be lost.
      assertThat(first.process().toHandle().destroyForcibly()).isTrue();
      first.awaitEnd();
      proxy.close();
      assertThat(first.sawDone())
          .as("killed in mid-stream, before it published everything%s", first.describe())
          .isFalse();
      assertThat(first.process().exitValue())
          .as("exit status of SIGKILL%s", first.describe())
          .isEqualTo(128 + 9);
      Set<String> accepted = Set.copyOf(first.accepted());
      Set<String> waiting = waiting(first);

      // Second life, on a direct connection: the same client id and store; it resends what the
      // first one left, then publishes a marker after it.
      Child second = Child.start(broker.uri(), id, store, topic, qos, "resume");
      try {
        await("the second life connecting and acknowledging its marker")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> second.sawMarker() || !second.process().isAlive());
        assertThat(second.sawMarker()).as("the marker acknowledged%s", second.describe()).isTrue();
        assertThat(second.sessionPresent()).as("the broker kept the session").isTrue();
        assertThat(markerSeen.await(WAIT.toSeconds(), TimeUnit.SECONDS))
            .as("the marker reached the subscriber")
            .isTrue();
      } finally {
        second.stop();
        consumer.interrupt();
        if (!consumer.join(WAIT)) {
          throw new AssertionError("the consumer did not end within " + WAIT);
        }
      }
      // No late copy on its way to the subscriber either.
      assertNoMessagePending(sub);

      counts.remove(CrashingPublisher.MARKER_PAYLOAD);
      Set<String> received = new HashSet<>(counts.keySet());
      Set<String> lost = new HashSet<>(accepted);
      lost.removeAll(received);
      Set<String> waitingLost = new HashSet<>(waiting);
      waitingLost.removeAll(received);
      int duplicates = ResilienceSupport.duplicates(counts);
      log.info(
          "RESILIENCE test3 QoS {} killed {}: {} messages accepted before SIGKILL, {} waiting in"
              + " publish at the kill, {} received, {} duplicates at QoS {}, {} accepted lost,"
              + " {} waiting lost",
          qos.value(),
          kill == Kill.WHILE_FLOWING ? "while flowing" : "in a black hole",
          accepted.size(),
          waiting.size(),
          received.size(),
          duplicates,
          qos.value(),
          lost.size(),
          waitingLost.size());

      assertThat(lost).as("accepted messages that never arrived").isEmpty();
      if (kill == Kill.IN_A_BLACK_HOLE) {
        assertThat(waitingLost)
            .as("messages stored and stuck in the black hole that never arrived")
            .isEmpty();
      }
      assertThat(received).as("only what the first life published").isSubsetOf(first.called());
      if (qos == QoS.EXACTLY_ONCE) {
        assertThat(onlyDuplicated(counts)).as("messages delivered more than once").isEmpty();
      }
    }
  }

  /** The messages whose publish was called and had not returned when the process died. */
  private static Set<String> waiting(Child child) {
    Set<String> waiting = new HashSet<>(child.called());
    waiting.removeAll(child.accepted());
    return waiting;
  }

  /** True while a value stays what it was at the previous poll. */
  private static final class Unchanged implements Callable<Boolean> {
    private final IntSupplier value;
    private int last = -1;

    Unchanged(IntSupplier value) {
      this.value = value;
    }

    @Override
    public Boolean call() {
      int now = value.getAsInt();
      boolean same = now == last;
      last = now;
      return same;
    }
  }

  /** Takes messages until interrupted, counting each payload; counts the marker down on it. */
  private static void consume(
      MqttClient sub, Map<String, Integer> counts, CountDownLatch markerSeen) {
    try {
      while (true) {
        Message m;
        try {
          m = sub.deliverMessage(SILENCE);
        } catch (TimeoutException e) {
          continue; // nothing for a while: the test decides when it is over
        }
        counts.merge(m.payloadAsString(), 1, Integer::sum);
        if (m.payloadAsString().equals(CrashingPublisher.MARKER_PAYLOAD)) {
          markerSeen.countDown();
        }
      }
    } catch (InterruptedException e) {
      // the test is done with it
    } catch (RuntimeException e) {
      log.warn("the consumer of {} failed", sub.clientId(), e);
    }
  }

  /** A {@link CrashingPublisher} process and what it reported. */
  private record Child(
      Process process,
      Set<String> called,
      Set<String> accepted,
      List<String> events,
      List<String> output,
      Thread reader,
      String name) {

    static Child start(String uri, String clientId, Path store, String topic, QoS qos, String mode)
        throws IOException {
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> command =
          List.of(
              java,
              "-XX:TieredStopAtLevel=1",
              "-cp",
              System.getProperty("java.class.path"),
              CrashingPublisher.class.getName(),
              mode,
              uri,
              clientId,
              store.toString(),
              topic,
              Integer.toString(qos.value()),
              Integer.toString(PLANNED),
              Integer.toString(THREADS));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      Set<String> called = ConcurrentHashMap.newKeySet();
      Set<String> accepted = ConcurrentHashMap.newKeySet();
      List<String> events = new CopyOnWriteArrayList<>();
      List<String> output = new CopyOnWriteArrayList<>();
      String name = "child-" + mode + "-" + process.pid();
      Thread reader =
          Thread.ofVirtual()
              .name(name)
              .start(() -> readLines(process, called, accepted, events, output, name));
      return new Child(process, called, accepted, events, output, reader, name);
    }

    private static void readLines(
        Process process,
        Set<String> called,
        Set<String> accepted,
        List<String> events,
        List<String> output,
        String name) {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith(CrashingPublisher.CALLING)) {
            called.add(line.substring(CrashingPublisher.CALLING.length()));
          } else if (line.startsWith(CrashingPublisher.ACCEPTED)) {
            accepted.add(line.substring(CrashingPublisher.ACCEPTED.length()));
          } else if (line.startsWith(CrashingPublisher.CONNECTED)
              || line.equals(CrashingPublisher.DONE)
              || line.equals(CrashingPublisher.MARKER)) {
            events.add(line);
          } else {
            output.add(line);
            log.debug("{}: {}", name, line);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(name + ": reading its output failed", e);
      }
    }

    boolean sawDone() {
      return events.contains(CrashingPublisher.DONE);
    }

    boolean sawMarker() {
      return events.contains(CrashingPublisher.MARKER);
    }

    boolean sessionPresent() {
      return events.contains(CrashingPublisher.CONNECTED + "true");
    }

    /** Waits for the process to end and its output to be read to the end. */
    void awaitEnd() throws InterruptedException {
      if (!process.waitFor(PROCESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " did not end within " + PROCESS_TIMEOUT + describe());
      }
      if (!reader.join(PROCESS_TIMEOUT)) {
        throw new AssertionError(name + ": its output did not end within " + PROCESS_TIMEOUT);
      }
    }

    /** What it reported and its other output, for failure messages. */
    String describe() {
      return "\n--- "
          + name
          + (process.isAlive() ? " (running)" : " (exit " + process.exitValue() + ")")
          + ": events "
          + events
          + ", "
          + called.size()
          + " called, "
          + accepted.size()
          + " accepted; other output ---\n"
          + String.join("\n", output);
    }

    /** Asks the process to disconnect and exit (closes its input); kills it if it does not. */
    void stop() throws InterruptedException {
      try {
        process.getOutputStream().close();
      } catch (IOException e) {
        // it has gone already
      }
      if (!process.waitFor(PROCESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
      awaitEnd();
      log.debug("{} ended: {}", name, describe());
    }
  }
}
