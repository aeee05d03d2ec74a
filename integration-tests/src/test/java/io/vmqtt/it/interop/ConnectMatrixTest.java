package io.vmqtt.it.interop;

import static io.vmqtt.it.interop.CompatibilityReport.record;
import static io.vmqtt.it.interop.MatrixSupport.clientId;
import static io.vmqtt.it.interop.MatrixSupport.config;
import static io.vmqtt.it.interop.MatrixSupport.receive;
import static io.vmqtt.it.interop.MatrixSupport.subscribe;
import static io.vmqtt.it.interop.MatrixSupport.topic;
import static io.vmqtt.it.interop.MatrixSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vmqtt.Connack;
import io.vmqtt.ConnectException;
import io.vmqtt.ConnectOptions;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.QoS;
import io.vmqtt.it.brokers.Broker;
import io.vmqtt.it.interop.CompatibilityReport.Feature;
import java.io.EOFException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** CONNECT against every broker of the matrix: acceptance, MQTT 3.1, client ids, refusals. */
@Tag(BrokerMatrix.TAG)
class ConnectMatrixTest {
  // MQTT 3.1.1's CONNACK return codes [MQTT-3.2.2-3].
  private static final int NOT_AUTHORIZED = 5;
  private static final int IDENTIFIER_REJECTED = 2;

  @RegisterExtension static final BrokerMatrix matrix = new BrokerMatrix();

  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void aConnectIsAcceptedWithCodeZeroAndNoSessionPresent(BrokerKind kind)
      throws InterruptedException {
    Broker broker = matrix.broker(kind);
    try (MqttClient client = MqttClient.create(clientId("connect"), config().build())) {
      Connack ack = client.connect(broker.uri());

      assertThat(ack).isEqualTo(Connack.accepted(false));
      assertThat(client.isConnected()).isTrue();
      client.ping();
      client.disconnect();
      assertThat(client.isConnected()).isFalse();
    }
    record(kind, Feature.CONNECT, "yes");
  }

