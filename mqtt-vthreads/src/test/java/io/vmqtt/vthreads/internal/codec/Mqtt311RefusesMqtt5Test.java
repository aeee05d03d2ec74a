package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What MQTT 5 adds to the packet model, at an MQTT 3.1.1 connection: the encoder refuses what has
 * no 3.1.1 form (nothing is written), the decoder refuses the MQTT 5 forms as malformed 3.1.1
 * packets with the 3.1.1 statement, and everything 3.1.1 has stays as it was on the wire.
 */
class Mqtt311RefusesMqtt5Test {
  private static final PacketCodec MQTT_3_1_1 = TestBytes.codec(4);
  private static final Properties REASON = Properties.builder().reasonString("why").build();

  static Stream<Arguments> unsendable() {
    return Stream.of(
        arguments(
            new PubackPacket(7, 0x10, Properties.EMPTY),
            "MQTT 3.1.1 cannot send a PUBACK with reason code 0x10: its PUBACK is a packet"
                + " identifier only [MQTT-3.4.1]"),
        arguments(
            new PubrecPacket(7, 0x80, Properties.EMPTY),
            "MQTT 3.1.1 cannot send a PUBREC with reason code 0x80: its PUBREC is a packet"
                + " identifier only [MQTT-3.5.1]"),
        arguments(
            new PubrelPacket(7, 0, REASON),
            "MQTT 3.1.1 cannot send a PUBREL with properties: its PUBREL is a packet identifier"
                + " only [MQTT-3.6.1]"),
        arguments(
            new PubcompPacket(7, 0x92, Properties.EMPTY),
            "MQTT 3.1.1 cannot send a PUBCOMP with reason code 0x92: its PUBCOMP is a packet"
                + " identifier only [MQTT-3.7.1]"),
        arguments(
            new UnsubackPacket(7, List.of(0x11), Properties.EMPTY),
            "MQTT 3.1.1 cannot send an UNSUBACK with reason codes: it has no payload"
                + " [MQTT-3.11.3]"),
        arguments(
            new UnsubackPacket(7, List.of(), REASON),
            "MQTT 3.1.1 cannot send an UNSUBACK with properties: it has none [MQTT-3.11.2]; was"
                + " Properties[Reason String=why]"),
        arguments(
            new SubackPacket(7, List.of(0), REASON),
            "MQTT 3.1.1 cannot send a SUBACK with properties: it has none [MQTT-3.9.2]; was"
                + " Properties[Reason String=why]"),
        arguments(
            new ConnackPacket(false, 0, REASON),
            "MQTT 3.1.1 cannot send a CONNACK with properties: it has none [MQTT-3.2.2]; was"
                + " Properties[Reason String=why]"),
        arguments(
            new PublishPacket(
                "t",
                new byte[0],
                QoS.AT_MOST_ONCE,
                false,
                false,
                0,
                Properties.builder().messageExpiryInterval(5).build()),
            "MQTT 3.1.1 cannot send a PUBLISH with properties: it has none [MQTT-3.3.2]; was"
                + " Properties[Message Expiry Interval=5]"),
        arguments(
            new SubscribePacket(
                7,
                List.of(Subscription.of("a", QoS.AT_MOST_ONCE)),
                Properties.builder().subscriptionIdentifier(1).build()),
            "MQTT 3.1.1 cannot send a SUBSCRIBE with properties: it has none [MQTT-3.8.2]; was"
                + " Properties[Subscription Identifier=[1]]"),
        arguments(
            new UnsubscribePacket(
                7, List.of("a"), Properties.builder().userProperty("k", "v").build()),
            "MQTT 3.1.1 cannot send an UNSUBSCRIBE with properties: it has none [MQTT-3.10.2]; was"
                + " Properties[User Property=[k=v]]"),
        arguments(
            new ConnectPacket(
                4,
                "c",
                true,
                10,
                null,
                null,
                null,
                Properties.builder().sessionExpiryInterval(60).build(),
                Properties.EMPTY),
            "MQTT 3.1.1 cannot send a CONNECT with properties: it has none [MQTT-3.1.2]; was"
                + " Properties[Session Expiry Interval=60]"),
        arguments(
            new DisconnectPacket(0x8B, Properties.EMPTY),
            "MQTT 3.1.1 cannot send a DISCONNECT with reason code 0x8B: its DISCONNECT has no"
                + " variable header [MQTT-3.14.2]"),
        arguments(
            new DisconnectPacket(0, REASON),
            "MQTT 3.1.1 cannot send a DISCONNECT with properties: its DISCONNECT has no variable"
                + " header [MQTT-3.14.2]"),
        arguments(
            new AuthPacket(0x18, Properties.builder().authenticationMethod("SCRAM").build()),
            "MQTT 3.1.1 cannot send AUTH: packet type 15 is reserved [MQTT-2.2.1]"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("unsendable")
  void theEncoderRefusesWhatMqtt311CannotSayAndWritesNothing(Packet packet, String message) {
    ByteSink sink = new ByteSink();
    sink.writeByte(0xAA); // a packet queued before

    assertThatThrownBy(() -> MQTT_3_1_1.encode(packet, sink))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThat(sink.size()).isEqualTo(1);
  }

  static Stream<Arguments> mqtt5Forms() {
    return Stream.of(
        arguments(
            "PUBACK with reason code 0x10",
            bytes(0x40, 0x03, 0x00, 0x07, 0x10),
            "Malformed PUBACK: remaining length must be 2, was 3 [MQTT-3.4.1]"),
        arguments(
            "PUBREC with reason code and empty properties",
            bytes(0x50, 0x04, 0x00, 0x07, 0x80, 0x00),
            "Malformed PUBREC: remaining length must be 2, was 4 [MQTT-3.5.1]"),
        arguments(
            "SUBACK reason code 0x87 Not authorized",
            bytes(0x90, 0x03, 0x00, 0x07, 0x87),
            "Malformed SUBACK: return code 0x87 is not allowed [MQTT-3.9.3-2]"),
        arguments(
            "UNSUBACK with a reason code",
            bytes(0xB0, 0x03, 0x00, 0x07, 0x00),
            "Malformed UNSUBACK: remaining length must be 2, was 3 [MQTT-3.11.1]"),
        arguments(
            "a DISCONNECT from the server with reason code 0x8B",
            bytes(0xE0, 0x01, 0x8B),
            "Malformed DISCONNECT: remaining length must be 0, was 1 [MQTT-3.14.1]"),
        arguments(
            "AUTH",
            bytes(0xF0, 0x00),
            "Malformed packet: packet type 15 is reserved [MQTT-2.2.1]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mqtt5Forms")
  void theDecoderRefusesMqtt5FormsWithTheMqtt311Statement(
      String name, byte[] packet, String message) {
    assertThatThrownBy(() -> TestBytes.decodeWhole(packet, 4))
        .isInstanceOfSatisfying(
            ProtocolViolationException.class, e -> assertThat(e.reasonCode()).isEqualTo(0x81))
        .hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4})
  void theMqtt311FormsDecodeToTheModelWithoutMqtt5Parts(int level) {
    PacketCodec codec = TestBytes.codec(level);

    assertThat(codec.decode(0x40, bytes(0x00, 0x07)))
        .isEqualTo(new PubackPacket(7, 0, Properties.EMPTY));
    assertThat(codec.decode(0xB0, bytes(0x00, 0x07)))
        .isEqualTo(new UnsubackPacket(7, List.of(), Properties.EMPTY));
    assertThat(codec.decode(0xE0, bytes())).isSameAs(DisconnectPacket.INSTANCE);
    assertThat(codec.decode(0x20, bytes(0x00, 0x00)))
        .isEqualTo(new ConnackPacket(false, 0, Properties.EMPTY));
    assertThat(((PublishPacket) codec.decode(0x30, bytes(0x00, 0x01, 't'))).properties())
        .isSameAs(Properties.EMPTY);
  }
}
