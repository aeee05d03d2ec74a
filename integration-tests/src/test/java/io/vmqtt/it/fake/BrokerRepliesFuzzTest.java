package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.BrokerScript.write;
import static io.vmqtt.it.fake.Frames.bytes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.management.HotSpotDiagnosticMXBean;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.MqttException;
import io.vmqtt.ProtocolException;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Coverage-guided fuzzing of the engine (issue 14) with Jazzer: a {@link ScriptedBroker} answers a
 * client with the fuzzer's bytes ({@link BrokerScript}: options, then one answer per packet the
 * client sends, with pauses and byte-by-byte writes), while the client makes a fixed sequence of
 * calls under small timeouts: connect, subscribe, publish at QoS 0, 1 and 2, deliverMessage with a
 * timeout, ping, unsubscribe, disconnect, close.
 *
 * <p>Whatever the broker sends:
 *
 * <ul>
 *   <li>every call ends within its bound (the operation or connect timeout, the deliverMessage
 *       timeout) plus a margin ({@value #MARGIN_FUZZING_MS} ms when fuzzing, {@value
 *       #MARGIN_REGRESSION_MS} ms in the ordinary test run, where other work slows the machine);
 *   <li>with a result, or an exception the API documents: an {@link MqttException} ({@code
 *       ConnectException}, {@code ConnectionLostException}, {@code NotConnectedException}, {@code
 *       OperationTimeoutException}, {@code ProtocolException}), or {@code TimeoutException} from
 *       deliverMessage; whose causes, down to a {@link ProtocolException}, are I/O errors or {@link
 *       MqttException}s, not a {@code NullPointerException} turned into a lost connection;
 *   <li>subscribe returns one valid code per filter;
 *   <li>no thread of the client is left after close ({@code vmqtt-*}, the JVM-wide ticker
 *       included), no exception escapes a thread, and the engine logs no error.
 * </ul>
 *
 * <p>Regression mode (the ordinary test run) runs the seeds below and the findings in {@code
 * src/test/resources/io/vmqtt/it/fake/BrokerRepliesFuzzTestInputs/anyBrokerRepliesEndEveryCallInTime/}.
 * {@code ./fuzz engine} fuzzes; see the README.
 */
class BrokerRepliesFuzzTest {
  private static final Duration OPERATION_TIMEOUT = Duration.ofMillis(100);
  private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(200);
  private static final Duration DELIVER_WAIT = Duration.ofMillis(50);

  /** close() ends the connection and joins the client's threads: quick, but not instantaneous. */
  private static final Duration CLOSE_BOUND = Duration.ofMillis(500);

  static final long MARGIN_FUZZING_MS = 2_000;
  static final long MARGIN_REGRESSION_MS = 5_000;
  private static final boolean FUZZING = isTrue(System.getenv("JAZZER_FUZZ"));
  private static final Duration MARGIN =
      Duration.ofMillis(FUZZING ? MARGIN_FUZZING_MS : MARGIN_REGRESSION_MS);

  /** The margin of the first conversations, which load the classes. */
  private static final Duration WARM_UP_MARGIN = Duration.ofSeconds(60);

  private static boolean warmedUp;

  /** How long the client's threads may take to disappear after close. */
  private static final Duration THREADS_GONE = Duration.ofSeconds(5);

  private static final Pattern THREAD_NAME = Pattern.compile("\"name\": \"([^\"]*)\"");
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static final Queue<String> UNCAUGHT = new ConcurrentLinkedQueue<>();
  private static final Queue<String> ERRORS = new ConcurrentLinkedQueue<>();
  private static final Path DUMPS;

  static {
    Thread.setDefaultUncaughtExceptionHandler(
        (t, e) -> UNCAUGHT.add(t.getName() + ": " + stackTrace(e)));
    Logger vmqtt = (Logger) LoggerFactory.getLogger("io.vmqtt");
    if (FUZZING) {
      vmqtt.setLevel(Level.ERROR); // millions of runs: only what must not happen
    }
    AppenderBase<ILoggingEvent> errors =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
              ERRORS.add(event.getThreadName() + ": " + event.getFormattedMessage());
            }
          }
        };
    errors.start();
    vmqtt.addAppender(errors);
    try {
      DUMPS = Files.createTempDirectory("vmqtt-fuzz-threads");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Options of BrokerScript's first byte.
  private static final int CONNACK_FIRST = 0x01;
  private static final int SILENT = 0x02;
  private static final int CLOSE = 0x04;
  private static final int STALL = 0x06;
  private static final int RECONNECT = 0x08;
  private static final int KEEP_ALIVE = 0x10;
  private static final int MQTT_3_1 = 0x20;
  private static final int BYTE_BY_BYTE = 0x40;
  private static final int SMALL_MAX = 0x80;

  /**
   * Conversations a broker may have with the client's sequence (packet ids: SUBSCRIBE 1, the QoS 1
   * PUBLISH 2, the QoS 2 PUBLISH 3, UNSUBSCRIBE 4), right and wrong in many ways.
   */
  static Stream<Arguments> seeds() {
    byte[] connack = Frames.connack(false, 0);
    byte[] message1 = Frames.publish("a/x", utf8("to the client"), 1, false, false, 7);
    byte[] message2 = Frames.publish("a/y", utf8("exactly once"), 2, true, false, 8);
    List<List<BrokerScript.Step>> wellAnswered =
        List.of(
            write(connack),
            write(Frames.suback(1, 2, 1)),
            write(), // the QoS 0 PUBLISH
            write(Frames.puback(2)),
            write(Frames.pubrec(3)),
            write(Frames.pubcomp(3), message1), // to PUBREL; a message for deliverMessage
            write(), // the client's PUBACK of message 1
            write(Frames.pingresp()),
            write(Frames.unsuback(4)));
    List<Arguments> seeds = new ArrayList<>();
    seed(seeds, "a well-behaved broker", 0);
    seed(seeds, "a well-behaved broker, MQTT 3.1, byte by byte", MQTT_3_1 | BYTE_BY_BYTE);
    seed(seeds, "a well-behaved broker with keep-alive", KEEP_ALIVE | CONNACK_FIRST);
    seed(seeds, "every answer scripted", SILENT, wellAnswered);
    seed(seeds, "every answer scripted, byte by byte", SILENT | BYTE_BY_BYTE, wellAnswered);
    seed(
        seeds,
        "a QoS 2 message to the client",
        CONNACK_FIRST,
        List.of(write(), write(Frames.suback(1, 2, 1), message2), write(Frames.pubrel(8))));
    seed(seeds, "CONNACK refused: not authorized", 0, List.of(write(Frames.connack(false, 5))));
    seed(seeds, "CONNACK refused with session present", 0, List.of(write(Frames.connack(true, 2))));
    seed(seeds, "no CONNACK at all", SILENT);
    seed(seeds, "a broker that closes at once", CLOSE);
    seed(seeds, "CONNACK, then the connection drops", CONNACK_FIRST | CLOSE);
    seed(
        seeds,
        "CONNACK, then the connection drops, with auto-reconnect",
        CONNACK_FIRST | CLOSE | RECONNECT);
    seed(
        seeds,
        "CONNACK and garbage, then a well-behaved broker for the reconnection",
        CONNACK_FIRST | RECONNECT,
        List.of(write(bytes(0xF0, 0x00))));
    seed(seeds, "CONNACK, then silence", CONNACK_FIRST | SILENT | KEEP_ALIVE);
    seed(seeds, "CONNACK, then the broker reads nothing", CONNACK_FIRST | STALL);
    seed(seeds, "two CONNACKs", 0, List.of(write(connack, connack)));
    seed(seeds, "a CONNACK with reserved flags", 0, List.of(write(bytes(0x20, 0x02, 0x02, 0x00))));
    seed(seeds, "a CONNACK three bytes long", 0, List.of(write(bytes(0x20, 0x03, 0, 0, 0))));
    seed(
        seeds,
        "a CONNACK in two pieces, 30 ms apart",
        0,
        List.of(
            List.of(
                new BrokerScript.Write(bytes(0x20)),
                new BrokerScript.Pause(Duration.ofMillis(30)),
                new BrokerScript.Write(bytes(0x02, 0x00, 0x00)))));
    seed(
        seeds,
        "answers 50 ms late",
        0,
        List.of(
            List.of(new BrokerScript.Pause(Duration.ofMillis(50)), new BrokerScript.Write(connack)),
            List.of(
                new BrokerScript.Pause(Duration.ofMillis(50)),
                new BrokerScript.Write(Frames.suback(1, 1, 1)))));
    seed(
        seeds,
        "a SUBACK for another packet id",
        CONNACK_FIRST,
        List.of(write(), write(Frames.suback(9, 0, 0))));
    seed(
        seeds,
        "a SUBACK with one code for two filters",
        CONNACK_FIRST,
        List.of(write(), write(Frames.suback(1, 0))));
    seed(
        seeds,
        "a SUBACK with code 3",
        CONNACK_FIRST,
        List.of(write(), write(Frames.suback(1, 3, 0x80))));
    seed(
        seeds,
        "a SUBACK before the SUBSCRIBE",
        CONNACK_FIRST,
        List.of(write(Frames.suback(1, 0, 0))));
    seed(
        seeds,
        "a PUBACK for an unknown packet id",
        CONNACK_FIRST,
        List.of(write(), write(), write(), write(Frames.puback(99))));
    seed(
        seeds,
        "a PUBCOMP instead of a PUBACK",
        CONNACK_FIRST,
        List.of(write(), write(), write(), write(Frames.pubcomp(2))));
    seed(
        seeds,
        "a PUBREL for an unknown packet id",
        CONNACK_FIRST,
        List.of(write(Frames.pubrel(5))));
    seed(
        seeds,
        "a PUBREC, then silence",
        CONNACK_FIRST | SILENT,
        List.of(
            write(),
            write(Frames.suback(1, 0, 0)),
            write(),
            write(Frames.puback(2)),
            write(Frames.pubrec(3))));
    seed(
        seeds,
        "a PUBLISH with QoS 3",
        CONNACK_FIRST,
        List.of(write(Frames.publish("a/b", utf8("x"), 3, false, false, 1))));
    seed(
        seeds,
        "a PUBLISH with a wildcard in its topic",
        CONNACK_FIRST,
        List.of(write(Frames.publish("a/#", utf8("x"), 0, false, false, 0))));
    seed(
        seeds,
        "a PUBLISH with packet id 0",
        CONNACK_FIRST,
        List.of(write(Frames.publish("a/b", utf8("x"), 1, false, false, 0))));
    seed(
        seeds, "two PUBLISH with one packet id", CONNACK_FIRST, List.of(write(message1, message1)));
    seed(seeds, "the reserved packet type 15", CONNACK_FIRST, List.of(write(bytes(0xF0, 0x00))));
    seed(
        seeds,
        "a Remaining Length of five bytes",
        CONNACK_FIRST,
        List.of(write(bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F))));
    seed(seeds, "a PINGRESP with a body", CONNACK_FIRST, List.of(write(bytes(0xD0, 0x01, 0x00))));
    seed(
        seeds,
        "a PUBLISH over max_packet_size",
        CONNACK_FIRST | SMALL_MAX,
        List.of(write(Frames.publish("a/b", new byte[100], 0, false, false, 0))));
    seed(
        seeds,
        "a 16 MiB PUBLISH announced, then silence",
        CONNACK_FIRST | SILENT,
        List.of(write(bytes(0x30, 0xFB, 0xFF, 0xFF, 0x07, 0x00, 0x01, 't'))));
    seed(
        seeds,
        "half a PUBACK, then the connection drops",
        CONNACK_FIRST | CLOSE,
        List.of(write(), write(), write(), write(bytes(0x40, 0x02, 0x00))));
    seed(seeds, "a CONNECT from the broker", CONNACK_FIRST, List.of(write(bytes(0x10, 0x00))));
    return seeds.stream();
  }

  private static void seed(List<Arguments> seeds, String name, int options) {
    seed(seeds, name, options, List.of());
  }

  private static void seed(
      List<Arguments> seeds, String name, int options, List<List<BrokerScript.Step>> answers) {
    seeds.add(arguments(named(name, BrokerScript.encode(options, answers))));
  }

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "5m")
  void anyBrokerRepliesEndEveryCallInTime(byte[] input) throws Exception {
    // Jazzer's SSRF detector reports every connection unless told to expect them; the client only
    // connects to the broker's loopback port (which the detector sees as "localhost").
    BugDetectors.allowNetworkConnections();
    if (!warmedUp) {
      // The first conversation loads (and when fuzzing, instruments) the classes of the client, the
      // engine and the transport, which can take seconds: not a bound for a call to meet.
      converse(BrokerScript.parse(new byte[] {CONNACK_FIRST}), WARM_UP_MARGIN);
      converse(
          BrokerScript.parse(BrokerScript.encode(0, List.of(write(bytes(0xF0))))), WARM_UP_MARGIN);
      warmedUp = true;
    }
    converse(BrokerScript.parse(input), MARGIN);
  }

  /** One conversation: the client's calls against a broker playing {@code script}. */
  private static void converse(BrokerScript script, Duration margin) throws Exception {
    String clientId = "fuzz-" + RUNS.incrementAndGet();
    UNCAUGHT.clear();
    ERRORS.clear();
    List<String> outcomes = new ArrayList<>();
    try (ScriptedBroker broker = ScriptedBroker.start(script)) {
      MqttClient client = MqttClient.create(clientId, config(script));
      Calls calls = new Calls(outcomes, margin);
      try {
        calls.run("connect", CONNECT_TIMEOUT, () -> client.connect(broker.uri()));
        calls.run(
            "subscribe",
            OPERATION_TIMEOUT,
            () ->
                checkCodes(
                    client.subscribe(
                        List.of(
                            Subscription.of("a/#", QoS.EXACTLY_ONCE),
                            Subscription.of("b", QoS.AT_LEAST_ONCE)))));
        for (QoS qos : QoS.values()) {
          calls.run(
              "publish QoS " + qos.value(),
              OPERATION_TIMEOUT,
              () -> client.publish("a/b", utf8("q" + qos.value()), qos, false));
        }
        calls.run(
            "deliverMessage",
            DELIVER_WAIT,
            () -> checkMessage(client.deliverMessage(DELIVER_WAIT)));
        calls.run("ping", OPERATION_TIMEOUT, () -> nothing(client::ping));
        calls.run(
            "unsubscribe",
            OPERATION_TIMEOUT,
            () -> nothing(() -> client.unsubscribe(List.of("a/#"))));
        // disconnect waits for a connect or reconnect under way, then writes DISCONNECT.
        calls.run(
            "disconnect",
            OPERATION_TIMEOUT.plus(CONNECT_TIMEOUT),
            () -> nothing(client::disconnect));
      } finally {
        calls.run("close", CLOSE_BOUND, () -> nothing(client::close));
      }
      awaitNoThreadsLeft(clientId, outcomes);
      if (!broker.failures().isEmpty()) {
        throw new AssertionError(
            "the broker failed: " + broker.failures() + "; calls: " + outcomes);
      }
    }
    if (!UNCAUGHT.isEmpty()) {
      throw new AssertionError("exceptions escaped threads: " + UNCAUGHT + "; calls: " + outcomes);
    }
    if (!ERRORS.isEmpty()) {
      throw new AssertionError("the engine logged errors: " + ERRORS + "; calls: " + outcomes);
    }
  }

  private static MqttConfig config(BrokerScript script) {
    MqttConfig.Builder b =
        MqttConfig.builder()
            .operationTimeout(OPERATION_TIMEOUT)
            .connectTimeout(CONNECT_TIMEOUT)
            .autoReconnect(script.autoReconnect())
            .reconnectRetries(1)
            .reconnectMinInterval(Duration.ofMillis(10))
            .reconnectMaxInterval(Duration.ofMillis(20))
            .reconnectJitter(0)
            .protocolVersion(script.mqtt31() ? 3 : 4);
    if (script.keepAlive()) {
      b.keepAlive(Duration.ofSeconds(1)).pingDelay(Duration.ofMillis(500));
    } else {
      b.keepAlive(Duration.ZERO);
    }
    if (script.smallMaxPacketSize()) {
      b.maxPacketSize(64);
    }
    return b.build();
  }

  private static List<Integer> checkCodes(List<Integer> codes) {
    if (codes.size() != 2 || !codes.stream().allMatch(c -> c <= 2 || c == 0x80)) {
      throw new AssertionError("subscribe to two filters returned " + codes);
    }
    return codes;
  }

  private static String checkMessage(Message m) {
    if (m.topic().isEmpty() || m.topic().contains("+") || m.topic().contains("#")) {
      throw new AssertionError("deliverMessage returned a message with topic '" + m.topic() + "'");
    }
    return "Message[" + m.topic() + ", QoS " + m.qos().value() + "]";
  }

  /** Runs each call on a virtual thread of its own, bounded, and records what it gave. */
  private record Calls(List<String> outcomes, Duration margin) {
    void run(String name, Duration bound, Callable<?> call) throws InterruptedException {
      CompletableFuture<Object> outcome = new CompletableFuture<>();
      Thread.ofVirtual()
          .name("fuzz-call-" + name)
          .start(
              () -> {
                try {
                  outcome.complete(call.call());
                } catch (Throwable t) {
                  outcome.completeExceptionally(t);
                }
              });
      long limit = bound.plus(margin).toNanos();
      long start = System.nanoTime();
      try {
        Object result = outcome.get(limit, TimeUnit.NANOSECONDS);
        outcomes.add(name + " -> " + result);
      } catch (TimeoutException e) {
        throw new AssertionError(
            name
                + " did not end within "
                + bound.toMillis()
                + " ms + a margin of "
                + margin.toMillis()
                + " ms; before it: "
                + outcomes);
      } catch (ExecutionException e) {
        Throwable failure = e.getCause();
        long ms = (System.nanoTime() - start) / 1_000_000;
        outcomes.add(name + " threw " + failure + " after " + ms + " ms");
        boolean documented =
            failure instanceof MqttException
                || (name.equals("deliverMessage") && failure instanceof TimeoutException);
        if (!documented || !causesDocumented(failure)) {
          throw new AssertionError(
              name + " threw an undocumented exception; calls: " + outcomes, failure);
        }
      }
    }
  }

  /**
   * Causes down to a ProtocolException (which wraps what the decoder found) are I/O errors, MQTT
   * exceptions or timeouts.
   */
  private static boolean causesDocumented(Throwable failure) {
    for (Throwable c = failure.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c instanceof ProtocolException) {
        return true;
      }
      if (!(c instanceof IOException
          || c instanceof MqttException
          || c instanceof TimeoutException)) {
        return false;
      }
    }
    return true;
  }

  private interface Action {
    void run() throws Exception;
  }

  private static String nothing(Action action) throws Exception {
    action.run();
    return "returned";
  }

  /** Waits until no thread whose name starts with {@code vmqtt-} is alive. */
  private static void awaitNoThreadsLeft(String clientId, List<String> outcomes)
      throws IOException {
    try {
      await()
          .pollInSameThread()
          .pollInterval(Duration.ofMillis(10))
          .atMost(THREADS_GONE)
          .until(() -> vmqttThreads().isEmpty());
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "threads left "
              + THREADS_GONE.toMillis()
              + " ms after closing client "
              + clientId
              + ": "
              + vmqttThreads()
              + "; calls: "
              + outcomes);
    }
  }

  /** The live threads named {@code vmqtt-*}, virtual ones included, from a JSON thread dump. */
  private static List<String> vmqttThreads() throws IOException {
    Path file = DUMPS.resolve("threads-" + System.nanoTime() + ".json");
    ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
        .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
    try {
      return THREAD_NAME
          .matcher(Files.readString(file))
          .results()
          .map(m -> m.group(1))
          .filter(name -> name.startsWith("vmqtt-"))
          .toList();
    } finally {
      Files.delete(file);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean isTrue(String value) {
    return value != null && List.of("1", "true", "yes").contains(value.toLowerCase());
  }

  private static String stackTrace(Throwable t) {
    java.io.StringWriter out = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }
}
