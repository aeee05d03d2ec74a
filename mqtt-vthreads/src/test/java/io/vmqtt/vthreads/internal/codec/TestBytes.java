package io.vmqtt.vthreads.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HexFormat;

/** Helpers for writing byte vectors by hand and for feeding them to the codec in tests. */
final class TestBytes {
  private TestBytes() {}

  /** Bytes from ints (0..255), so vectors can be written as {@code 0x30, 0x07, 'a'}. */
  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] > 0xFF) {
        throw new IllegalArgumentException("not a byte: " + values[i] + " at index " + i);
      }
      b[i] = (byte) values[i];
    }
    return b;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static byte[] filled(int length, int value) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) value);
    return b;
  }

  static String hex(byte[] b) {
    return HexFormat.ofDelimiter(" ").formatHex(b);
  }

  /** A codec at {@code protocolLevel} that accepts packets of any size. */
  static PacketCodec codec(int protocolLevel) {
    return codec(protocolLevel, MqttLimits.MAX_PACKET_SIZE);
  }

  /** A codec at {@code protocolLevel} that accepts packets of up to {@code maxPacketSize}. */
  static PacketCodec codec(int protocolLevel, int maxPacketSize) {
    return ProtocolLevel.of(protocolLevel).newCodec(new CodecContext(maxPacketSize));
  }

  /** {@code packet} encoded by an MQTT 3.1.1 codec (a CONNECT names its own level). */
  static byte[] encode(Packet packet) {
    return codec(4).encode(packet);
  }

  /** {@code packet} encoded into {@code sink} by an MQTT 3.1.1 codec. */
  static void encode(Packet packet, ByteSink sink) {
    codec(4).encode(packet, sink);
  }

  /**
   * Decodes a whole packet (fixed header included) with {@link PacketCodec#decode} alone: the
   * Remaining Length is parsed here, independently of the code under test, and must match the bytes
   * given.
   */
  static Packet decodeWhole(byte[] packet, int protocolLevel) {
    int length = 0;
    int multiplier = 1;
    int i = 1;
    int digit;
    do {
      digit = packet[i++] & 0xFF;
      length += (digit & 0x7F) * multiplier;
      multiplier *= 128;
    } while ((digit & 0x80) != 0);
    assertThat(packet.length - i).as("remaining length of %s", hex(packet)).isEqualTo(length);
    return codec(protocolLevel)
        .decode(packet[0] & 0xFF, Arrays.copyOfRange(packet, i, packet.length));
  }

  /** A stream that hands out at most {@code chunk} bytes per read and counts the reads. */
  static final class ChunkedStream extends InputStream {
    private final byte[] data;
    private final int chunk;
    private int pos;
    int reads;

    ChunkedStream(byte[] data, int chunk) {
      this.data = data;
      this.chunk = chunk;
    }

    @Override
    public int read() {
      reads++;
      return pos < data.length ? data[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      reads++;
      if (len == 0) {
        return 0;
      }
      if (pos == data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, chunk), data.length - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }

    int position() {
      return pos;
    }
  }

  /**
   * A stream that serves {@code data} and then fails the test if anyone reads again: proof that the
   * reader stopped (and allocated nothing) after the header.
   */
  static final class TripwireStream extends InputStream {
    private final byte[] data;
    private int pos;

    TripwireStream(byte[] data) {
      this.data = data;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos == data.length) {
        throw new AssertionError("read past the " + data.length + " bytes of the header");
      }
      int n = Math.min(len, data.length - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
