package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.ProtocolException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads packets from a byte stream: the fixed header, then the body, then {@link PacketDecoder}.
 * The packet size is checked against the maximum <em>before</em> the body is allocated, so a peer
 * cannot make the reader allocate more than {@code maxPacketSize} bytes with a forged length.
 *
 * <p>Reads go through an internal buffer, filled with as many bytes as the stream has, so a burst
 * of small packets costs one {@code read} call. The buffer starts at 512 bytes and doubles, up to 8
 * KiB, each time a read fills it: an idle connection holds 512 bytes, a busy one 8 KiB; a body
 * larger than the buffer is read straight into its own array.
 *
 * <pre>{@code
 * PacketReader reader = new PacketReader(socket.getInputStream(), 1 << 20, 4);
 * while (true) {
 *   Packet packet = reader.read();
 *   ...
 * }
 * }</pre>
 *
 * <p>Not thread-safe: the connection's reader thread owns it.
 */
public final class PacketReader {
  private static final int BUFFER_SIZE = 8 * 1024;
  private static final int INITIAL_BUFFER_SIZE = 512;
  private static final byte[] EMPTY = new byte[0];

  private final InputStream in;
  private final int maxPacketSize;
  private final int protocolLevel;
  private final int maxBufferSize;
  private byte[] buf;
  private boolean lastFillWasFull;
  private int pos;
  private int limit;
  private long bytesRead;

  /**
   * @param in the stream to read; the reader buffers, so nothing else may read from it
   * @param maxPacketSize the largest packet accepted, fixed header included
   * @param protocolLevel 3 (MQTT 3.1) or 4 (MQTT 3.1.1)
   * @throws IllegalArgumentException when {@code maxPacketSize} is not in 2..268,435,460 or {@code
   *     protocolLevel} is not 3 or 4
   */
  public PacketReader(InputStream in, int maxPacketSize, int protocolLevel) {
    this(in, maxPacketSize, protocolLevel, BUFFER_SIZE);
  }

  /** As the public constructor, with a buffer of {@code bufferSize} bytes, for tests. */
  PacketReader(InputStream in, int maxPacketSize, int protocolLevel, int bufferSize) {
    if (maxPacketSize < 2 || maxPacketSize > MqttLimits.MAX_PACKET_SIZE) {
      throw new IllegalArgumentException(
          "maxPacketSize must be in 2.." + MqttLimits.MAX_PACKET_SIZE + ", was " + maxPacketSize);
    }
    if (protocolLevel != ConnectCodec.MQTT_3_1 && protocolLevel != ConnectCodec.MQTT_3_1_1) {
      throw new IllegalArgumentException(
          "protocol level must be 3 (MQTT 3.1) or 4 (MQTT 3.1.1), was " + protocolLevel);
    }
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be >= 1, was " + bufferSize);
    }
    this.in = Objects.requireNonNull(in, "in");
    this.maxPacketSize = maxPacketSize;
    this.protocolLevel = protocolLevel;
    this.maxBufferSize = bufferSize;
    this.buf = new byte[Math.min(INITIAL_BUFFER_SIZE, bufferSize)];
  }

  /**
   * Reads and decodes the next packet; blocks until it has arrived whole.
   *
   * @return the packet
   * @throws EOFException "connection closed by peer" when the stream ends before a packet starts,
   *     or a message naming the packet and the bytes read when it ends inside one
   * @throws ProtocolException when the packet is malformed, its Remaining Length takes more than 4
   *     bytes, or it is larger than the maximum packet size
   * @throws IOException from the stream
   */
  public Packet read() throws IOException {
    if (pos == limit && fill() < 0) {
      throw new EOFException("connection closed by peer");
    }
    int firstByte = buf[pos++] & 0xFF;
    bytesRead++;
    // Type and flags are checked before anything else is read [MQTT-2.2.2-2].
    PacketType type = PacketDecoder.checkFixedHeader(firstByte);
    int remainingLength = 0;
    int lengthBytes = 0;
    int digit;
    do {
      if (lengthBytes == MqttLimits.MAX_REMAINING_LENGTH_BYTES) {
        throw ProtocolViolationException.malformed(
            "Malformed remaining length: more than 4 bytes [MQTT-2.2.3]");
      }
      if (pos == limit && fill() < 0) {
        int read = 1 + lengthBytes;
        throw new EOFException(
            "stream ended in the middle of the fixed header of a "
                + type
                + " ("
                + read
                + (read == 1 ? " byte read)" : " bytes read)"));
      }
      digit = buf[pos++] & 0xFF;
      bytesRead++;
      remainingLength |= (digit & 0x7F) << (7 * lengthBytes);
      lengthBytes++;
    } while ((digit & 0x80) != 0);
    int headerSize = 1 + lengthBytes;
    // Checked before the body is allocated. At most 1 + 4 + 268,435,455: no overflow.
    int packetSize = headerSize + remainingLength;
    if (packetSize > maxPacketSize) {
      throw new ProtocolViolationException(
          ProtocolViolationException.PACKET_TOO_LARGE,
          type
              + " of "
              + packetSize
              + " bytes exceeds the maximum packet size "
              + maxPacketSize
              + " (max_packet_size)");
    }
    byte[] body = remainingLength == 0 ? EMPTY : new byte[remainingLength];
    readBody(body, type, headerSize);
    return PacketDecoder.decode(firstByte, body, protocolLevel);
  }

  /**
   * The number of bytes of packets read so far, fixed headers included; bytes buffered ahead of the
   * packet last read are not counted until their packet is read.
   */
  public long bytesRead() {
    return bytesRead;
  }

  private void readBody(byte[] body, PacketType type, int headerSize) throws IOException {
    int filled = Math.min(limit - pos, body.length);
    System.arraycopy(buf, pos, body, 0, filled);
    pos += filled;
    bytesRead += filled;
    while (filled < body.length) {
      int missing = body.length - filled;
      int n;
      if (missing >= buf.length) {
        // Large body: straight into its array, no copy through the buffer.
        n = in.read(body, filled, missing);
        if (n > 0) {
          filled += n;
          bytesRead += n;
        }
      } else {
        n = fill();
        if (n > 0) {
          int take = Math.min(n, missing);
          System.arraycopy(buf, pos, body, filled, take);
          pos += take;
          filled += take;
          bytesRead += take;
        }
      }
      if (n < 0) {
        throw new EOFException(
            "stream ended in the middle of a "
                + type
                + " ("
                + (headerSize + filled)
                + " of "
                + (headerSize + body.length)
                + " bytes)");
      }
    }
  }

  /** Refills the empty buffer with what the stream has; returns the count, or -1 at the end. */
  private int fill() throws IOException {
    if (lastFillWasFull && buf.length < maxBufferSize) {
      buf = new byte[Math.min(maxBufferSize, buf.length * 2)]; // empty now: nothing to copy
    }
    int n = in.read(buf, 0, buf.length);
    lastFillWasFull = n == buf.length;
    pos = 0;
    limit = Math.max(n, 0);
    return n;
  }

  @Override
  public String toString() {
    return "PacketReader[maxPacketSize="
        + maxPacketSize
        + ", protocolLevel="
        + protocolLevel
        + ", bytesRead="
        + bytesRead
        + "]";
  }
}
