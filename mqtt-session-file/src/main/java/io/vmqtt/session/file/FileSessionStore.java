package io.vmqtt.session.file;

import io.vmqtt.Topics;
import io.vmqtt.spi.PersistentSession;
import io.vmqtt.spi.SessionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store behind {@link SessionStore#file} (made by {@link FileStoreProvider}): one append-only
 * log per client id in a directory ({@link SessionLog} holds one open; {@link LogCodec} gives its
 * format; {@link LogFiles#fileName} its name).
 *
 * <p><b>No lock files.</b> An open log is locked with {@link
 * java.nio.channels.FileChannel#tryLock()} on the log itself; the operating system releases the
 * lock when the process ends, however it ends, so a killed process leaves nothing that stops the
 * next one. On Unix these are POSIX record locks, which belong to the process: closing <em>any</em>
 * descriptor of a locked file releases the process's lock on it. So this process keeps a set of the
 * logs it has open and refuses a second open before touching the file; and nothing else in the
 * process should open a log while its session is open.
 *
 * <p>Two stores of the same directory and policy are equal: they hold nothing but those two values,
 * and act alike, so configurations built from the same map are equal.
 *
 * <p>Immutable and thread-safe.
 */
public final class FileSessionStore implements SessionStore {
  /** The logs open in this process, by real path. */
  private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

  private final Path directory;
  private final FsyncPolicy fsync;

  /**
   * A store in {@code directory}, which is created on the first {@link #open} when missing.
   *
   * @throws NullPointerException when an argument is null
   */
  public FileSessionStore(Path directory, FsyncPolicy fsync) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.fsync = Objects.requireNonNull(fsync, "fsync");
  }

  /**
   * Opens, and locks, the log of {@code clientId}; creates it and the directory when missing.
   *
   * @throws IllegalArgumentException when the client id is not a valid MQTT string
   * @throws IllegalStateException when the session is already open, in this process or another
   * @throws IOException when the log cannot be created or read, or is not a session log of this
   *     client id
   */
  @Override
  public PersistentSession open(String clientId) throws IOException {
    Topics.requireValidString(clientId, "clientId");
    Files.createDirectories(directory);
    Path path = directory.toRealPath().resolve(LogFiles.fileName(clientId));
    if (!OPEN.add(path)) {
      throw LogFiles.alreadyOpen(clientId, path);
    }
    try {
      return SessionLog.open(clientId, path, fsync, () -> OPEN.remove(path));
    } catch (IOException | RuntimeException | Error e) {
      OPEN.remove(path);
      throw e;
    }
  }

  /** The directory of the logs. */
  public Path directory() {
    return directory;
  }

  /** When the logs are forced to disk. */
  public FsyncPolicy fsync() {
    return fsync;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileSessionStore s && directory.equals(s.directory) && fsync == s.fsync;
  }

  @Override
  public int hashCode() {
    return Objects.hash(directory, fsync);
  }

  @Override
  public String toString() {
    return "SessionStore.file(" + directory + ", " + fsync + ")";
  }
}
