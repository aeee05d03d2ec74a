package io.vmqtt.vthreads.internal.codec;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Reads packets from a byte stream: the fixed header, then the body, then the connection's {@link
 * PacketCodec}. The packet size is checked against the codec context's maximum <em>before</em> the
 * body is allocated, so a peer cannot make the reader allocate more than {@code maxPacketSize}
 * bytes with a forged length.
 *
 * <p>Memory follows the bytes received, not the bytes claimed: a body of up to {@value #SMALL_BODY}
 * bytes (or one already in the buffer) gets its array at once; a larger one is first read into
 * chunks that double in size (8 KiB, 8 KiB, 16 KiB, ...), and its array, exactly the body, is
 * allocated only once half of it has arrived. A peer that announces 16 MiB and stalls costs 8 KiB,
 * not 16 MiB; at any time the reader holds at most three times the bytes received plus 8 KiB. The
 * price for a large body is copying its first half once. A large PUBLISH is read as its variable
 * header (topic name, packet identifier, and from MQTT 5 its properties: the codec says how long it
 * is), then its payload, which is read in the same way into the array the packet keeps: so the
 * decoder does not copy the payload out of the body, and a large PUBLISH costs 1.5 times its size
 * in allocation and half its size in copies, where reading the whole body first cost twice its size
 * and a full copy.
 *
 * <p>Reads go through an internal buffer, filled with as many bytes as the stream has, so a burst
 * of small packets costs one {@code read} call. The buffer starts at 512 bytes and doubles, up to 8
 * KiB, each time a read fills it: an idle connection holds 512 bytes, a busy one 8 KiB; a read that
 * wants as many bytes as the buffer holds or more goes straight into the body's array (or chunk). A
 * grown buffer goes back to 512 bytes at the first refill more than {@link #SHRINK_AFTER_NANOS}
 * after the last read that filled it: a connection that was busy once and is quiet now (its next
 * read is at latest the keep-alive's PINGRESP) holds 512 bytes again.
 *
 * <pre>{@code
 * PacketCodec codec = ProtocolLevel.MQTT_3_1_1.newCodec(new CodecContext(1 << 20));
 * PacketReader reader = new PacketReader(socket.getInputStream(), codec);
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

  /** A buffer not filled by a read for this long goes back to its initial size: one second. */
  static final long SHRINK_AFTER_NANOS = 1_000_000_000L;

  /**
   * The largest body allocated whole before its bytes arrive; also the first chunk of a larger one.
   */
  static final int SMALL_BODY = 8 * 1024;

  private static final byte[] EMPTY = new byte[0];

  private final InputStream in;
  private final PacketCodec codec;
  private final int maxPacketSize;
  private final int maxBufferSize;
  private final int initialBufferSize;
  private final LongSupplier nanoTime;

  /** {@link #SMALL_BODY}, or smaller in tests, so that small inputs reach the large-body path. */
  private final int smallBody;

  private byte[] buf;
  private boolean lastFillWasFull;

  /** When a read last filled the buffer ({@link #nanoTime}); meaningful once it has grown. */
  private long lastFullFillNanos;

  private int pos;
  private int limit;
  private long bytesRead;

  /**
   * @param in the stream to read; the reader buffers, so nothing else may read from it
   * @param codec the connection's codec; its context's maximum packet size is the largest packet
   *     accepted, fixed header included
   */
  public PacketReader(InputStream in, PacketCodec codec) {
    this(in, codec, BUFFER_SIZE);
  }

  /** As the public constructor, with a buffer of {@code bufferSize} bytes, for tests. */
  PacketReader(InputStream in, PacketCodec codec, int bufferSize) {
    this(in, codec, bufferSize, SMALL_BODY);
  }

  /**
   * As the public constructor, with a buffer of {@code bufferSize} bytes and bodies (and payloads)
   * over {@code smallBody} bytes read as large ones, for tests and fuzzing.
   */
  PacketReader(InputStream in, PacketCodec codec, int bufferSize, int smallBody) {
    this(in, codec, bufferSize, smallBody, System::nanoTime);
  }

  /** As the public constructor, with a clock for tests ({@link System#nanoTime()} terms). */
  PacketReader(
      InputStream in, PacketCodec codec, int bufferSize, int smallBody, LongSupplier nanoTime) {
    if (bufferSize < 1) {
      throw new IllegalArgumentException("bufferSize must be >= 1, was " + bufferSize);
    }
    if (smallBody < 1) {
      throw new IllegalArgumentException("smallBody must be >= 1, was " + smallBody);
    }
    this.in = Objects.requireNonNull(in, "in");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.maxPacketSize = codec.context().maximumPacketSize();
    this.maxBufferSize = bufferSize;
    this.smallBody = smallBody;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.initialBufferSize = Math.min(INITIAL_BUFFER_SIZE, bufferSize);
    this.buf = new byte[initialBufferSize];
  }

  /**
   * Reads and decodes the next packet; blocks until it has arrived whole.
   *
   * @return the packet
   * @throws EOFException "connection closed by peer" when the stream ends before a packet starts,
   *     or a message naming the packet and the bytes read when it ends inside one
   * @throws ProtocolViolationException when the packet is malformed, its Remaining Length takes
   *     more than 4 bytes, or it is larger than the maximum packet size (reason code 0x95)
   * @throws IOException from the stream
   */
  public Packet read() throws IOException {
    if (pos == limit && fill() < 0) {
      throw new EOFException("connection closed by peer");
    }
    int firstByte = buf[pos++] & 0xFF;
    bytesRead++;
    // Type and flags are checked before anything else is read [MQTT-2.2.2-2].
    PacketType type = codec.checkFixedHeader(firstByte);
    int remainingLength = 0;
    int lengthBytes = 0;
    int digit;
    do {
      if (lengthBytes == MqttLimits.MAX_REMAINING_LENGTH_BYTES) {
        throw ProtocolViolationException.malformed(
            "Malformed remaining length: more than 4 bytes "
                + codec.level().spec().variableByteIntegerBytes);
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
    if (digit == 0 && lengthBytes > 1 && codec.level().spec().minimalVariableByteIntegers) {
      throw ProtocolViolationException.malformed(
          "Malformed remaining length: "
              + lengthBytes
              + " bytes for "
              + remainingLength
              + ", which takes "
              + ByteSink.variableByteIntegerSize(remainingLength)
              + "; it must use the fewest bytes [MQTT-1.5.5-1]");
    }
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
    byte[] body;
    if (remainingLength == 0) {
      body = EMPTY;
    } else if (type == PacketType.PUBLISH && remainingLength <= limit - pos) {
      return decodeBufferedPublish(firstByte, remainingLength);
    } else if (type == PacketType.PUBLISH && remainingLength > smallBody) {
      return readLargePublish(firstByte, headerSize, remainingLength);
    } else {
      body = readArray(remainingLength, type, headerSize, packetSize);
    }
    return codec.decode(firstByte, body);
  }

  /**
   * A PUBLISH that the buffer holds whole, decoded where it lies: the most common packet of a busy
   * subscriber costs a copy of its payload only, not of its whole body first.
   */
  private PublishPacket decodeBufferedPublish(int firstByte, int remainingLength) {
    int at = pos;
    pos += remainingLength; // consumed, even when decoding fails: the connection ends then anyway
    bytesRead += remainingLength;
    return codec.decodePublish(firstByte & 0x0F, buf, at, remainingLength);
  }

  /** Whether no byte is buffered: the next {@link #read()} starts with a read of the stream. */
  public boolean isEmpty() {
    return pos == limit;
  }

  /**
   * Lets go of the empty buffer while the connection is quiet (its reader parked); the next read
   * allocates one of the initial size.
   *
   * @throws IllegalStateException when bytes are buffered
   */
  public void releaseBuffer() {
    if (pos != limit) {
      throw new IllegalStateException("releaseBuffer with " + (limit - pos) + " bytes buffered");
    }
    buf = EMPTY;
    pos = 0;
    limit = 0;
    lastFillWasFull = false;
  }

  /**
   * Whether the buffer holds the whole next packet (or a fixed header {@link #read} rejects at
   * once), so that {@link #read} returns without reading from the stream.
   */
  public boolean hasBufferedPacket() {
    int p = pos + 1;
    int length = 0;
    for (int i = 0; i < MqttLimits.MAX_REMAINING_LENGTH_BYTES; i++) {
      if (p >= limit) {
        return false;
      }
      int digit = buf[p++] & 0xFF;
      length |= (digit & 0x7F) << (7 * i);
      if ((digit & 0x80) == 0) {
        return length <= limit - p;
      }
    }
    return true; // a fifth length byte: read() fails without reading further
  }

  /**
   * The number of bytes of packets read so far, fixed headers included; bytes buffered ahead of the
   * packet last read are not counted until their packet is read.
   */
  public long bytesRead() {
    return bytesRead;
  }

  /**
   * Reads a PUBLISH body larger than {@link #SMALL_BODY} in two arrays: the variable header, whose
   * length the codec tells from its first bytes, then the payload, which becomes the packet's
   * payload as it is. (Decoded from one body array, the payload is copied out of it.) A body too
   * short for the variable header its fields announce is read and decoded whole, as any other, so
   * it fails with the usual message.
   */
  private Packet readLargePublish(int firstByte, int headerSize, int length) throws IOException {
    int packetSize = headerSize + length;
    int flags = firstByte & 0x0F;
    byte[] head = readArray(2, PacketType.PUBLISH, headerSize, packetSize);
    int headLength;
    while ((headLength = codec.publishHeaderLength(flags, head)) < 0 && -headLength <= length) {
      head = append(head, -headLength - head.length, headerSize, packetSize);
    }
    headLength = Math.abs(headLength);
    if (headLength > length) {
      byte[] body = append(head, length - head.length, headerSize, packetSize);
      return codec.decode(firstByte, body);
    }
    head = append(head, headLength - head.length, headerSize, packetSize);
    byte[] payload =
        readArray(length - headLength, PacketType.PUBLISH, headerSize + headLength, packetSize);
    return codec.decodePublish(flags, head, payload);
  }

  /** {@code head} and the next {@code more} bytes of the PUBLISH, in a new array. */
  private byte[] append(byte[] head, int more, int headerSize, int packetSize) throws IOException {
    if (more == 0) {
      return head;
    }
    byte[] next = readArray(more, PacketType.PUBLISH, headerSize + head.length, packetSize);
    byte[] joined = new byte[head.length + more];
    System.arraycopy(head, 0, joined, 0, head.length);
    System.arraycopy(next, 0, joined, head.length, more);
    return joined;
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
    if (buf.length == 0) {
      buf = new byte[initialBufferSize]; // released while the connection was quiet
    } else if (lastFillWasFull) {
      if (buf.length < maxBufferSize) {
        buf = new byte[Math.min(maxBufferSize, buf.length * 2)]; // empty now: nothing to copy
      }
    } else if (buf.length > initialBufferSize
        && nanoTime.getAsLong() - lastFullFillNanos > SHRINK_AFTER_NANOS) {
      buf = new byte[initialBufferSize]; // quiet since the burst that grew it: don't keep it
    }
    int n = in.read(buf, 0, buf.length);
    lastFillWasFull = n == buf.length;
    if (lastFillWasFull) {
      lastFullFillNanos = nanoTime.getAsLong();
    }
    pos = 0;
    limit = Math.max(n, 0);
    return n;
  }

  /** For tests: the size of the buffer now. */
  int bufferSize() {
    return buf.length;
  }

  @Override
  public String toString() {
    return "PacketReader[maxPacketSize="
        + maxPacketSize
        + ", protocolLevel="
        + codec.level().value()
        + ", bytesRead="
        + bytesRead
        + "]";
  }
}
