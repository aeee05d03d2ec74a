package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.TestBytes.bytes;
import static io.vmqtt.vthreads.internal.codec.TestBytes.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The decoder's UTF-8 checks [MQTT-1.5.3], at the edges of every encoding length. */
class Utf8Test {

  /** Decodes {@code topic} as the topic name of a QoS 0 PUBLISH. */
  private static String decodeTopic(byte[] topic) {
    byte[] body = concat(bytes(topic.length >>> 8, topic.length & 0xFF), topic);
    PublishPacket p = (PublishPacket) TestBytes.codec(4).decode(0x30, body);
    return p.topic();
  }

  /** Reads {@code utf8} as a string field, without the rules for topic names. */
  private static String readString(byte[] utf8) {
    byte[] field = concat(bytes(utf8.length >>> 8, utf8.length & 0xFF), utf8);
    BodyReader reader = new BodyReader(field, PacketType.CONNECT);
    String s = reader.readString("client identifier");
    reader.requireEnd("client identifier");
    return s;
  }

  static Stream<Arguments> edges() {
    return Stream.of(
        arguments("U+0001", bytes(0x01), "\u0001"),
        arguments("U+007F", bytes(0x7F), "\u007F"),
        arguments("U+0080", bytes(0xC2, 0x80), "\u0080"),
        arguments("U+07FF", bytes(0xDF, 0xBF), "\u07FF"),
        arguments("U+0800", bytes(0xE0, 0xA0, 0x80), "\u0800"),
        arguments("U+D7FF", bytes(0xED, 0x9F, 0xBF), "\uD7FF"),
        arguments("U+E000", bytes(0xEE, 0x80, 0x80), "\uE000"),
        arguments("U+FFFF", bytes(0xEF, 0xBF, 0xBF), "\uFFFF"),
        arguments("U+10000", bytes(0xF0, 0x90, 0x80, 0x80), "\uD800\uDC00"),
        arguments("U+10FFFF", bytes(0xF4, 0x8F, 0xBF, 0xBF), "\uDBFF\uDFFF"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edges")
  void theFirstAndLastCodePointOfEveryRangeAreAccepted(String name, byte[] utf8, String expected) {
    assertThat(decodeTopic(utf8)).isEqualTo(expected);
  }

  @Test
  void aByteOrderMarkIsKeptNotSkipped() {
    // 0xEF 0xBB 0xBF is U+FEFF and must not be skipped or stripped [MQTT-1.5.3-3].
    assertThat(decodeTopic(bytes(0xEF, 0xBB, 0xBF, 'a'))).isEqualTo("\uFEFFa");
  }

  @Test
  void controlCharactersAndNonCharactersAreAccepted() {
    // The specification says SHOULD NOT for these, not MUST NOT [MQTT-1.5.3]: a receiver may not
    // close the connection for them.
    assertThat(decodeTopic(bytes(0x1F, 0xEF, 0xBF, 0xBE))).isEqualTo("\u001F\uFFFE");
  }

  @Test
  void theStrictCheckAgreesWithTheJdksReportingDecoderOnRandomBytes() {
    // Differential check: random byte strings biased towards the interesting lead and
    // continuation bytes must be accepted exactly when a REPORT-ing decoder accepts them (and
    // they hold no 0x00).
    Random random = new Random(42);
    int[] interesting = {
      0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
      0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xF8, 0xFF
    };
    for (int round = 0; round < 50_000; round++) {
      byte[] b = new byte[1 + random.nextInt(6)];
      for (int i = 0; i < b.length; i++) {
        b[i] =
            (byte)
                (random.nextBoolean()
                    ? interesting[random.nextInt(interesting.length)]
                    : random.nextInt(256));
      }
      String jdk = jdkStrict(b);
      boolean valid = jdk != null && jdk.indexOf('\0') < 0;
      if (valid) {
        assertThat(readString(b)).as(TestBytes.hex(b)).isEqualTo(jdk);
      } else {
        assertThatThrownBy(() -> readString(b))
            .as(TestBytes.hex(b))
            .isExactlyInstanceOf(ProtocolViolationException.class)
            .hasMessageContaining("[MQTT-1.5.3-");
      }
    }
  }

  private static String jdkStrict(byte[] b) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return decoder.decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  @Test
  void theEncodedLengthIsCountedWithoutEncoding() {
    assertThat(Utf8.encodedLength("")).isZero();
    assertThat(Utf8.encodedLength("abc")).isEqualTo(3);
    assertThat(Utf8.encodedLength("é€\uD834\uDD1E")).isEqualTo(2 + 3 + 4);
  }
}
