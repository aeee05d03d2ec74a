package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.TestBytes.bytes;
import static io.vmqtt.vthreads.internal.codec.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSinkTest {

  @Test
  void bytesAndShortsAreWrittenBigEndian() {
    ByteSink sink = new ByteSink(0);

    sink.writeByte(0x1FF); // low 8 bits
    sink.writeShort(0x1234);
    sink.writeShort(0);
    sink.writeShort(65_535);

    assertThat(hex(sink.toByteArray())).isEqualTo("ff 12 34 00 00 ff ff");
  }

  @Test
  void aShortOutside16BitsIsRefused() {
    ByteSink sink = new ByteSink();

    assertThatThrownBy(() -> sink.writeShort(-1))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("a 16-bit field must be in 0..65535, was -1");
    assertThatThrownBy(() -> sink.writeShort(65_536))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("a 16-bit field must be in 0..65535, was 65536");
    assertThat(sink.size()).isZero();
  }

  @Test
  void bytesAreWrittenWholeOrFromARange() {
    ByteSink sink = new ByteSink(1);

    sink.writeBytes(bytes(1, 2, 3));
    sink.writeBytes(bytes(4, 5, 6, 7), 1, 2);

    assertThat(hex(sink.toByteArray())).isEqualTo("01 02 03 05 06");
    assertThatThrownBy(() -> sink.writeBytes(bytes(1), 1, 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void binaryDataHasATwoByteLengthPrefix() {
    ByteSink sink = new ByteSink();

    sink.writeBinary(bytes(0xAA, 0xBB));
    sink.writeBinary(new byte[0]);

    assertThat(hex(sink.toByteArray())).isEqualTo("00 02 aa bb 00 00");
  }

  @Test
  void stringsAreWrittenAsLengthThenUtf8() {
    ByteSink sink = new ByteSink();

    sink.writeUtf8("A");
    sink.writeUtf8("é"); // U+00E9
    sink.writeUtf8("€"); // U+20AC
    sink.writeUtf8("\uD834\uDD1E"); // U+1D11E
    sink.writeUtf8("");

    assertThat(hex(sink.toByteArray()))
        .isEqualTo("00 01 41 00 02 c3 a9 00 03 e2 82 ac 00 04 f0 9d 84 9e 00 00");
  }

  @Test
  void theExampleStringOfSection1_5_3IsEncodedAsInFigure1_3() {
    // "A" followed by U+2A6D4 (a CJK ideograph) [MQTT-1.5.3], Figure 1.3.
    ByteSink sink = new ByteSink();

    sink.writeUtf8("A\uD869\uDED4");

    assertThat(hex(sink.toByteArray())).isEqualTo("00 05 41 f0 aa 9b 94");
  }

  @Test
  void aByteOrderMarkIsWrittenLikeAnyCharacter() {
    ByteSink sink = new ByteSink();

    sink.writeUtf8("\uFEFF");

    assertThat(hex(sink.toByteArray())).isEqualTo("00 03 ef bb bf");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\uD800", "a\uDC00", "\uDBFF", "\uDC00\uD800"})
  void anUnpairedSurrogateHasNoUtf8FormAndIsRefused(String s) {
    ByteSink sink = new ByteSink();

    assertThatThrownBy(() -> sink.writeUtf8(s))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("string contains an unpaired surrogate at index ")
        .hasMessageEndingWith(" [MQTT-1.5.3-1]");
    assertThat(sink.size()).isZero();
  }

  @Test
  void stringsAreEncodedAsTheJdkEncodesThem() {
    // Random well-formed strings from every UTF-8 length class, compared with String.getBytes.
    Random random = new Random(20_240_601);
    int[] starts = {0x01, 0x80, 0x800, 0xE000, 0x10000};
    int[] ends = {0x7F, 0x7FF, 0xD7FF, 0xFFFF, 0x10FFFF};
    for (int round = 0; round < 2_000; round++) {
      StringBuilder sb = new StringBuilder();
      int length = random.nextInt(20);
      for (int i = 0; i < length; i++) {
        int range = random.nextInt(starts.length);
        sb.appendCodePoint(starts[range] + random.nextInt(ends[range] - starts[range] + 1));
      }
      String s = sb.toString();
      byte[] expected = s.getBytes(StandardCharsets.UTF_8);
      ByteSink sink = new ByteSink(0);

      sink.writeUtf8(s);

      byte[] actual = sink.toByteArray();
      assertThat(actual.length).isEqualTo(2 + expected.length);
      assertThat(((actual[0] & 0xFF) << 8) | (actual[1] & 0xFF)).isEqualTo(expected.length);
      assertThat(Arrays.copyOfRange(actual, 2, actual.length)).isEqualTo(expected);
    }
  }

  @Test
  void theSinkGrowsAndResetKeepsItsCapacity() {
    ByteSink sink = new ByteSink(2);
    for (int i = 0; i < 1_000; i++) {
      sink.writeByte(i);
    }
    byte[] grown = sink.array();
    assertThat(sink.size()).isEqualTo(1_000);
    assertThat(grown.length).isGreaterThanOrEqualTo(1_000);

    sink.reset();
    sink.writeShort(0xABCD);

    assertThat(sink.size()).isEqualTo(2);
    assertThat(sink.array()).isSameAs(grown);
    assertThat(hex(sink.toByteArray())).isEqualTo("ab cd");
  }

  @Test
  void writeToWritesExactlyTheContent() throws IOException {
    ByteSink sink = new ByteSink(64);
    sink.writeUtf8("abc");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    sink.writeTo(out);

    assertThat(hex(out.toByteArray())).isEqualTo("00 03 61 62 63");
  }

  @Test
  void toByteArrayIsACopy() {
    ByteSink sink = new ByteSink();
    sink.writeByte(1);

    byte[] copy = sink.toByteArray();
    copy[0] = 9;

    assertThat(sink.array()[0]).isEqualTo((byte) 1);
  }

  @Test
  void aNegativeInitialCapacityIsRefused() {
    assertThatThrownBy(() -> new ByteSink(-1))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("initialCapacity must be >= 0, was -1");
  }
}
