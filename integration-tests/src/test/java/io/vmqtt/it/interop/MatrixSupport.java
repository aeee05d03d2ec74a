package io.vmqtt.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.ConnectOptions;
import io.vmqtt.ConnectionLostException;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.brokers.Broker;
import io.vmqtt.it.brokers.Moquette;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/** Clients for the matrix tests: unique ids, no automatic reconnection, generous waits. */
final class MatrixSupport {
  /** How long a test waits for a message it expects. */
  static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(15);

  /** How long a test waits, after the marker, for a message it does not expect. */
  static final Duration ABSENCE_TIMEOUT = Duration.ofMillis(300);

  private MatrixSupport() {}

  /**
   * The matrix's client config: no automatic reconnection, so a connection the broker closes stays
   * closed and the test sees it; a generous connect timeout (a broker just started, on a loaded
   * machine, may take seconds over its first CONNECT); otherwise the defaults.
   */
  static MqttConfig.Builder config() {
    return MqttConfig.builder().autoReconnect(false).connectTimeout(Duration.ofSeconds(60));
  }

  /**
   * A client id unique to this run: {@code prefix-xxxxxxxx}, letters, digits and '-' only (a valid
   * topic level on every broker), at most 23 characters for a prefix of up to 14 (the MQTT 3.1
   * limit).
   */
  static String clientId(String prefix) {
    return prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt() | 0x10000000);
  }

  /** A topic of its own for one test: {@code vmqtt-it/<name>/<random>}. */
  static String topic(String name) {
    return "vmqtt-it/" + name + "/" + clientId("t");
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A client with the matrix config, connected anonymously; closed again when that fails. */
  static MqttClient connected(Broker broker, String prefix) throws InterruptedException {
    return connected(broker, clientId(prefix), config().build(), ConnectOptions.defaults());
  }

  /** A client connected with this id, config and options; closed again when that fails. */
  static MqttClient connected(
      Broker broker, String clientId, MqttConfig config, ConnectOptions options)
      throws InterruptedException {
    MqttClient client = MqttClient.create(clientId, config);
    try {
      assertThat(client.connect(broker.uri(), options).returnCode()).isZero();
      return client;
    } catch (RuntimeException | Error | InterruptedException e) {
      client.close();
      throw e;
    }
  }

  /**
   * A connected client subscribed to one filter, asserting the SUBACK grants {@code granted} (the
   * requested QoS, or less where the broker downgrades).
   */
  static MqttClient subscriber(Broker broker, String prefix, String filter, QoS qos, QoS granted)
      throws InterruptedException {
    MqttClient client = connected(broker, prefix);
    try {
      assertThat(subscribe(broker, client, filter, qos))
          .as("SUBACK for %s at %s", filter, qos)
          .containsExactly(granted.value());
      return client;
    } catch (RuntimeException | Error e) {
      client.close();
      throw e;
    }
  }

  /**
   * Subscribes {@code client}, just connected to {@code broker}, to one filter and returns the
   * SUBACK's codes. Moquette 0.17 marks a connection connected only once its CONNACK is flushed, on
   * another thread; a SUBSCRIBE read before that is "received on already closed connection" and the
   * connection is dropped (seen on a loaded machine). The client did nothing wrong: on Moquette it
   * connects again and subscribes once more.
   */
  static List<Integer> subscribe(Broker broker, MqttClient client, String filter, QoS qos)
      throws InterruptedException {
    try {
      return client.subscribe(List.of(Subscription.of(filter, qos)));
    } catch (ConnectionLostException e) {
      if (!(broker instanceof Moquette)) {
        throw e;
      }
      client.connect(broker.uri());
      return client.subscribe(List.of(Subscription.of(filter, qos)));
    }
  }

  /** The lower of two QoS levels. */
  static QoS min(QoS a, QoS b) {
    return a.value() <= b.value() ? a : b;
  }

  /** The next message, waiting at most {@link #RECEIVE_TIMEOUT}. */
  static Message receive(MqttClient client) throws InterruptedException {
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
   * the marker as the very next message. Every broker of the matrix sends a client's messages in
   * the order it routed them, so anything routed to the client before the marker comes first; NATS
   * and RabbitMQ keep a queue per subscription (or per QoS), whose order between each other is not
   * guaranteed, so the marker is followed by a short wait for anything else.
   */
  static void assertNoMessagePending(MqttClient client) throws InterruptedException {
    String marker = "vmqtt-it/marker/" + client.clientId();
    assertThat(client.subscribe(List.of(Subscription.of(marker, QoS.AT_LEAST_ONCE))))
        .containsExactly(1);
    client.publish(marker, utf8("marker"), QoS.AT_LEAST_ONCE, false);
    Message next = receive(client);
    assertThat(next.topic())
        .as("the next message for %s should be the marker, not %s", client.clientId(), next)
        .isEqualTo(marker);
    client.unsubscribe(List.of(marker));
    try {
      Message late = client.deliverMessage(ABSENCE_TIMEOUT);
      throw new AssertionError(client.clientId() + " received " + late + " after the marker");
    } catch (TimeoutException expected) {
      // nothing else came
    }
  }
}
