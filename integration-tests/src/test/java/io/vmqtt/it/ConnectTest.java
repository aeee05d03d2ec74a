package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.connected;
import static io.vmqtt.it.ItSupport.receive;
import static io.vmqtt.it.ItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.vmqtt.Connack;
import io.vmqtt.ConnectException;
import io.vmqtt.ConnectOptions;
import io.vmqtt.ConnectionState;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.ReasonCode;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.ClientSetup;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.spi.TransportProvider;
import io.vmqtt.testkit.MosquittoBroker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code connect}: the CONNACK it returns, and how it fails. */
class ConnectTest {
  @RegisterExtension
  static final MosquittoExtension mosquitto = new MosquittoExtension(ClientSetup::configure);

  @Test
  void connectReturnsCodeZeroAndNoSessionPresentForACleanSession(MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient client = MqttClient.create(clientId("clean"), MqttConfig.defaults())) {
      assertThat(client.isConnected()).isFalse();

      Connack ack = client.connect(broker.uri());

      assertThat(ack).isEqualTo(Connack.accepted(false));
      assertThat(client.isConnected()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#ALL")
  void connectingTwiceWithCleanSessionFalseFindsTheSessionPresentTheSecondTime(
      ClientSetup setup, MosquittoBroker broker) throws InterruptedException {
    String id = clientId("persistent");
    MqttConfig persistent = MqttConfig.builder().cleanSession(false).build();
    try (MqttClient first = MqttClient.create(id, persistent)) {
      Connack ack = setup.connect(first, broker);
      assertThat(ack.isAccepted()).isTrue();
      assertThat(ack.sessionPresent()).isFalse();
      first.disconnect();
    }
    // The same again, with the flag from ConnectOptions instead of the config.
    try (MqttClient second = MqttClient.create(id, MqttConfig.defaults())) {
      Connack ack =
          second.connect(
              setup.uri(broker),
              setup.options(broker, ConnectOptions.builder().cleanSession(false)));
      assertThat(ack.isAccepted()).isTrue();
      assertThat(ack.sessionPresent()).isTrue();
    }
  }

  @Test
  void connectingAClientThatIsAlreadyConnectedThrowsIllegalState(MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient client = connected(broker, clientId("twice"))) {
      assertThatThrownBy(() -> client.connect(broker.uri()))
          .isInstanceOf(IllegalStateException.class);
      assertThat(client.isConnected()).isTrue();
      client.ping();
    }
  }

  @Test
  void connectingToAClosedPortThrowsConnectExceptionWithTheCauseAndNoReturnCode()
      throws IOException {
    int closedPort;
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress("127.0.0.1", 0));
      closedPort = probe.getLocalPort();
    }
    try (MqttClient client = MqttClient.create(clientId("noport"), MqttConfig.defaults())) {
      ConnectException e =
          catchThrowableOfType(
              ConnectException.class, () -> client.connect("mqtt://127.0.0.1:" + closedPort));

      assertThat(e).as("connect to a closed port").isNotNull();
      assertThat(e.getCause()).isNotNull();
      assertThat(e.returnCode()).isEqualTo(ConnectException.NO_RETURN_CODE);
      assertThat(e.isRefusal()).isFalse();
      assertThat(client.isConnected()).isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mqtt://127.0.0.1:99999", "mqtt://127.0.0.1:0", "ws://localhost:65536/"})
  void aPortOutsideOneTo65535IsAnIllegalArgumentNamingTheUri(String uri) {
    try (MqttClient client = MqttClient.create(clientId("badport"), MqttConfig.defaults())) {
      assertThatThrownBy(() -> client.connect(uri))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("uri '" + uri + "' has port")
          .hasMessageContaining("a port is 1..65535");
      assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
    }
  }

  @Test
  void anUnknownSchemeIsRejectedWithTheSchemesThatAreAvailable(MosquittoBroker broker) {
    try (MqttClient client = MqttClient.create(clientId("foo"), MqttConfig.defaults())) {
      assertThatThrownBy(() -> client.connect("foo://127.0.0.1:" + broker.port()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("foo")
          .hasMessageContaining("mqtt");
      assertThat(client.isConnected()).isFalse();
    }
  }

  /**
   * {@code mqtts} and {@code ws} need transports that may not be on the class path yet; while they
   * are missing the error says so. Skipped for a scheme once its transport is there.
   */
  @ParameterizedTest
  @ValueSource(strings = {"mqtts", "ws"})
  void aSchemeWhoseTransportIsMissingIsRejectedWithAMessageNamingIt(
      String scheme, MosquittoBroker broker) {
    assumeFalse(transportAvailable(scheme), scheme + " transport is on the class path");
    try (MqttClient client = MqttClient.create(clientId("noscheme"), MqttConfig.defaults())) {
      Throwable e =
          catchThrowableOfType(
              RuntimeException.class,
              () -> client.connect(scheme + "://127.0.0.1:" + broker.port()));

      assertThat(e).isInstanceOfAny(ConnectException.class, IllegalArgumentException.class);
      assertThat(e.getMessage()).contains(scheme);
      if (scheme.equals("ws")) {
        assertThat(e.getMessage()).as("names the module that adds ws").contains("mqtt-websocket");
      }
      assertThat(client.isConnected()).isFalse();
    }
  }

  @Test
  void theTcpSchemeIsASynonymForMqtt(MosquittoBroker broker) throws InterruptedException {
    try (MqttClient client = MqttClient.create(clientId("tcp"), MqttConfig.defaults())) {
      assertThat(client.connect("tcp://127.0.0.1:" + broker.port()).returnCode()).isZero();
    }
  }

  @Test
  void anEmptyClientIdWithoutCleanSessionIsRefusedWithIdentifierRejected(MosquittoBroker broker) {
    // [MQTT-3.1.3-8]: a zero-byte client id with CleanSession 0 gets return code 2.
    try (MqttClient client = MqttClient.create("", MqttConfig.defaults())) {
      ConnectException e =
          catchThrowableOfType(
              ConnectException.class,
              () ->
                  client.connect(
                      broker.uri(), ConnectOptions.builder().cleanSession(false).build()));

      assertThat(e).as("connect with an empty client id and no clean session").isNotNull();
      assertThat(e.returnCode()).isEqualTo(2);
      assertThat(e.reasonCode()).contains(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
      assertThat(e.isRefusal()).isTrue();
      assertThat(client.isConnected()).isFalse();
    }
  }

  @Test
  void anEmptyClientIdWithACleanSessionIsAccepted(MosquittoBroker broker)
      throws InterruptedException {
    // [MQTT-3.1.3-6]: the broker assigns an id.
    try (MqttClient client = MqttClient.create("", MqttConfig.defaults())) {
      assertThat(client.clientId()).isEmpty();
      assertThat(client.connect(broker.uri())).isEqualTo(Connack.accepted(false));
    }
  }

  @Test
  void aClientCreatedWithoutAnIdGetsAGeneratedOneAndConnects(MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient client = MqttClient.create()) {
      assertThat(client.clientId()).startsWith("vmqtt/").hasSize("vmqtt/".length() + 16);
      assertThat(client.connect(broker.uri()).returnCode()).isZero();
      broker.awaitLog(" as " + client.clientId() + " (", Duration.ofSeconds(5));
    }
    try (MqttClient other = MqttClient.create()) {
      assertThat(other.clientId()).startsWith("vmqtt/");
    }
  }

  @Test
  void aClientCreatedWithAnIdAndNoConfigUsesTheDefaults(MosquittoBroker broker)
      throws InterruptedException {
    String id = clientId("defaults");
    try (MqttClient client = MqttClient.create(id)) {
      assertThat(client.clientId()).isEqualTo(id);
      assertThat(client.config().keepAlive()).isEqualTo(Duration.ofSeconds(10));
      assertThat(client.config().cleanSession()).isTrue();
      assertThat(client.connect(broker.uri()).returnCode()).isZero();
      // keep_alive 10 and clean session in the CONNECT, as mosquitto logs it
      broker.awaitLog(" as " + id + " (p2, c1, k10).", Duration.ofSeconds(5));
    }
  }

  @Test
  void theClientReportsTheIdAndConfigItWasCreatedWith() {
    MqttConfig config =
        MqttConfig.builder()
            .keepAlive(Duration.ofSeconds(7))
            .defaultQos(QoS.AT_LEAST_ONCE)
            .maxInflight(5)
            .build();
    String id = clientId("report");
    try (MqttClient client = MqttClient.create(id, config)) {
      assertThat(client.clientId()).isEqualTo(id);
      assertThat(client.config().keepAlive()).isEqualTo(Duration.ofSeconds(7));
      assertThat(client.config().defaultQos()).isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(client.config().maxInflight()).isEqualTo(5);
    }
  }

  @Test
  void anMqtt31ClientConnectsSubscribesPublishesAndReceives(MosquittoBroker broker)
      throws InterruptedException {
    String id = clientId("v31"); // 12 characters: MQTT 3.1 allows at most 23
    MqttConfig v31 = MqttConfig.builder().protocolVersion(3).build();
    try (MqttClient client = MqttClient.create(id, v31)) {
      assertThat(client.connect(broker.uri())).isEqualTo(Connack.accepted(false));
      // mosquitto logs the protocol: p1 is MQTT 3.1 ("MQIsdp", level 3), p2 is MQTT 3.1.1
      broker.awaitLog(" as " + id + " (p1, c1, ", Duration.ofSeconds(5));

      assertThat(
              client.subscribe(
                  List.of(
                      Subscription.of("v31/q1", QoS.AT_LEAST_ONCE),
                      Subscription.of("v31/q2", QoS.EXACTLY_ONCE))))
          .containsExactly(1, 2);
      client.publish("v31/q1", utf8("one"), QoS.AT_LEAST_ONCE, false);
      Message one = receive(client);
      client.publish("v31/q2", utf8("two"), QoS.EXACTLY_ONCE, false);
      Message two = receive(client);

      assertThat(one.topic()).isEqualTo("v31/q1");
      assertThat(one.payloadAsString()).isEqualTo("one");
      assertThat(one.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(two.topic()).isEqualTo("v31/q2");
      assertThat(two.payloadAsString()).isEqualTo("two");
      assertThat(two.qos()).isEqualTo(QoS.EXACTLY_ONCE);
      client.disconnect();
      broker.awaitLog("Client " + id + " disconnected.", Duration.ofSeconds(5));
    }
  }

  private static boolean transportAvailable(String scheme) {
    return ServiceLoader.load(TransportProvider.class).stream()
        .anyMatch(provider -> provider.get().schemes().contains(scheme));
  }
}
