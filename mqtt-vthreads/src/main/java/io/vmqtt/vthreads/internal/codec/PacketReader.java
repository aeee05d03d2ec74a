package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.ProtocolException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads packets from a byte stream: the fixed header, then the body, then {@link PacketDecoder}.
 * The packet size is checked against the maximum <em>before</em> the body is allocated, so a peer
 * cannot make the reader allocate more than {@code maxPacketSize} bytes with a forged length.
 *
 * <p>Memory follows the bytes received, not the bytes claimed: a body of up to {@value #SMALL_BODY}
 * bytes (or one already in the buffer) gets its array at once; a larger one is first read into
 * chunks that double in size (8 KiB, 8 KiB, 16 KiB, ...), and its array, exactly the body, is
 * allocated only once half of it has arrived. A peer that announces 16 MiB and stalls costs 8 KiB,
 * not 16 MiB; at any time the reader holds at most three times the bytes received plus 8 KiB. The
 * price for a large body is copying its first half once. A large PUBLISH is read as its topic name
 * and packet identifier, then its payload, which is read in the same way into the array the packet
 * keeps: so the decoder does not copy the payload out of the body, and a large PUBLISH costs 1.5
 * times its size in allocation and half its size in copies, where reading the whole body first cost
 * twice its size and a full copy.
 *
 * <p>Reads go through an internal buffer, filled with as many bytes as the stream has, so a burst
 * of small packets costs one {@code read} call. The buffer starts at 512 bytes and doubles, up to 8
 * KiB, each time a read fills it: an idle connection holds 512 bytes, a busy one 8 KiB; a read that
 * wants as many bytes as the buffer holds or more goes straight into the body's array (or chunk).
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

  /**
   * The largest body allocated whole before its bytes arrive; also the first chunk of a larger one.
   */
  static final int SMALL_BODY = 8 * 1024;

  private static final byte[] EMPTY = new byte[0];

  private final InputStream in;
  private final int maxPacketSize;
  private final int protocolLevel;
  private final int maxBufferSize;

  /** {@link #SMALL_BODY}, or smaller in tests, so that small inputs reach the large-body path. */
  private final int smallBody;

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
    this(in, maxPacketSize, protocolLevel, bufferSize, SMALL_BODY);
  }

  /**
   * As the public constructor, with a buffer of {@code bufferSize} bytes and bodies (and payloads)
   * over {@code smallBody} bytes read as large ones, for tests and fuzzing.
   */
  PacketReader(
      InputStream in, int maxPacketSize, int protocolLevel, int bufferSize, int smallBody) {
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
    if (smallBody < 1) {
      throw new IllegalArgumentException("smallBody must be >= 1, was " + smallBody);
    }
    this.in = Objects.requireNonNull(in, "in");
    this.maxPacketSize = maxPacketSize;
    this.protocolLevel = protocolLevel;
    this.maxBufferSize = bufferSize;
    this.smallBody = smallBody;
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
        throw new ProtocolException("Malformed remaining length: more than 4 bytes [MQTT-2.2.3]");
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
      throw new ProtocolException(
          type
              + " of "
              + packetSize
              + " bytes exceeds the maximum packet size "
              + maxPacketSize
              + " (max_packet_size)");
    }
    byte[] body;
    if (remainingLength == 0) {
      body = EMPTY;
    } else if (type == PacketType.PUBLISH && remainingLength > smallBody) {
      return readLargePublish(firstByte, headerSize, remainingLength);
    } else {
      body = readArray(remainingLength, type, headerSize, packetSize);
    }
    return PacketDecoder.decode(firstByte, body, protocolLevel);
  }

  /**
   * The number of bytes of packets read so far, fixed headers included; bytes buffered ahead of the
   * packet last read are not counted until their packet is read.
   */
  public long bytesRead() {
    return bytesRead;
  }

  /**
   * Reads a PUBLISH body larger than {@link #SMALL_BODY} in two arrays: the topic name and packet
   * identifier, then the payload, which becomes the packet's payload as it is. (Decoded from one
   * body array, the payload is copied out of it.) A body too short for the topic name its length
   * announces is read and decoded whole, as any other, so it fails with the usual message.
   */
  private Packet readLargePublish(int firstByte, int headerSize, int length) throws IOException {
    int packetSize = headerSize + length;
    byte[] topicLength = readArray(2, PacketType.PUBLISH, headerSize, packetSize);
    int topicBytes = ((topicLength[0] & 0xFF) << 8) | (topicLength[1] & 0xFF);
    // QoS 1 and 2 carry a packet identifier after the topic name [MQTT-3.3.2.2].
    int headLength = 2 + topicBytes + ((firstByte & 0x06) != 0 ? 2 : 0);
    if (headLength > length) {
      byte[] rest = readArray(length - 2, PacketType.PUBLISH, headerSize + 2, packetSize);
      byte[] body = new byte[length];
      System.arraycopy(topicLength, 0, body, 0, 2);
      System.arraycopy(rest, 0, body, 2, rest.length);
      return PacketDecoder.decode(firstByte, body, protocolLevel);
    }
    byte[] afterLength = readArray(headLength - 2, PacketType.PUBLISH, headerSize + 2, packetSize);
    byte[] head = new byte[headLength];
    System.arraycopy(topicLength, 0, head, 0, 2);
    System.arraycopy(afterLength, 0, head, 2, afterLength.length);
    byte[] payload =
        readArray(length - headLength, PacketType.PUBLISH, headerSize + headLength, packetSize);
    return PublishCodec.decodePublish(firstByte & 0x0F, head, payload);
  }

  /**
   * Reads the next {@code size} bytes into an array of exactly that size, allocating in proportion
   * to the bytes received. Up to {@link #SMALL_BODY} bytes (or what the buffer already holds), the
   * array is allocated at once. For more, until half of them have arrived they go into chunks, each
   * as large as all the chunks before it (the first {@link #SMALL_BODY}, or what the buffer holds),
   * so nothing is allocated for bytes that may never come; then the array is allocated, the chunks
   * are copied into it, and the rest is read straight into it.
   *
   * @param done the bytes of the packet read before these, for the message when the stream ends
   * @param packetSize the size of the whole packet, likewise
   * @throws EOFException when the stream ends first
   */
  private byte[] readArray(int size, PacketType type, int done, int packetSize) throws IOException {
    if (size <= smallBody || size <= limit - pos) {
      byte[] array = new byte[size];
      int n = readFully(array, 0, size);
      if (n < size) {
        throw truncated(type, done + n, packetSize);
      }
      return array;
    }
    int half = size - size / 2;
    List<byte[]> chunks = new ArrayList<>();
    int received = 0;
    while (received < half) {
      int chunkSize =
          Math.min(received == 0 ? Math.max(smallBody, limit - pos) : received, half - received);
      byte[] chunk = new byte[chunkSize];
      int n = readFully(chunk, 0, chunkSize);
      if (n < chunkSize) {
        throw truncated(type, done + received + n, packetSize);
      }
      chunks.add(chunk);
      received += chunkSize;
    }
    byte[] array = new byte[size];
    int offset = 0;
    for (byte[] chunk : chunks) {
      System.arraycopy(chunk, 0, array, offset, chunk.length);
      offset += chunk.length;
    }
    int n = readFully(array, received, size - received);
    if (received + n < size) {
      throw truncated(type, done + received + n, packetSize);
    }
    return array;
  }

  /**
   * Reads {@code len} bytes into {@code dst} at {@code off}: first what the buffer holds, then a
   * large remainder straight from the stream, a small one through the buffer.
   *
   * @return {@code len}, or fewer when the stream ended first
   */
  private int readFully(byte[] dst, int off, int len) throws IOException {
    int filled = Math.min(limit - pos, len);
    System.arraycopy(buf, pos, dst, off, filled);
    pos += filled;
    bytesRead += filled;
    while (filled < len) {
      int missing = len - filled;
      int n;
      if (missing >= buf.length) {
        // Large: straight into the destination, no copy through the buffer.
        n = in.read(dst, off + filled, missing);
        if (n > 0) {
          filled += n;
          bytesRead += n;
        }
      } else {
        n = fill();
        if (n > 0) {
          int take = Math.min(n, missing);
          System.arraycopy(buf, pos, dst, off + filled, take);
          pos += take;
          filled += take;
          bytesRead += take;
        }
      }
      if (n < 0) {
        break;
      }
    }
    return filled;
  }

  private static EOFException truncated(PacketType type, int read, int size) {
    return new EOFException(
        "stream ended in the middle of a " + type + " (" + read + " of " + size + " bytes)");
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
