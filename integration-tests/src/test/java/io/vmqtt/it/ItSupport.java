package io.vmqtt.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.testkit.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/** Helpers shared by the integration tests (public for the sub-packages, e.g. {@code paho}). */
public final class ItSupport {
  /** How long a test waits for a message it expects. */
  public static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(10);

  /** How long a test waits when it expects nothing. */
  public static final Duration ABSENCE_TIMEOUT = Duration.ofMillis(300);

  private ItSupport() {}

  /**
   * A client id unique to this run: {@code prefix-xxxxxxxx}. Letters, digits and '-' only, so it is
   * also a valid topic level and appears unescaped in thread dumps; at most 23 characters for a
   * prefix of up to 14 (the MQTT 3.1 limit).
   */
  public static String clientId(String prefix) {
    return prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt() | 0x10000000);
  }

  public static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A client with the default config, connected to the broker. */
  public static MqttClient connected(MosquittoBroker broker, String clientId)
      throws InterruptedException {
    return connected(broker, clientId, MqttConfig.defaults());
  }

  /** A client connected to the broker; closed again when connecting fails. */
  public static MqttClient connected(MosquittoBroker broker, String clientId, MqttConfig config)
      throws InterruptedException {
    return connected(broker.uri(), clientId, config);
  }

  /** A client connected to {@code uri}; closed again when connecting fails. */
  public static MqttClient connected(String uri, String clientId, MqttConfig config)
      throws InterruptedException {
    MqttClient client = MqttClient.create(clientId, config);
    try {
      assertThat(client.connect(uri).returnCode()).isZero();
      return client;
    } catch (RuntimeException | Error | InterruptedException e) {
      client.close();
      throw e;
    }
  }

  /** A client subscribed to one filter. */
  public static MqttClient subscriber(
      MosquittoBroker broker, String clientId, String filter, QoS qos) throws InterruptedException {
    return subscriber(broker.uri(), clientId, filter, qos);
  }

  /** A client connected to {@code uri} and subscribed to one filter. */
  public static MqttClient subscriber(String uri, String clientId, String filter, QoS qos)
      throws InterruptedException {
    MqttClient client = connected(uri, clientId, MqttConfig.defaults());
    try {
      assertThat(client.subscribe(List.of(Subscription.of(filter, qos))))
          .containsExactly(qos.value());
      return client;
    } catch (RuntimeException | Error e) {
      client.close();
      throw e;
    }
  }

  /** The next message, waiting at most {@link #RECEIVE_TIMEOUT}. */
  public static Message receive(MqttClient client) throws InterruptedException {
    try {
      return client.deliverMessage(RECEIVE_TIMEOUT);
    } catch (TimeoutException e) {
      throw new AssertionError(
          client.clientId() + " received no message within " + RECEIVE_TIMEOUT.toSeconds() + " s",
          e);
    }
  }

  /**
   * Asserts that nothing is waiting for this client and nothing is on its way: subscribes to a
   * marker topic of its own, publishes a marker there at QoS 1 from the same client, and expects
   * the marker as the very next message. The broker sends a client's messages in order, so anything
   * routed to it before the marker arrives before the marker.
   */
  public static void assertNoMessagePending(MqttClient client) throws InterruptedException {
    String marker = "vmqtt-it/marker/" + client.clientId();
    assertThat(client.subscribe(List.of(Subscription.of(marker, QoS.AT_LEAST_ONCE))))
        .containsExactly(1);
    client.publish(marker, utf8("marker"), QoS.AT_LEAST_ONCE, false);
    Message next = receive(client);
    assertThat(next.topic())
        .as("the next message for %s should be the marker, not %s", client.clientId(), next)
        .isEqualTo(marker);
  }
}
