package io.vmqtt.bench;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * What a scenario asks of an MQTT client, implemented once per client in its own idiom: vmqtt's
 * blocking calls on virtual threads, Paho's and HiveMQ's asynchronous APIs with a window, raw
 * sockets. Each method returns only when its work is done, so the caller's measurement window
 * covers all of it. One adapter is one connection.
 *
 * <p>Payloads of {@value #MARKER_LENGTH} byte mark the end of a stream in {@link #receive}: the
 * blaster sends one after its messages, so a receiver that lost messages still knows when to stop.
 */
interface ClientAdapter extends AutoCloseable {
  /** The length of an end-of-stream marker payload; measured payloads are longer. */
  int MARKER_LENGTH = 1;

  /**
   * The MQTT protocol level vmqtt and HiveMQ's client speak in this child: 4 (MQTT 3.1.1), or 5
   * with {@code ./bench --protocol 5}, which sets the system property. The raw client and Paho stay
   * at 3.1.1, the reference.
   */
  int PROTOCOL = Integer.getInteger(HarnessOptions.PROTOCOL_PROPERTY, 4);

  /**
   * The keep-alive, in seconds, that vmqtt, Paho and HiveMQ's client announce in CONNECT and keep:
   * 60, or what the scale curve sets with {@code -Dvmqtt.bench.keepAlive=N} to measure the CPU of
   * keeping idle connections alive. The raw client announces 60 and never pings.
   */
  int KEEP_ALIVE_SECONDS = Integer.getInteger(HarnessOptions.KEEP_ALIVE_PROPERTY, 60);

  /**
   * Connects with a clean session and keep-alive {@link #KEEP_ALIVE_SECONDS} (60 s but in the scale
   * curve).
   *
   * @param window the most QoS 1/2 flows the scenario keeps outstanding; 0 for the client's default
   *     limits
   */
  void connect(String host, int port, String clientId, int window) throws Exception;

  /**
   * Subscribes to one topic filter and returns on SUBACK.
   *
   * @param queued true when the messages will be taken one by one with {@link #takeMessage}
   *     (ping-pong), false when they will be counted with {@link #receive}; only clients with a
   *     callback API care
   */
  void subscribe(String topic, int qos, boolean queued) throws Exception;

  /**
   * Publishes one message and returns when its flow is complete: QoS 0 when handed to the client's
   * writer, QoS 1 on PUBACK, QoS 2 on PUBCOMP.
   */
  void publishBlocking(String topic, byte[] payload, int qos) throws Exception;

  /**
   * One publisher sends {@code count} QoS 0 messages as fast as the client lets it, and returns
   * when the client has handed every one to the socket (or to its writer, for a blocking client).
   */
  void publishBurst(String topic, byte[] payload, long count) throws Exception;

  /**
   * Publishes {@code count} messages with at most {@code window} outstanding at once, recording
   * each flow's latency; returns when every flow is complete.
   */
  void publishConcurrently(
      String topic, byte[] payload, int qos, long count, int window, LatencyRecorder latencies)
      throws Exception;

  /**
   * Publishes {@code count} messages the way a service on virtual threads does when each request
   * publishes one: every message is published by a new, short-lived virtual thread, in the client's
   * own idiom (see {@link RequestThreads}), with at most {@code window} outstanding; records each
   * flow's latency from the moment its thread is started; returns when every flow is complete.
   */
  void publishFromRequestThreads(
      String topic, byte[] payload, int qos, long count, int window, LatencyRecorder latencies)
      throws Exception;

  /**
   * Consumes messages of the subscription until {@code count} have arrived or an end marker does;
   * gives up after {@code idle} without a message.
   *
   * @return how many non-marker messages arrived, and when the last one did
   */
  Received receive(long count, Duration idle) throws Exception;

  /** The payload of the next message of the subscription. */
  byte[] takeMessage(Duration timeout) throws Exception, TimeoutException;

  /** Messages the client itself discarded (a full incoming queue); 0 where it never does. */
  default long droppedByClient() {
    return 0;
  }

  /**
   * Whether the connection is still up as far as the client knows: after an idle window, a client
   * whose keep-alive failed has been disconnected by the broker (after 1.5 × keep-alive) and has
   * seen the connection close.
   */
  boolean isConnected();

  /** Disconnects and releases everything; never throws. */
  @Override
  void close();

  /** How many messages {@link #receive} took, and the {@link System#nanoTime()} of the last. */
  record Received(long count, long lastNanos) {}

  /**
   * A new adapter for the client named {@code id}: raw, vmqtt, vmqtt-listener (vmqtt receiving
   * through a message listener), paho or hivemq; vmqtt and hivemq at {@link #PROTOCOL}.
   */
  static ClientAdapter create(String id) {
    return switch (id) {
      case "raw" -> new RawClient();
      case "vmqtt" -> new VmqttClientAdapter(false);
      case "vmqtt-listener" -> new VmqttClientAdapter(true);
      case "paho" -> new PahoAdapter();
      case "hivemq" -> PROTOCOL == 5 ? new HiveMq5Adapter() : new HiveMqAdapter();
      default ->
          throw new IllegalArgumentException(
              "unknown client '" + id + "'; known: raw, vmqtt, vmqtt-listener, paho, hivemq");
    };
  }
}
