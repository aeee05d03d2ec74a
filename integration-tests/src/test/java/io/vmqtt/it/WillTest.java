package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.assertNoMessagePending;
import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.receive;
import static io.vmqtt.it.ItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Will;
import io.vmqtt.it.fixture.ClientSetup;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The last will: {@code close()} drops the connection without DISCONNECT, so the broker publishes
 * the will; {@code disconnect()} sends DISCONNECT, so the broker discards it [MQTT-3.14.4-3].
 *
 * <p>Each test runs at protocol levels 4 and 5 over {@code mqtt}, {@code mqtts} and {@code ws}
 * ({@link ClientSetup#ALL}), or at both levels over plain TCP ({@link ClientSetup#TCP}) where its
 * subject is the configuration rather than the wire.
 */
class WillTest {

  /** {@code log_type all}: the broker logs the will it got and each DISCONNECT it receives. */
  @RegisterExtension
  static final MosquittoExtension mosquitto =
      new MosquittoExtension(broker -> ClientSetup.configure(broker.verboseLog()));

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#ALL")
  void closeWithoutDisconnectMakesTheBrokerPublishTheWill(ClientSetup setup, MosquittoBroker broker)
      throws InterruptedException {
    String a = clientId("will-a");
    String topic = "will/" + a;
    MqttConfig config =
        MqttConfig.builder().will(Will.of(topic, utf8("gone"), QoS.AT_LEAST_ONCE, false)).build();
    try (MqttClient b = setup.subscriber(broker, clientId("will-b"), "will/#", QoS.AT_LEAST_ONCE)) {
      MqttClient clientA = setup.connected(broker, a, config);
      try {
        broker.awaitLog("Will message specified (4 bytes) (r0, q1).", Duration.ofSeconds(5));

        clientA.close();

        assertThat(clientA.isConnected()).isFalse();
      } finally {
        clientA.close(); // idempotent: ends the client when an assertion failed first
      }
      Message will = receive(b);
      assertThat(will.topic()).isEqualTo(topic);
      assertThat(will.payloadAsString()).isEqualTo("gone");
      assertThat(will.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(will.retain()).isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#ALL")
  void disconnectMakesTheBrokerDiscardTheWill(ClientSetup setup, MosquittoBroker broker)
      throws InterruptedException {
    String a = clientId("will-a");
    MqttConfig config =
        MqttConfig.builder()
            .will(Will.of("will/" + a, utf8("gone"), QoS.AT_LEAST_ONCE, false))
            .build();
    try (MqttClient b = setup.subscriber(broker, clientId("will-b"), "will/#", QoS.AT_LEAST_ONCE);
        MqttClient clientA = setup.connected(broker, a, config)) {
      clientA.disconnect();
      assertThat(clientA.isConnected()).isFalse();

      // Wait until the broker has handled A's end: "disconnected." after a DISCONNECT packet,
      // "closed its connection." when the socket closed without one (and the will goes out).
      await("mosquitto handling the end of " + a)
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  broker.logContains("Client " + a + " disconnected.")
                      || broker.logContains("Client " + a + " closed its connection."));
      assertThat(broker.log()).as("A sent DISCONNECT").contains("Received DISCONNECT from " + a);
      assertNoMessagePending(b);
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#ALL")
  void aRetainedWillIsKeptForLaterSubscribers(ClientSetup setup, MosquittoBroker broker)
      throws InterruptedException {
    String a = clientId("will-a");
    MqttConfig config =
        MqttConfig.builder()
            .will(Will.of("will/" + a, utf8("last words"), QoS.EXACTLY_ONCE, true))
            .build();
    setup.connected(broker, a, config).close();
    broker.awaitLog("Client " + a + " closed its connection.", Duration.ofSeconds(10));

    try (MqttClient later =
        setup.subscriber(broker, clientId("will-c"), "will/" + a, QoS.EXACTLY_ONCE)) {
      Message will = receive(later);
      assertThat(will.payloadAsString()).isEqualTo("last words");
      assertThat(will.qos()).isEqualTo(QoS.EXACTLY_ONCE);
      assertThat(will.retain()).isTrue();
    }
  }
}
