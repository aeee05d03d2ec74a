package io.vmqtt.session.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.QoS;
import io.vmqtt.spi.StoredPublish;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The log's bytes, written out field by field. */
class LogCodecTest {

  /** The bytes given, then their CRC32C (as the JDK computes it) in 4 big-endian bytes. */
  private static byte[] withCrc(int... bytes) {
    byte[] out = new byte[bytes.length + 4];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = (byte) bytes[i];
    }
    CRC32C crc = new CRC32C();
    crc.update(out, 0, bytes.length);
    ByteBuffer.wrap(out, bytes.length, 4).putInt((int) crc.getValue());
    return out;
  }

  private static LogRecord decode(byte[] record) {
    return LogCodec.decode(
        record[4], record, LogCodec.RECORD_PREFIX, record.length - LogCodec.RECORD_OVERHEAD);
  }

  @Test
  void theHeaderIsMagicVersionClientIdAndChecksum() {
    assertThat(LogCodec.header("c"))
        .isEqualTo(
            withCrc(
                'V', 'M', 'Q', 'T', 'T', 'L', 'O', 'G', // magic
                0x00, 0x01, // format version 1
                0x00, 0x01, // client id length 1
                'c')); // client id
    assertThat(LogCodec.header("")).hasSize(16);
  }

  @Test
  void anOutboundAddedRecordIsLengthTypeIdFlagsTopicPayloadAndChecksum() {
    StoredPublish p =
        new StoredPublish(10, "a/b", new byte[] {1, 2}, QoS.EXACTLY_ONCE, true, false);
    byte[] expected =
        withCrc(
            0x00, 0x00, 0x00, 0x0A, // body length 10
            0x01, // type OUTBOUND_ADDED
            0x00, 0x0A, // packet id 10
            0x06, // flags: QoS 2 (bits 0-1), retain (bit 2)
            0x00, 0x03, // topic length 3
            'a', '/', 'b', // topic
            0x01, 0x02); // payload: the rest of the body
    assertThat(LogCodec.encode(new LogRecord.OutboundAdded(p))).isEqualTo(expected);
    assertThat(decode(expected)).isEqualTo(new LogRecord.OutboundAdded(p));
  }

  @Test
  void mqtt5PropertiesAreFlaggedByBit4AndFollowTheTopicWithTheirLength() {
    byte[] properties = {0x02, 0x01, 0x01}; // Property Length 2, Payload Format Indicator 1
    StoredPublish p =
        new StoredPublish(10, "a", new byte[] {7}, QoS.AT_LEAST_ONCE, false, false, properties);
    byte[] expected =
        withCrc(
            0x00, 0x00, 0x00, 0x0E, // body length 14
            0x01, // type OUTBOUND_ADDED
            0x00, 0x0A, // packet id 10
            0x11, // flags: QoS 1, properties (bit 4)
            0x00, 0x01, // topic length 1
            'a', // topic
            0x00, 0x00, 0x00, 0x03, // properties length 3
            0x02, 0x01, 0x01, // the properties as on the wire
            0x07); // payload: the rest of the body
    assertThat(LogCodec.encode(new LogRecord.OutboundAdded(p))).isEqualTo(expected);
    assertThat(decode(expected)).isEqualTo(new LogRecord.OutboundAdded(p));
  }

  @Test
  void theReleasedFlagIsBit3AndAnEmptyPayloadIsAnEmptyRest() {
    StoredPublish p = new StoredPublish(258, "t", new byte[0], QoS.EXACTLY_ONCE, false, true);
    byte[] expected =
        withCrc(
            0x00, 0x00, 0x00, 0x06, // body length 6
            0x01, // type OUTBOUND_ADDED
            0x01, 0x02, // packet id 258
            0x0A, // flags: QoS 2, released (bit 3)
            0x00, 0x01, // topic length 1
            't'); // topic; no payload
    assertThat(LogCodec.encode(new LogRecord.OutboundAdded(p))).isEqualTo(expected);
    assertThat(decode(expected)).isEqualTo(new LogRecord.OutboundAdded(p));
  }

  @Test
  void theChecksumIsCrc32cOfLengthTypeAndBody() {
    byte[] removed = LogCodec.encode(new LogRecord.OutboundRemoved(65535));
    assertThat(removed)
        .containsExactly(
            0x00, 0x00, 0x00, 0x02, // body length 2
            0x03, // type OUTBOUND_REMOVED
            0xFF, 0xFF, // packet id 65535
            0xE0, 0xE9, 0xFE, 0x4D); // CRC32C (Castagnoli) of the 7 bytes before
  }

  static Stream<Arguments> packetIdRecords() {
    return Stream.of(
        Arguments.of(new LogRecord.OutboundReleased(1), 0x02),
        Arguments.of(new LogRecord.OutboundRemoved(2), 0x03),
        Arguments.of(new LogRecord.InboundReceived(3), 0x04),
        Arguments.of(new LogRecord.InboundReleased(65535), 0x05));
  }

  @ParameterizedTest(name = "{0} is type {1}")
  @MethodSource("packetIdRecords")
  void everyOtherRecordIsItsTypeAndAPacketId(LogRecord record, int type) {
    int id = record.packetId();
    byte[] expected = withCrc(0x00, 0x00, 0x00, 0x02, type, id >> 8, id & 0xFF);
    assertThat(LogCodec.encode(record)).isEqualTo(expected);
    assertThat(decode(expected)).isEqualTo(record);
  }

  static Stream<Arguments> invalidBodies() {
    return Stream.of(
        invalid("unknown record type 9", 9, 0x00, 0x01),
        invalid("unknown record type 0", 0, 0x00, 0x01),
        invalid("a record of type 3 has a 2-byte body, this one 3", 3, 0x00, 0x01, 0x00),
        invalid("packet id 0 in a record", 4, 0x00, 0x00),
        invalid("an OUTBOUND_ADDED body has at least 5 bytes, this one 4", 1, 0, 1, 1, 0),
        invalid("packet id 0 in a record", 1, 0x00, 0x00, 0x01, 0x00, 0x00),
        invalid("unknown flags in OUTBOUND_ADDED: 0x21", 1, 0x00, 0x01, 0x21, 0x00, 0x00),
        invalid(
            "an OUTBOUND_ADDED body of 8 bytes ends before its properties length",
            1,
            0x00,
            0x01,
            0x11,
            0x00,
            0x01,
            't',
            0x00,
            0x00),
        invalid(
            "OUTBOUND_ADDED properties of 3 bytes with 2 bytes left in the body",
            1,
            0x00,
            0x01,
            0x11,
            0x00,
            0x01,
            't',
            0x00,
            0x00,
            0x00,
            0x03,
            0x02,
            0x03),
        invalid(
            "OUTBOUND_ADDED properties of 0 bytes with 1 bytes left in the body",
            1,
            0x00,
            0x01,
            0x11,
            0x00,
            0x01,
            't',
            0x00,
            0x00,
            0x00,
            0x00,
            0x01),
        invalid("qos must be 0, 1 or 2, was 3", 1, 0x00, 0x01, 0x03, 0x00, 0x01, 't'),
        invalid(
            "a stored message has QoS 1 or 2, was AT_MOST_ONCE",
            1,
            0x00,
            0x01,
            0x00,
            0x00,
            0x01,
            't'),
        invalid("only a QoS 2 message can be released", 1, 0x00, 0x01, 0x09, 0x00, 0x01, 't'),
        invalid(
            "an OUTBOUND_ADDED topic of 9 bytes in a body of 8",
            1,
            0x00,
            0x01,
            0x01,
            0x00,
            0x09,
            'a',
            'b',
            'c'),
        invalid("a topic that is not UTF-8", 1, 0x00, 0x01, 0x01, 0x00, 0x01, 0xFF),
        invalid("topic must not be empty [MQTT-4.7.3-1]", 1, 0x00, 0x01, 0x01, 0x00, 0x00),
        invalid(
            "topic 'a/#' must not contain wildcard '#' [MQTT-3.3.2-2]",
            1,
            0x00,
            0x01,
            0x01,
            0x00,
            0x03,
            'a',
            '/',
            '#'));
  }

  private static Arguments invalid(String message, int type, int... body) {
    byte[] bytes = new byte[body.length];
    for (int i = 0; i < body.length; i++) {
      bytes[i] = (byte) body[i];
    }
    return Arguments.of(message, (byte) type, bytes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidBodies")
  void aBodyThatIsNotAValidRecordIsRefusedWithWhatIsWrong(String message, byte type, byte[] body) {
    assertThatThrownBy(() -> LogCodec.decode(type, body, 0, body.length))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void theLargestBodyHasTheLongestTopicAndPropertiesAndPayloadAsLargeAsMqttCarries() {
    assertThat(LogCodec.MAX_PAYLOAD).isEqualTo(268_435_455);
    // packet id, flags, topic length and topic, properties length, properties and payload
    assertThat(LogCodec.MAX_BODY).isEqualTo(2 + 1 + 2 + 65_535 + 4 + 268_435_455);
  }
}
