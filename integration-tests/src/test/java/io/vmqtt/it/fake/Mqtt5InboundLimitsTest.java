package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.QUIET;
import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.v5;
import static io.vmqtt.it.fake.Frames.bytes;
import static io.vmqtt.it.fake.Frames.concat;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.ConnectionLostException;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.ProtocolException;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the client enforces on what an MQTT 5 broker sends: no more unacknowledged QoS 1/2 messages
 * than our Receive Maximum [MQTT-3.3.4-9], and a payload that is UTF-8 where its Payload Format
 * Indicator says so (section 3.3.2.3.2).
 */
class Mqtt5InboundLimitsTest {
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

  private void connect(MqttConfig config) throws Exception {
    broker.onConnect(Action.reply(Frames5.connack(0x00)));
    client = MqttClient.create("limits-v5", config);
    client.connect(broker.uri());
    broker.takePacket(RawPacket.CONNECT, WAIT);
  }

  /** An MQTT 5 PUBLISH at QoS 1 or 2 (3.3): topic, packet id, properties, payload. */
  private static byte[] publish(String topic, int qos, int packetId, byte[] payload, byte[]... p) {
    return Frames.frame(
        RawPacket.PUBLISH,
        qos << 1,
        concat(
            Frames5.string(topic),
            bytes(packetId >> 8, packetId & 0xFF),
            Frames5.withLength(p),
            payload));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void moreUnacknowledgedMessagesThanOurReceiveMaximumAreAnsweredWithDisconnect0x93()
      throws Exception {
    // manual_ack: nothing is acknowledged, so two messages hold both places of Receive Maximum 2.
    broker.on(RawPacket.PUBLISH, Action.ignore());
    connect(
        v5().receiveMaximum(2).manualAck(true).operationTimeout(Duration.ofSeconds(30)).build());
    BackgroundCall<PublishResult> waiting =
        BackgroundCall.start(
            "publish", () -> client.publish("out", utf8("x"), QoS.AT_LEAST_ONCE, false));
    broker.takePacket(RawPacket.PUBLISH, WAIT);

    broker.sendRaw(publish("in/1", 1, 1, utf8("a")));
    broker.sendRaw(publish("in/2", 2, 2, utf8("b")));
    broker.sendRaw(publish("in/3", 1, 3, utf8("c"))); // the third: [MQTT-3.3.4-9] broken

    RawPacket d = broker.takePacket(RawPacket.DISCONNECT, WAIT);
    assertThat(d.body()[0] & 0xFF).isEqualTo(0x93);
    assertThat(new String(d.body(), StandardCharsets.UTF_8))
        .contains("while 2 of its QoS 1/2 messages await our PUBACK or PUBCOMP");
    assertThat(broker.awaitConnectionClosed(WAIT)).isTrue();
    Throwable failure = waiting.failure();
    assertThat(failure).isInstanceOf(ConnectionLostException.class);
    assertThat(failure.getCause())
        .isInstanceOf(ProtocolException.class)
        .hasMessage(
            "Protocol violation: the broker sent QoS 1 PUBLISH packet id 3 to 'in/3' while 2 of"
                + " its QoS 1/2 messages await our PUBACK or PUBCOMP, our Receive Maximum"
                + " (receive_maximum) [MQTT-3.3.4-9]: Receive Maximum exceeded (0x93)");
  }

  @Test
  void messagesUpToOurReceiveMaximumAreTakenAndAnAcknowledgedOneFreesItsPlace() throws Exception {
    connect(v5().receiveMaximum(2).build());

    broker.sendRaw(publish("in/1", 1, 1, utf8("a")));
    broker.sendRaw(publish("in/2", 1, 2, utf8("b")));
    assertThat(client.deliverMessage(WAIT).topic()).isEqualTo("in/1"); // taken: PUBACK goes out
    assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(1);
    broker.sendRaw(publish("in/3", 1, 3, utf8("c")));

    assertThat(client.deliverMessage(WAIT).topic()).isEqualTo("in/2");
    assertThat(client.deliverMessage(WAIT).topic()).isEqualTo("in/3");
    assertThat(client.isConnected()).isTrue();
  }

  @Test
  void aQos1MessageDeclaredUtf8ThatIsNotIsRefusedWithPuback0x99AndNotDelivered() throws Exception {
    connect(v5().build());

    broker.sendRaw(publish("bad", 1, 1, bytes(0xC3, 0x28), bytes(0x01, 0x01)));
    broker.sendRaw(publish("good", 1, 2, utf8("ok"), bytes(0x01, 0x01)));

    Message m = client.deliverMessage(WAIT);
    assertThat(m.topic()).isEqualTo("good");
    RawPacket refusal = broker.takePacket(RawPacket.PUBACK, WAIT);
    assertThat(refusal.packetId()).isEqualTo(1);
    assertThat(refusal.body())
        .isEqualTo(
            concat(
                bytes(0x00, 0x01, 0x99),
                Frames5.withLength(
                    Frames5.stringProperty(
                        0x1F,
                        "the payload is not well-formed UTF-8, though its Payload Format"
                            + " Indicator is 1"))));
    assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).body()).isEqualTo(bytes(0x00, 0x02));
    assertThat(client.isConnected()).isTrue();
  }

  @Test
  void aQos2MessageDeclaredUtf8ThatIsNotIsRefusedWithPubrec0x99AndNoPubrelIsAwaited()
      throws Exception {
    connect(v5().build());

    broker.sendRaw(publish("bad", 2, 7, bytes(0xED, 0xA0, 0x80), bytes(0x01, 0x01))); // U+D800

    RawPacket refusal = broker.takePacket(RawPacket.PUBREC, WAIT);
    assertThat(refusal.packetId()).isEqualTo(7);
    assertThat(refusal.body()[2] & 0xFF).isEqualTo(0x99);
    // The flow ended (section 4.3.3): the same packet id is a new message now.
    broker.sendRaw(publish("next", 2, 7, utf8("fine")));
    assertThat(client.deliverMessage(WAIT).topic()).isEqualTo("next");
  }

  @Test
  void aQos0MessageDeclaredUtf8ThatIsNotIsDroppedAndTheConnectionStays() throws Exception {
    connect(v5().build());

    broker.sendRaw(
        Frames.frame(
            RawPacket.PUBLISH,
            0,
            concat(Frames5.string("bad"), Frames5.withLength(bytes(0x01, 0x01)), bytes(0xFF))));
    broker.sendRaw(Frames5.publish("good", "ok", bytes(0x01, 0x01)));

    assertThat(client.deliverMessage(WAIT).topic()).isEqualTo("good");
    assertThat(broker.pollPacket(QUIET)).isEmpty();
    assertThat(client.isConnected()).isTrue();
  }

  @Test
  void aPayloadWithoutTheIndicatorIsNotLookedAt() throws Exception {
    connect(v5().build());

    broker.sendRaw(publish("binary", 1, 1, bytes(0xFF, 0xFE)));

    assertThat(client.deliverMessage(WAIT).payload()).containsExactly(0xFF, 0xFE);
  }
}