  /** NATS 2.9 speaks MQTT 3.1.1 only, and closes the connection instead of sending CONNACK 1. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void anMqtt31ClientConnectsAndRoundTripsOrNatsClosesTheConnectionWithoutConnack(BrokerKind kind)
      throws InterruptedException {
    Broker broker = matrix.broker(kind);
    Behaviour expected = Behaviour.of(kind);
    assertThat(broker.capabilities().supportsProtocolLevel(3)).isEqualTo(expected.acceptsMqtt31());
    try (MqttClient client =
        MqttClient.create(clientId("v31"), config().protocolVersion(3).build())) {
      if (expected.acceptsMqtt31()) {
        assertThat(client.connect(broker.uri())).isEqualTo(Connack.accepted(false));
        String topic = topic("v31");
        assertThat(subscribe(broker, client, topic, QoS.AT_LEAST_ONCE)).containsExactly(1);
        client.publish(topic, utf8("3.1"), QoS.AT_LEAST_ONCE, false);
        Message m = receive(client);
        assertThat(m.payloadAsString()).isEqualTo("3.1");
        record(kind, Feature.MQTT_31, "yes");
      } else {
        // [MQTT-3.1.2-2] wants CONNACK 1 (unacceptable protocol version) before the close.
        ConnectException e =
            catchThrowableOfType(ConnectException.class, () -> client.connect(broker.uri()));
        assertThat(e).as("connect with protocol level 3").isNotNull();
        assertThat(e.returnCode()).isEqualTo(ConnectException.NO_RETURN_CODE);
        assertThat(e)
            .hasMessageContaining("before CONNACK")
            .hasRootCauseInstanceOf(EOFException.class);
        assertThat(client.isConnected()).isFalse();
        record(kind, Feature.MQTT_31, "**no: connection closed without CONNACK** (not code 1)");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void aZeroByteClientIdWithACleanSessionIsAcceptedOrRefusedWithCode2(BrokerKind kind)
      throws InterruptedException {
    Broker broker = matrix.broker(kind);
    try (MqttClient client = MqttClient.create("", config().build())) {
      if (Behaviour.of(kind).acceptsEmptyClientId()) {
        // [MQTT-3.1.3-6]: the broker assigns an id of its own.
        assertThat(client.connect(broker.uri())).isEqualTo(Connack.accepted(false));
        client.ping();
        record(kind, Feature.EMPTY_CLIENT_ID, "accepted");
      } else {
        ConnectException e =
            catchThrowableOfType(ConnectException.class, () -> client.connect(broker.uri()));
        assertThat(e).as("connect with a zero-byte client id").isNotNull();
        assertThat(e.returnCode()).isEqualTo(IDENTIFIER_REJECTED);
        record(kind, Feature.EMPTY_CLIENT_ID, "refused: code 2");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void aZeroByteClientIdWithoutACleanSessionIsRefusedWithIdentifierRejected(BrokerKind kind) {
    Broker broker = matrix.broker(kind);
    // [MQTT-3.1.3-8]: CONNACK 2, then the broker closes the connection.
    try (MqttClient client = MqttClient.create("", config().build())) {
      ConnectException e =
          catchThrowableOfType(
              ConnectException.class,
              () ->
                  client.connect(
                      broker.uri(), ConnectOptions.builder().cleanSession(false).build()));

      assertThat(e).as("connect with a zero-byte client id and no clean session").isNotNull();
      assertThat(e.returnCode()).isEqualTo(IDENTIFIER_REJECTED);
      assertThat(e.isRefusal()).isTrue();
      assertThat(client.isConnected()).isFalse();
    }
    record(kind, Feature.EMPTY_CLIENT_ID_PERSISTENT, "code 2");
  }

  /**
   * A wrong password and an unknown user are refused alike: with 4 (bad user name or password) by
   * RabbitMQ, Moquette and HiveMQ, with 5 (not authorized) by mosquitto and NATS; the right
   * credentials, in the options or in the URI, are accepted.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void badCredentialsAreRefusedWithTheBrokersCodeAndGoodOnesAccepted(BrokerKind kind)
      throws InterruptedException {
    Broker broker = matrix.broker(kind);
    int code = Behaviour.of(kind).badCredentialsCode();
    try (MqttClient client = MqttClient.create(clientId("badpw"), config().build())) {
      ConnectException wrong =
          catchThrowableOfType(
              ConnectException.class,
              () ->
                  client.connect(
                      broker.uri(),
                      ConnectOptions.builder().credentials(BrokerKind.USER, "wrong").build()));
      ConnectException unknown =
          catchThrowableOfType(
              ConnectException.class,
              () ->
                  client.connect(
                      broker.uri(),
                      ConnectOptions.builder().credentials("nobody", BrokerKind.PASSWORD).build()));

      assertThat(wrong).as("connect with a wrong password").isNotNull();
      assertThat(wrong.returnCode()).isEqualTo(code);
      assertThat(unknown).as("connect as an unknown user").isNotNull();
      assertThat(unknown.returnCode()).isEqualTo(code);
      assertThat(client.isConnected()).isFalse();

      Connack ok =
          client.connect(
              broker.uri(),
              ConnectOptions.builder().credentials(BrokerKind.USER, BrokerKind.PASSWORD).build());
      assertThat(ok.returnCode()).isZero();
      client.disconnect();
    }
    String uri =
        "mqtt://"
            + BrokerKind.USER
            + ":"
            + BrokerKind.PASSWORD
            + "@"
            + broker.host()
            + ":"
            + broker.port();
    try (MqttClient client = MqttClient.create(clientId("uripw"), config().build())) {
      assertThat(client.connect(uri).returnCode()).isZero();
    }
    record(
        kind,
        Feature.BAD_CREDENTIALS,
        code == NOT_AUTHORIZED ? "5 (not authorized)" : "4 (bad user name or password)");
  }
}
