package io.vmqtt.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * HiveMQ's MQTT client ({@code com.hivemq:hivemq-mqtt-client}), MQTT 3.1.1, at its fastest: one
 * immutable {@link Mqtt3Publish} built per scenario and sent again and again through the
 * asynchronous API with a window; a blocking call is its {@code toBlocking()} view; received
 * messages are counted in the subscription's callback, which runs on the Netty event loop.
 */
final class HiveMqAdapter implements ClientAdapter {
  private static final long TIMEOUT_S = 30;

  private Mqtt3AsyncClient client;
  private Mqtt3BlockingClient blocking;
  private volatile CallbackSink sink = new CallbackSink(false);
  private Mqtt3Publish template;
  private String templateTopic;
  private byte[] templatePayload;

  @Override
  public void connect(String host, int port, String clientId, int window) throws Exception {
    client =
        com.hivemq.client.mqtt.MqttClient.builder()
            .useMqttVersion3()
            .identifier(clientId)
            .serverHost(host)
            .serverPort(port)
            .buildAsync();
    blocking = client.toBlocking();
    client
        .connectWith()
        .cleanSession(true)
        .keepAlive(KEEP_ALIVE_SECONDS)
        .send()
        .get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  @Override
  public void subscribe(String topic, int qos, boolean queued) throws Exception {
    CallbackSink s = new CallbackSink(queued);
    sink = s;
    client
        .subscribeWith()
        .topicFilter(topic)
        .qos(MqttQos.fromCode(qos))
        .callback(p -> s.onMessage(p.getPayloadAsBytes()))
        .send()
        .get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  @Override
  public void publishBlocking(String topic, byte[] payload, int qos) throws Exception {
    blocking.publish(publish(topic, payload, qos));
  }

  @Override
  public void publishBurst(String topic, byte[] payload, long count) throws Exception {
    publishConcurrently(topic, payload, 0, count, 64, LatencyRecorder.discarding());
  }

  @Override
  public void publishConcurrently(
      String topic, byte[] payload, int qos, long count, int window, LatencyRecorder latencies)
      throws Exception {
    Mqtt3Publish message = publish(topic, payload, qos);
    Window w = new Window(window, latencies);
    for (long i = 0; i < count; i++) {
      Window.Slot slot = w.acquire();
      client.publish(message).whenComplete(slot);
    }
    w.awaitAll();
  }

  /**
   * Each request thread builds its own message, as a request does, and publishes it through the
   * asynchronous API; the thread ends at once, and the completion callback frees its slot.
   */
  @Override
  public void publishFromRequestThreads(
      String topic, byte[] payload, int qos, long count, int window, LatencyRecorder latencies)
      throws Exception {
    MqttQos level = MqttQos.fromCode(qos);
    RequestThreads.run(
        count,
        window,
        latencies,
        slot ->
            client
                .publish(Mqtt3Publish.builder().topic(topic).qos(level).payload(payload).build())
                .whenComplete(slot));
  }

  /** The message, built once per topic, payload and QoS. */
  private Mqtt3Publish publish(String topic, byte[] payload, int qos) {
    Mqtt3Publish t = template;
    if (t == null
        || !topic.equals(templateTopic)
        || payload != templatePayload
        || t.getQos().getCode() != qos) {
      t = Mqtt3Publish.builder().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload).build();
      template = t;
      templateTopic = topic;
      templatePayload = payload;
    }
    return t;
  }

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
    return client != null && client.getState().isConnected();
  }

  @Override
  public void close() {
    if (client == null) {
      return;
    }
    try {
      client.disconnect().get(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // Closing anyway.
    }
  }
}
