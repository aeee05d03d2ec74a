package io.vmqtt.bench;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * vmqtt as its users write it: blocking calls; concurrency is that many virtual threads each
 * calling the blocking {@code publish}; messages are taken with {@code deliverMessage} (client
 * {@code vmqtt}) or counted in a message listener attached by {@code subscribe(filter, qos,
 * listener)} (client {@code vmqtt-listener}, the way HiveMQ's and Paho's callbacks are counted).
 * The configuration is the default but for keep-alive (60 s, as the other clients, but in the scale
 * curve), no reconnect, and {@code max_inflight} set to the scenario's window.
 */
final class VmqttClientAdapter implements ClientAdapter {
  private final boolean listener;
  private MqttClient client;
  private CallbackSink sink;

  /**
   * @param listener whether received messages go to a message listener instead of {@code
   *     deliverMessage}
   */
  VmqttClientAdapter(boolean listener) {
    this.listener = listener;
  }

  @Override
  public void connect(String host, int port, String clientId, int window) throws Exception {
    MqttConfig.Builder config =
        MqttConfig.builder()
            .keepAlive(Duration.ofSeconds(KEEP_ALIVE_SECONDS))
            .autoReconnect(false)
            .protocolVersion(PROTOCOL);
    if (window > 0) {
      config.maxInflight(window);
    }
    client = MqttClient.create(clientId, config.build());
    client.connect("mqtt://" + host + ":" + port);
  }

  @Override
  public void subscribe(String topic, int qos, boolean queued) throws Exception {
    if (listener) {
      CallbackSink s = new CallbackSink(queued);
      sink = s;
      client.subscribe(topic, QoS.of(qos), m -> s.onMessage(m.payload()));
      return;
    }
    client.subscribe(List.of(Subscription.of(topic, QoS.of(qos))));
  }

  @Override
  public void publishBlocking(String topic, byte[] payload, int qos) throws Exception {
    client.publish(topic, payload, QoS.of(qos), false);
  }

  @Override
  public void publishBurst(String topic, byte[] payload, long count) throws Exception {
    for (long i = 0; i < count; i++) {
      client.publish(topic, payload, QoS.AT_MOST_ONCE, false);
    }
  }

  @Override
  public void publishConcurrently(
      String topic, byte[] payload, int qos, long count, int window, LatencyRecorder latencies)
      throws Exception {
    QoS level = QoS.of(qos);
    AtomicLong remaining = new AtomicLong(count);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> publishers = new ArrayList<>(window);
    for (int i = 0; i < window; i++) {
      publishers.add(
          Thread.ofVirtual()
              .name("bench-publisher-" + i)
              .start(
                  () -> {
                    try {
                      while (remaining.getAndDecrement() > 0 && failure.get() == null) {
                        long start = System.nanoTime();
                        client.publish(topic, payload, level, false);
                        latencies.record(System.nanoTime() - start);
                      }
                    } catch (Throwable t) {
                      failure.compareAndSet(null, t);
                    }
                  }));
    }
    for (Thread t : publishers) {
      t.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a publisher failed", failure.get());
    }
  }

  /** Each request thread calls the blocking {@code publish} and ends when it returns. */
  @Override
  public void publishFromRequestThreads(
      String topic, byte[] payload, int qos, long count, int window, LatencyRecorder latencies)
      throws Exception {
    QoS level = QoS.of(qos);
    RequestThreads.run(
        count,
        window,
        latencies,
        slot -> {
          client.publish(topic, payload, level, false);
          slot.complete(null);
        });
  }

  @Override
  public Received receive(long count, Duration idle) throws Exception {
    if (listener) {
      return sink.receive(count, idle);
    }
    long n = 0;
    long last = 0;
    try {
      while (n < count) {
        Message m = client.deliverMessage(idle);
        last = System.nanoTime();
        if (m.payload().length == MARKER_LENGTH) {
          break;
        }
        n++;
      }
    } catch (TimeoutException e) {
      // Idle: what arrived is the answer.
    }
    return new Received(n, last);
  }

  @Override
  public byte[] takeMessage(Duration timeout) throws Exception {
    if (listener) {
      return sink.take(timeout);
    }
    return client.deliverMessage(timeout).payload();
  }

  @Override
  public long droppedByClient() {
    return client == null ? 0 : client.droppedMessages();
  }

  @Override
  public boolean isConnected() {
    return client != null && client.isConnected();
  }

  @Override
  public void close() {
    if (client == null) {
      return;
    }
    try {
      client.disconnect();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException ignored) {
      // Closing anyway.
    }
    client.close();
  }
}
