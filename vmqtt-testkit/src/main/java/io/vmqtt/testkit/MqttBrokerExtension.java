package io.vmqtt.testkit;

import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A JUnit 5 extension that gives tests a running MQTT broker, clients connected to it, and message
 * recorders; the clients and recorders are closed after the test that made them (or after the
 * class, when made in {@code @BeforeAll}), the broker after the class (or after each test with
 * {@link #perTest()}). The broker starts on first use: a parameter, {@link #broker()}, {@link
 * #client()} or {@link #recorder}.
 *
 * <pre>{@code
 * class AlarmTest {
 *   @RegisterExtension
 *   static final MqttBrokerExtension mqtt =
 *       MqttBrokerExtension.mosquitto(broker -> broker.user("alarm", "s3cret").tls());
 *
 *   @Test
 *   void raisesTheAlarm() throws Exception {
 *     MessageRecorder alarms = mqtt.recorder("alarms/#");
 *     new AlarmService(mqtt.broker().uri(MosquittoBroker.TLS)).trigger("door");
 *     assertThat(alarms).receivedOn("alarms/door").payloadAsString().isEqualTo("open");
 *   }
 *
 *   @Test
 *   void parametersWorkToo(MosquittoBroker broker, MqttClient client) { ... }
 * }
 * }</pre>
 *
 * <p>Parameters it fills in, in test, {@code @BeforeEach} and {@code @BeforeAll} methods: {@link
 * TestBroker} or the broker's own class ({@link EmbeddedBroker}, {@link MosquittoBroker}, {@code
 * ContainerBroker}); {@code MqttClient}, a client connected to the broker with a generated id, one
 * per parameter; {@link MessageRecorder}, a recorder with a client of its own and no subscription
 * yet. When a test fails, the broker's {@link TestBroker#logTail() log tail} is attached to the
 * failure. {@link MqttBrokerTest @MqttBrokerTest} registers it for a class with a broker of the
 * default configuration.
 *
 * <p>Thread-safe: test classes and methods may run in parallel; {@link #broker()}, {@link
 * #client()} and {@link #recorder} refer to the test running on the calling thread.
 */
public class MqttBrokerExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver,
        TestExecutionExceptionHandler {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(MqttBrokerExtension.class);

  /** Starts the broker; null for {@code @MqttBrokerTest}, which configures it. */
  private final Supplier<? extends TestBroker> starter;

  private final boolean perTest;

  /** The extension context of the class or test running on each thread. */
  private final ThreadLocal<ExtensionContext> current = new ThreadLocal<>();

  /** The class context, for calls from threads a test started itself. */
  private volatile ExtensionContext classContext;

  /** For {@code @MqttBrokerTest} and {@code @ExtendWith}: the broker the annotation describes. */
  public MqttBrokerExtension() {
    this(null, false);
  }

  /**
   * An extension whose broker {@code starter} starts, e.g. for a broker kind of your own.
   *
   * @param starter starts the broker, once per class or test
   * @param perTest whether each test gets a broker of its own
   */
  protected MqttBrokerExtension(Supplier<? extends TestBroker> starter, boolean perTest) {
    this.starter = starter;
    this.perTest = perTest;
  }

  /** An embedded Moquette broker, anonymous, MQTT listener only. */
  public static MqttBrokerExtension embedded() {
    return embedded(builder -> {});
  }

  /** An embedded Moquette broker configured by {@code configuration}, e.g. with users. */
  public static MqttBrokerExtension embedded(Consumer<EmbeddedBroker.Builder> configuration) {
    Objects.requireNonNull(configuration, "configuration");
    return new MqttBrokerExtension(
        () -> {
          EmbeddedBroker.Builder builder = EmbeddedBroker.builder();
          configuration.accept(builder);
          return builder.start();
        },
        false);
  }

  /** A mosquitto child process with the default configuration. */
  public static MqttBrokerExtension mosquitto() {
    return mosquitto(builder -> {});
  }

  /** A mosquitto child process configured by {@code configuration}: users, TLS, listeners... */
  public static MqttBrokerExtension mosquitto(Consumer<MosquittoBroker.Builder> configuration) {
    Objects.requireNonNull(configuration, "configuration");
    return new MqttBrokerExtension(
        () -> {
          MosquittoBroker.Builder builder = MosquittoBroker.builder();
          configuration.accept(builder);
          return builder.start();
        },
        false);
  }

  /**
   * Any broker, e.g. a container: {@code MqttBrokerExtension.of(() -> ContainerBroker.start(new
   * MosquittoContainer()))}.
   */
  public static MqttBrokerExtension of(Supplier<? extends TestBroker> starter) {
    return new MqttBrokerExtension(Objects.requireNonNull(starter, "starter"), false);
  }

  /** The same broker configuration, one broker per test instead of one per class. */
  public MqttBrokerExtension perTest() {
    if (starter == null) {
      throw new IllegalStateException("use @MqttBrokerTest(perTest = true) for this extension");
    }
    return new MqttBrokerExtension(starter, true);
  }

  /**
   * The broker of the test (or class) running on this thread, started on first use.
   *
   * @throws IllegalStateException outside a test of a class that uses this extension
   */
  public TestBroker broker() {
    return broker(context());
  }

  /**
   * The broker, as its own class, e.g. {@code mqtt.broker(MosquittoBroker.class).uri("tls")}.
   *
   * @throws IllegalStateException when the broker is of another class
   */
  public <B extends TestBroker> B broker(Class<B> type) {
    TestBroker broker = broker();
    if (!type.isInstance(broker)) {
      throw new IllegalStateException(
          "the broker is a "
              + broker.getClass().getSimpleName()
              + ", not a "
              + type.getSimpleName());
    }
    return type.cast(broker);
  }

  /** {@code broker().uri()}: where clients connect, {@code mqtt://host:port}. */
  public String uri() {
    return broker().uri();
  }

  /**
   * A client connected to the broker, with a generated client id and the default configuration;
   * closed after the test.
   *
   * @throws InterruptedException when interrupted while connecting
   */
  public MqttClient client() throws InterruptedException {
    return client(MqttClient.generateClientId(), MqttConfig.defaults());
  }

  /**
   * A client with this id and configuration connected to the broker's {@link TestBroker#uri()};
   * closed after the test.
   *
   * @throws io.vmqtt.ConnectException when the broker refuses or cannot be reached
   * @throws InterruptedException when interrupted while connecting
   */
  public MqttClient client(String clientId, MqttConfig config) throws InterruptedException {
    ExtensionContext context = context();
    MqttClient client = MqttClient.create(clientId, config);
    resources(context).add(client);
    client.connect(broker(context).uri());
    return client;
  }

  /**
   * A recorder subscribed to these filters (QoS 2), with a client of its own; closed after the
   * test. See {@link MessageRecorder}.
   *
   * @throws InterruptedException when interrupted while connecting or subscribing
   */
  public MessageRecorder recorder(String... filters) throws InterruptedException {
    ExtensionContext context = context();
    MessageRecorder recorder = MessageRecorder.connect(broker(context));
    resources(context).add(recorder);
    if (filters.length > 0) {
      recorder.subscribe(filters);
    }
    return recorder;
  }

  // --- JUnit callbacks ------------------------------------------------------------------------

  @Override
  public void beforeAll(ExtensionContext context) {
    classContext = context;
    current.set(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (classContext == null) {
      classContext = classContextOf(context);
    }
    current.set(context);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      closeResources(context);
    } finally {
      current.set(classContext);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      closeResources(context);
    } finally {
      current.remove();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return TestBroker.class.isAssignableFrom(type)
        || type == MqttClient.class
        || type == MessageRecorder.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    try {
      if (type == MqttClient.class) {
        MqttClient client = MqttClient.create(MqttClient.generateClientId(), MqttConfig.defaults());
        resources(context).add(client);
        client.connect(broker(context).uri());
        return client;
      }
      if (type == MessageRecorder.class) {
        MessageRecorder recorder = MessageRecorder.connect(broker(context));
        resources(context).add(recorder);
        return recorder;
      }
      TestBroker broker = broker(context);
      if (!type.isInstance(broker)) {
        throw new ParameterResolutionException(
            "parameter "
                + parameter.getParameter()
                + " asks for a "
                + type.getSimpleName()
                + ", but the broker is a "
                + broker.getClass().getSimpleName()
                + "; ask for a TestBroker, or configure that kind");
      }
      return broker;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ParameterResolutionException("interrupted while connecting a client", e);
    }
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    Optional.ofNullable(runningBroker(context))
        .ifPresent(broker -> failure.addSuppressed(new BrokerLog(broker)));
    throw failure;
  }

  // --- helpers --------------------------------------------------------------------------------

  private ExtensionContext context() {
    ExtensionContext context = current.get();
    if (context == null) {
      context = classContext;
    }
    if (context == null) {
      throw new IllegalStateException(
          "no test is running with this extension: register it with @RegisterExtension (or use"
              + " @MqttBrokerTest) and call it from a test or a @BeforeAll/@BeforeEach method");
    }
    return context;
  }

  private String key() {
    return "broker@" + System.identityHashCode(this);
  }

  /** The context that owns the broker: the test's when per test, else the class's. */
  private ExtensionContext owner(ExtensionContext context) {
    if (!perTest(context)) {
      return classContextOf(context);
    }
    if (context.getTestMethod().isEmpty()) {
      throw new IllegalStateException(
          "this extension starts a broker per test: use it in a test or @BeforeEach method, not in"
              + " @BeforeAll");
    }
    return context;
  }

  private TestBroker broker(ExtensionContext context) {
    ExtensionContext owner = owner(context);
    return owner
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(key(), k -> new Running(start(owner)), Running.class)
        .broker();
  }

  private TestBroker runningBroker(ExtensionContext context) {
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      Running running = c.getStore(NAMESPACE).get(key(), Running.class);
      if (running != null) {
        return running.broker();
      }
    }
    return null;
  }

  private boolean perTest(ExtensionContext context) {
    return starter != null
        ? perTest
        : annotation(context).map(MqttBrokerTest::perTest).orElse(false);
  }

  private TestBroker start(ExtensionContext context) {
    if (starter != null) {
      return Objects.requireNonNull(starter.get(), "the broker starter returned null");
    }
    MqttBrokerTest settings =
        annotation(context)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "MqttBrokerExtension without a broker: annotate the class with"
                            + " @MqttBrokerTest, or register MqttBrokerExtension.embedded(),"
                            + " .mosquitto() or .of(...) with @RegisterExtension"));
    return switch (settings.kind()) {
      case EMBEDDED -> EmbeddedBroker.start();
      case PROCESS -> MosquittoBroker.start();
      case CONTAINER -> {
        try {
          yield ContainerKind.start(settings.image());
        } catch (NoClassDefFoundError e) {
          throw new IllegalStateException(
              "the container kind needs Testcontainers on the test class path: add"
                  + " org.testcontainers:testcontainers (2.0.5) with test scope",
              e);
        }
      }
    };
  }

  private static Optional<MqttBrokerTest> annotation(ExtensionContext context) {
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      Optional<MqttBrokerTest> found =
          c.getTestClass()
              .flatMap(type -> AnnotationSupport.findAnnotation(type, MqttBrokerTest.class));
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static ExtensionContext classContextOf(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  private Resources resources(ExtensionContext context) {
    ExtensionContext scope =
        context.getTestMethod().isPresent() ? context : classContextOf(context);
    return scope
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "resources@" + System.identityHashCode(this), k -> new Resources(), Resources.class);
  }

  private void closeResources(ExtensionContext context) throws Exception {
    Resources resources =
        context
            .getStore(NAMESPACE)
            .remove("resources@" + System.identityHashCode(this), Resources.class);
    if (resources != null) {
      resources.close();
    }
  }

  /** A started broker, closed with the context that owns it. */
  private record Running(TestBroker broker) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      broker.close();
    }
  }

  /** Clients and recorders of one test or class, closed in reverse order. Thread-safe. */
  private static final class Resources implements ExtensionContext.Store.CloseableResource {
    private final ReentrantLock lock = new ReentrantLock();

    /** Guarded by {@link #lock}. */
    private final List<AutoCloseable> open = new ArrayList<>();

    void add(AutoCloseable resource) {
      lock.lock();
      try {
        open.add(resource);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() throws Exception {
      List<AutoCloseable> toClose;
      lock.lock();
      try {
        toClose = new ArrayList<>(open);
        open.clear();
      } finally {
        lock.unlock();
      }
      Exception first = null;
      for (int i = toClose.size() - 1; i >= 0; i--) {
        try {
          toClose.get(i).close();
        } catch (Exception e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }

  /** The broker's log tail, attached to a failed test. */
  static final class BrokerLog extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BrokerLog(TestBroker broker) {
      super(broker + " at the time of the failure:\n" + broker.logTail(), null, false, false);
    }
  }
}
