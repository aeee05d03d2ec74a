package io.vmqtt.bench;

import java.time.Duration;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Eclipse Paho 1.2.5 ({@code org.eclipse.paho.client.mqttv3}) with {@link MemoryPersistence}. A
 * blocking call is what Paho's own {@code MqttClient} does: an asynchronous call and {@code
 * waitForCompletion}. Bursts and concurrent publishing use {@link MqttAsyncClient} with a window
 * (Paho's own {@code maxInflight} set above it, see {@link #connect}); received messages are
 * counted in {@code messageArrived}.
 */
final class PahoAdapter implements ClientAdapter {
  private static final long TIMEOUT_MS = 30_000;

  private MqttAsyncClient client;
  private volatile CallbackSink sink = new CallbackSink(false);

  @Override
  public void connect(String host, int port, String clientId, int window) throws Exception {
    client = new MqttAsyncClient("tcp://" + host + ":" + port, clientId, new MemoryPersistence());
    client.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {}

          @Override
          public void messageArrived(String topic, MqttMessage message) {
            sink.onMessage(message.getPayload());
          }

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
    options.setAutomaticReconnect(false);
    if (window > 0) {
      // Paho counts a publish as in flight until its callback thread has processed the
      // completion, after waitForCompletion has returned; on a busy machine that thread falls
      // behind by more than a thousand, and even one sequential publisher fails with "Too many
      // publishes in progress". So Paho's limit is off (its maximum); the scenario's own window
      // bounds the real concurrency.
      options.setMaxInflight(65535);
    }
    client.connect(options).waitForCompletion(TIMEOUT_MS);
  }

  @Override
  public void subscribe(String topic, int qos, boolean queued) throws Exception {
    sink = new CallbackSink(queued);
    client.subscribe(topic, qos).waitForCompletion(TIMEOUT_MS);
  }

  @Override
  public void publishBlocking(String topic, byte[] payload, int qos) throws Exception {
    client.publish(topic, payload, qos, false).waitForCompletion(TIMEOUT_MS);
  }

  @Override
  public void publishBurst(String topic, byte[] payload, long count) throws Exception {
    publishConcurrently(topic, payload, 0, count, 64, LatencyRecorder.discarding());
  }

  @Override
  public void publishConcurrently(
      String topic, byte[] payload, int qos, long count, int window, LatencyRecorder latencies)
      throws Exception {
    Window w = new Window(window, latencies);
    for (long i = 0; i < count; i++) {
      client.publish(topic, payload, qos, false, w.acquire(), COMPLETE_SLOT);
    }
    w.awaitAll();
  }

  /**
   * Each request thread publishes through the asynchronous API, the slot as the token's user
   * context; the thread ends at once, and the completion listener frees the slot.
   */
  @Override
  public void publishFromRequestThreads(
      String topic, byte[] payload, int qos, long count, int window, LatencyRecorder latencies)
      throws Exception {
    RequestThreads.run(
        count,
        window,
        latencies,
        slot -> client.publish(topic, payload, qos, false, slot, COMPLETE_SLOT));
  }

  /** Frees the window slot that is the token's user context. */
  private static final IMqttActionListener COMPLETE_SLOT =
      new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          ((Window.Slot) token.getUserContext()).complete(null);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
          ((Window.Slot) token.getUserContext()).complete(error);
        }
      };

  @Override
  public Received receive(long count, Duration idle) throws Exception {
    return sink.receive(count, idle);
  }

  @Override
  public byte[] takeMessage(Duration timeout) throws Exception {
    return sink.take(timeout);
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
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(TIMEOUT_MS);
      }
    } catch (Exception ignored) {
      // Closing anyway.
    }
    try {
      client.close(true);
    } catch (Exception ignored) {
      // Nothing left to release.
    }
  }
}
