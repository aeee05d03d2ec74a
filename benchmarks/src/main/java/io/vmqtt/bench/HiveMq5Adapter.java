package io.vmqtt.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@link HiveMqAdapter} at MQTT 5 ({@code ./bench --protocol 5}): the same use of HiveMQ's client
 * through its {@code Mqtt5} API, with Clean Start and a session that ends with the connection, as
 * the 3.1.1 clean session.
 */
final class HiveMq5Adapter implements ClientAdapter {
  private static final long TIMEOUT_S = 30;

  private Mqtt5AsyncClient client;
  private Mqtt5BlockingClient blocking;
  private volatile CallbackSink sink = new CallbackSink(false);
  private Mqtt5Publish template;
  private String templateTopic;
  private byte[] templatePayload;

  @Override
  public void connect(String host, int port, String clientId, int window) throws Exception {
    client =
        com.hivemq.client.mqtt.MqttClient.builder()
            .useMqttVersion5()
            .identifier(clientId)
            .serverHost(host)
            .serverPort(port)
            .buildAsync();
    blocking = client.toBlocking();
    client
        .connectWith()
        .cleanStart(true)
        .sessionExpiryInterval(0)
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
    Mqtt5Publish message = publish(topic, payload, qos);
    Window w = new Window(window, latencies);
    for (long i = 0; i < count; i++) {
      Window.Slot slot = w.acquire();
      client.publish(message).whenComplete(slot);
    }
    w.awaitAll();
  }

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
                .publish(Mqtt5Publish.builder().topic(topic).qos(level).payload(payload).build())
                .whenComplete(slot));
  }

  /** The message, built once per topic, payload and QoS. */
  private Mqtt5Publish publish(String topic, byte[] payload, int qos) {
    Mqtt5Publish t = template;
    if (t == null
        || !topic.equals(templateTopic)
        || payload != templatePayload
        || t.getQos().getCode() != qos) {
      t = Mqtt5Publish.builder().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload).build();
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
