package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.clientId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vmqtt.Connack;
import io.vmqtt.ConnectException;
import io.vmqtt.ConnectOptions;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.ReasonCode;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.testkit.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CONNACK refusals and credentials, against a broker with a password file and {@code
 * allow_anonymous false}.
 *
 * <p>Mosquitto 2.0.11 refuses an MQTT 3.1.1 or 3.1 client without credentials, with a wrong
 * password and with an unknown user alike with return code 5 (not authorised); it never sends 4
 * (bad user name or password) to them. Checked with {@code mosquitto_sub -d}: "received CONNACK
 * (5)" in all three cases ("CONNACK (135)" for MQTT 5).
 */
class AuthenticationTest {
  private static final String USER = "alice";
  private static final String PASSWORD = "s3cret";

  @RegisterExtension
  static final MosquittoExtension mosquitto =
      new MosquittoExtension(broker -> broker.user(USER, PASSWORD));

  @Test
  void withoutCredentialsTheBrokerRefusesWithNotAuthorized(MosquittoBroker broker) {
    try (MqttClient client = MqttClient.create(clientId("anon"), MqttConfig.defaults())) {
      ConnectException e = refusal(() -> client.connect(broker.uri()));

      assertThat(e.reasonCode()).contains(ReasonCode.NOT_AUTHORIZED);
      assertThat(e.isRefusal()).isTrue();
      assertThat(client.isConnected()).isFalse();
    }
  }

  @Test
  void aWrongPasswordIsRefusedWithNotAuthorizedByMosquitto2(MosquittoBroker broker) {
    try (MqttClient client = MqttClient.create(clientId("wrongpw"), MqttConfig.defaults())) {
      ConnectException e =
          refusal(
              () ->
                  client.connect(
                      broker.uri(), ConnectOptions.builder().credentials(USER, "wrong").build()));

      assertThat(e.reasonCode()).contains(ReasonCode.NOT_AUTHORIZED);
      assertThat(client.isConnected()).isFalse();
    }
  }

  @Test
  void anUnknownUserIsRefusedWithNotAuthorizedByMosquitto2(MosquittoBroker broker) {
    try (MqttClient client = MqttClient.create(clientId("nobody"), MqttConfig.defaults())) {
      ConnectException e =
          refusal(
              () -> client.connect("mqtt://nobody:" + PASSWORD + "@127.0.0.1:" + broker.port()));

      assertThat(e.reasonCode()).contains(ReasonCode.NOT_AUTHORIZED);
    }
  }

  @Test
  void credentialsInTheUriUserInfoAreAccepted(MosquittoBroker broker) throws InterruptedException {
    String id = clientId("uri");
    try (MqttClient client = MqttClient.create(id, MqttConfig.defaults())) {
      Connack ack =
          client.connect("mqtt://" + USER + ":" + PASSWORD + "@127.0.0.1:" + broker.port());

      assertThat(ack).isEqualTo(Connack.accepted(false));
      broker.awaitLog(" as " + id + " (p2, c1, k10, u'" + USER + "').", Duration.ofSeconds(5));
    }
  }

  @Test
  void credentialsInConnectOptionsAreAccepted(MosquittoBroker broker) throws InterruptedException {
    try (MqttClient client = MqttClient.create(clientId("options"), MqttConfig.defaults())) {
      Connack ack =
          client.connect(
              broker.uri(), ConnectOptions.builder().credentials(USER, PASSWORD).build());

      assertThat(ack.returnCode()).isZero();
    }
  }

  @Test
  void credentialsInTheConfigAreAccepted(MosquittoBroker broker) throws InterruptedException {
    MqttConfig config =
        MqttConfig.builder().credentials(USER, PASSWORD.getBytes(StandardCharsets.UTF_8)).build();
    try (MqttClient client = MqttClient.create(clientId("config"), config)) {
      assertThat(client.connect(broker.uri()).returnCode()).isZero();
    }
  }

  @Test
  void connectOptionsCredentialsOverrideTheUri(MosquittoBroker broker) throws InterruptedException {
    try (MqttClient client = MqttClient.create(clientId("override"), MqttConfig.defaults())) {
      Connack ack =
          client.connect(
              "mqtt://" + USER + ":wrong@127.0.0.1:" + broker.port(),
              ConnectOptions.builder().credentials(USER, PASSWORD).build());

      assertThat(ack.returnCode()).isZero();
    }
  }

  @Test
  void aRefusedClientCanConnectAgainWithTheRightCredentials(MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient client = MqttClient.create(clientId("retry"), MqttConfig.defaults())) {
      refusal(() -> client.connect(broker.uri()));

      Connack ack =
          client.connect(
              broker.uri(), ConnectOptions.builder().credentials(USER, PASSWORD).build());

      assertThat(ack.returnCode()).isZero();
      assertThat(client.isConnected()).isTrue();
      client.ping();
    }
  }

  private interface Connect {
    void run() throws Exception;
  }

  private static ConnectException refusal(Connect connect) {
    ConnectException e = catchThrowableOfType(ConnectException.class, connect::run);
    assertThat(e).as("a refused connect throws ConnectException").isNotNull();
    return e;
  }
}
