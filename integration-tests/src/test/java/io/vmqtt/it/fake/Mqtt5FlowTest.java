package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.QUIET;
import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static io.vmqtt.it.fake.Frames.bytes;
import static io.vmqtt.it.fake.Frames.concat;
import static io.vmqtt.it.fake.Frames5.fourBytes;
import static io.vmqtt.it.fake.Frames5.stringProperty;
import static io.vmqtt.it.fake.Frames5.twoBytes;
import static io.vmqtt.it.fake.Frames5.userProperty;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.vmqtt.ConnectOptions;
import io.vmqtt.ConnectionListener;
import io.vmqtt.ConnectionLostException;
import io.vmqtt.DisconnectedByBrokerException;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.Publish;
import io.vmqtt.PublishRefusedException;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import io.vmqtt.ReasonCode;
import io.vmqtt.Subscription;
import io.vmqtt.UserProperty;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MQTT 5 against the scripted broker, for what mosquitto will not do on demand: CONNECT's exact
 * properties, a CONNACK with any properties, error reason codes on acknowledgements, the broker's
 * DISCONNECT, topic aliases, and the client's DISCONNECT with the reason code of a violation.
 */
class Mqtt5FlowTest {
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

  /** Generous timeouts: no test here waits for one to expire, and the machine may be loaded. */
  private static MqttConfig.Builder v5() {
    return config()
        .protocolVersion(5)
        .connectTimeout(Duration.ofSeconds(10))
        .operationTimeout(Duration.ofSeconds(10));
  }

