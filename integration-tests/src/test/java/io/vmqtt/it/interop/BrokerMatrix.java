package io.vmqtt.it.interop;

import io.vmqtt.it.brokers.Broker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The brokers of the compatibility matrix, started on first use and shared by every test of the run
 * (RabbitMQ alone takes 10 to 20 s to start), then stopped when the whole run ends, when the {@link
 * CompatibilityReport} is written too.
 *
 * <pre>{@code
 * @RegisterExtension static final BrokerMatrix matrix = new BrokerMatrix();
 *
 * @ParameterizedTest(name = "{0}")
 * @EnumSource(BrokerKind.class)
 * void something(BrokerKind kind) {
 *   Broker broker = matrix.broker(kind);   // skipped with the reason when it is not installed
 * }
 * }</pre>
 *
 * <p>A broker that is not installed makes its tests skip with the reason; a broker that is
 * installed but fails to start makes each of its tests fail with the first failure (it is not
 * retried). A failing test gets the log tail of each broker it used attached.
 *
 * <p>Thread-safe: one lock guards the started brokers.
 */
public final class BrokerMatrix
    implements BeforeAllCallback, BeforeEachCallback, TestExecutionExceptionHandler {
  /**
   * The JUnit tag of the matrix's test classes: Maven runs them only with {@code -Pbroker-matrix}
   * (see the README, "Broker compatibility"), in a surefire execution of their own.
   */
  public static final String TAG = "broker-matrix";

  /**
   * Runs the matrix against some brokers only, e.g. {@code -Dvmqtt.matrix.brokers=rabbitmq,nats}
   * (the names of {@link BrokerKind}); the others' tests are skipped.
   */
  public static final String SELECTION_PROPERTY = "vmqtt.matrix.brokers";

  private static final Logger LOG = LoggerFactory.getLogger(BrokerMatrix.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(BrokerMatrix.class);

  private static final ReentrantLock LOCK = new ReentrantLock();
  private static final Map<BrokerKind, Broker> STARTED = new EnumMap<>(BrokerKind.class);
  private static final Map<BrokerKind, RuntimeException> FAILED = new EnumMap<>(BrokerKind.class);
  private static final ThreadLocal<List<Broker>> USED_BY_TEST =
      ThreadLocal.withInitial(ArrayList::new);

  /**
   * The running broker of this kind, started now if it is the first use.
   *
   * @throws org.opentest4j.TestAbortedException when it is not installed (the test is skipped)
   * @throws IllegalStateException when it did not start, now or on an earlier attempt
   */
  public Broker broker(BrokerKind kind) {
    String selected = System.getProperty(SELECTION_PROPERTY, "").trim();
    if (!selected.isEmpty()
        && Arrays.stream(selected.split(","))
            .noneMatch(k -> k.trim().equalsIgnoreCase(kind.name()))) {
      Assumptions.abort(kind + " is not selected by -D" + SELECTION_PROPERTY + "=" + selected);
    }
    kind.unavailable().ifPresent(reason -> Assumptions.abort(reason));
    LOCK.lock();
    try {
      RuntimeException failure = FAILED.get(kind);
      if (failure != null) {
        throw new IllegalStateException(kind + " did not start (see the first failure)", failure);
      }
      Broker broker = STARTED.get(kind);
      if (broker == null) {
        long start = System.nanoTime();
        try {
          broker = kind.start();
        } catch (RuntimeException e) {
          FAILED.put(kind, e);
          throw e;
        }
        LOG.info(
            "broker matrix: {} {} started in {} ms on {}",
            broker.product(),
            broker.version(),
            (System.nanoTime() - start) / 1_000_000,
            broker.uri());
        STARTED.put(kind, broker);
        CompatibilityReport.version(kind, broker.version());
      }
      USED_BY_TEST.get().add(broker);
      return broker;
    } finally {
      LOCK.unlock();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // Closed by JUnit when the whole run ends, after the last test class.
    context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Shutdown.class, key -> new Shutdown(), Shutdown.class);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    USED_BY_TEST.get().clear();
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    for (Broker broker : USED_BY_TEST.get()) {
      failure.addSuppressed(new BrokerLog(broker));
    }
    throw failure;
  }

  /** Stops every broker and writes the report, once, at the end of the run. */
  private static final class Shutdown implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      LOCK.lock();
      try {
        CompatibilityReport.write();
        for (Broker broker : STARTED.values()) {
          try {
            broker.close();
          } catch (RuntimeException e) {
            LOG.warn("broker matrix: {} did not stop cleanly", broker.product(), e);
          }
        }
        STARTED.clear();
      } finally {
        LOCK.unlock();
      }
    }
  }

  /** A broker's log tail, attached to a failed test. */
  static final class BrokerLog extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BrokerLog(Broker broker) {
      super(
          broker.product()
              + " "
              + broker.version()
              + " at the time of the failure:\n"
              + broker.logTail(),
          null,
          false,
          false);
    }
  }
}
