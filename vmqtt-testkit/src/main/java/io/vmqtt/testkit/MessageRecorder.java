package io.vmqtt.testkit;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every message a client of its own receives, in arrival order, so a test can wait for and
 * assert on what was published: with {@link MqttAssertions#assertThat(MessageRecorder)} and {@link
 * MqttAwait#awaitMessages(MessageRecorder, int)}.
 *
 * <pre>{@code
 * try (MessageRecorder recorder = MessageRecorder.connect(broker)) {
 *   recorder.subscribe("sensors/#");
 *   device.start();                                     // the code under test publishes
 *   assertThat(recorder).receivedOn("sensors/7/temp").payloadAsString().isEqualTo("21.5");
 *   List<Message> three = awaitMessages(recorder, 3);
 * }
 * }</pre>
 *
 * <p>A virtual thread takes the messages from the client ({@code deliverMessage}, which also
 * acknowledges QoS 1 and 2) as they arrive. Thread-safe: tests may read it while messages arrive.
 */
public final class MessageRecorder implements AutoCloseable {
  private final MqttClient client;
  private final List<Message> messages = new CopyOnWriteArrayList<>();
  private final List<String> filters = new CopyOnWriteArrayList<>();
  private final Thread taker;
  private volatile Throwable failure;

  private MessageRecorder(MqttClient client) {
    this.client = client;
    this.taker =
        Thread.ofVirtual().name("vmqtt-recorder-" + client.clientId()).start(this::takeMessages);
  }

  /**
   * A recorder with a client of its own connected to {@code broker} (a generated client id,
   * automatic reconnection off, so a broker that goes away is seen at once).
   *
   * @throws io.vmqtt.ConnectException when the broker refuses or cannot be reached
   * @throws InterruptedException when interrupted while connecting
   */
  public static MessageRecorder connect(TestBroker broker) throws InterruptedException {
    Objects.requireNonNull(broker, "broker");
    return connect(broker.uri(), MqttConfig.builder().autoReconnect(false).build());
  }

  /**
   * A recorder with a client of its own, made with {@code config} and connected to {@code uri}.
   *
   * @throws io.vmqtt.ConnectException when the broker refuses or cannot be reached
   * @throws InterruptedException when interrupted while connecting
   */
  public static MessageRecorder connect(String uri, MqttConfig config) throws InterruptedException {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(config, "config");
    MqttClient client = MqttClient.create("vmqtt-rec-" + suffix(), config);
    try {
      client.connect(uri);
    } catch (RuntimeException | InterruptedException e) {
      client.close();
      throw e;
    }
    return new MessageRecorder(client);
  }

  /**
   * Subscribes to these topic filters with QoS 2 and returns once the broker acknowledged them, so
   * every message published after this call is recorded.
   *
   * @throws IllegalArgumentException when there is no filter or one is invalid, or the broker
   *     refuses one (SUBACK 0x80)
   * @throws InterruptedException when interrupted while waiting for the SUBACK
   */
  public MessageRecorder subscribe(String... topicFilters) throws InterruptedException {
    return subscribe(QoS.EXACTLY_ONCE, topicFilters);
  }

  /**
   * Subscribes to these topic filters with {@code qos}; see {@link #subscribe(String...)}.
   *
   * @throws IllegalArgumentException when there is no filter or one is invalid, or the broker
   *     refuses one (SUBACK 0x80)
   * @throws InterruptedException when interrupted while waiting for the SUBACK
   */
  public MessageRecorder subscribe(QoS qos, String... topicFilters) throws InterruptedException {
    Objects.requireNonNull(qos, "qos");
    if (topicFilters.length == 0) {
      throw new IllegalArgumentException("subscribe needs at least one topic filter");
    }
    List<Subscription> subscriptions = new ArrayList<>();
    for (String filter : topicFilters) {
      subscriptions.add(Subscription.of(Topics.requireValidFilter(filter, "topic filter"), qos));
    }
    List<Integer> codes = client.subscribe(subscriptions);
    for (int i = 0; i < codes.size(); i++) {
      if (codes.get(i) == 0x80) {
        throw new IllegalArgumentException(
            "the broker refused the subscription to '" + topicFilters[i] + "' (SUBACK 0x80)");
      }
    }
    filters.addAll(List.of(topicFilters));
    return this;
  }

  /** Every message recorded so far, in arrival order. */
  public List<Message> messages() {
    return List.copyOf(messages);
  }

  /** The messages recorded so far whose topic is {@code topic} (or matches it, a filter). */
  public List<Message> messages(String topicOrFilter) {
    Objects.requireNonNull(topicOrFilter, "topicOrFilter");
    return messages.stream().filter(m -> Topics.matches(topicOrFilter, m.topic())).toList();
  }

  /** How many messages were recorded so far. */
  public int size() {
    return messages.size();
  }

  /** The filters subscribed to so far. */
  public List<String> filters() {
    return List.copyOf(filters);
  }

  /** Forgets the messages recorded so far (the subscriptions stay). */
  public void clear() {
    messages.clear();
  }

  /** The recorder's client, e.g. to publish from it. */
  public MqttClient client() {
    return client;
  }

  /** Why recording stopped, when the connection failed; empty while it records. */
  public java.util.Optional<Throwable> failure() {
    return java.util.Optional.ofNullable(failure);
  }

  /** Closes the client and stops recording. Idempotent. */
  @Override
  public void close() {
    client.close();
    taker.interrupt();
    try {
      taker.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "MessageRecorder" + filters + " with " + describe(messages());
  }

  /** The messages as {@code topic=payload} lines for failure messages, at most 20 of them. */
  static String describe(List<Message> messages) {
    if (messages.isEmpty()) {
      return "no message";
    }
    StringBuilder text = new StringBuilder(messages.size() + " message(s):");
    messages.stream()
        .limit(20)
        .forEach(
            m ->
                text.append("\n  ")
                    .append(m.topic())
                    .append(" = \"")
                    .append(m.payloadAsString())
                    .append("\" (QoS ")
                    .append(m.qos().value())
                    .append(m.retain() ? ", retained)" : ")"));
    if (messages.size() > 20) {
      text.append("\n  ...");
    }
    return text.toString();
  }

  private void takeMessages() {
    try {
      while (true) {
        messages.add(client.deliverMessage());
      }
    } catch (InterruptedException e) {
      // closed
    } catch (RuntimeException e) {
      failure = e; // the connection ended: closed, or lost
    }
  }

  private static String suffix() {
    return Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16);
  }
}
