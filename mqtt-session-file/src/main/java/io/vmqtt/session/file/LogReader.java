package io.vmqtt.session.file;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Replays a session log into a {@link SessionState}. Reading stops at the first record that is
 * short (a crash during an append), fails its checksum, or does not decode; the caller truncates
 * the log there. A header that is not this client's is an error: such a file is left untouched.
 *
 * <p>Stateless; used by the one thread that opens a log.
 */
final class LogReader {
  private static final int BUFFER = 1 << 16;

  private LogReader() {}

  /**
   * What replay found.
   *
   * @param state the state of the good records
   * @param end where the good records end; 0 when the file holds no complete header, which is
   *     written afresh
   * @param records the good records, header not counted
   * @param damage null, or what was found at {@code end} and made reading stop
   */
  record Replay(SessionState state, long end, long records, String damage) {}

  /**
   * Reads the whole log.
   *
   * @throws IOException when it cannot be read, or is not the log of {@code clientId}: another
   *     file, another client id, a damaged header, a format version other than {@link
   *     LogCodec#VERSION}
   */
  static Replay read(RandomAccessFile file, String clientId, Path path) throws IOException {
    long length = file.length();
    file.seek(0);
    InputStream in = input(file);
    byte[] expected = LogCodec.header(clientId);
    byte[] head = in.readNBytes((int) Math.min(length, expected.length));
    if (head.length < expected.length
        && Arrays.equals(head, 0, head.length, expected, 0, head.length)) {
      // Created, then the process ended before its header was complete.
      String damage = head.length == 0 ? null : "an incomplete header of " + head.length + " bytes";
      return new Replay(new SessionState(), 0, 0, damage);
    }
    checkHeader(head, expected, clientId, path);
    return readRecords(in, expected.length, length);
  }

  private static void checkHeader(byte[] head, byte[] expected, String clientId, Path path)
      throws IOException {
    if (!LogCodec.startsLikeALog(head, head.length) || head.length < LogCodec.MAGIC.length) {
      throw new IOException(path + " is not a vmqtt session log: it does not begin with VMQTTLOG");
    }
    if (head.length >= LogCodec.MAGIC.length + 2) {
      int version = ByteBuffer.wrap(head, LogCodec.MAGIC.length, 2).getShort() & 0xFFFF;
      if (version != LogCodec.VERSION) {
        throw new IOException(
            path
                + " is a session log of format version "
                + version
                + "; this vmqtt reads version "
                + LogCodec.VERSION);
      }
    }
    if (!Arrays.equals(head, expected)) {
      throw new IOException(
          path
              + " is not the session log of client id '"
              + clientId
              + "': its header names another client id or is damaged");
    }
  }

  private static Replay readRecords(InputStream in, long start, long length) throws IOException {
    SessionState state = new SessionState();
    long position = start;
    long records = 0;
    byte[] prefix = new byte[LogCodec.RECORD_PREFIX];
    while (position < length) {
      long remaining = length - position;
      if (remaining < LogCodec.RECORD_OVERHEAD) {
        return damaged(state, position, records, "an incomplete record of " + remaining + " bytes");
      }
      if (in.readNBytes(prefix, 0, prefix.length) < prefix.length) {
        return damaged(state, position, records, "a record cut short by the end of the file");
      }
      ByteBuffer b = ByteBuffer.wrap(prefix);
      int bodyLength = b.getInt();
      byte type = b.get();
      // The length is checked before anything is allocated for the body.
      if (bodyLength < 0
          || bodyLength > LogCodec.MAX_BODY
          || LogCodec.RECORD_OVERHEAD + (long) bodyLength > remaining) {
        return damaged(
            state,
            position,
            records,
            "a record whose length ("
                + Integer.toUnsignedString(bodyLength)
                + " bytes) exceeds"
                + " what remains of the file ("
                + remaining
                + " bytes)");
      }
      byte[] record = new byte[LogCodec.RECORD_OVERHEAD + bodyLength];
      System.arraycopy(prefix, 0, record, 0, prefix.length);
      int rest = record.length - prefix.length;
      if (in.readNBytes(record, prefix.length, rest) < rest) {
        return damaged(state, position, records, "a record cut short by the end of the file");
      }
      int stored = ByteBuffer.wrap(record, record.length - 4, 4).getInt();
      if (stored != LogCodec.crc(record, 0, record.length - 4)) {
        return damaged(state, position, records, "a record with a bad checksum");
      }
      try {
        LogRecord r = LogCodec.decode(type, record, LogCodec.RECORD_PREFIX, bodyLength);
        state.apply(r, record.length);
      } catch (IllegalArgumentException e) {
        return damaged(state, position, records, "an invalid record (" + e.getMessage() + ")");
      }
      records++;
      position += record.length;
    }
    return new Replay(state, position, records, null);
  }

  private static Replay damaged(SessionState state, long position, long records, String what) {
    return new Replay(state, position, records, what);
  }

  /** A buffered stream from the file's position; RandomAccessFile reads ignore interrupts. */
  private static InputStream input(RandomAccessFile file) {
    return new BufferedInputStream(
        new InputStream() {
          @Override
          public int read() throws IOException {
            return file.read();
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            return file.read(b, off, len);
          }
        },
        BUFFER);
  }
}
