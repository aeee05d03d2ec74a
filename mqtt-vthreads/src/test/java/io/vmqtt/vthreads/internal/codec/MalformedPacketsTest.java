package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.TestBytes.bytes;
import static io.vmqtt.vthreads.internal.codec.TestBytes.concat;
import static io.vmqtt.vthreads.internal.codec.TestBytes.filled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayInputStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed packets, each with the exact message it must produce. They go through the {@link
 * PacketReader} (fixed header checks) and straight to {@link PacketCodec#decode} (body checks).
 * Remaining Length errors are in {@link LimitsTest}.
 */
class MalformedPacketsTest {
  private static final int MQTT_3_1_1 = 4;

  /** A CONNECT variable header for MQTT 3.1.1 with the given flags and keep alive 60. */
  private static byte[] connectHeader(int flags) {
    return bytes(0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, flags, 0x00, 0x3C);
  }

  /** A whole CONNECT: its fixed header, then {@code body}. */
  private static byte[] connect(byte[] body) {
    return concat(bytes(0x10, body.length), body);
  }

  /** A PUBLISH (QoS 0) whose topic name is the given bytes. */
  private static byte[] publishTopic(int... topic) {
    return concat(bytes(0x30, 2 + topic.length, 0x00, topic.length), bytes(topic));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        // Fixed header [MQTT-2.2].
        arguments(
            "packet type 0",
            bytes(0x00, 0x00),
            "Malformed packet: packet type 0 is reserved [MQTT-2.2.1]"),
        arguments(
            "packet type 15",
            bytes(0xF0, 0x00),
            "Malformed packet: packet type 15 is reserved [MQTT-2.2.1]"),
        arguments(
            "CONNECT flags 0001",
            bytes(0x11, 0x00),
            "Malformed CONNECT: fixed header flags must be 0000, were 0001 [MQTT-2.2.2-1]"),
        arguments(
            "CONNACK flags 1000",
            bytes(0x28, 0x02, 0x00, 0x00),
            "Malformed CONNACK: fixed header flags must be 0000, were 1000 [MQTT-2.2.2-1]"),
        arguments(
            "PUBACK flags 0010",
            bytes(0x42, 0x02, 0x00, 0x01),
            "Malformed PUBACK: fixed header flags must be 0000, were 0010 [MQTT-2.2.2-1]"),
        arguments(
            "PUBREC flags 0001",
            bytes(0x51, 0x02, 0x00, 0x01),
            "Malformed PUBREC: fixed header flags must be 0000, were 0001 [MQTT-2.2.2-1]"),
        arguments(
            "PUBREL flags 0000",
            bytes(0x60, 0x02, 0x00, 0x01),
            "Malformed PUBREL: fixed header flags must be 0010, were 0000 [MQTT-3.6.1-1]"),
        arguments(
            "PUBREL flags 0011",
            bytes(0x63, 0x02, 0x00, 0x01),
            "Malformed PUBREL: fixed header flags must be 0010, were 0011 [MQTT-3.6.1-1]"),
        arguments(
            "PUBCOMP flags 1111",
            bytes(0x7F, 0x02, 0x00, 0x01),
            "Malformed PUBCOMP: fixed header flags must be 0000, were 1111 [MQTT-2.2.2-1]"),
        arguments(
            "SUBSCRIBE flags 0000",
            bytes(0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x00),
            "Malformed SUBSCRIBE: fixed header flags must be 0010, were 0000 [MQTT-3.8.1-1]"),
        arguments(
            "SUBACK flags 0010",
            bytes(0x92, 0x03, 0x00, 0x01, 0x00),
            "Malformed SUBACK: fixed header flags must be 0000, were 0010 [MQTT-2.2.2-1]"),
        arguments(
            "UNSUBSCRIBE flags 0000",
            bytes(0xA0, 0x05, 0x00, 0x01, 0x00, 0x01, 'a'),
            "Malformed UNSUBSCRIBE: fixed header flags must be 0010, were 0000 [MQTT-3.10.1-1]"),
        arguments(
            "UNSUBACK flags 0100",
            bytes(0xB4, 0x02, 0x00, 0x01),
            "Malformed UNSUBACK: fixed header flags must be 0000, were 0100 [MQTT-2.2.2-1]"),
        arguments(
            "PINGREQ flags 0001",
            bytes(0xC1, 0x00),
            "Malformed PINGREQ: fixed header flags must be 0000, were 0001 [MQTT-2.2.2-1]"),
        arguments(
            "PINGRESP flags 1000",
            bytes(0xD8, 0x00),
            "Malformed PINGRESP: fixed header flags must be 0000, were 1000 [MQTT-2.2.2-1]"),
        arguments(
            "DISCONNECT flags 0010",
            bytes(0xE2, 0x00),
            "Malformed DISCONNECT: fixed header flags must be 0000, were 0010 [MQTT-3.14.1-1]"),

        // PUBLISH [MQTT-3.3].
        arguments(
            "PUBLISH with QoS 3",
            bytes(0x36, 0x05, 0x00, 0x01, 't', 0x00, 0x01),
            "Malformed PUBLISH: QoS 3 is not allowed [MQTT-3.3.1-4]"),
        arguments(
            "PUBLISH with DUP and QoS 0",
            bytes(0x38, 0x03, 0x00, 0x01, 't'),
            "Malformed PUBLISH: DUP must be 0 for QoS 0 [MQTT-3.3.1-2]"),
        arguments(
            "PUBLISH QoS 1 with packet identifier 0",
            bytes(0x32, 0x05, 0x00, 0x01, 't', 0x00, 0x00),
            "Malformed PUBLISH: packet identifier must not be 0 [MQTT-2.3.1-1]"),
        arguments(
            "PUBLISH QoS 2 without packet identifier",
            bytes(0x34, 0x03, 0x00, 0x01, 't'),
            "Malformed PUBLISH: packet identifier needs 2 bytes, 0 remaining"),
        arguments(
            "PUBLISH with an empty topic name",
            bytes(0x30, 0x02, 0x00, 0x00),
            "Malformed PUBLISH: topic name must not be empty [MQTT-4.7.3-1]"),
        arguments(
            "PUBLISH to a topic with '+'",
            publishTopic('a', '/', '+'),
            "Malformed PUBLISH: topic name 'a/+' must not contain wildcard '+' [MQTT-3.3.2-2]"),
        arguments(
            "PUBLISH to a topic with '#'",
            publishTopic('#'),
            "Malformed PUBLISH: topic name '#' must not contain wildcard '#' [MQTT-3.3.2-2]"),
        arguments(
            "PUBLISH whose topic length exceeds the body",
            concat(bytes(0x30, 0x0E, 0x01, 0x2C), filled(12, 'a')),
            "Malformed PUBLISH: topic name length 300 exceeds the 12 remaining bytes"),
        arguments(
            "PUBLISH too short for a topic length",
            bytes(0x30, 0x01, 0x00),
            "Malformed PUBLISH: topic name length needs 2 bytes, 1 remaining"),
        arguments(
            "PUBLISH with an empty body",
            bytes(0x30, 0x00),
            "Malformed PUBLISH: topic name length needs 2 bytes, 0 remaining"),

        // UTF-8 [MQTT-1.5.3].
        arguments(
            "topic with U+0000",
            publishTopic('a', 0x00),
            "Malformed PUBLISH: topic name contains U+0000 at byte 1 [MQTT-1.5.3-2]"),
        arguments(
            "topic with overlong 2-byte '/'",
            publishTopic('a', 0xC0, 0xAF),
            "Malformed PUBLISH: topic name is not well-formed UTF-8: overlong encoding at byte 1"
                + " [MQTT-1.5.3-1]"),
        arguments(
            "topic with overlong 2-byte U+0000",
            publishTopic(0xC0, 0x80),
            "Malformed PUBLISH: topic name is not well-formed UTF-8: overlong encoding at byte 0"
                + " [MQTT-1.5.3-1]"),
        arguments(
            "topic with overlong 3-byte '/'",
            publishTopic(0xE0, 0x80, 0xAF),
            "Malformed PUBLISH: topic name is not well-formed UTF-8: overlong encoding at byte 0"
                + " [MQTT-1.5.3-1]"),
        arguments(
            "topic with overlong 4-byte '/'",
            publishTopic(0xF0, 0x80, 0x80, 0xAF),
            "Malformed PUBLISH: topic name is not well-formed UTF-8: overlong encoding at byte 0"
                + " [MQTT-1.5.3-1]"),
        arguments(
            "topic with U+D800 in UTF-8",
            publishTopic('x', 0xED, 0xA0, 0x80),
            "Malformed PUBLISH: topic name is not well-formed UTF-8: encoded surrogate"
                + " (U+D800..U+DFFF) at byte 1 [MQTT-1.5.3-1]"),
        arguments(
            "topic with U+DFFF in UTF-8",
            publishTopic(0xED, 0xBF, 0xBF),
            "Malformed PUBLISH: topic name is not well-formed UTF-8: encoded surrogate"
                + " (U+D800..U+DFFF) at byte 0 [MQTT-1.5.3-1]"),
        arguments(
            "topic with U+110000",
            publishTopic(0xF4, 0x90, 0x80, 0x80),
            "Malformed PUBLISH: topic name is not well-formed UTF-8: code point above U+10FFFF"
                + " at byte 0 [MQTT-1.5.3-1]"),
        arguments(
            "topic with lead byte 0xF5",
            publishTopic(0xF5, 0x80, 0x80, 0x80),
            "Malformed PUBLISH: topic name is not well-formed UTF-8: invalid byte 0xF5 at byte 0"
                + " [MQTT-1.5.3-1]"),
        arguments(
            "topic with byte 0xFF",
            publishTopic('a', 0xFF),
            "Malformed PUBLISH: topic name is not well-formed UTF-8: invalid byte 0xFF at byte 1"
                + " [MQTT-1.5.3-1]"),
        arguments(
            "topic starting with a continuation byte",
            publishTopic(0x80, 'a'),
            "Malformed PUBLISH: topic name is not well-formed UTF-8: unexpected continuation byte"
                + " 0x80 at byte 0 [MQTT-1.5.3-1]"),
        arguments(
            "topic with a bad second byte",
            publishTopic(0xC3, 'A'),
            "Malformed PUBLISH: topic name is not well-formed UTF-8: invalid continuation byte"
                + " 0x41 at byte 1 [MQTT-1.5.3-1]"),
        arguments(
            "topic with a bad third byte",
            publishTopic(0xE2, 0x82, 0xC0),
            "Malformed PUBLISH: topic name is not well-formed UTF-8: invalid continuation byte"
                + " 0xC0 at byte 2 [MQTT-1.5.3-1]"),
        arguments(
            "topic ending inside a sequence",
            bytes(0x30, 0x06, 0x00, 0x02, 0xE2, 0x82, 0xAC, 'p'),
            "Malformed PUBLISH: topic name is not well-formed UTF-8: truncated sequence at byte 0"
                + " [MQTT-1.5.3-1]"),

        // Fixed-length packets.
        arguments(
            "CONNACK of 3 bytes",
            bytes(0x20, 0x03, 0x00, 0x00, 0x00),
            "Malformed CONNACK: remaining length must be 2, was 3 [MQTT-3.2.1]"),
        arguments(
            "CONNACK of 1 byte",
            bytes(0x20, 0x01, 0x00),
            "Malformed CONNACK: remaining length must be 2, was 1 [MQTT-3.2.1]"),
        arguments(
            "CONNACK with reserved acknowledge flags",
            bytes(0x20, 0x02, 0x02, 0x00),
            "Malformed CONNACK: acknowledge flags bits 7-1 are reserved and must be 0, were 0x02"
                + " [MQTT-3.2.2.1]"),
        arguments(
            "PUBACK of 3 bytes",
            bytes(0x40, 0x03, 0x00, 0x01, 0x00),
            "Malformed PUBACK: remaining length must be 2, was 3 [MQTT-3.4.1]"),
        arguments(
            "PUBREC of 1 byte",
            bytes(0x50, 0x01, 0x01),
            "Malformed PUBREC: remaining length must be 2, was 1 [MQTT-3.5.1]"),
        arguments(
            "PUBREL of 0 bytes",
            bytes(0x62, 0x00),
            "Malformed PUBREL: remaining length must be 2, was 0 [MQTT-3.6.1]"),
        arguments(
            "PUBCOMP of 4 bytes",
            bytes(0x70, 0x04, 0x00, 0x01, 0x00, 0x02),
            "Malformed PUBCOMP: remaining length must be 2, was 4 [MQTT-3.7.1]"),
        arguments(
            "UNSUBACK of 3 bytes",
            bytes(0xB0, 0x03, 0x00, 0x01, 0x00),
            "Malformed UNSUBACK: remaining length must be 2, was 3 [MQTT-3.11.1]"),
        arguments(
            "PINGREQ with a body",
            bytes(0xC0, 0x01, 0x00),
            "Malformed PINGREQ: remaining length must be 0, was 1 [MQTT-3.12.1]"),
        arguments(
            "PINGRESP with a body",
            bytes(0xD0, 0x02, 0x00, 0x00),
            "Malformed PINGRESP: remaining length must be 0, was 2 [MQTT-3.13.1]"),
        arguments(
            "DISCONNECT with a body",
            bytes(0xE0, 0x01, 0x00),
            "Malformed DISCONNECT: remaining length must be 0, was 1 [MQTT-3.14.1]"),
        arguments(
            "PUBACK with packet identifier 0",
            bytes(0x40, 0x02, 0x00, 0x00),
            "Malformed PUBACK: packet identifier must not be 0 [MQTT-2.3.1-1]"),
        arguments(
            "PUBREC with packet identifier 0",
            bytes(0x50, 0x02, 0x00, 0x00),
            "Malformed PUBREC: packet identifier must not be 0 [MQTT-2.3.1-1]"),
        arguments(
            "PUBREL with packet identifier 0",
            bytes(0x62, 0x02, 0x00, 0x00),
            "Malformed PUBREL: packet identifier must not be 0 [MQTT-2.3.1-1]"),
        arguments(
            "PUBCOMP with packet identifier 0",
            bytes(0x70, 0x02, 0x00, 0x00),
            "Malformed PUBCOMP: packet identifier must not be 0 [MQTT-2.3.1-1]"),
        arguments(
            "UNSUBACK with packet identifier 0",
            bytes(0xB0, 0x02, 0x00, 0x00),
            "Malformed UNSUBACK: packet identifier must not be 0 [MQTT-2.3.1-1]"),

        // SUBSCRIBE, SUBACK, UNSUBSCRIBE [MQTT-3.8] to [MQTT-3.10].
        arguments(
            "SUBSCRIBE without a topic filter",
            bytes(0x82, 0x02, 0x00, 0x01),
            "Malformed SUBSCRIBE: no topic filter [MQTT-3.8.3-3]"),
        arguments(
            "SUBSCRIBE with packet identifier 0",
            bytes(0x82, 0x06, 0x00, 0x00, 0x00, 0x01, 'a', 0x00),
            "Malformed SUBSCRIBE: packet identifier must not be 0 [MQTT-2.3.1-1]"),
        arguments(
            "SUBSCRIBE requesting QoS 3",
            bytes(0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x03),
            "Malformed SUBSCRIBE: requested QoS byte 0x03 is not allowed: reserved bits must be 0"
                + " and QoS 0, 1 or 2 [MQTT-3-8.3-4]"),
        arguments(
            "SUBSCRIBE with a reserved bit set",
            bytes(0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x81),
            "Malformed SUBSCRIBE: requested QoS byte 0x81 is not allowed: reserved bits must be 0"
                + " and QoS 0, 1 or 2 [MQTT-3-8.3-4]"),
        arguments(
            "SUBSCRIBE without the requested QoS",
            bytes(0x82, 0x05, 0x00, 0x01, 0x00, 0x01, 'a'),
            "Malformed SUBSCRIBE: requested QoS needs 1 byte, 0 remaining"),
        arguments(
            "SUBSCRIBE to an empty filter",
            bytes(0x82, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00),
            "Malformed SUBSCRIBE: topic filter must not be empty [MQTT-4.7.3-1]"),
        arguments(
            "SUBSCRIBE to 'a/#/b'",
            bytes(0x82, 0x0A, 0x00, 0x01, 0x00, 0x05, 'a', '/', '#', '/', 'b', 0x00),
            "Malformed SUBSCRIBE: topic filter 'a/#/b': '#' must be the last character and alone"
                + " in its level [MQTT-4.7.1-2]"),
        arguments(
            "SUBSCRIBE to 'a+'",
            bytes(0x82, 0x07, 0x00, 0x01, 0x00, 0x02, 'a', '+', 0x01),
            "Malformed SUBSCRIBE: topic filter 'a+': '+' must occupy a whole level [MQTT-4.7.1-3]"),
        arguments(
            "SUBSCRIBE to a filter with ill-formed UTF-8",
            bytes(0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 0xFE, 0x00),
            "Malformed SUBSCRIBE: topic filter is not well-formed UTF-8: invalid byte 0xFE at"
                + " byte 0 [MQTT-1.5.3-1]"),
        arguments(
            "SUBACK with return code 0x03",
            bytes(0x90, 0x03, 0x00, 0x01, 0x03),
            "Malformed SUBACK: return code 0x03 is not allowed [MQTT-3.9.3-2]"),
        arguments(
            "SUBACK with return code 0x81",
            bytes(0x90, 0x04, 0x00, 0x01, 0x00, 0x81),
            "Malformed SUBACK: return code 0x81 is not allowed [MQTT-3.9.3-2]"),
        arguments(
            "SUBACK without a return code",
            bytes(0x90, 0x02, 0x00, 0x01),
            "Malformed SUBACK: no return code [MQTT-3.8.4-5]"),
        arguments(
            "SUBACK with packet identifier 0",
            bytes(0x90, 0x03, 0x00, 0x00, 0x00),
            "Malformed SUBACK: packet identifier must not be 0 [MQTT-2.3.1-1]"),
        arguments(
            "UNSUBSCRIBE without a topic filter",
            bytes(0xA2, 0x02, 0x00, 0x01),
            "Malformed UNSUBSCRIBE: no topic filter [MQTT-3.10.3-2]"),
        arguments(
            "UNSUBSCRIBE with packet identifier 0",
            bytes(0xA2, 0x05, 0x00, 0x00, 0x00, 0x01, 'a'),
            "Malformed UNSUBSCRIBE: packet identifier must not be 0 [MQTT-2.3.1-1]"),
        arguments(
            "UNSUBSCRIBE from '#/a'",
            bytes(0xA2, 0x07, 0x00, 0x01, 0x00, 0x03, '#', '/', 'a'),
            "Malformed UNSUBSCRIBE: topic filter '#/a': '#' must be the last character and alone"
                + " in its level [MQTT-4.7.1-2]"),
        arguments(
            "UNSUBSCRIBE whose second filter overruns",
            bytes(0xA2, 0x08, 0x00, 0x01, 0x00, 0x01, 'a', 0x00, 0x05, 'b'),
            "Malformed UNSUBSCRIBE: topic filter length 5 exceeds the 1 remaining bytes"),

        // CONNECT [MQTT-3.1].
        arguments(
            "CONNECT with protocol name 'MQTX'",
            connect(
                concat(
                    bytes(0x00, 0x04, 'M', 'Q', 'T', 'X', 0x04, 0x02, 0x00, 0x3C),
                    bytes(0x00, 0x01, 'c'))),
            "Malformed CONNECT: protocol name 'MQTX' is neither 'MQTT' nor 'MQIsdp'"
                + " [MQTT-3.1.2-1]"),
        arguments(
            "CONNECT with protocol level 5",
            connect(
                concat(
                    bytes(0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3C),
                    bytes(0x00, 0x01, 'c'))),
            "Malformed CONNECT: protocol level 5 is not supported, only 3 (MQTT 3.1) and 4"
                + " (MQTT 3.1.1) [MQTT-3.1.2-2]"),
        arguments(
            "CONNECT 'MQTT' with level 3",
            connect(
                concat(
                    bytes(0x00, 0x04, 'M', 'Q', 'T', 'T', 0x03, 0x02, 0x00, 0x3C),
                    bytes(0x00, 0x01, 'c'))),
            "Malformed CONNECT: protocol name 'MQTT' does not match protocol level 3"
                + " [MQTT-3.1.2-1]"),
        arguments(
            "CONNECT with the reserved flag",
            connect(concat(connectHeader(0x03), bytes(0x00, 0x01, 'c'))),
            "Malformed CONNECT: reserved connect flag (bit 0) must be 0 [MQTT-3.1.2-3]"),
        arguments(
            "CONNECT with will QoS but no will",
            connect(concat(connectHeader(0x0A), bytes(0x00, 0x01, 'c'))),
            "Malformed CONNECT: will QoS must be 0 without the will flag, was 1 [MQTT-3.1.2-13]"),
        arguments(
            "CONNECT with will retain but no will",
            connect(concat(connectHeader(0x22), bytes(0x00, 0x01, 'c'))),
            "Malformed CONNECT: will retain must be 0 without the will flag [MQTT-3.1.2-15]"),
        arguments(
            "CONNECT with will QoS 3",
            connect(
                concat(
                    connectHeader(0x1E),
                    bytes(0x00, 0x01, 'c'),
                    bytes(0x00, 0x01, 'w', 0x00, 0x00))),
            "Malformed CONNECT: will QoS 3 is not allowed [MQTT-3.1.2-14]"),
        arguments(
            "CONNECT with a password but no user name",
            connect(concat(connectHeader(0x42), bytes(0x00, 0x01, 'c', 0x00, 0x01, 'p'))),
            "Malformed CONNECT: password flag set without the user name flag [MQTT-3.1.2-22]"),
        arguments(
            "CONNECT with the user name flag but no user name",
            connect(concat(connectHeader(0x82), bytes(0x00, 0x01, 'c'))),
            "Malformed CONNECT: user name length needs 2 bytes, 0 remaining"),
        arguments(
            "CONNECT with a wildcard in the will topic",
            connect(
                concat(
                    connectHeader(0x06),
                    bytes(0x00, 0x01, 'c'),
                    bytes(0x00, 0x03, 'a', '/', '#', 0x00, 0x00))),
            "Malformed CONNECT: will topic 'a/#' must not contain wildcard '#' [MQTT-3.3.2-2]"),
        arguments(
            "CONNECT with bytes after the client identifier",
            connect(concat(connectHeader(0x02), bytes(0x00, 0x01, 'c', 0x00))),
            "Malformed CONNECT: 1 unexpected byte after the client identifier"),
        arguments(
            "CONNECT with bytes after the password",
            connect(
                concat(
                    connectHeader(0xC2),
                    bytes(0x00, 0x01, 'c', 0x00, 0x01, 'u'),
                    bytes(0x00, 0x01, 'p', 0x00, 0x00))),
            "Malformed CONNECT: 2 unexpected bytes after the password"),
        arguments(
            "CONNECT with a client identifier in ill-formed UTF-8",
            connect(concat(connectHeader(0x02), bytes(0x00, 0x02, 0xC3, 0x28))),
            "Malformed CONNECT: client identifier is not well-formed UTF-8: invalid continuation"
                + " byte 0x28 at byte 1 [MQTT-1.5.3-1]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void theReaderRefusesTheMalformedPacketWithItsExactMessage(
      String name, byte[] packet, String message) {
    PacketReader reader =
        new PacketReader(
            new ByteArrayInputStream(packet),
            TestBytes.codec(MQTT_3_1_1, MqttLimits.MAX_PACKET_SIZE));

    assertThatThrownBy(reader::read)
        .isInstanceOfSatisfying(
            ProtocolViolationException.class,
            e -> assertThat(e.reasonCode()).as("reason code").isEqualTo(0x81))
        .hasMessage(message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void theDecoderRefusesTheMalformedBodyWithItsExactMessage(
      String name, byte[] packet, String message) {
    assertThatThrownBy(() -> TestBytes.decodeWhole(packet, MQTT_3_1_1))
        .isInstanceOfSatisfying(
            ProtocolViolationException.class,
            e -> assertThat(e.reasonCode()).as("reason code").isEqualTo(0x81))
        .hasMessage(message);
  }
}
