package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static io.vmqtt.it.fake.Frames5.binaryProperty;
import static io.vmqtt.it.fake.Frames5.stringProperty;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vmqtt.AuthenticationException;
import io.vmqtt.ConnectException;
import io.vmqtt.DisconnectedByBrokerException;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.ReasonCode;
import io.vmqtt.spi.AuthenticationContext;
import io.vmqtt.spi.Authenticator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MQTT 5 enhanced authentication (section 4.12) against the scripted broker playing a SCRAM-SHA-256
 * server that really verifies the client's proof ({@link ScramServer}): the exchange of CONNECT, a
 * wrong password, a server that cannot prove itself, re-authentication accepted and refused, and
 * the protocol errors of AUTH.
 */
class EnhancedAuthTest {
  private static final String SCRAM = "SCRAM-SHA-256";

  private FakeBroker broker;
  private MqttClient client;
  private final ScramServer scram = new ScramServer("user", "pencil");

  /** Whether the broker sent CONNACK on the current connection: AUTH 0x18 then re-authenticates. */
  private final AtomicBoolean connected = new AtomicBoolean();

  /** The broker refuses the next proof of a re-authentication with DISCONNECT 0x87. */
  private final AtomicBoolean refuseReauthentication = new AtomicBoolean();

  @BeforeEach
  void startBroker() throws Exception {
    broker = FakeBroker.start();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    broker.close();
  }

  private static MqttConfig.Builder v5() {
    return config()
        .protocolVersion(5)
        .connectTimeout(Duration.ofSeconds(10))
        .operationTimeout(Duration.ofSeconds(10));
  }

  private String uri(String user, String password) {
    return "mqtt://" + user + ":" + password + "@127.0.0.1:" + broker.port();
  }

