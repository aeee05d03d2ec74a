package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.QUIET;
import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static io.vmqtt.it.fake.ClientSupport.v5;
import static io.vmqtt.it.fake.Frames.bytes;
import static io.vmqtt.it.fake.Frames5.stringProperty;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vmqtt.Connack;
import io.vmqtt.ConnectionListener;
import io.vmqtt.ConnectionState;
import io.vmqtt.DisconnectOptions;
import io.vmqtt.DisconnectedByBrokerException;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.MqttException;
import io.vmqtt.QoS;
import io.vmqtt.ReasonCode;
import io.vmqtt.Will;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MQTT 5's ends of a connection against the scripted broker: the client's DISCONNECT with a reason
 * code, a new Session Expiry Interval, a reason string and user properties (and what it refuses to
 * send), the broker's DISCONNECT with a permanent or a transient reason, and the will's properties
 * in CONNECT.
 */
class Mqtt5DisconnectTest {
  private FakeBroker broker;
  private MqttClient client;

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

  private RawPacket connect(MqttConfig config) throws Exception {
    broker.onConnect(Action.reply(Frames5.connack(0x00)));
    client = MqttClient.create("end-v5", config);
    client.connect(broker.uri());
    return broker.takePacket(RawPacket.CONNECT, WAIT);
  }

