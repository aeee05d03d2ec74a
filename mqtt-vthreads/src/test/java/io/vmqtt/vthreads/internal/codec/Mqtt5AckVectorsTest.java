package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.TestBytes.bytes;
import static io.vmqtt.vthreads.internal.codec.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packets MQTT 5.0 gives reason codes, as MQTT 5.0 writes them: PUBACK, PUBREC, PUBREL, PUBCOMP
 * (sections 3.4 to 3.7), CONNACK (3.2), SUBACK (3.9), UNSUBACK (3.11), DISCONNECT (3.14) and AUTH
 * (3.15). Byte vectors written by hand from those sections, each field commented, decoded and
 * encoded back to the same bytes; and the malformed ones, each with its exact message.
 */
class Mqtt5AckVectorsTest {

  /** Decodes a whole packet, fixed header included, with the codec of MQTT 5. */
  static Packet decode5(byte[] packet) {
    return TestBytes.decodeWhole(packet, 5);
  }

  static byte[] encode5(Packet packet) {
    return TestBytes.codec(5).encode(packet);
  }

  static Stream<Arguments> vectors() {
    return Stream.of(
        arguments(
            "PUBACK Success without properties: the reason code is left out (3.4.2.1)",
            bytes(
                0x40, // PUBACK, flags 0000
                0x02, // remaining length 2
                0x00, 0x07), // packet identifier 7
            new PubackPacket(7)),
        arguments(
            "PUBACK No matching subscribers: a success code, no Property Length (3.4.2.2.1)",
            bytes(
                0x40, // PUBACK
                0x03, // remaining length 3: less than 4, so no Property Length
                0x00, 0x07, // packet identifier 7
                0x10), // reason code 0x10 No matching subscribers
            new PubackPacket(7, 0x10, Properties.EMPTY)),
        arguments(
            "PUBACK Quota exceeded with a Reason String and a User Property",
            bytes(
                0x40, // PUBACK
                0x13, // remaining length 19
                0x00, 0x07, // packet identifier 7
                0x97, // reason code 0x97 Quota exceeded
                0x0F, // property length 15
                0x1F, 0x00, 0x05, 'q', 'u', 'o', 't', 'a', // Reason String "quota"
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v'), // User Property k=v
            new PubackPacket(
                7,
                0x97,
                Properties.builder().reasonString("quota").userProperty("k", "v").build())),
        arguments(
            "PUBREC Not authorized",
            bytes(
                0x50, // PUBREC, flags 0000
                0x03, // remaining length 3
                0xFF, 0xFF, // packet identifier 65535
                0x87), // reason code 0x87 Not authorized
            new PubrecPacket(65_535, 0x87, Properties.EMPTY)),
        arguments(
            "PUBREL Packet Identifier not found",
            bytes(
                0x62, // PUBREL, flags 0010 [MQTT-3.6.1-1]
                0x03, // remaining length 3
                0x00, 0x2A, // packet identifier 42
                0x92), // reason code 0x92 Packet Identifier not found
            new PubrelPacket(42, 0x92, Properties.EMPTY)),
        arguments(
            "PUBCOMP Success with a User Property: the code is written, properties follow it",
            bytes(
                0x70, // PUBCOMP, flags 0000
                0x0B, // remaining length 11
                0x00, 0x2A, // packet identifier 42
                0x00, // reason code 0x00 Success
                0x07, // property length 7
                0x26, 0x00, 0x01, 'a', 0x00, 0x01, 'b'), // User Property a=b
            new PubcompPacket(42, 0, Properties.builder().userProperty("a", "b").build())),
        arguments(
            "CONNACK Success, session present, with properties (3.2.2)",
            bytes(
                0x20, // CONNACK, flags 0000
                0x0B, // remaining length 11
                0x01, // acknowledge flags: session present
                0x00, // reason code 0x00 Success
                0x08, // property length 8
                0x13, 0x00, 0x1E, // Server Keep Alive 30 s
                0x21, 0x00, 0x14, // Receive Maximum 20
                0x24, 0x01), // Maximum QoS 1
            new ConnackPacket(
                true,
                0,
                Properties.builder().serverKeepAlive(30).receiveMaximum(20).maximumQos(1).build())),
        arguments(
            "CONNACK Bad User Name or Password, no properties: the Property Length is there",
            bytes(
                0x20, // CONNACK
                0x03, // remaining length 3
                0x00, // acknowledge flags: no session present
                0x86, // reason code 0x86 Bad User Name or Password
                0x00), // property length 0 [MQTT-2.2.2-1]
            new ConnackPacket(false, 0x86, Properties.EMPTY)),
        arguments(
            "SUBACK: a code per filter beyond 0, 1, 2 and 0x80 (Table 3-8)",
            bytes(
                0x90, // SUBACK, flags 0000
                0x0D, // remaining length 13
                0x00, 0x0A, // packet identifier 10
                0x00, // property length 0
                0x00, // Granted QoS 0
                0x01, // Granted QoS 1
                0x02, // Granted QoS 2
                0x80, // Unspecified error
                0x83, // Implementation specific error
                0x87, // Not authorized
                0x8F, // Topic Filter invalid
                0x91, // Packet Identifier in use
                0x97, // Quota exceeded
                0x9E), // Shared Subscriptions not supported
            new SubackPacket(
                10,
                List.of(0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E),
                Properties.EMPTY)),
        arguments(
            "SUBACK with a Reason String; Subscription Identifiers and Wildcards not supported",
            bytes(
                0x90, // SUBACK
                0x0A, // remaining length 10
                0x00, 0x0B, // packet identifier 11
                0x05, // property length 5
                0x1F, 0x00, 0x02, 'n', 'o', // Reason String "no"
                0xA1, // Subscription Identifiers not supported
                0xA2), // Wildcard Subscriptions not supported
            new SubackPacket(
                11, List.of(0xA1, 0xA2), Properties.builder().reasonString("no").build())),
        arguments(
            "UNSUBACK: a reason code per filter (Table 3-9)",
            bytes(
                0xB0, // UNSUBACK, flags 0000
                0x06, // remaining length 6
                0x00, 0x0C, // packet identifier 12
                0x00, // property length 0
                0x00, // Success
                0x11, // No subscription existed
                0x87), // Not authorized
            new UnsubackPacket(12, List.of(0x00, 0x11, 0x87), Properties.EMPTY)),
        arguments(
            "DISCONNECT Normal disconnection without properties: remaining length 0 (3.14.2.1)",
            bytes(
                0xE0, // DISCONNECT, flags 0000
                0x00), // remaining length 0
            DisconnectPacket.INSTANCE),
        arguments(
            "DISCONNECT with Will Message: a code, no Property Length (3.14.2.2.1)",
            bytes(
                0xE0, // DISCONNECT
                0x01, // remaining length 1
                0x04), // reason code 0x04 Disconnect with Will Message
            new DisconnectPacket(0x04, Properties.EMPTY)),
        arguments(
            "DISCONNECT from the server: Use another server, with Server Reference",
            bytes(
                0xE0, // DISCONNECT
                0x0F, // remaining length 15
                0x9C, // reason code 0x9C Use another server
                0x0D, // property length 13
                0x1C, 0x00, 0x06, 'b', ':', '1', '8', '8', '3', // Server Reference "b:1883"
                0x1F, 0x00, 0x01, 'x'), // Reason String "x"
            new DisconnectPacket(
                0x9C, Properties.builder().serverReference("b:1883").reasonString("x").build())),
        arguments(
            "AUTH Continue authentication (3.15)",
            bytes(
                0xF0, // AUTH, type 15, flags 0000 [MQTT-3.15.1-1]
                0x0F, // remaining length 15
                0x18, // reason code 0x18 Continue authentication
                0x0D, // property length 13
                0x15, 0x00, 0x05, 'S', 'C', 'R', 'A', 'M', // Authentication Method "SCRAM"
                0x16, 0x00, 0x02, 0x6E, 0x3D), // Authentication Data "n="
            new AuthPacket(
                0x18,
                Properties.builder()
                    .authenticationMethod("SCRAM")
                    .authenticationData(bytes('n', '='))
                    .build())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void theVectorDecodesToThePacket(String name, byte[] vector, Packet expected) {
    assertThat(decode5(vector)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void thePacketEncodesToTheVector(String name, byte[] vector, Packet packet) {
    assertThat(hex(encode5(packet))).isEqualTo(hex(vector));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        arguments(
            "PUBACK with a code that is not a PUBACK reason code",
            bytes(0x40, 0x03, 0x00, 0x07, 0x8A),
            0x81,
            "Malformed PUBACK: reason code 0x8A (banned) is not a PUBACK reason code"
                + " [MQTT-3.4.2-1]"),
        arguments(
            "PUBREL with No matching subscribers, a PUBACK code",
            bytes(0x62, 0x03, 0x00, 0x07, 0x10),
            0x81,
            "Malformed PUBREL: reason code 0x10 (no matching subscribers) is not a PUBREL reason"
                + " code [MQTT-3.6.2-1]"),
        arguments(
            "PUBCOMP with a code no packet has",
            bytes(0x70, 0x03, 0x00, 0x07, 0x05),
            0x81,
            "Malformed PUBCOMP: reason code 0x05 is not a PUBCOMP reason code [MQTT-3.7.2-1]"),
        arguments(
            "PUBACK with packet identifier 0",
            bytes(0x40, 0x02, 0x00, 0x00),
            0x81,
            "Malformed PUBACK: packet identifier must not be 0 [MQTT-2.2.1]"),
        arguments(
            "PUBACK of one byte",
            bytes(0x40, 0x01, 0x00),
            0x81,
            "Malformed PUBACK: packet identifier needs 2 bytes, 1 remaining"),
        arguments(
            "PUBACK with a property it does not have",
            bytes(0x40, 0x09, 0x00, 0x07, 0x00, 0x05, 0x11, 0x00, 0x00, 0x00, 0x01),
            0x81,
            "Malformed PUBACK: Session Expiry Interval (0x11) is not allowed in PUBACK, only in"
                + " CONNECT, CONNACK and DISCONNECT [MQTT-2.2.2.2]"),
        arguments(
            "PUBREC with a byte after its properties",
            bytes(0x50, 0x05, 0x00, 0x07, 0x80, 0x00, 0x00),
            0x81,
            "Malformed PUBREC: 1 unexpected byte after the properties"),
        arguments(
            "CONNACK without a Property Length",
            bytes(0x20, 0x02, 0x00, 0x00),
            0x81,
            "Malformed CONNACK: property length needs 1 byte, 0 remaining"),
        arguments(
            "CONNACK with reserved acknowledge flags",
            bytes(0x20, 0x03, 0x02, 0x00, 0x00),
            0x81,
            "Malformed CONNACK: acknowledge flags bits 7-1 are reserved and must be 0, were 0x02"
                + " [MQTT-3.2.2-1]"),
        arguments(
            "CONNACK with 0x10, which is no Connect Reason Code",
            bytes(0x20, 0x03, 0x00, 0x10, 0x00),
            0x81,
            "Malformed CONNACK: reason code 0x10 (no matching subscribers) is not a CONNACK"
                + " reason code [MQTT-3.2.2-8]"),
        arguments(
            "CONNACK with Receive Maximum 0",
            bytes(0x20, 0x06, 0x00, 0x00, 0x03, 0x21, 0x00, 0x00),
            0x82,
            "Protocol error in CONNACK: Receive Maximum (0x21) must not be 0 [MQTT-3.2.2.3.3]"),
        arguments(
            "SUBACK without a reason code",
            bytes(0x90, 0x03, 0x00, 0x07, 0x00),
            0x81,
            "Malformed SUBACK: no reason code [MQTT-3.8.4-6]"),
        arguments(
            "SUBACK with 0x03",
            bytes(0x90, 0x04, 0x00, 0x07, 0x00, 0x03),
            0x81,
            "Malformed SUBACK: reason code 0x03 is not a SUBACK reason code [MQTT-3.9.3-2]"),
        arguments(
            "UNSUBACK with Granted QoS 1, a SUBACK code",
            bytes(0xB0, 0x04, 0x00, 0x07, 0x00, 0x01),
            0x81,
            "Malformed UNSUBACK: reason code 0x01 (granted QoS 1) is not an UNSUBACK reason code"
                + " [MQTT-3.11.3-2]"),
        arguments(
            "DISCONNECT with Continue authentication, an AUTH code",
            bytes(0xE0, 0x01, 0x18),
            0x81,
            "Malformed DISCONNECT: reason code 0x18 (continue authentication) is not a DISCONNECT"
                + " reason code [MQTT-3.14.2-1]"),
        arguments(
            "AUTH without an Authentication Method",
            bytes(0xF0, 0x02, 0x18, 0x00),
            0x82,
            "Protocol error in AUTH: no Authentication Method (0x15) [MQTT-3.15.2.2.2]"),
        arguments(
            "AUTH of remaining length 0, which leaves the method out",
            bytes(0xF0, 0x00),
            0x82,
            "Protocol error in AUTH: no Authentication Method (0x15) [MQTT-3.15.2.2.2]"),
        arguments(
            "AUTH with Reason String twice",
            bytes(0xF0, 0x0A, 0x00, 0x08, 0x1F, 0x00, 0x01, 'a', 0x1F, 0x00, 0x01, 'b'),
            0x82,
            "Protocol error in AUTH: Reason String (0x1F) appears more than once in AUTH"
                + " [MQTT-3.15.2.2.4]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void isRefusedWithThisMessage(String name, byte[] packet, int reasonCode, String message) {
    assertThatThrownBy(() -> decode5(packet))
        .isInstanceOfSatisfying(
            ProtocolViolationException.class,
            e -> assertThat(e.reasonCode()).as("reason code").isEqualTo(reasonCode))
        .hasMessage(message);
  }

  @org.junit.jupiter.api.Test
  void acknowledgementsPrintTheirMqtt5PartsOnlyWhenTheyHaveThem() {
    assertThat(new PubackPacket(7)).hasToString("PubackPacket[packetId=7]");
    assertThat(new PubrecPacket(7, 0x87, Properties.builder().reasonString("no").build()))
        .hasToString("PubrecPacket[packetId=7, reasonCode=0x87, Properties[Reason String=no]]");
    assertThat(DisconnectPacket.INSTANCE).hasToString("DisconnectPacket[]");
    assertThat(new DisconnectPacket(0x8B, Properties.EMPTY))
        .hasToString("DisconnectPacket[reasonCode=0x8B]");
    assertThat(new ConnackPacket(true, 0))
        .hasToString("ConnackPacket[sessionPresent=true, returnCode=0]");
  }
}
