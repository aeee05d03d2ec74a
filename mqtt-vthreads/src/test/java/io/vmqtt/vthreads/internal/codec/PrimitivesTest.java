package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.TestBytes.bytes;
import static io.vmqtt.vthreads.internal.codec.TestBytes.concat;
import static io.vmqtt.vthreads.internal.codec.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The data types of MQTT 5.0 section 1.5 that MQTT 3.1.1 bodies do not have: Variable Byte Integer
 * (1.5.5), Four Byte Integer (1.5.3) and UTF-8 String Pair (1.5.7), read by {@link BodyReader} and
 * written by {@link ByteSink}, at their limits, and Binary Data (1.5.6) bounded before it is
 * copied.
 */
class PrimitivesTest {

  private static BodyReader reader(byte[] body) {
    return new BodyReader(body, PacketType.PUBLISH, Spec.MQTT_5_0);
  }

  // Table 1-1 Size of Variable Byte Integer: the first and last value of each size.

  static Stream<Arguments> variableByteIntegers() {
    return Stream.of(
        arguments(0, bytes(0x00)),
        arguments(127, bytes(0x7F)),
        arguments(128, bytes(0x80, 0x01)),
        arguments(16_383, bytes(0xFF, 0x7F)),
        arguments(16_384, bytes(0x80, 0x80, 0x01)),
        arguments(2_097_151, bytes(0xFF, 0xFF, 0x7F)),
        arguments(2_097_152, bytes(0x80, 0x80, 0x80, 0x01)),
        arguments(268_435_455, bytes(0xFF, 0xFF, 0xFF, 0x7F)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variableByteIntegers")
  void aVariableByteIntegerIsReadAsInTable1_1(int value, byte[] encoded) {
    BodyReader r = reader(encoded);

    assertThat(r.readVariableByteInteger("Subscription Identifier (0x0B)")).isEqualTo(value);
    assertThat(r.hasRemaining()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variableByteIntegers")
  void aVariableByteIntegerIsWrittenInTheFewestBytes_MQTT_1_5_5_1(int value, byte[] encoded) {
    ByteSink sink = new ByteSink(0);

    sink.writeVariableByteInteger(value);

    assertThat(hex(sink.toByteArray())).isEqualTo(hex(encoded));
    assertThat(ByteSink.variableByteIntegerSize(value)).isEqualTo(encoded.length);
  }

  @Test
  void aFifthByteIsMalformed_MQTT_1_5_5() {
    BodyReader r = reader(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x7F));

    assertThatThrownBy(() -> r.readVariableByteInteger("Subscription Identifier (0x0B)"))
        .isInstanceOfSatisfying(
            ProtocolViolationException.class, e -> assertThat(e.reasonCode()).isEqualTo(0x81))
        .hasMessage(
            "Malformed PUBLISH: Subscription Identifier (0x0B) is a Variable Byte Integer of more"
                + " than 4 bytes [MQTT-1.5.5]");
  }

  static Stream<Arguments> overlongForms() {
    return Stream.of(
        arguments(bytes(0x80, 0x00), "2 bytes for 0, which takes 1"),
        arguments(bytes(0xFF, 0x00), "2 bytes for 127, which takes 1"),
        arguments(bytes(0x80, 0x80, 0x00), "3 bytes for 0, which takes 1"),
        arguments(bytes(0xFF, 0xFF, 0x00), "3 bytes for 16383, which takes 2"),
        arguments(bytes(0x80, 0x80, 0x80, 0x00), "4 bytes for 0, which takes 1"),
        arguments(bytes(0xFF, 0xFF, 0xFF, 0x00), "4 bytes for 2097151, which takes 3"));
  }

  /**
   * Section 1.5.5: "The encoded value MUST use the minimum number of bytes necessary to represent
   * the value [MQTT-1.5.5-1]". A longer form is read as a Malformed Packet, not accepted: the
   * statement is a MUST on the sender, and section 4.13 makes a packet that breaks the encoding
   * rules malformed.
   */
  @ParameterizedTest(name = "{1}")
  @MethodSource("overlongForms")
  void anOverlongVariableByteIntegerIsMalformed_MQTT_1_5_5_1(byte[] encoded, String what) {
    BodyReader r = reader(encoded);

    assertThatThrownBy(() -> r.readVariableByteInteger("property length"))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessage(
            "Malformed PUBLISH: property length is a Variable Byte Integer of "
                + what
                + "; it must use the fewest bytes [MQTT-1.5.5-1]");
  }

  @Test
  void aVariableByteIntegerCutShortIsMalformed() {
    BodyReader r = reader(bytes(0x80, 0x80));

    assertThatThrownBy(() -> r.readVariableByteInteger("Subscription Identifier (0x0B)"))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessage("Malformed PUBLISH: Subscription Identifier (0x0B) needs 1 byte, 0 remaining");
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 268_435_456, Integer.MAX_VALUE, Integer.MIN_VALUE})
  void aVariableByteIntegerOutOfRangeHasNoEncodingAndIsRefused(int value) {
    ByteSink sink = new ByteSink();

    assertThatThrownBy(() -> sink.writeVariableByteInteger(value))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("a Variable Byte Integer must be in 0..268435455, was " + value);
    assertThatThrownBy(() -> ByteSink.variableByteIntegerSize(value))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("a Variable Byte Integer must be in 0..268435455, was " + value);
    assertThat(sink.size()).isZero();
  }

  // Four Byte Integer, section 1.5.3: big-endian, unsigned.

  @Test
  void aFourByteIntegerIsBigEndianAndUnsigned() {
    ByteSink sink = new ByteSink(0);

    sink.writeFourByteInteger(0);
    sink.writeFourByteInteger(0x0102_0304L);
    sink.writeFourByteInteger(0xFFFF_FFFFL); // "UINT_MAX", a Session Expiry Interval of forever

    assertThat(hex(sink.toByteArray())).isEqualTo("00 00 00 00 01 02 03 04 ff ff ff ff");
    BodyReader r = reader(sink.toByteArray());
    assertThat(r.readFourByteInteger("a")).isZero();
    assertThat(r.readFourByteInteger("b")).isEqualTo(16_909_060L);
    assertThat(r.readFourByteInteger("c")).isEqualTo(4_294_967_295L);
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 0x1_0000_0000L, Long.MAX_VALUE})
  void aFourByteIntegerOutOfRangeIsRefused(long value) {
    ByteSink sink = new ByteSink();

    assertThatThrownBy(() -> sink.writeFourByteInteger(value))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("a Four Byte Integer must be in 0..4294967295, was " + value);
    assertThat(sink.size()).isZero();
  }

  @Test
  void aFourByteIntegerCutShortIsMalformed() {
    BodyReader r = reader(bytes(0x00, 0x00, 0x0E));

    assertThatThrownBy(() -> r.readFourByteInteger("Message Expiry Interval (0x02)"))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessage("Malformed PUBLISH: Message Expiry Interval (0x02) needs 4 bytes, 3 remaining");
  }

  // UTF-8 String Pair, section 1.5.7.

  @Test
  void aStringPairIsTwoStrings_MQTT_1_5_7_1() {
    ByteSink sink = new ByteSink(0);

    sink.writeStringPair("k", "vé");

    byte[] expected =
        bytes(
            0x00, 0x01, // name length 1
            'k', // name "k"
            0x00, 0x03, // value length 3
            'v', 0xC3, 0xA9); // value "vé"
    assertThat(hex(sink.toByteArray())).isEqualTo(hex(expected));
    BodyReader r = reader(expected);
    assertThat(r.readStringPair("User Property (0x26)")).isEqualTo(new UserProperty("k", "vé"));
    assertThat(r.hasRemaining()).isFalse();
  }

  @Test
  void aStringPairWhoseValueIsNotUtf8IsMalformed_MQTT_1_5_7_1() {
    BodyReader r = reader(bytes(0x00, 0x01, 'k', 0x00, 0x01, 0xC0));

    assertThatThrownBy(() -> r.readStringPair("User Property (0x26)"))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessage(
            "Malformed PUBLISH: User Property (0x26) value is not well-formed UTF-8: overlong"
                + " encoding at byte 0 [MQTT-1.5.4-1]");
  }

  @Test
  void aStringPairWithoutItsValueIsMalformed() {
    BodyReader r = reader(bytes(0x00, 0x01, 'k'));

    assertThatThrownBy(() -> r.readStringPair("User Property (0x26)"))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessage(
            "Malformed PUBLISH: User Property (0x26) value length needs 2 bytes, 0 remaining");
  }

  @Test
  void aStringPairThatCannotBeEncodedWritesNothing() {
    ByteSink sink = new ByteSink();

    assertThatThrownBy(() -> sink.writeStringPair("k", "x".repeat(65_536)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("a string of 65536 bytes in UTF-8 exceeds the maximum 65535");
    assertThatThrownBy(() -> sink.writeStringPair("\uD800", "v"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("string contains an unpaired surrogate at index 0 [MQTT-1.5.3-1]");
    assertThat(sink.size()).isZero();
  }

  // Binary Data, section 1.5.6, and sections with a length of their own.

  @Test
  void binaryDataLongerThanTheBodyIsRefusedBeforeAnythingIsCopied() {
    // A length of 65,535 with 1 byte behind it: refused on the length alone.
    BodyReader r = reader(bytes(0xFF, 0xFF, 0x01));

    assertThatThrownBy(() -> r.readBinary("Correlation Data (0x09)"))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessage(
            "Malformed PUBLISH: Correlation Data (0x09) length 65535 exceeds the 1 remaining bytes");
  }

  @Test
  void aFieldCannotRunPastTheSectionItIsIn() {
    // A section of 3 bytes, then 2 more bytes of body: the Four Byte Integer may not borrow them.
    BodyReader r = reader(bytes(0x00, 0x00, 0x01, 0x02, 0x03));
    int outer = r.pushLimit(3, "property length", "[MQTT-3.3.2.3.1]");

    assertThatThrownBy(() -> r.readFourByteInteger("Message Expiry Interval (0x02)"))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessage("Malformed PUBLISH: Message Expiry Interval (0x02) needs 4 bytes, 3 remaining");
    r.popLimit(outer);
    assertThat(r.remaining()).isEqualTo(5);
  }

  @Test
  void aSectionLongerThanTheBodyIsMalformed() {
    BodyReader r = reader(bytes(0x01, 0x02));

    assertThatThrownBy(() -> r.pushLimit(3, "property length", "[MQTT-3.3.2.3.1]"))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessage(
            "Malformed PUBLISH: property length 3 exceeds the 2 remaining bytes [MQTT-3.3.2.3.1]");
  }

  @Test
  void theRestStopsAtTheLimitOfTheSection() {
    BodyReader r = reader(concat(bytes(1, 2, 3), bytes(4)));
    int outer = r.pushLimit(2, "section", "[MQTT-0]");

    assertThat(hex(r.readRest())).isEqualTo("01 02");
    r.popLimit(outer);
    assertThat(hex(r.readRest())).isEqualTo("03 04");
  }
}
