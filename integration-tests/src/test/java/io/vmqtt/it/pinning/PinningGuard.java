package io.vmqtt.it.pinning;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class when a virtual thread pinned its carrier while the class ran: the README's
 * promise that the engine never holds a platform thread while it blocks. A {@link PinningRecorder}
 * runs from before the class's first test to after its last; then every pin not excused by name
 * (BouncyCastle's TLS) fails the class, each with its thread, duration, reason and stack. One
 * recording per class, not per test: stopping a JFR stream (which flushes it) takes a few hundred
 * milliseconds. Excused pins (BouncyCastle's TLS; waits for another thread's class initialization,
 * see {@link PinningRecorder#excuse}) are logged, not failed.
 *
 * <p>Registered for the whole module by {@code junit-platform.properties} (extension
 * auto-detection) and {@code META-INF/services/org.junit.jupiter.api.extension.Extension}; it
 * guards every top-level test class under {@code io.vmqtt.it} (the mosquitto suites in {@code
 * io.vmqtt.it} and {@code io.vmqtt.it.resilience}, the fake-broker suite in {@code
 * io.vmqtt.it.fake}, and whatever is added there), except the fixtures' own tests ({@code
 * io.vmqtt.it.fixture}) and classes marked {@link WithoutPinningGuard}. Pins of threads a class
 * left running into the next class count for the next one: the stack says whose they are.
 *
 * <p>Every pin counts, however short ({@link Duration#ZERO} threshold): a carrier held for any time
 * while blocking is what the engine promises not to do.
 */
public final class PinningGuard implements BeforeAllCallback, AfterAllCallback {
  private static final Logger log = LoggerFactory.getLogger(PinningGuard.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PinningGuard.class);

  /** The shortest pin that fails a class. */
  static final Duration THRESHOLD = Duration.ZERO;

  /** Whether the guard records around {@code testClass}. */
  static boolean guards(Class<?> testClass) {
    String pkg = testClass.getPackageName();
    return (pkg.equals("io.vmqtt.it") || pkg.startsWith("io.vmqtt.it."))
        && !pkg.equals("io.vmqtt.it.fixture")
        && !testClass.isAnnotationPresent(Nested.class)
        && !testClass.isAnnotationPresent(WithoutPinningGuard.class);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (guards(context.getRequiredTestClass())) {
      long starting = System.nanoTime();
      PinningRecorder recorder = PinningRecorder.start(THRESHOLD, PinningRecorder.EXCUSED);
      context
          .getStore(NAMESPACE)
          .put(
              Recording.class, new Recording(recorder, (System.nanoTime() - starting) / 1_000_000));
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Recording recording = context.getStore(NAMESPACE).remove(Recording.class, Recording.class);
    if (recording == null) {
      return;
    }
    long stopping = System.nanoTime();
    PinningRecorder.Result result = recording.recorder().stop();
    String testClass = context.getRequiredTestClass().getSimpleName();
    log.debug(
        "{}: the pinning recording took {} ms to start and {} ms to stop",
        testClass,
        recording.startMillis(),
        (System.nanoTime() - stopping) / 1_000_000);
    for (PinningRecorder.Pin pin : result.excused()) {
      log.info(
          "{}: excused ({}): {}",
          testClass,
          PinningRecorder.excuse(pin, PinningRecorder.EXCUSED).orElse("?"),
          pin.describe());
    }
    if (!result.pins().isEmpty()) {
      throw new AssertionError(
          "a virtual thread pinned its carrier "
              + result.pins().size()
              + " time(s) while "
              + testClass
              + " ran (JFR "
              + PinningRecorder.EVENT
              + "; the engine must not block while pinned):"
              + result.describePins());
    }
  }

  /** The recorder of one class; closed by JUnit should {@link #afterAll} not run. */
  private record Recording(PinningRecorder recorder, long startMillis)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      recorder.close();
    }
  }
}
