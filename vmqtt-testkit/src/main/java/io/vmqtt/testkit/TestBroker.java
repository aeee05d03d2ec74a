package io.vmqtt.testkit;

/**
 * A running MQTT broker for a test, whatever kind it is: {@linkplain EmbeddedBroker embedded}
 * (Moquette in this JVM), {@linkplain MosquittoBroker process} (a mosquitto child process) or
 * container (a Testcontainers container, {@code io.vmqtt.testkit.container.ContainerBroker}).
 *
 * <pre>{@code
 * try (TestBroker broker = EmbeddedBroker.start();
 *     MqttClient client = MqttClient.create("sensor-7")) {
 *   client.connect(broker.uri());               // mqtt://127.0.0.1:<port>
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe: tests running in parallel may share one broker and call its
 * accessors at any time.
 */
public interface TestBroker extends AutoCloseable {

  /** What runs the broker. */
  enum Kind {
    /** Moquette in the test's own JVM: nothing to install; MQTT 3.1.1. */
    EMBEDDED,
    /** A mosquitto child process with a config written for it. */
    PROCESS,
    /** A container started through Testcontainers (Docker). */
    CONTAINER
  }

  /** What runs this broker. */
  Kind kind();

  /** The host name or address clients connect to, e.g. {@code 127.0.0.1}. */
  String host();

  /** The port of the plain MQTT listener. */
  int port();

  /** The URI of the plain MQTT listener, {@code mqtt://<host>:<port>}, for {@code connect}. */
  default String uri() {
    String host = host();
    return "mqtt://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port();
  }

  /** Whether the broker is running (it may still refuse a client it does not accept). */
  boolean isRunning();

  /**
   * The broker's recent log lines, for failure messages (the extension attaches them to a failed
   * test); a note saying there is none when the broker keeps no log of its own.
   */
  default String logTail() {
    return "(" + kind().name().toLowerCase(java.util.Locale.ROOT) + " broker: no log)";
  }

  /**
   * Stops the broker and frees what it holds (process, threads, container, files). Connected
   * clients see their connections close. Idempotent.
   */
  @Override
  void close();
}
