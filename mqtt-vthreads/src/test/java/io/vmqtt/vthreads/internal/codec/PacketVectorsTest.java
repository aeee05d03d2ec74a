package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.TestBytes.bytes;
import static io.vmqtt.vthreads.internal.codec.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
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
 * Byte vectors written by hand from the MQTT 3.1.1 specification (and 3.1 for MQIsdp), one or more
 * per packet type. Each is decoded and compared with the record written out here, and the record is
 * encoded back to the same bytes: the two directions are checked against the specification, not
 * only against each other.
 */
class PacketVectorsTest {

  static Stream<Arguments> vectors() {
    return Stream.of(
        arguments(
            "CONNECT, MQTT 3.1.1, minimal",
            4,
            bytes(
                0x10, // CONNECT, flags 0000
                0x0F, // remaining length 15
                0x00, 0x04, // protocol name length 4
                'M', 'Q', 'T', 'T', // protocol name "MQTT"
                0x04, // protocol level 4 (3.1.1)
                0x02, // connect flags: clean session
                0x00, 0x3C, // keep alive 60 s
                0x00, 0x03, // client identifier length 3
                'a', 'b', 'c'), // client identifier "abc"
            new ConnectPacket(4, "abc", true, 60, null, null, null)),
        arguments(
            "CONNECT, MQTT 3.1 (MQIsdp)",
            3,
            bytes(
                0x10, // CONNECT, flags 0000
                0x10, // remaining length 16
                0x00, 0x06, // protocol name length 6
                'M', 'Q', 'I', 's', 'd', 'p', // protocol name "MQIsdp"
                0x03, // protocol level 3 (3.1)
                0x02, // connect flags: clean session
                0x00, 0x0A, // keep alive 10 s
                0x00, 0x02, // client identifier length 2
                'c', '1'), // client identifier "c1"
            new ConnectPacket(3, "c1", true, 10, null, null, null)),
        arguments(
            "CONNECT with will, user name and password",
            4,
            bytes(
                0x10, // CONNECT, flags 0000
                0x1F, // remaining length 31
                0x00, 0x04, // protocol name length 4
                'M', 'Q', 'T', 'T', // protocol name "MQTT"
                0x04, // protocol level 4 (3.1.1)
                0xEC, // connect flags: user name, password, will retain, will QoS 1, will; no clean
                0x00, 0x1E, // keep alive 30 s
                0x00, 0x03, // client identifier length 3
                'd', 'e', 'v', // client identifier "dev"
                0x00, 0x02, // will topic length 2
                's', 't', // will topic "st"
                0x00, 0x03, // will message length 3
                'o', 'f', 'f', // will message "off"
                0x00, 0x01, // user name length 1
                'u', // user name "u"
                0x00, 0x02, // password length 2
                'p', 'w'), // password "pw"
            new ConnectPacket(
                4,
                "dev",
                false,
                30,
                Will.of("st", "off".getBytes(), QoS.AT_LEAST_ONCE, true),
                "u",
                "pw".getBytes())),
        arguments(
            "CONNACK, accepted, session present",
            4,
            bytes(
                0x20, // CONNACK, flags 0000
                0x02, // remaining length 2
                0x01, // acknowledge flags: session present
                0x00), // return code 0: connection accepted
            new ConnackPacket(true, 0)),
        arguments(
            "CONNACK, refused: not authorized",
            4,
            bytes(
                0x20, // CONNACK, flags 0000
                0x02, // remaining length 2
                0x00, // acknowledge flags: no session present
                0x05), // return code 5: not authorized
            new ConnackPacket(false, 5)),
        arguments(
            "PUBLISH, QoS 0",
            4,
            bytes(
                0x30, // PUBLISH, QoS 0, no DUP, no RETAIN
                0x07, // remaining length 7
                0x00, 0x03, // topic name length 3
                'a', '/', 'b', // topic name "a/b"
                'h', 'i'), // payload "hi" (QoS 0: no packet identifier)
            new PublishPacket("a/b", "hi".getBytes(), QoS.AT_MOST_ONCE, false, false, 0)),
        arguments(
            "PUBLISH, QoS 1, RETAIN",
            4,
            bytes(
                0x33, // PUBLISH, QoS 1, no DUP, RETAIN
                0x08, // remaining length 8
                0x00, 0x01, // topic name length 1
                't', // topic name "t"
                0x00, 0x0A, // packet identifier 10
                0x01, 0x02, 0x03), // payload 01 02 03
            new PublishPacket("t", bytes(1, 2, 3), QoS.AT_LEAST_ONCE, true, false, 10)),
        arguments(
            "PUBLISH, QoS 2, DUP, empty payload",
            4,
            bytes(
                0x3C, // PUBLISH, QoS 2, DUP, no RETAIN
                0x07, // remaining length 7
                0x00, 0x03, // topic name length 3
                'x', '/', 'y', // topic name "x/y"
                0x12, 0x34), // packet identifier 0x1234; no payload
            new PublishPacket("x/y", new byte[0], QoS.EXACTLY_ONCE, false, true, 0x1234)),
        arguments(
            "PUBLISH, QoS 0, topic with 2-, 3- and 4-byte UTF-8",
            4,
            bytes(
                0x31, // PUBLISH, QoS 0, no DUP, RETAIN
                0x0B, // remaining length 11
                0x00, 0x09, // topic name length 9
                0xC3, 0xBC, // U+00FC 'ü'
                0xE2, 0x82, 0xAC, // U+20AC '€'
                0xF0, 0x9D, 0x84, 0x9E), // U+1D11E musical symbol G clef; no payload
            new PublishPacket("ü€\uD834\uDD1E", new byte[0], QoS.AT_MOST_ONCE, true, false, 0)),
        arguments(
            "PUBACK",
            4,
            bytes(
                0x40, // PUBACK, flags 0000
                0x02, // remaining length 2
                0x00, 0x0A), // packet identifier 10
            new PubackPacket(10)),
        arguments(
            "PUBREC",
            4,
            bytes(
                0x50, // PUBREC, flags 0000
                0x02, // remaining length 2
                0x00, 0x0B), // packet identifier 11
            new PubrecPacket(11)),
        arguments(
            "PUBREL",
            4,
            bytes(
                0x62, // PUBREL, flags 0010 [MQTT-3.6.1-1]
                0x02, // remaining length 2
                0x00, 0x0C), // packet identifier 12
            new PubrelPacket(12)),
        arguments(
            "PUBCOMP",
            4,
            bytes(
                0x70, // PUBCOMP, flags 0000
                0x02, // remaining length 2
                0xFF, 0xFF), // packet identifier 65535
            new PubcompPacket(65535)),
        arguments(
            "SUBSCRIBE with three filters",
            4,
            bytes(
                0x82, // SUBSCRIBE, flags 0010 [MQTT-3.8.1-1]
                0x12, // remaining length 18
                0x00, 0x01, // packet identifier 1
                0x00, 0x03, // topic filter length 3
                'a', '/', 'b', // topic filter "a/b"
                0x00, // requested QoS 0
                0x00, 0x03, // topic filter length 3
                'c', '/', '+', // topic filter "c/+"
                0x01, // requested QoS 1
                0x00, 0x01, // topic filter length 1
                '#', // topic filter "#"
                0x02), // requested QoS 2
            new SubscribePacket(
                1,
                List.of(
                    Subscription.of("a/b", QoS.AT_MOST_ONCE),
                    Subscription.of("c/+", QoS.AT_LEAST_ONCE),
                    Subscription.of("#", QoS.EXACTLY_ONCE)))),
        arguments(
            "SUBACK with a refused filter",
            4,
            bytes(
                0x90, // SUBACK, flags 0000
                0x06, // remaining length 6
                0x00, 0x01, // packet identifier 1
                0x00, // return code: granted QoS 0
                0x01, // return code: granted QoS 1
                0x02, // return code: granted QoS 2
                0x80), // return code: failure
            new SubackPacket(1, List.of(0, 1, 2, 0x80))),
        arguments(
            "UNSUBSCRIBE with two filters",
            4,
            bytes(
                0xA2, // UNSUBSCRIBE, flags 0010 [MQTT-3.10.1-1]
                0x0C, // remaining length 12
                0x00, 0x02, // packet identifier 2
                0x00, 0x03, // topic filter length 3
                'a', '/', 'b', // topic filter "a/b"
                0x00, 0x03, // topic filter length 3
                'c', '/', '+'), // topic filter "c/+"
            new UnsubscribePacket(2, List.of("a/b", "c/+"))),
        arguments(
            "UNSUBACK",
            4,
            bytes(
                0xB0, // UNSUBACK, flags 0000
                0x02, // remaining length 2
                0x00, 0x02), // packet identifier 2
            new UnsubackPacket(2)),
        arguments(
            "PINGREQ",
            4,
            bytes(
                0xC0, // PINGREQ, flags 0000
                0x00), // remaining length 0
            PingreqPacket.INSTANCE),
        arguments(
            "PINGRESP",
            4,
            bytes(
                0xD0, // PINGRESP, flags 0000
                0x00), // remaining length 0
            PingrespPacket.INSTANCE),
        arguments(
            "DISCONNECT",
            4,
            bytes(
                0xE0, // DISCONNECT, flags 0000
                0x00), // remaining length 0
            DisconnectPacket.INSTANCE),
        arguments(
            "PUBACK under MQTT 3.1",
            3,
            bytes(
                0x40, // PUBACK, flags 0000
                0x02, // remaining length 2
                0x00, 0x01), // packet identifier 1
            new PubackPacket(1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void theVectorDecodesToTheRecord(String name, int level, byte[] vector, Packet expected) {
    assertThat(TestBytes.decodeWhole(vector, level)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void theRecordEncodesToTheVector(String name, int level, byte[] vector, Packet packet) {
    assertThat(hex(TestBytes.encode(packet))).isEqualTo(hex(vector));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void thePacketReaderReadsTheVectorWhole(String name, int level, byte[] vector, Packet expected)
      throws IOException {
    PacketReader reader =
        new PacketReader(
            new ByteArrayInputStream(vector), TestBytes.codec(level, MqttLimits.MAX_PACKET_SIZE));

    assertThat(reader.read()).isEqualTo(expected);
    assertThat(reader.bytesRead()).isEqualTo(vector.length);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void theEncoderAppendsToWhatTheSinkHolds(String name, int level, byte[] vector, Packet packet) {
    ByteSink sink = new ByteSink(0);
    sink.writeByte(0x55);

    TestBytes.encode(packet, sink);

    assertThat(sink.size()).isEqualTo(1 + vector.length);
    assertThat(hex(sink.toByteArray())).isEqualTo("55 " + hex(vector));
  }
}