  /** Connects with {@code config}; the broker answers CONNACK Success with these properties. */
  private void connect(MqttConfig config, byte[]... connackProperties) throws Exception {
    broker.onConnect(Action.reply(Frames5.connack(0x00, connackProperties)));
    client = MqttClient.create("fake-v5", config);
    client.connect(broker.uri());
    broker.takePacket(RawPacket.CONNECT, WAIT);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void connectCarriesCleanStartSessionExpiryReceiveMaximumTopicAliasMaximumPacketSizeAndUser()
      throws Exception {
    broker.onConnect(Action.reply(Frames5.connack(0x00)));
    client =
        MqttClient.create(
            "c5",
            v5().cleanSession(false)
                .receiveMaximum(100)
                .topicAliasMaximum(5)
                .maxPacketSize(4096)
                .build());
    client.connect(
        broker.uri(),
        ConnectOptions.builder().userProperty("a", "1").userProperty("a", "2").build());

    RawPacket connect = broker.takePacket(RawPacket.CONNECT, WAIT);
    assertThat(connect.body())
        .isEqualTo(
            bytes(
                0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name
                0x05, // protocol level 5
                0x00, // flags: Clean Start 0 (cleansession false), no will, no credentials
                0x00, 0x3C, // keep-alive 60
                0x1E, // Property Length 30
                0x11, 0xFF, 0xFF, 0xFF, 0xFF, // Session Expiry Interval: never (cleansession false)
                0x21, 0x00, 0x64, // Receive Maximum 100
                0x22, 0x00, 0x05, // Topic Alias Maximum 5
                0x26, 0x00, 0x01, 'a', 0x00, 0x01, '1', // User Property a=1
                0x26, 0x00, 0x01, 'a', 0x00, 0x01, '2', // User Property a=2, repeated, in order
                0x27, 0x00, 0x00, 0x10, 0x00, // Maximum Packet Size 4096
                0x00, 0x02, 'c', '5')); // client identifier
  }

  @Test
  void cleanSessionTrueIsCleanStartWithNoSessionExpiryAndDefaultsAreLeftOut() throws Exception {
    broker.onConnect(Action.reply(Frames5.connack(0x00)));
    client = MqttClient.create("c5", v5().maxPacketSize(268_435_460).build());
    client.connect(broker.uri());

    assertThat(broker.takePacket(RawPacket.CONNECT, WAIT).body())
        .isEqualTo(
            bytes(
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, // protocol name and level
                0x02, // flags: Clean Start
                0x00, 0x3C, // keep-alive 60
                0x00, // no properties: expiry 0, receive maximum 65535, no aliases, no size limit
                0x00, 0x02, 'c', '5'));
  }

  @Test
  void anMqtt5RefusalThrowsWithItsReasonCodeAndReasonString() throws Exception {
    broker.onConnect(
        Action.replyThenClose(Frames5.connack(0x8A, stringProperty(0x1F, "too many attempts"))));
    client = MqttClient.create("c5", v5().build());

    assertThatThrownBy(() -> client.connect(broker.uri()))
        .isInstanceOfSatisfying(
            io.vmqtt.ConnectException.class,
            e -> {
              assertThat(e.reasonCode()).contains(ReasonCode.BANNED);
              assertThat(e.returnCode()).isEqualTo(0x8A);
              assertThat(e.connack())
                  .hasValueSatisfying(
                      c -> assertThat(c.reasonString()).contains("too many attempts"));
            })
        .hasMessageEndingWith(
            "reason code 0x8A (" + ReasonCode.BANNED.description() + "): too many attempts");
  }

  @Test
  void userPropertiesOfConnectNeedMqtt5() {
    client = MqttClient.create("c3", config().build());
    assertThatThrownBy(
            () ->
                client.connect(
                    broker.uri(), ConnectOptions.builder().userProperty("a", "1").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "user properties of CONNECT need protocol_version 5 (MQTT 5.0), was 4: MQTT"
                + " 3.1/3.1.1 has no properties");
  }

  @Test
  void theServerKeepAliveReplacesTheConfiguredOne() throws Exception {
    // keep_alive 60 would send no PINGREQ for 59 s; Server Keep Alive 1 makes it 1 s.
    connect(v5().pingDelay(Duration.ZERO).build(), twoBytes(0x13, 1));

    broker.takePacket(RawPacket.PINGREQ, WAIT);
  }

  @Test
  void theServerReceiveMaximumBoundsThePublishesInFlight() throws Exception {
    broker.on(RawPacket.PUBLISH, Action.ignore());
    connect(
        v5().maxInflight(20).operationTimeout(Duration.ofSeconds(30)).build(), twoBytes(0x21, 2));

    List<BackgroundCall<PublishResult>> calls =
        List.of(publish("w/1"), publish("w/2"), publish("w/3"), publish("w/4"));
    RawPacket first = broker.takePacket(RawPacket.PUBLISH, WAIT);
    broker.takePacket(RawPacket.PUBLISH, WAIT);
    assertThat(broker.pollPacket(QUIET)).isEmpty(); // [MQTT-3.3.4-9]: two, and no more

    broker.sendRaw(Frames.puback(first.packetId()));
    broker.takePacket(RawPacket.PUBLISH, WAIT); // a slot freed, one more goes
    assertThat(broker.pollPacket(QUIET)).isEmpty();
    assertThat(calls.stream().filter(BackgroundCall::isDone).count()).isLessThanOrEqualTo(1);
  }

  private BackgroundCall<PublishResult> publish(String topic) {
    return BackgroundCall.start(
        topic, () -> client.publish(topic, utf8(topic), QoS.AT_LEAST_ONCE, false));
  }

  @Test
  void anErrorPubackFailsThePublishWithItsReasonCodeStringAndUserPropertiesAndFreesItsSlot()
      throws Exception {
    broker.enqueue(
        RawPacket.PUBLISH,
        Action.reply(
            p ->
                Frames5.ack(
                    RawPacket.PUBACK,
                    p.packetId(),
                    0x97,
                    stringProperty(0x1F, "quota of 3 used"),
                    userProperty("quota", "3"),
                    userProperty("quota", "day"))));
    connect(v5().build(), twoBytes(0x21, 1)); // one slot: the next publish needs it freed

    Throwable failure =
        catchThrowable(() -> client.publish("q/x", utf8("over"), QoS.AT_LEAST_ONCE, false));

    assertThat(failure)
        .isInstanceOfSatisfying(
            PublishRefusedException.class,
            e -> {
              assertThat(e.reasonCode()).isEqualTo(0x97);
              assertThat(e.reasonString()).contains("quota of 3 used");
              assertThat(e.userProperties())
                  .containsExactly(
                      new UserProperty("quota", "3"), new UserProperty("quota", "day"));
            })
        .hasMessage(
            "publish to 'q/x' at QoS 1 failed: the broker refused it: PUBACK for packet id 1 has"
                + " reason code 0x97 (quota exceeded): quota of 3 used");
    assertThat(client.publish("q/y", utf8("fine"), QoS.AT_LEAST_ONCE, false).qos())
        .isEqualTo(QoS.AT_LEAST_ONCE);
  }

  @Test
  void anErrorPubrecEndsTheFlowWithoutPubrel() throws Exception {
    broker.enqueue(
        RawPacket.PUBLISH, Action.reply(p -> Frames5.ack(RawPacket.PUBREC, p.packetId(), 0x80)));
    connect(v5().build(), twoBytes(0x21, 1));

    assertThatThrownBy(() -> client.publish("q/x", utf8("no"), QoS.EXACTLY_ONCE, false))
        .isInstanceOfSatisfying(
            PublishRefusedException.class, e -> assertThat(e.reasonCode()).isEqualTo(0x80))
        .hasMessageEndingWith("PUBREC for packet id 1 has reason code 0x80 (unspecified error)");
    broker.takePacket(RawPacket.PUBLISH, WAIT);

    client.publish("q/y", utf8("yes"), QoS.EXACTLY_ONCE, false);
    // What followed the refused PUBLISH: the next PUBLISH and its PUBREL, no PUBREL for id 1.
    RawPacket next = broker.takePacket(WAIT);
    assertThat(next.type()).isEqualTo(RawPacket.PUBLISH);
    RawPacket rel = broker.takePacket(WAIT);
    assertThat(rel.type()).isEqualTo(RawPacket.PUBREL);
    assertThat(rel.packetId()).isEqualTo(next.packetId());
  }

  @Test
  void noMatchingSubscribersIsASuccessInPubackAndInPubrec() throws Exception {
    broker.on(
        RawPacket.PUBLISH,
        Action.reply(
            p ->
                Frames5.ack(
                    p.qos() == 1 ? RawPacket.PUBACK : RawPacket.PUBREC, p.packetId(), 0x10)));
    connect(v5().build());

    assertThat(client.publish("nobody", utf8("hears"), QoS.AT_LEAST_ONCE, false))
        .isEqualTo(
            PublishResult.builder(QoS.AT_LEAST_ONCE, 1)
                .reasonCode(ReasonCode.NO_MATCHING_SUBSCRIBERS)
                .build());
    assertThat(client.publish("nobody", utf8("hears"), QoS.EXACTLY_ONCE, false))
        .isEqualTo(
            PublishResult.builder(QoS.EXACTLY_ONCE, 2)
                .reasonCode(ReasonCode.NO_MATCHING_SUBSCRIBERS)
                .build());
  }

  @Test
  void subackReasonCodesOfMqtt5AreReturnedPerFilter() throws Exception {
    broker.on(
        RawPacket.SUBSCRIBE,
        Action.reply(
            p ->
                Frames.frame(
                    RawPacket.SUBACK,
                    0,
                    concat(
                        bytes(p.packetId() >> 8, p.packetId() & 0xFF),
                        Frames5.withLength(stringProperty(0x1F, "no wildcards for you")),
                        bytes(0x01, 0xA2, 0x87)))));
    connect(v5().build());

    assertThat(
            client.subscribe(
                List.of(
                    Subscription.of("ok", QoS.AT_LEAST_ONCE),
                    Subscription.of("wild/#", QoS.AT_LEAST_ONCE),
                    Subscription.of("secret", QoS.AT_LEAST_ONCE))))
        .containsExactly(0x01, 0xA2, 0x87);
  }

  @Test
  void receivedPropertiesReachTheMessageSubscriptionIdentifiersIncluded() throws Exception {
    connect(v5().build());

    broker.sendRaw(
        Frames5.publish(
            "req/x",
            "hi",
            bytes(0x01, 0x01), // Payload Format Indicator: UTF-8
            fourBytes(0x02, 30), // Message Expiry Interval 30 s
            stringProperty(0x03, "text/plain"),
            stringProperty(0x08, "resp/x"),
            Frames5.property(0x09, Frames5.string("id-1")), // Correlation Data "id-1"
            bytes(0x0B, 0x05), // Subscription Identifier 5
            bytes(0x0B, 0x80, 0x01), // Subscription Identifier 128
            userProperty("a", "1"),
            userProperty("a", "2")));

    Message m = take();
    assertThat(m.topic()).isEqualTo("req/x");
    assertThat(m.payloadAsString()).isEqualTo("hi");
    assertThat(m.payloadUtf8()).isTrue();
    assertThat(m.messageExpiryInterval()).contains(Duration.ofSeconds(30));
    assertThat(m.contentType()).contains("text/plain");
    assertThat(m.responseTopic()).contains("resp/x");
    assertThat(m.correlationData()).hasValueSatisfying(d -> assertThat(d).isEqualTo(utf8("id-1")));
    assertThat(m.subscriptionIdentifiers()).containsExactly(5, 128);
    assertThat(m.userProperties())
        .containsExactly(new UserProperty("a", "1"), new UserProperty("a", "2"));
  }

  @Test
  void publishPropertiesGoOnTheWireInIdentifierOrder() throws Exception {
    connect(v5().build());

    client.publish(
        Publish.builder("p/x")
            .payload("hi")
            .qos(QoS.AT_LEAST_ONCE)
            .payloadUtf8(true)
            .messageExpiryInterval(Duration.ofSeconds(30))
            .contentType("text/plain")
            .responseTopic("r/x")
            .correlationData(new byte[] {7})
            .userProperty("k", "v")
            .build());

    RawPacket p = broker.takePacket(RawPacket.PUBLISH, WAIT);
    assertThat(p.body())
        .isEqualTo(
            bytes(
                0x00, 0x03, 'p', '/', 'x', // topic name
                0x00, 0x01, // packet identifier 1
                0x25, // Property Length 37
                0x01, 0x01, // Payload Format Indicator: UTF-8
                0x02, 0x00, 0x00, 0x00, 0x1E, // Message Expiry Interval 30
                0x03, 0x00, 0x0A, 't', 'e', 'x', 't', '/', 'p', 'l', 'a', 'i', 'n', // Content Type
                0x08, 0x00, 0x03, 'r', '/', 'x', // Response Topic
                0x09, 0x00, 0x01, 0x07, // Correlation Data
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // User Property k=v
                'h', 'i')); // payload
  }

  @Test
  void aPayloadMarkedUtf8MustBeUtf8() {
    assertThatThrownBy(
            () ->
                Publish.builder("p/x").payload(new byte[] {(byte) 0xC3}).payloadUtf8(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "payload must be well-formed UTF-8 with payloadUtf8(true) [MQTT-3.3.2.3.2]");
  }

  @Test
  void theBrokersDisconnectReachesTheListenerAndTheWaitingCallsWithItsReason() throws Exception {
    broker.on(RawPacket.PUBLISH, Action.ignore());
    connect(v5().operationTimeout(Duration.ofSeconds(30)).build());
    CompletableFuture<Throwable> lost = new CompletableFuture<>();
    client.addConnectionListener(
        new ConnectionListener() {
          @Override
          public void connectionLost(Throwable cause) {
            lost.complete(cause);
          }
        });
    BackgroundCall<PublishResult> waiting = publish("d/x");
    broker.takePacket(RawPacket.PUBLISH, WAIT);

    broker.sendRaw(
        Frames5.disconnect(
            0x9C,
            stringProperty(0x1F, "maintenance"),
            stringProperty(0x1C, "other.example:1883"),
            userProperty("until", "noon")));

    Throwable cause = lost.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(cause)
        .isInstanceOfSatisfying(
            DisconnectedByBrokerException.class,
            d -> {
              assertThat(d.reasonCode()).isEqualTo(0x9C);
              assertThat(d.reasonString()).contains("maintenance");
              assertThat(d.serverReference()).contains("other.example:1883");
              assertThat(d.userProperties()).containsExactly(new UserProperty("until", "noon"));
            })
        .hasMessageEndingWith(
            "disconnected with reason code 0x9C (use another server): maintenance (server"
                + " reference: other.example:1883)");
    assertThat(waiting.failure()).isInstanceOf(ConnectionLostException.class).hasCause(cause);
    // The client answers a DISCONNECT with nothing: it closes [MQTT-3.14.4-1].
    assertThat(broker.awaitConnectionClosed(WAIT)).isTrue();
    assertThat(broker.pollPacket(QUIET)).isEmpty();
  }

  @Test
  void inboundTopicAliasesAreResolved() throws Exception {
    connect(v5().topicAliasMaximum(2).build());

    broker.sendRaw(Frames5.publish("a/b", "first", twoBytes(0x23, 1)));
    broker.sendRaw(Frames5.publish("", "second", twoBytes(0x23, 1)));
    broker.sendRaw(Frames5.publish("c/d", "third", twoBytes(0x23, 1))); // a new mapping for 1
    broker.sendRaw(Frames5.publish("", "fourth", twoBytes(0x23, 1)));

    assertThat(
            List.of(take(), take(), take(), take()).stream()
                .map(m -> m.topic() + "=" + m.payloadAsString()))
        .containsExactly("a/b=first", "a/b=second", "c/d=third", "c/d=fourth");
  }

  private Message take() throws Exception {
    return client.deliverMessage(WAIT);
  }

  @Test
  void anAliasAboveTheMaximumIsAnsweredWithDisconnect0x94() throws Exception {
    connect(v5().topicAliasMaximum(2).build());

    broker.sendRaw(Frames5.publish("a/b", "x", twoBytes(0x23, 3)));

    assertDisconnect(
        0x94,
        "Protocol violation: PUBLISH with Topic Alias 3 above the Topic Alias Maximum 2 of"
            + " CONNECT [MQTT-3.3.2-11]");
  }

  @Test
  void anAliasWithoutMappingIsAProtocolError() throws Exception {
    connect(v5().topicAliasMaximum(2).build());

    broker.sendRaw(Frames5.publish("", "x", twoBytes(0x23, 2)));

    assertDisconnect(
        0x82,
        "Protocol violation: PUBLISH with an empty topic name and Topic Alias 2, which has no"
            + " mapping on this connection (section 3.3.2.3.4)");
  }

  @Test
  void anAliasIsRefusedWhenTheClientAllowsNone() throws Exception {
    connect(v5().build()); // topic_alias_maximum 0

    broker.sendRaw(Frames5.publish("a/b", "x", twoBytes(0x23, 1)));

    assertDisconnect(
        0x94,
        "Protocol violation: PUBLISH with Topic Alias 1 above the Topic Alias Maximum 0 of"
            + " CONNECT [MQTT-3.3.2-11]");
  }

  @Test
  void aMalformedPacketIsAnsweredWithDisconnect0x81() throws Exception {
    connect(v5().build());

    broker.sendRaw(bytes(0x36, 0x04, 0x00, 0x01, 't', 0x00)); // PUBLISH with QoS 3

    assertDisconnect(0x81, "Malformed PUBLISH: QoS 3 is not allowed [MQTT-3.3.1-4]");
  }

  @Test
  void aTooLargePacketIsAnsweredWithDisconnect0x95() throws Exception {
    connect(v5().maxPacketSize(64).build());

    broker.sendRaw(Frames.header(RawPacket.PUBLISH, 0, 100)); // announces 102 bytes of 64

    RawPacket d = broker.takePacket(RawPacket.DISCONNECT, WAIT);
    assertThat(d.body()[0] & 0xFF).isEqualTo(0x95);
    assertThat(broker.awaitConnectionClosed(WAIT)).isTrue();
  }

  /** The client sent DISCONNECT with this reason code and message as Reason String, and closed. */
  private void assertDisconnect(int reasonCode, String reason) throws Exception {
    RawPacket d = broker.takePacket(RawPacket.DISCONNECT, WAIT);
    byte[] r = utf8(reason);
    assertThat(d.body())
        .isEqualTo(
            concat(bytes(reasonCode), Frames5.withLength(Frames5.stringProperty(0x1F, reason))));
    assertThat(r.length).isLessThanOrEqualTo(200);
    assertThat(broker.awaitConnectionClosed(WAIT)).isTrue();
    // The socket closes first, then the client's state changes.
    await().atMost(WAIT).until(() -> !client.isConnected());
  }
}
