package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.TestBytes.bytes;
import static io.vmqtt.vthreads.internal.codec.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.Will;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CONNECT, PUBLISH, SUBSCRIBE and UNSUBSCRIBE as MQTT 5.0 writes them (sections 3.1, 3.3, 3.8,
 * 3.10), through the codec of protocol level 5: byte vectors written by hand, each field commented,
 * decoded, read through {@link PacketReader}, and encoded back to the same bytes; and the malformed
 * ones with their exact messages and reason codes. (The packets with reason codes are in {@link
 * Mqtt5AckVectorsTest}.)
 */
class Mqtt5PacketVectorsTest {
  private static final PacketCodec MQTT_5 = TestBytes.codec(5);

  static Stream<Arguments> vectors() {
    return Stream.of(
        arguments(
            "CONNECT with properties, a will with Will Properties, user name and password",
            bytes(
                0x10, // CONNECT, flags 0000
                0x2C, // remaining length 44
                0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT" (3.1.2.1)
                0x05, // protocol version 5 (3.1.2.2)
                0xCE, // connect flags: user name, password, will QoS 1, will, clean start
                0x00, 0x0A, // keep alive 10 s
                0x05, // property length 5
                0x11, 0x00, 0x00, 0x00, 0x0A, // Session Expiry Interval 10 s (Figure 3-6)
                0x00, 0x03, 'c', 'i', 'd', // client identifier "cid"
                0x05, // will property length 5 (3.1.3.2.1)
                0x18, 0x00, 0x00, 0x00, 0x1E, // Will Delay Interval 30 s
                0x00, 0x03, 'w', '/', 't', // will topic "w/t"
                0x00, 0x03, 'b', 'y', 'e', // will payload "bye"
                0x00, 0x01, 'u', // user name "u"
                0x00, 0x02, 'p', 'w'), // password "pw"
            new ConnectPacket(
                5,
                "cid",
                true,
                10,
                Will.of("w/t", "bye".getBytes(), QoS.AT_LEAST_ONCE, false),
                "u",
                "pw".getBytes(),
                Properties.builder().sessionExpiryInterval(10).build(),
                Properties.builder().willDelayInterval(30).build())),
        arguments(
            "CONNECT with a password and no user name, which MQTT 5 allows (3.1.2.9)",
            bytes(
                0x10, // CONNECT
                0x12, // remaining length 18
                0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                0x05, // protocol version 5
                0x42, // connect flags: password, clean start
                0x00, 0x3C, // keep alive 60 s
                0x00, // property length 0
                0x00, 0x01, 'c', // client identifier "c"
                0x00, 0x02, 'p', 'w'), // password "pw"
            new ConnectPacket(
                5, "c", true, 60, null, null, "pw".getBytes(), Properties.EMPTY, Properties.EMPTY)),
        arguments(
            "PUBLISH QoS 1 with properties (Figure 3-9's topic and packet identifier)",
            bytes(
                0x32, // PUBLISH, QoS 1
                0x0F, // remaining length 15
                0x00, 0x03, 'a', '/', 'b', // topic name "a/b"
                0x00, 0x0A, // packet identifier 10
                0x05, // property length 5
                0x01, 0x01, // Payload Format Indicator 1: UTF-8
                0x23, 0x00, 0x01, // Topic Alias 1
                'h', 'i'), // payload "hi"
            new PublishPacket(
                "a/b",
                "hi".getBytes(),
                QoS.AT_LEAST_ONCE,
                false,
                false,
                10,
                Properties.builder().payloadFormatIndicator(1).topicAlias(1).build())),
        arguments(
            "PUBLISH QoS 0 with an empty topic name and a Topic Alias (3.3.2.3.4)",
            bytes(
                0x30, // PUBLISH, QoS 0
                0x07, // remaining length 7
                0x00, 0x00, // topic name "": the alias stands for it
                0x03, // property length 3
                0x23, 0x00, 0x02, // Topic Alias 2
                'x'), // payload "x"
            new PublishPacket(
                "",
                "x".getBytes(),
                QoS.AT_MOST_ONCE,
                false,
                false,
                0,
                Properties.builder().topicAlias(2).build())),
        arguments(
            "PUBLISH QoS 0 without properties: the Property Length is 0 [MQTT-2.2.2-1]",
            bytes(
                0x31, // PUBLISH, QoS 0, RETAIN
                0x06, // remaining length 6
                0x00, 0x01, 't', // topic name "t"
                0x00, // property length 0
                'h', 'i'), // payload "hi"
            new PublishPacket("t", "hi".getBytes(), QoS.AT_MOST_ONCE, true, false, 0)),
        arguments(
            "SUBSCRIBE with a Subscription Identifier and every option (Figure 3-21's filters)",
            bytes(
                0x82, // SUBSCRIBE, flags 0010
                0x11, // remaining length 17
                0x00, 0x0A, // packet identifier 10 (Figure 3-19)
                0x02, // property length 2
                0x0B, 0x05, // Subscription Identifier 5
                0x00, 0x03, 'a', '/', 'b', // topic filter "a/b"
                0x01, // options: QoS 1
                0x00, 0x03, 'c', '/', 'd', // topic filter "c/d"
                0x2E), // options: QoS 2, No Local, Retain As Published, Retain Handling 2
            new SubscribePacket(
                10,
                List.of(
                    Subscription.of("a/b", QoS.AT_LEAST_ONCE),
                    Subscription.of("c/d", QoS.EXACTLY_ONCE)),
                List.of(SubscriptionOptions.DEFAULT, new SubscriptionOptions(true, true, 2)),
                Properties.builder().subscriptionIdentifier(5).build())),
        arguments(
            "UNSUBSCRIBE with a User Property",
            bytes(
                0xA2, // UNSUBSCRIBE, flags 0010
                0x0F, // remaining length 15
                0x00, 0x0B, // packet identifier 11
                0x07, // property length 7
                0x26, 0x00, 0x01, 'u', 0x00, 0x01, 'v', // User Property u=v
                0x00, 0x03, 'a', '/', 'b'), // topic filter "a/b"
            new UnsubscribePacket(
                11, List.of("a/b"), Properties.builder().userProperty("u", "v").build())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void theVectorDecodesToThePacket(String name, byte[] vector, Packet expected) {
    assertThat(TestBytes.decodeWhole(vector, 5)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void theReaderReadsTheVector(String name, byte[] vector, Packet expected) throws IOException {
    PacketReader reader = new PacketReader(new ByteArrayInputStream(vector), MQTT_5);

    assertThat(reader.read()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void thePacketEncodesToTheVector(String name, byte[] vector, Packet packet) {
    assertThat(hex(MQTT_5.encode(packet))).isEqualTo(hex(vector));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        arguments(
            "packet type 0",
            bytes(0x00, 0x00),
            0x81,
            "Malformed packet: packet type 0 is reserved [MQTT-2.1.2]"),
        arguments(
            "PUBACK flags 0010",
            bytes(0x42, 0x02, 0x00, 0x01),
            0x81,
            "Malformed PUBACK: fixed header flags must be 0000, were 0010 [MQTT-2.1.3-1]"),
        arguments(
            "AUTH flags 0001",
            bytes(0xF1, 0x00),
            0x81,
            "Malformed AUTH: fixed header flags must be 0000, were 0001 [MQTT-3.15.1-1]"),
        arguments(
            "CONNECT of protocol level 4",
            bytes(0x10, 0x0A, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x0A),
            0x81,
            "Malformed CONNECT: protocol level 4 is not 5 (MQTT 5.0) [MQTT-3.1.2-2]"),
        arguments(
            "CONNECT with protocol name MQIsdp",
            bytes(0x10, 0x0C, 0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', 0x05, 0x02, 0x00, 0x0A),
            0x81,
            "Malformed CONNECT: protocol name 'MQIsdp' is not 'MQTT' [MQTT-3.1.2-1]"),
        arguments(
            "CONNECT with will QoS 3",
            bytes(0x10, 0x0B, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x1E, 0x00, 0x0A, 0x00),
            0x81,
            "Malformed CONNECT: will QoS 3 is not allowed [MQTT-3.1.2-12]"),
        arguments(
            "CONNECT with will retain and no will",
            bytes(0x10, 0x0B, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x22, 0x00, 0x0A, 0x00),
            0x81,
            "Malformed CONNECT: will retain must be 0 without the will flag [MQTT-3.1.2-13]"),
        arguments(
            "CONNECT with Authentication Data and no Authentication Method",
            bytes(
                0x10, 0x12, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x0A, 0x04, 0x16,
                0x00, 0x01, 0x07, 0x00, 0x01, 'c'),
            0x82,
            "Protocol error in CONNECT: Authentication Data (0x16) without Authentication Method"
                + " (0x15) [MQTT-3.1.2.11.10]"),
        arguments(
            "CONNECT with a Will Property in the CONNECT properties",
            bytes(
                0x10, 0x11, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x0A, 0x05, 0x18,
                0x00, 0x00, 0x00, 0x01, 0x00),
            0x81,
            "Malformed CONNECT: Will Delay Interval (0x18) is not allowed in CONNECT, only in the"
                + " Will Properties [MQTT-2.2.2.2]"),
        arguments(
            "PUBLISH with an empty topic name and no Topic Alias",
            bytes(0x30, 0x03, 0x00, 0x00, 0x00),
            0x82,
            "Protocol error in PUBLISH: topic name is empty and there is no Topic Alias"
                + " [MQTT-3.3.2.1]"),
        arguments(
            "PUBLISH with Topic Alias 0",
            bytes(0x30, 0x07, 0x00, 0x01, 't', 0x03, 0x23, 0x00, 0x00),
            0x94,
            "Protocol error in PUBLISH: Topic Alias (0x23) must not be 0 [MQTT-3.3.2-8]"),
        arguments(
            "PUBLISH without its Property Length",
            bytes(0x30, 0x03, 0x00, 0x01, 't'),
            0x81,
            "Malformed PUBLISH: property length needs 1 byte, 0 remaining"),
        arguments(
            "PUBLISH with a wildcard in its topic",
            bytes(0x30, 0x04, 0x00, 0x01, '#', 0x00),
            0x81,
            "Malformed PUBLISH: topic name '#' must not contain wildcard '#' [MQTT-3.3.2-2]"),
        arguments(
            "SUBSCRIBE without a topic filter",
            bytes(0x82, 0x03, 0x00, 0x01, 0x00),
            0x82,
            "Protocol error in SUBSCRIBE: no topic filter [MQTT-3.8.3-2]"),
        arguments(
            "SUBSCRIBE with reserved option bits",
            bytes(0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', 0x41),
            0x81,
            "Malformed SUBSCRIBE: subscription options 0x41 of 'a': reserved bits 7 and 6 must be"
                + " 0 [MQTT-3.8.3-5]"),
        arguments(
            "SUBSCRIBE with Maximum QoS 3",
            bytes(0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', 0x03),
            0x82,
            "Protocol error in SUBSCRIBE: subscription options 0x03 of 'a': Maximum QoS 3"
                + " [MQTT-3.8.3.1]"),
        arguments(
            "SUBSCRIBE with Retain Handling 3",
            bytes(0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', 0x30),
            0x82,
            "Protocol error in SUBSCRIBE: subscription options 0x30 of 'a': Retain Handling 3"
                + " [MQTT-3.8.3.1]"),
        arguments(
            "SUBSCRIBE with No Local on a shared subscription",
            bytes(
                0x82, 0x10, 0x00, 0x01, 0x00, 0x00, 0x0A, '$', 's', 'h', 'a', 'r', 'e', '/', 'g',
                '/', 't', 0x04),
            0x82,
            "Protocol error in SUBSCRIBE: subscription options 0x04 of '$share/g/t': No Local on a"
                + " shared subscription [MQTT-3.8.3-4]"),
        arguments(
            "UNSUBSCRIBE without a topic filter",
            bytes(0xA2, 0x03, 0x00, 0x01, 0x00),
            0x82,
            "Protocol error in UNSUBSCRIBE: no topic filter [MQTT-3.10.3-2]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void isRefusedWithThisMessage(String name, byte[] packet, int reasonCode, String message) {
    assertThatThrownBy(() -> TestBytes.decodeWhole(packet, 5))
        .isInstanceOfSatisfying(
            ProtocolViolationException.class,
            e -> assertThat(e.reasonCode()).as("reason code").isEqualTo(reasonCode))
        .hasMessage(message);
  }
}
