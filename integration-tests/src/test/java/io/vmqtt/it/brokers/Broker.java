package io.vmqtt.it.brokers;

import io.vmqtt.testkit.TestBroker;
import java.util.Set;

/**
 * A broker started for tests, whatever its kind: a child process on free ports with a config
 * written for it ({@link Mosquitto}, {@link NatsServer}, {@link RabbitMq}) or in this JVM ({@link
 * Moquette}, {@link HiveMq}). Every broker has a plain MQTT listener named {@value #MQTT} on {@code
 * 127.0.0.1}; some can have more (see {@link #listeners()}).
 *
 * <pre>{@code
 * try (Broker broker = NatsServer.builder().user("alice", "s3cret").start()) {
 *   client.connect(broker.uri());    // mqtt://127.0.0.1:<port>
 *   broker.product();                // "NATS server"
 *   broker.version();                // "2.9.10", as the running broker reports it
 *   broker.capabilities().maximumQos();
 * }
 * }</pre>
 *
 * <p>It is a testkit {@link TestBroker} ({@link TestBroker.Kind#PROCESS PROCESS} or {@link
 * TestBroker.Kind#EMBEDDED EMBEDDED}) that also says what it is and what it supports.
 *
 * <p>A broker holds no test logic: what a broker does differently from the specification is
 * asserted by the tests, not hidden here. Implementations are not thread-safe for start and close;
 * the accessors may be called from any thread.
 */
public interface Broker extends TestBroker {
  /** The name of the plain MQTT listener every broker has. */
  String MQTT = "mqtt";

  /** The product, e.g. {@code mosquitto}, {@code RabbitMQ}, {@code HiveMQ CE}. */
  String product();

  /** The version of the running broker, as the broker itself reports it, e.g. {@code 2.0.11}. */
  String version();

  /** The address every listener binds: {@code 127.0.0.1}. */
  @Override
  default String host() {
    return "127.0.0.1";
  }

  /** The port of the plain MQTT listener. */
  @Override
  default int port() {
    return port(MQTT);
  }

  /** {@code mqtt://127.0.0.1:<port>} of the plain MQTT listener. */
  @Override
  default String uri() {
    return uri(MQTT);
  }

  /** The names of the broker's listeners; {@value #MQTT} is always one of them. */
  Set<String> listeners();

  /**
   * The port of a listener.
   *
   * @throws IllegalArgumentException when the broker has no listener of that name
   */
  int port(String listener);

  /**
   * The URI a client connects to for a listener, e.g. {@code ws://127.0.0.1:<port>/mqtt}.
   *
   * @throws IllegalArgumentException when the broker has no listener of that name
   */
  String uri(String listener);

  /** What the broker supports, as its documentation and configuration say. */
  Capabilities capabilities();

  /** The last lines of the broker's log and output, for failure messages; never null. */
  String logTail();

  /** Stops the broker, closing every client connection, and deletes its files. Idempotent. */
  @Override
  void close();
}