  @Test
  void disconnectCarriesTheReasonCodeANewSessionExpiryTheReasonStringAndUserProperties()
      throws Exception {
    connect(v5().sessionExpiryInterval(Duration.ofSeconds(60)).build());

    client.disconnect(
        DisconnectOptions.builder()
            .reasonCode(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
            .sessionExpiryInterval(Duration.ofSeconds(3600))
            .reasonString("bye")
            .userProperty("k", "v")
            .build());

    assertThat(broker.takePacket(RawPacket.DISCONNECT, WAIT).body())
        .isEqualTo(
            bytes(
                0x04, // Disconnect with Will Message
                0x12, // Property Length 18
                0x11, 0x00, 0x00, 0x0E, 0x10, // Session Expiry Interval 3600
                0x1F, 0x00, 0x03, 'b', 'y', 'e', // Reason String
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v')); // User Property k=v
    assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
  }

  @Test
  void thePlainDisconnectIsTheShortestOne() throws Exception {
    connect(v5().build());

    client.disconnect();

    assertThat(broker.takePacket(RawPacket.DISCONNECT, WAIT).body()).isEmpty();
  }

  @Test
  void raisingASessionExpiryOfZeroFailsBeforeSendingAndTheClientStaysConnected() throws Exception {
    connect(v5().build()); // cleansession true: Session Expiry Interval 0

    assertThatThrownBy(
            () ->
                client.disconnect(
                    DisconnectOptions.builder()
                        .sessionExpiryInterval(Duration.ofSeconds(60))
                        .build()))
        .isInstanceOf(MqttException.class)
        .hasMessage(
            "disconnect with DisconnectOptions[reasonCode=0x00, sessionExpiryInterval=60s] failed"
                + " before sending: CONNECT's Session Expiry Interval was 0, and raising it in"
                + " DISCONNECT is a Protocol Error (section 3.14.2.2.2); connect with a"
                + " session_expiry_interval (or cleansession false) to keep the session");
    assertThat(client.isConnected()).isTrue();
    assertThat(broker.pollPacket(QUIET)).isEmpty();

    // Zero stays allowed: it is what CONNECT said.
    client.disconnect(DisconnectOptions.builder().sessionExpiryInterval(Duration.ZERO).build());
    assertThat(broker.takePacket(RawPacket.DISCONNECT, WAIT).body())
        .isEqualTo(bytes(0x00, 0x05, 0x11, 0x00, 0x00, 0x00, 0x00));
  }

  @Test
  void disconnectOptionsOnAnMqtt311ConnectionFailBeforeSending() throws Exception {
    broker.onConnect(Action.reply(Frames.connack(false, 0)));
    client = MqttClient.create("end-311", config().build());
    client.connect(broker.uri());

    assertThatThrownBy(
            () -> client.disconnect(DisconnectOptions.builder().reasonString("bye").build()))
        .isInstanceOf(MqttException.class)
        .hasMessage(
            "disconnect with DisconnectOptions[reasonCode=0x00, reasonString=bye] failed before"
                + " sending: that needs protocol_version 5; the connection speaks MQTT 3.1.1, whose"
                + " DISCONNECT says nothing");
    assertThat(client.isConnected()).isTrue();
    client.disconnect(DisconnectOptions.defaults());
    assertThat(broker.takePacket(RawPacket.DISCONNECT, WAIT).body()).isEmpty();
  }

  @Test
  void aPermanentReasonOfTheBrokerStopsAutomaticReconnection() throws Exception {
    connect(v5().autoReconnect(true).reconnectMinInterval(Duration.ofMillis(50)).build());
    CompletableFuture<Throwable> lost = new CompletableFuture<>();
    CompletableFuture<Connack> reconnected = new CompletableFuture<>();
    client.addConnectionListener(listener(lost, reconnected));

    broker.sendRaw(
        Frames5.disconnect(0x8E, stringProperty(0x1F, "another connection took client end-v5")));

    assertThat(lost.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .isInstanceOfSatisfying(
            DisconnectedByBrokerException.class,
            d -> {
              assertThat(d.reasonCode()).isEqualTo(0x8E);
              assertThat(d.isPermanent()).isTrue();
              assertThat(d.reasonString()).contains("another connection took client end-v5");
            });
    await().atMost(WAIT).until(() -> client.state() == ConnectionState.DISCONNECTED);
    assertThat(broker.pollPacket(Duration.ofMillis(500))).isEmpty(); // no CONNECT: no retry
    assertThat(broker.connectionCount()).isEqualTo(1);
    assertThat(reconnected).isNotDone();
  }

  @Test
  void aTransientReasonOfTheBrokerIsFollowedByAutomaticReconnection() throws Exception {
    connect(v5().autoReconnect(true).reconnectMinInterval(Duration.ofMillis(50)).build());
    CompletableFuture<Throwable> lost = new CompletableFuture<>();
    CompletableFuture<Connack> reconnected = new CompletableFuture<>();
    client.addConnectionListener(listener(lost, reconnected));

    broker.sendRaw(Frames5.disconnect(0x8B)); // Server shutting down

    assertThat(lost.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .isInstanceOfSatisfying(
            DisconnectedByBrokerException.class, d -> assertThat(d.isPermanent()).isFalse());
    broker.takePacket(RawPacket.CONNECT, WAIT);
    assertThat(reconnected.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).returnCode()).isZero();
  }

  private static ConnectionListener listener(
      CompletableFuture<Throwable> lost, CompletableFuture<Connack> reconnected) {
    return new ConnectionListener() {
      @Override
      public void connectionLost(Throwable cause) {
        lost.complete(cause);
      }

      @Override
      public void reconnected(Connack connack) {
        reconnected.complete(connack);
      }
    };
  }

  @Test
  void theWillsPropertiesGoInConnectBeforeItsTopic() throws Exception {
    Will will =
        Will.builder("w")
            .payload("x")
            .qos(QoS.AT_LEAST_ONCE)
            .delayInterval(Duration.ofSeconds(5))
            .messageExpiryInterval(Duration.ofSeconds(60))
            .contentType("t")
            .responseTopic("r")
            .correlationData(new byte[] {9})
            .payloadUtf8(true)
            .userProperty("u", "v")
            .build();

    RawPacket connect = connect(v5().will(will).build());

    assertThat(connect.body())
        .isEqualTo(
            bytes(
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, // protocol name and level
                0x0E, // flags: will QoS 1 (0x08), will (0x04), Clean Start (0x02)
                0x00, 0x3C, // keep-alive 60
                0x05, 0x27, 0x01, 0x00, 0x00, 0x00, // Maximum Packet Size 16 MiB (max_packet_size)
                0x00, 0x06, 'e', 'n', 'd', '-', 'v', '5', // client identifier
                0x1F, // Will Properties Length 31
                0x01, 0x01, // Payload Format Indicator: UTF-8
                0x02, 0x00, 0x00, 0x00, 0x3C, // Message Expiry Interval 60
                0x03, 0x00, 0x01, 't', // Content Type
                0x08, 0x00, 0x01, 'r', // Response Topic
                0x09, 0x00, 0x01, 0x09, // Correlation Data
                0x18, 0x00, 0x00, 0x00, 0x05, // Will Delay Interval 5
                0x26, 0x00, 0x01, 'u', 0x00, 0x01, 'v', // User Property u=v
                0x00, 0x01, 'w', // will topic
                0x00, 0x01, 'x')); // will payload
  }

  @Test
  void aWillWithMqtt5PropertiesFailsConnectAtMqtt311() {
    client =
        MqttClient.create(
            "end-311",
            config().will(Will.builder("w").delayInterval(Duration.ofSeconds(5)).build()).build());

    assertThatThrownBy(() -> client.connect(broker.uri()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the will's MQTT 5 properties (Will[topic=w, payload=0 bytes, qos=0, retain=false,"
                + " delayInterval=5s]) need protocol_version 5 (MQTT 5.0), was 4: MQTT 3.1/3.1.1"
                + " has no Will Properties");
    assertThat(broker.connectionCount()).isZero();
  }
}
