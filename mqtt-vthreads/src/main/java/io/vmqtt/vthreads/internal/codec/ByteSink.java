package io.vmqtt.vthreads.internal.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * A growable byte array that packets are encoded into. The writer thread keeps one and {@link
 * #reset()}s it for every batch, so after warm-up encoding allocates nothing.
 *
 * <pre>{@code
 * ByteSink sink = new ByteSink();
 * codec.encode(new PubackPacket(7), sink);
 * sink.writeTo(socketOut);
 * sink.reset();
 * }</pre>
 *
 * <p>Not thread-safe: owned by one thread at a time.
 */
public final class ByteSink {
  /** The largest array the JVM reliably allocates. */
  private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

  private byte[] buf;
  private int size;

  /** A sink with room for 256 bytes before it grows. */
  public ByteSink() {
    this(256);
  }

  /**
   * @param initialCapacity the bytes it holds before it first grows
   * @throws IllegalArgumentException when {@code initialCapacity} is negative
   */
  public ByteSink(int initialCapacity) {
    if (initialCapacity < 0) {
      throw new IllegalArgumentException("initialCapacity must be >= 0, was " + initialCapacity);
    }
    buf = new byte[initialCapacity];
  }

  /** Writes the low 8 bits of {@code b}. */
  public void writeByte(int b) {
    ensure(1);
    buf[size++] = (byte) b;
  }

  /**
   * Writes a 16-bit big-endian integer ("Two Byte Integer", MSB first) [MQTT-1.5.2].
   *
   * @throws IllegalArgumentException when {@code value} is not in 0..65535
   */
  public void writeShort(int value) {
    if ((value & ~0xFFFF) != 0) {
      throw new IllegalArgumentException("a 16-bit field must be in 0..65535, was " + value);
    }
    ensure(2);
    buf[size++] = (byte) (value >>> 8);
    buf[size++] = (byte) value;
  }

  /** Writes all of {@code bytes}. */
  public void writeBytes(byte[] bytes) {
    writeBytes(bytes, 0, bytes.length);
  }

  /**
   * Writes {@code len} bytes of {@code bytes} from {@code off}.
   *
   * @throws IndexOutOfBoundsException when the range is outside {@code bytes}
   */
  public void writeBytes(byte[] bytes, int off, int len) {
    Objects.checkFromIndexSize(off, len, bytes.length);
    ensure(len);
    System.arraycopy(bytes, off, buf, size, len);
    size += len;
  }

  /**
   * Writes a UTF-8 encoded string: a 16-bit length, then the UTF-8 bytes [MQTT-1.5.3]. The string
   * is encoded straight into the array, without an intermediate {@code byte[]}.
   *
   * @throws IllegalArgumentException when {@code s} holds an unpaired surrogate (it has no UTF-8
   *     form) [MQTT-1.5.3-1] or is longer than 65,535 bytes in UTF-8
   */
  public void writeUtf8(String s) {
    writeUtf8(s, Utf8.encodedLength(s));
  }

  /**
   * As {@link #writeUtf8(String)}, for a caller that has computed the length already.
   *
   * @param utf8Length {@code Utf8.encodedLength(s)}
   */
  void writeUtf8(String s, long utf8Length) {
    if (utf8Length > MqttLimits.MAX_STRING_BYTES) {
      throw new IllegalArgumentException(
          "a string of "
              + utf8Length
              + " bytes in UTF-8 exceeds the maximum "
              + MqttLimits.MAX_STRING_BYTES);
    }
    int n = (int) utf8Length;
    ensure(2 + n);
    byte[] b = buf;
    int p = size;
    b[p++] = (byte) (n >>> 8);
    b[p++] = (byte) n;
    int length = s.length();
    if (n == length) {
      // Only ASCII: every other character takes at least two bytes per char.
      for (int i = 0; i < length; i++) {
        b[p++] = (byte) s.charAt(i);
      }
    } else {
      for (int i = 0; i < length; i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          b[p++] = (byte) c;
        } else if (c < 0x800) {
          b[p++] = (byte) (0xC0 | (c >>> 6));
          b[p++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c)) {
          // Paired: Utf8.encodedLength has refused unpaired surrogates.
          int cp = Character.toCodePoint(c, s.charAt(++i));
          b[p++] = (byte) (0xF0 | (cp >>> 18));
          b[p++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
          b[p++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
          b[p++] = (byte) (0x80 | (cp & 0x3F));
        } else {
          b[p++] = (byte) (0xE0 | (c >>> 12));
          b[p++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
          b[p++] = (byte) (0x80 | (c & 0x3F));
        }
      }
    }
    size = p;
  }

  /**
   * Writes binary data: a 16-bit length, then the bytes [MQTT-1.5.3].
   *
   * @throws IllegalArgumentException when {@code bytes} is longer than 65,535
   */
  public void writeBinary(byte[] bytes) {
    if (bytes.length > MqttLimits.MAX_STRING_BYTES) {
      throw new IllegalArgumentException(
          "binary data of "
              + bytes.length
              + " bytes exceeds the maximum "
              + MqttLimits.MAX_STRING_BYTES);
    }
    ensure(2 + bytes.length);
    buf[size++] = (byte) (bytes.length >>> 8);
    buf[size++] = (byte) bytes.length;
    System.arraycopy(bytes, 0, buf, size, bytes.length);
    size += bytes.length;
  }

  /**
   * Writes the Remaining Length as a variable byte integer: 7 bits per byte, least significant
   * first, bit 7 set on every byte but the last; 1 to 4 bytes [MQTT-2.2.3].
   *
   * @throws IllegalArgumentException when {@code value} is not in 0..268,435,455
   */
  public void writeRemainingLength(int value) {
    if (value < 0 || value > MqttLimits.MAX_REMAINING_LENGTH) {
      throw new IllegalArgumentException(
          "remaining length must be in 0.." + MqttLimits.MAX_REMAINING_LENGTH + ", was " + value);
    }
    writeVariableByteIntegerUnchecked(value);
  }

  /**
   * Writes a Variable Byte Integer (MQTT 5.0 section 1.5.5) in the fewest bytes that hold it
   * [MQTT-1.5.5-1]: 7 bits per byte, least significant first, bit 7 set on every byte but the last;
   * 1 to 4 bytes.
   *
   * @throws IllegalArgumentException when {@code value} is not in 0..268,435,455
   */
  public void writeVariableByteInteger(int value) {
    if (value < 0 || value > MqttLimits.MAX_VARIABLE_BYTE_INTEGER) {
      throw new IllegalArgumentException(
          "a Variable Byte Integer must be in 0.."
              + MqttLimits.MAX_VARIABLE_BYTE_INTEGER
              + ", was "
              + value);
    }
    writeVariableByteIntegerUnchecked(value);
  }

  private void writeVariableByteIntegerUnchecked(int value) {
    ensure(MqttLimits.MAX_VARIABLE_BYTE_INTEGER_BYTES);
    int v = value;
    do {
      int digit = v & 0x7F;
      v >>>= 7;
      buf[size++] = (byte) (v > 0 ? digit | 0x80 : digit);
    } while (v > 0);
  }

  /**
   * The bytes {@code value} takes as a Variable Byte Integer: 1 up to 127, 2 up to 16,383, 3 up to
   * 2,097,151, else 4 (MQTT 5.0 Table 1-1).
   *
   * @throws IllegalArgumentException when {@code value} is not in 0..268,435,455
   */
  public static int variableByteIntegerSize(int value) {
    if (value < 0 || value > MqttLimits.MAX_VARIABLE_BYTE_INTEGER) {
      throw new IllegalArgumentException(
          "a Variable Byte Integer must be in 0.."
              + MqttLimits.MAX_VARIABLE_BYTE_INTEGER
              + ", was "
              + value);
    }
    return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
  }

  /**
   * Writes a Four Byte Integer (MQTT 5.0 section 1.5.3): 32 bits unsigned, big-endian.
   *
   * @throws IllegalArgumentException when {@code value} is not in 0..4,294,967,295
   */
  public void writeFourByteInteger(long value) {
    if (value < 0 || value > MqttLimits.MAX_FOUR_BYTE_INTEGER) {
      throw new IllegalArgumentException(
          "a Four Byte Integer must be in 0.."
              + MqttLimits.MAX_FOUR_BYTE_INTEGER
              + ", was "
              + value);
    }
    ensure(4);
    buf[size++] = (byte) (value >>> 24);
    buf[size++] = (byte) (value >>> 16);
    buf[size++] = (byte) (value >>> 8);
    buf[size++] = (byte) value;
  }

  /**
   * Writes a UTF-8 String Pair (MQTT 5.0 section 1.5.7): the name, then the value, each a UTF-8
   * string [MQTT-1.5.7-1]. Nothing is written when either cannot be encoded.
   *
   * @throws IllegalArgumentException as {@link #writeUtf8(String)}, for the name or the value
   */
  public void writeStringPair(String name, String value) {
    long nameLength = Utf8.encodedLength(name);
    long valueLength = Utf8.encodedLength(value);
    if (nameLength > MqttLimits.MAX_STRING_BYTES || valueLength > MqttLimits.MAX_STRING_BYTES) {
      long n = Math.max(nameLength, valueLength);
      throw new IllegalArgumentException(
          "a string of "
              + n
              + " bytes in UTF-8 exceeds the maximum "
              + MqttLimits.MAX_STRING_BYTES);
    }
    writeUtf8(name, nameLength);
    writeUtf8(value, valueLength);
  }

  /** The number of bytes written since creation or the last {@link #reset()}. */
  public int size() {
    return size;
  }

  /** The backing array, valid from 0 to {@link #size()}; replaced when the sink grows. */
  public byte[] array() {
    return buf;
  }

  /** Forgets the content and keeps the capacity. */
  public void reset() {
    size = 0;
  }

  /**
   * Drops what was written after the first {@code newSize} bytes.
   *
   * @throws IndexOutOfBoundsException when {@code newSize} is not in 0..size()
   */
  void truncate(int newSize) {
    Objects.checkIndex(newSize, size + 1);
    size = newSize;
  }

  /**
   * Writes the content to {@code out} in one call; does not flush.
   *
   * @throws IOException from {@code out}
   */
  public void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, size);
  }

  /** A copy of the content. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  private void ensure(int more) {
    int needed = size + more;
    if (needed < 0 || needed > MAX_CAPACITY) {
      throw new IllegalArgumentException(
          "cannot grow a ByteSink of " + size + " bytes by " + more + " bytes");
    }
    if (needed > buf.length) {
      int doubled = buf.length > MAX_CAPACITY / 2 ? MAX_CAPACITY : buf.length * 2;
      buf = Arrays.copyOf(buf, Math.max(needed, Math.max(doubled, 16)));
    }
  }

  @Override
  public String toString() {
    return "ByteSink[size=" + size + ", capacity=" + buf.length + "]";
  }
}
