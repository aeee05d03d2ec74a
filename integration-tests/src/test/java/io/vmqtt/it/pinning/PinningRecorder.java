package io.vmqtt.it.pinning;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

/**
 * Records the JFR event {@code jdk.VirtualThreadPinned} in this JVM while it runs: each time a
 * virtual thread had to block (park, sleep, wait for IO) while it could not leave its carrier, and
 * so held a platform thread for that long. A pin is <em>excused</em> when a frame of its stack
 * belongs to a class whose name starts with one of the excused prefixes (BouncyCastle's TLS, which
 * the README documents as pinning on Java 21), or when it waits for another thread to initialize a
 * class or meets a monitor inside a critical section of the JDK (see {@link #excuse}); every other
 * pin is reported.
 *
 * <p>What pins depends on the JDK running the tests: on Java 21 to 23, a virtual thread blocking
 * inside {@code synchronized} or with a native or VM frame on its stack (a class initializer, a
 * native call back into Java); from Java 24 on (JEP 491), {@code synchronized} no longer pins, so
 * only the native and VM frames remain. {@code NoSynchronizedInLibraryCodeTest} covers {@code
 * synchronized} on every JDK.
 *
 * <pre>{@code
 * PinningRecorder recorder = PinningRecorder.start(Duration.ZERO, PinningRecorder.EXCUSED);
 * ... run the code ...
 * PinningRecorder.Result result = recorder.stop();   // every event up to now delivered
 * assertThat(result.pins()).isEmpty();
 * }</pre>
 *
 * <p>Thread-safe: JFR delivers events on its own thread; {@link #stop()} may be called from any
 * thread, and once.
 */
public final class PinningRecorder implements AutoCloseable {
  /** The JFR event. */
  public static final String EVENT = "jdk.VirtualThreadPinned";

  /** Frames that excuse a pin: BouncyCastle's TLS writes under a monitor (see the README). */
  public static final List<String> EXCUSED = List.of("org.bouncycastle.");

  /** How Java 24+ starts the reason of a pin that waits for another thread's class init. */
  private static final String CLASS_INIT_WAIT = "Waited for initialization of ";

  /**
   * The reason Java 24+ gives when a contended monitor could not unmount the thread because it was
   * in a critical section (freeze result 2, {@code Continuation.Pinned.CRITICAL_SECTION}).
   */
  private static final String JDK_CRITICAL_SECTION = "Freeze or preempt failed (2)";

  /**
   * How Java 24+ starts the reason of a pin inside a class initializer: "VM call to C.<clinit>".
   */
  private static final String VM_CALL = "VM call to ";

  private static final String CLASS_INITIALIZER = ".<clinit>";

  /** Our packages: a pin in one of our class initializers is never excused. */
  private static final String OURS = "io.vmqtt.";

  /** The frames of a pin that its description shows, from the top. */
  private static final int FRAMES_SHOWN = 30;

  private final List<String> excusedPrefixes;
  private final RecordingStream stream = new RecordingStream();
  private final List<Pin> pins = new CopyOnWriteArrayList<>();
  private final List<Pin> excused = new CopyOnWriteArrayList<>();
  private final AtomicBoolean stopped = new AtomicBoolean();

  private PinningRecorder(List<String> excusedPrefixes) {
    this.excusedPrefixes = List.copyOf(excusedPrefixes);
  }

  /**
   * Starts recording.
   *
   * @param threshold the shortest pin recorded ({@link Duration#ZERO}: every pin)
   * @param excusedPrefixes class name prefixes whose frames excuse a pin
   */
  public static PinningRecorder start(Duration threshold, List<String> excusedPrefixes) {
    Objects.requireNonNull(threshold, "threshold");
    PinningRecorder recorder = new PinningRecorder(excusedPrefixes);
    recorder.stream.enable(EVENT).withThreshold(threshold).withStackTrace();
    recorder.stream.onEvent(EVENT, recorder::onPinned);
    recorder.stream.startAsync();
    return recorder;
  }

  private void onPinned(RecordedEvent event) {
    Pin pin = Pin.of(event);
    (excuse(pin, excusedPrefixes).isPresent() ? excused : pins).add(pin);
  }

