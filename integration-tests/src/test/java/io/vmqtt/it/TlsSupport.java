package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.receive;
import static io.vmqtt.it.ItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.ConnectException;
import io.vmqtt.ConnectOptions;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.TlsOptions;
import io.vmqtt.testkit.MosquittoBroker;
import java.nio.file.Path;
import java.util.List;

/** Helpers shared by the TLS integration tests. */
final class TlsSupport {
  private TlsSupport() {}

  /** The CA certificate the fixture wrote into the broker's directory. */
  static Path caFile(MosquittoBroker broker) {
    return broker.directory().resolve("ca.pem");
  }

  /** Options trusting the test CA through {@code cafile}. */
  static TlsOptions.Builder trustingTestCa(MosquittoBroker broker) {
    return TlsOptions.builder().caFile(caFile(broker));
  }

  static ConnectOptions connectOptions(TlsOptions tls) {
    return ConnectOptions.builder().tls(tls).build();
  }

  /**
   * Connects a client with these TLS options, subscribes at QoS 2, publishes to itself at QoS 0, 1
   * and 2 and checks each message comes back: a full round trip through the broker over TLS.
   */
  static void assertRoundTrip(String uri, TlsOptions tls, String prefix)
      throws InterruptedException {
    try (MqttClient client = MqttClient.create(ItSupport.clientId(prefix), MqttConfig.defaults())) {
      assertThat(client.connect(uri, connectOptions(tls)).returnCode()).isZero();
      assertRoundTrip(client);
    }
  }

  /** Subscribes to a topic of the client's own and gets back what it publishes at each QoS. */
  static void assertRoundTrip(MqttClient client) throws InterruptedException {
    String topic = "tls/" + client.clientId();
    assertThat(client.subscribe(List.of(Subscription.of(topic, QoS.EXACTLY_ONCE))))
        .containsExactly(2);
    for (QoS qos : QoS.values()) {
      client.publish(topic, utf8("over TLS at " + qos), qos, false);
      Message m = receive(client);
      assertThat(m.topic()).isEqualTo(topic);
      assertThat(m.payloadAsString()).isEqualTo("over TLS at " + qos);
      assertThat(m.qos()).isEqualTo(qos);
    }
  }

  /** The ConnectException that connecting with these options throws. */
  static ConnectException connectFailure(String uri, TlsOptions tls) {
    try (MqttClient client = MqttClient.create(ItSupport.clientId("fail"), MqttConfig.defaults())) {
      try {
        client.connect(uri, connectOptions(tls));
      } catch (ConnectException e) {
        assertThat(client.isConnected()).isFalse();
        return e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      throw new AssertionError("connecting to " + uri + " with " + tls + " succeeded");
    }
  }
}
