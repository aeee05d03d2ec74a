package io.vmqtt.session.file;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The files of a {@link FileSessionStore}: their names, opening a log under its lock, writing a
 * compacted log and putting it in place, forcing a directory.
 *
 * <p>Data is read and written through {@link RandomAccessFile}, whose reads, writes and {@code
 * getFD().sync()} ignore interrupts; its channel is used only to lock. An interrupt that reaches a
 * thread blocked in a {@link FileChannel} read, write or force closes the channel, and with it the
 * lock: one cancelled publisher would end the session for every thread.
 *
 * <p>Stateless and thread-safe.
 */
final class LogFiles {
  /** How a log's name ends. */
  static final String SUFFIX = ".log";

  /** How the temporary file of a compaction ends; one per log, deleted when found. */
  static final String COMPACTING_SUFFIX = ".compacting";

  private static final int PREFIX_CHARS = 32;
  private static final int OPEN_ATTEMPTS = 10;
  private static final int WRITE_BUFFER = 1 << 16;

  private LogFiles() {}

  /**
   * The file name of a client id's log: {@code session-<prefix>-<sha256>.log}, where {@code
   * <sha256>} is the lower-case hex SHA-256 of the client id's UTF-8 bytes, which makes the name
   * unique, and {@code <prefix>} its first 32 characters with every one but ASCII letters, digits,
   * {@code -} and {@code _} replaced by {@code _}, which makes it readable. The empty client id is
   * {@code session--e3b0c442...b855.log}.
   *
   * @param clientId a valid MQTT string (no unpaired surrogate, so its UTF-8 form is exact)
   */
  static String fileName(String clientId) {
    StringBuilder name = new StringBuilder("session-");
    int chars = Math.min(clientId.length(), PREFIX_CHARS);
    for (int i = 0; i < chars; i++) {
      char c = clientId.charAt(i);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      name.append(plain ? c : '_');
    }
    return name.append('-').append(sha256(clientId)).append(SUFFIX).toString();
  }

  private static String sha256(String clientId) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(clientId.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The temporary file a compaction of {@code log} writes. */
  static Path compactingFile(Path log) {
    return log.resolveSibling(log.getFileName() + COMPACTING_SUFFIX);
  }

  /**
   * Opens a log, creating it when missing, and locks it. Checks, after locking, that the file
   * locked is still the one at {@code path}: a process that closes an empty session deletes its
   * log, and a compaction replaces it, so a file opened just before may no longer be the log.
   *
   * @throws IllegalStateException when another process, or another channel in this one, holds it
   */
  static RandomAccessFile openLocked(Path path, String clientId) throws IOException {
    for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
      try {
        Files.createFile(path);
      } catch (FileAlreadyExistsException e) {
        // The usual case.
      }
      Object before = identity(path);
      RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
      boolean keep = false;
      try {
        if (tryLock(file) == null) {
          throw alreadyOpen(clientId, path);
        }
        Object after = identity(path);
        if (before != null && before.equals(after)) {
          keep = true;
          return file;
        }
      } finally {
        if (!keep) {
          file.close();
        }
      }
    }
    throw new IOException(
        "could not open " + path + ": it was replaced or deleted " + OPEN_ATTEMPTS + " times");
  }

  private static FileLock tryLock(RandomAccessFile file) throws IOException {
    try {
      return file.getChannel().tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  static IllegalStateException alreadyOpen(String clientId, Path path) {
    return new IllegalStateException(
        "the session of client id '" + clientId + "' is already open (file " + path + ")");
  }

  /**
   * What identifies the file at {@code path} (its device and inode on Unix), or its path where the
   * file system gives no key; null when no file is there.
   */
  private static Object identity(Path path) throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      return Objects.requireNonNullElse(a.fileKey(), path);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * Writes a compacted log to {@code temp}, locked, and forces it to disk.
   *
   * @return the open, locked file, its position at the end
   */
  static RandomAccessFile writeCompacted(Path temp, byte[] header, List<LogRecord> records)
      throws IOException {
    RandomAccessFile file = new RandomAccessFile(temp.toFile(), "rw");
    boolean keep = false;
    try {
      if (tryLock(file) == null) {
        throw new IOException("could not lock " + temp);
      }
      file.setLength(0);
      byte[] buffer = new byte[WRITE_BUFFER];
      int used = 0;
      file.write(header);
      for (LogRecord record : records) {
        byte[] bytes = LogCodec.encode(record);
        if (used + bytes.length > buffer.length) {
          file.write(buffer, 0, used);
          used = 0;
        }
        if (bytes.length > buffer.length) {
          file.write(bytes);
        } else {
          System.arraycopy(bytes, 0, buffer, used, bytes.length);
          used += bytes.length;
        }
      }
      file.write(buffer, 0, used);
      file.getFD().sync();
      keep = true;
      return file;
    } finally {
      if (!keep) {
        file.close();
      }
    }
  }

  /**
   * Forces a directory's entries to disk, so that a file created or renamed in it stays so after a
   * power loss. Where a directory cannot be opened (Windows), does nothing. The interrupt flag is
   * set aside meanwhile, since an interrupt would close the channel before it forces anything.
   *
   * @throws IOException when the force fails
   */
  static void forceDirectory(Path directory) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      FileChannel dir;
      try {
        dir = FileChannel.open(directory, StandardOpenOption.READ);
      } catch (IOException | UnsupportedOperationException e) {
        return; // Not supported here.
      }
      try (dir) {
        dir.force(true);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