  /**
   * Why a pin is excused, if it is: a frame of a class with one of {@code excusedPrefixes}; or a
   * pin that only the JDK's internals cause (Java 24+ names the reason): a wait for another thread
   * to initialize a class, as every virtual thread that reads a socket while the JDK initializes
   * its I/O poller at first use does; or a contended monitor met inside a JDK critical section
   * ({@code jdk.internal.vm.Continuation.Pinned.CRITICAL_SECTION}, which only JDK code can enter,
   * e.g. while loading a class); or a library's class initializer (see {@link
   * #isLibraryClassInitializer}). None is code of ours: an initializer of ours that blocks is
   * reported by its own pin, and {@code synchronized} is kept out of our sources by {@code
   * NoSynchronizedInLibraryCodeTest}.
   */
  static Optional<String> excuse(Pin pin, List<String> excusedPrefixes) {
    for (String frame : pin.frames()) {
      for (String prefix : excusedPrefixes) {
        if (frame.startsWith(prefix)) {
          return Optional.of("a frame of " + prefix + "*");
        }
      }
    }
    if (pin.reason().startsWith(CLASS_INIT_WAIT)) {
      return Optional.of("a wait for another thread's class initialization");
    }
    if (pin.reason().equals(JDK_CRITICAL_SECTION)) {
      return Optional.of("inside a critical section of the JDK");
    }
    if (isLibraryClassInitializer(pin.reason())) {
      return Optional.of("inside a library's class initializer, which runs once per JVM");
    }
    return Optional.empty();
  }

  /**
   * Whether Java 24+ says the pin happened inside the static initializer of a class not ours: the
   * JVM cannot unmount a thread that runs {@code <clinit>}, so when a library's initializer meets a
   * monitor another thread holds (Java-WebSocket's {@code CloseHandshakeType} did, as two
   * connections closed at once), the carrier is pinned, once per class and JVM. A blocking
   * initializer of ours is still reported.
   */
  private static boolean isLibraryClassInitializer(String reason) {
    return reason.startsWith(VM_CALL)
        && reason.contains(CLASS_INITIALIZER)
        && !reason.startsWith(OURS, VM_CALL.length());
  }

  /**
   * Stops recording, once every event recorded so far has been delivered, and returns what was
   * recorded.
   *
   * @throws IllegalStateException when already stopped
   */
  public Result stop() {
    if (!stopped.compareAndSet(false, true)) {
      throw new IllegalStateException("the pinning recorder was already stopped");
    }
    try {
      stream.stop(); // Flushes: the events up to now reach onPinned before it returns.
    } finally {
      stream.close();
    }
    return new Result(List.copyOf(pins), List.copyOf(excused));
  }

  /** Stops without a result, unless stopped already. */
  @Override
  public void close() {
    if (stopped.compareAndSet(false, true)) {
      stream.close();
    }
  }

  /**
   * What a recording saw.
   *
   * @param pins the pins not excused, in the order they were delivered
   * @param excused the pins excused by a frame
   */
  public record Result(List<Pin> pins, List<Pin> excused) {
    /** The pins, one description each, for a failure message. */
    public String describePins() {
      StringBuilder text = new StringBuilder();
      for (Pin pin : pins) {
        text.append("\n").append(pin.describe());
      }
      return text.toString();
    }
  }

  /**
   * One {@code jdk.VirtualThreadPinned} event.
   *
   * @param thread the virtual thread that was pinned
   * @param duration how long it held its carrier
   * @param reason why it could not unmount (Java 24+; "-" before)
   * @param blockingOperation what it blocked in (Java 24+; "-" before)
   * @param frames its stack from the top, as {@code class.method:line}
   */
  public record Pin(
      String thread,
      Duration duration,
      String reason,
      String blockingOperation,
      List<String> frames) {
    static Pin of(RecordedEvent event) {
      RecordedThread t = event.getThread("eventThread");
      String thread =
          t == null
              ? "?"
              : (t.getJavaName() == null || t.getJavaName().isEmpty()
                  ? "unnamed virtual thread #" + t.getJavaThreadId()
                  : t.getJavaName());
      List<String> frames = new ArrayList<>();
      RecordedStackTrace stack = event.getStackTrace();
      if (stack != null) {
        for (RecordedFrame f : stack.getFrames()) {
          if (f.getMethod() != null) {
            frames.add(
                f.getMethod().getType().getName()
                    + "."
                    + f.getMethod().getName()
                    + ":"
                    + f.getLineNumber());
          }
        }
      }
      return new Pin(
          thread,
          event.getDuration(),
          text(event, "pinnedReason"),
          text(event, "blockingOperation"),
          List.copyOf(frames));
    }

    private static String text(RecordedEvent event, String field) {
      if (!event.hasField(field)) {
        return "-";
      }
      String value = event.getString(field);
      return value == null ? "-" : value;
    }

    /** Thread, duration, reason and the top frames, on several lines. */
    public String describe() {
      StringBuilder text =
          new StringBuilder()
              .append("carrier pinned for ")
              .append(duration.toNanos() / 1_000)
              .append(" µs by ")
              .append(thread)
              .append(" (reason: ")
              .append(reason)
              .append("; blocked in: ")
              .append(blockingOperation)
              .append(")");
      frames.stream().limit(FRAMES_SHOWN).forEach(f -> text.append("\n    at ").append(f));
      if (frames.size() > FRAMES_SHOWN) {
        text.append("\n    ... ").append(frames.size() - FRAMES_SHOWN).append(" more");
      }
      return text.toString();
    }
  }
}