  private static byte[] only(Map<Integer, List<byte[]>> properties, int id) {
    List<byte[]> values = properties.get(id);
    assertThat(values).as("property 0x%02X", id).hasSize(1);
    return values.get(0);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** The broker's side of SCRAM: challenge on CONNECT and AUTH 0x19, outcome on the proof. */
  private void scramBroker() {
    broker.onConnect(
        Action.reply(
            p -> {
              connected.set(false);
              Map<Integer, List<byte[]>> props = Frames5.connectProperties(p.body());
              assertThat(text(only(props, 0x15))).isEqualTo(SCRAM);
              return challenge(only(props, 0x16));
            }));
    broker.on(
        RawPacket.AUTH,
        Action.choose(
            p -> {
              Map<Integer, List<byte[]>> props = Frames5.reasonProperties(p.body());
              assertThat(text(only(props, 0x15))).isEqualTo(SCRAM);
              byte[] data = only(props, 0x16);
              if (Frames5.reasonCode(p.body()) == 0x19) {
                return Action.reply(challenge(data));
              }
              byte[] serverFinal = scram.serverFinal(data);
              if (!connected.get()) {
                if (serverFinal == null) {
                  return Action.replyThenClose(
                      Frames5.connack(0x86, stringProperty(0x1F, "wrong proof")));
                }
                connected.set(true);
                return Action.reply(
                    Frames5.connack(
                        0x00, stringProperty(0x15, SCRAM), binaryProperty(0x16, serverFinal)));
              }
              if (serverFinal == null || refuseReauthentication.get()) {
                return Action.replyThenClose(
                    Frames5.disconnect(0x87, stringProperty(0x1F, "re-authentication refused")));
              }
              return Action.reply(
                  Frames5.auth(
                      0x00, stringProperty(0x15, SCRAM), binaryProperty(0x16, serverFinal)));
            }));
  }

  private byte[] challenge(byte[] clientFirst) {
    return Frames5.auth(
        0x18, stringProperty(0x15, SCRAM), binaryProperty(0x16, scram.serverFirst(clientFirst)));
  }

  @Test
  void scramSha256ConnectsThroughAuthAndNeverSendsThePassword() throws Exception {
    scramBroker();
    client = MqttClient.create("scram", v5().authMethod(SCRAM).build());

    assertThat(client.connect(uri("user", "pencil")).isAccepted()).isTrue();

    RawPacket connect = broker.takePacket(RawPacket.CONNECT, WAIT);
    int flags = connect.body()[7] & 0xFF;
    assertThat(flags & 0x80).as("user name flag").isNotZero();
    assertThat(flags & 0x40).as("password flag: the password is the method's").isZero();
    assertThat(text(only(Frames5.connectProperties(connect.body()), 0x16)))
        .startsWith("n,,n=user,r=");
    RawPacket clientFinal = broker.takePacket(RawPacket.AUTH, WAIT);
    assertThat(Frames5.reasonCode(clientFinal.body())).isEqualTo(0x18); // [MQTT-4.12.0-3]
    assertThat(client.publish("after/auth", new byte[] {1}, QoS.AT_LEAST_ONCE, false).qos())
        .isEqualTo(QoS.AT_LEAST_ONCE);
  }

  @Test
  void aWrongPasswordIsRefusedByTheBrokerAndTheConnectThrowsItsReasonCode() throws Exception {
    scramBroker();
    client = MqttClient.create("scram", v5().authMethod(SCRAM).build());

    assertThatThrownBy(() -> client.connect(uri("user", "crayon")))
        .isInstanceOfSatisfying(
            ConnectException.class,
            e -> {
              assertThat(e.reasonCode()).contains(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
              assertThat(e).hasMessageContaining("0x86").hasMessageContaining("wrong proof");
            });
    assertThat(client.isConnected()).isFalse();
  }

  @Test
  void aServerThatCannotProveItKnowsThePasswordIsRefusedWithDisconnect0x80() throws Exception {
    scramBroker();
    scram.forgeSignature = true;
    client = MqttClient.create("scram", v5().authMethod(SCRAM).build());

    assertThatThrownBy(() -> client.connect(uri("user", "pencil")))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("server signature is wrong")
        .hasCauseInstanceOf(AuthenticationException.class);

    RawPacket disconnect = broker.takePacket(RawPacket.DISCONNECT, WAIT);
    assertThat(Frames5.reasonCode(disconnect.body())).isEqualTo(0x80);
    assertThat(text(only(Frames5.reasonProperties(disconnect.body()), 0x1F)))
        .contains("server signature is wrong");
    assertThat(client.isConnected()).isFalse();
  }

  @Test
  void reauthenticateRunsAFreshScramExchangeOverAuth0x19AndTheConnectionGoesOn() throws Exception {
    scramBroker();
    client = MqttClient.create("scram", v5().authMethod(SCRAM).build());
    client.connect(uri("user", "pencil"));
    broker.takePacket(RawPacket.CONNECT, WAIT);
    broker.takePacket(RawPacket.AUTH, WAIT);

    client.reauthenticate();

    RawPacket start = broker.takePacket(RawPacket.AUTH, WAIT);
    assertThat(Frames5.reasonCode(start.body())).isEqualTo(0x19); // [MQTT-4.12.1-1]
    assertThat(text(only(Frames5.reasonProperties(start.body()), 0x16))).startsWith("n,,n=user,r=");
    assertThat(Frames5.reasonCode(broker.takePacket(RawPacket.AUTH, WAIT).body())).isEqualTo(0x18);
    assertThat(client.isConnected()).isTrue();
    client.publish("after/reauth", new byte[] {1}, QoS.AT_LEAST_ONCE, false);
    client.reauthenticate(); // and again
    assertThat(client.isConnected()).isTrue();
  }

  @Test
  void anAutomaticReconnectionAuthenticatesAfreshWithANewScramExchange() throws Exception {
    scramBroker();
    client =
        MqttClient.create(
            "scram",
            v5().authMethod(SCRAM)
                .autoReconnect(true)
                .reconnectMinInterval(Duration.ofMillis(50))
                .reconnectJitter(0)
                .build());
    client.connect(uri("user", "pencil"));
    String first =
        text(
            only(
                Frames5.connectProperties(broker.takePacket(RawPacket.CONNECT, WAIT).body()),
                0x16));

    broker.closeConnection();

    String second =
        text(
            only(
                Frames5.connectProperties(broker.takePacket(RawPacket.CONNECT, WAIT).body()),
                0x16));
    assertThat(second).startsWith("n,,n=user,r=").isNotEqualTo(first); // a fresh nonce
    await().atMost(WAIT).until(client::isConnected);
    assertThat(client.publish("after/reconnect", new byte[] {1}, QoS.AT_LEAST_ONCE, false).qos())
        .isEqualTo(QoS.AT_LEAST_ONCE);
  }

  @Test
  void aRefusedReauthenticationThrowsAuthenticationExceptionWithTheBrokersDisconnect()
      throws Exception {
    scramBroker();
    client = MqttClient.create("scram", v5().authMethod(SCRAM).build());
    client.connect(uri("user", "pencil"));
    refuseReauthentication.set(true);

    assertThatThrownBy(() -> client.reauthenticate())
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("refused")
        .hasMessageContaining("0x87")
        .cause()
        .isInstanceOfSatisfying(
            DisconnectedByBrokerException.class, d -> assertThat(d.reasonCode()).isEqualTo(0x87));
    assertThat(client.isConnected()).isFalse();
  }

  @Test
  void aReauthenticationTheBrokerNeverFinishesFailsWithinTheOperationTimeoutWithDisconnect0x80()
      throws Exception {
    scramBroker();
    client =
        MqttClient.create(
            "scram", v5().authMethod(SCRAM).operationTimeout(Duration.ofMillis(500)).build());
    client.connect(uri("user", "pencil"));
    broker.on(RawPacket.AUTH, Action.ignore()); // from now on, AUTH goes unanswered

    assertThatThrownBy(() -> client.reauthenticate())
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("did not complete within 500 ms (operation_timeout)");

    RawPacket disconnect = broker.takePacket(RawPacket.DISCONNECT, WAIT);
    assertThat(Frames5.reasonCode(disconnect.body())).isEqualTo(0x80); // [MQTT-4.12.1-2]
    assertThat(client.isConnected()).isFalse();
  }

  @Test
  void anAuthAfterConnackWithoutAReauthenticationIsAProtocolErrorAnsweredWithDisconnect0x82()
      throws Exception {
    scramBroker();
    client = MqttClient.create("scram", v5().authMethod(SCRAM).build());
    client.connect(uri("user", "pencil"));

    broker.sendRaw(
        Frames5.auth(0x18, stringProperty(0x15, SCRAM), binaryProperty(0x16, new byte[] {1})));

    RawPacket disconnect = broker.takePacket(RawPacket.DISCONNECT, WAIT);
    assertThat(Frames5.reasonCode(disconnect.body())).isEqualTo(0x82);
    assertThat(text(only(Frames5.reasonProperties(disconnect.body()), 0x1F)))
        .contains("while no re-authentication of the client is in progress");
  }

  @Test
  void anAuthWithAnotherMethodIsAProtocolErrorAnsweredWithDisconnect0x82() throws Exception {
    broker.onConnect(
        Action.reply(
            Frames5.auth(
                0x18, stringProperty(0x15, "OTHER"), binaryProperty(0x16, new byte[] {1}))));
    client = MqttClient.create("scram", v5().authMethod(SCRAM).build());

    assertThatThrownBy(() -> client.connect(uri("user", "pencil")))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("[MQTT-4.12.0-5]");

    RawPacket disconnect = broker.takePacket(RawPacket.DISCONNECT, WAIT);
    assertThat(Frames5.reasonCode(disconnect.body())).isEqualTo(0x82);
  }

  @Test
  void anAuthToAClientWithoutAnAuthenticationMethodFailsTheConnect() throws Exception {
    broker.onConnect(
        Action.reply(
            Frames5.auth(0x18, stringProperty(0x15, SCRAM), binaryProperty(0x16, new byte[] {1}))));
    client = MqttClient.create("plain", v5().build());

    assertThatThrownBy(() -> client.connect(broker.uri()))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("[MQTT-4.12.0-6]");
  }

  @Test
  void reauthenticateWithoutAnAuthenticationMethodIsRefusedBeforeAnythingIsSent() throws Exception {
    broker.onConnect(Action.reply(Frames5.connack(0x00)));
    client = MqttClient.create("plain", v5().build());
    client.connect(broker.uri());

    assertThatThrownBy(() -> client.reauthenticate())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("[MQTT-4.12.0-7]");
    assertThat(client.isConnected()).isTrue();
  }

  @Test
  void anAuthMethodNeedsProtocolVersion5() {
    client = MqttClient.create("v4", config().authMethod(SCRAM).build());

    assertThatThrownBy(() -> client.connect(uri("user", "pencil")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs protocol_version 5");
  }

  @Test
  void anAuthenticatorOfTheApplicationRunsOnTheConnectingThreadNeverOnTheReader() throws Exception {
    List<String> threads = new CopyOnWriteArrayList<>();
    Authenticator token =
        new Authenticator() {
          @Override
          public String method() {
            return "TOKEN";
          }

          @Override
          public Exchange start(AuthenticationContext context) {
            threads.add(Thread.currentThread().getName());
            return new Exchange() {
              @Override
              public byte[] initialData() {
                return "hello".getBytes(StandardCharsets.UTF_8);
              }

              @Override
              public byte[] challenge(byte[] data) {
                threads.add(Thread.currentThread().getName());
                return ("answer to " + text(data)).getBytes(StandardCharsets.UTF_8);
              }

              @Override
              public void success(byte[] data) {
                threads.add(Thread.currentThread().getName());
                assertThat(text(data)).isEqualTo("welcome");
              }
            };
          }
        };
    broker.onConnect(
        Action.reply(
            Frames5.auth(
                0x18,
                stringProperty(0x15, "TOKEN"),
                binaryProperty(0x16, "who?".getBytes(StandardCharsets.UTF_8)))));
    broker.on(
        RawPacket.AUTH,
        Action.choose(
            p -> {
              assertThat(text(only(Frames5.reasonProperties(p.body()), 0x16)))
                  .isEqualTo("answer to who?");
              return Action.reply(
                  Frames5.connack(
                      0x00,
                      stringProperty(0x15, "TOKEN"),
                      binaryProperty(0x16, "welcome".getBytes(StandardCharsets.UTF_8))));
            }));
    client = MqttClient.create("token", v5().authenticator(token).build());

    client.connect(broker.uri());

    assertThat(threads).hasSize(3).allSatisfy(t -> assertThat(t).doesNotContain("-reader"));
    assertThat(threads).containsOnly(Thread.currentThread().getName());
  }
}
