package io.vmqtt.session.file;

import io.vmqtt.spi.PersistentSession;
import io.vmqtt.spi.SessionStore.FsyncPolicy;
import io.vmqtt.spi.StoredPublish;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open session of a {@link FileSessionStore}: its state in memory, and the append-only log
 * ({@link LogCodec}) that state is rebuilt from when it is opened again, by this process or the
 * next. Each change is one record, encoded into one buffer and written with one write, under {@link
 * #lock} so that the log's order is the state's; then, with {@link FsyncPolicy#ALWAYS}, the caller
 * waits, without the lock, for a force that covers its record ({@link GroupCommit}).
 *
 * <p><b>Compaction.</b> When the log holds more dead than live data, and enough of it for a rewrite
 * to pay, the change that tips it over rewrites the live state to a temporary file, forces it,
 * moves it over the log in one step and forces the directory: a crash at any point leaves either
 * the old log or the new one, each complete. The rule: dead bytes {@literal >} max(1 MiB, live
 * bytes), or dead records {@literal >} max(10,000, live records). Each compaction costs about the
 * live state, and the next comes only after at least as much was written again, so its cost per
 * change is constant. The temporary file is locked before it is moved, so no other process can open
 * the new log while it is put in place.
 *
 * <p>Thread-safe: the engine calls it from several threads. {@link #lock} guards the state and the
 * file; it is held while writing (a write to the page cache) and while compacting.
 */
final class SessionLog implements PersistentSession {
  private static final Logger LOG = LoggerFactory.getLogger(SessionLog.class);

  /** Dead bytes below which the log is never compacted. */
  static final long COMPACT_MIN_DEAD_BYTES = 1 << 20;

  /** Dead records below which the log is never compacted. */
  static final long COMPACT_MIN_DEAD_RECORDS = 10_000;

  /** How often {@link FsyncPolicy#INTERVAL} forces. */
  static final Duration FORCE_INTERVAL = Duration.ofMillis(100);

  private final String clientId;
  private final Path path;
  private final FsyncPolicy fsync;
  private final byte[] header;
  private final Runnable onClose;
  private final ReentrantLock lock = new ReentrantLock();
  private final GroupCommit commit;
  private final IntervalForcer forcer;

  /** Guarded by {@link #lock}. */
  private final SessionState state;

  /**
   * The open, locked log; replaced by compaction. Guarded by {@link #lock}; forces read it while
   * {@link GroupCommit} keeps it from being replaced.
   */
  private volatile RandomAccessFile file;

  /** The log's length in bytes. Guarded by {@link #lock}. */
  private long length;

  /** The number of the last record written. Written under {@link #lock}. */
  private volatile long written;

  /**
   * A write that failed: the log may end in a partial record, so nothing more is appended (the next
   * open cuts it off). Guarded by {@link #lock}.
   */
  private IOException writeFailure;

  /** Guarded by {@link #lock}. */
  private boolean closed;

  /** After a failed compaction, the record number from which to try again. Guarded by lock. */
  private long compactAgainAt;

  private SessionLog(
      String clientId,
      Path path,
      FsyncPolicy fsync,
      RandomAccessFile file,
      long length,
      SessionState state,
      Runnable onClose) {
    this.clientId = clientId;
    this.path = path;
    this.fsync = fsync;
    this.header = LogCodec.header(clientId);
    this.file = file;
    this.length = length;
    this.state = state;
    this.onClose = onClose;
    this.commit = new GroupCommit(() -> this.file.getFD().sync(), () -> written);
    this.forcer =
        fsync == FsyncPolicy.INTERVAL
            ? new IntervalForcer(commit, FORCE_INTERVAL, describe())
            : null;
  }

  /**
   * Opens the log at {@code path}, creating it when missing, and replays it. A damaged tail is cut
   * off with a warning.
   *
   * @param onClose run once when the session closes
   * @throws IllegalStateException when the session is open elsewhere
   * @throws IOException when the log cannot be read, or is another's
   */
  static SessionLog open(String clientId, Path path, FsyncPolicy fsync, Runnable onClose)
      throws IOException {
    RandomAccessFile file = LogFiles.openLocked(path, clientId);
    try {
      // What a crash during a compaction left; the log is locked, so nobody is compacting it.
      Files.deleteIfExists(LogFiles.compactingFile(path));
      LogReader.Replay replay = LogReader.read(file, clientId, path);
      long length = replay.end();
      if (replay.damage() != null) {
        LOG.warn(
            "session log "
                + path
                + " of client id '"
                + clientId
                + "': "
                + replay.damage()
                + " at offset "
                + length
                + "; kept "
                + count(replay.records(), "record")
                + " before it and cut off "
                + count(file.length() - length, "byte"));
      }
      if (length == 0) {
        byte[] header = LogCodec.header(clientId);
        file.setLength(0);
        file.seek(0);
        file.write(header);
        length = header.length;
        if (fsync != FsyncPolicy.NEVER) {
          file.getFD().sync();
          LogFiles.forceDirectory(path.getParent());
        }
      } else if (length < file.length()) {
        file.setLength(length);
        if (fsync != FsyncPolicy.NEVER) {
          file.getFD().sync();
        }
      }
      file.seek(length);
      SessionLog log = new SessionLog(clientId, path, fsync, file, length, replay.state(), onClose);
      log.lock.lock();
      try {
        log.compactIfWorthIt();
      } finally {
        log.lock.unlock();
      }
      return log;
    } catch (IOException | RuntimeException | Error e) {
      file.close();
      throw e;
    }
  }

  @Override
  public List<StoredPublish> outbound() {
    lock.lock();
    try {
      return state.outbound();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Set<Integer> inboundAwaitingRelease() {
    lock.lock();
    try {
      return state.inbound();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void outboundAdded(StoredPublish publish) throws IOException {
    append(new LogRecord.OutboundAdded(publish));
  }

  @Override
  public void outboundReleased(int packetId) throws IOException {
    append(new LogRecord.OutboundReleased(packetId));
  }

  @Override
  public void outboundRemoved(int packetId) throws IOException {
    append(new LogRecord.OutboundRemoved(packetId));
  }

  @Override
  public void inboundReceived(int packetId) throws IOException {
    append(new LogRecord.InboundReceived(packetId));
  }

  @Override
  public void inboundReleased(int packetId) throws IOException {
    append(new LogRecord.InboundReleased(packetId));
  }

  /**
   * Writes one change and applies it; a change that changes nothing is not written, but still
   * waits, with ALWAYS, for what is written to be on disk, since the state it saw may be another
   * caller's record not yet forced.
   */
  private void append(LogRecord record) throws IOException {
    long mine;
    lock.lock();
    try {
      if (closed) {
        throw new IOException("the session of client id '" + clientId + "' is closed");
      }
      if (writeFailure != null) {
        throw new IOException("an earlier write to " + path + " failed", writeFailure);
      }
      commit.throwIfFailed();
      if (state.changes(record)) {
        byte[] bytes = LogCodec.encode(record);
        try {
          file.write(bytes);
        } catch (IOException e) {
          writeFailure = e;
          throw new IOException("could not append to " + path, e);
        }
        state.apply(record, bytes.length);
        length += bytes.length;
        written++;
        compactIfWorthIt();
      }
      mine = written;
    } finally {
      lock.unlock();
    }
    if (fsync == FsyncPolicy.ALWAYS) {
      commit.awaitDurable(mine);
    }
  }

  /** Compacts when the rule says so; a failure is logged and retried 10,000 records later. */
  private void compactIfWorthIt() {
    if (written < compactAgainAt || !worthCompacting()) {
      return;
    }
    try {
      commit.exclusively(this::compact);
    } catch (IOException e) {
      compactAgainAt = written + COMPACT_MIN_DEAD_RECORDS;
      LOG.warn("could not compact " + path + "; it stays as it is", e);
    }
  }

  private boolean worthCompacting() {
    long liveBytes = header.length + state.liveRecordBytes();
    long deadBytes = length - liveBytes;
    long deadRecords = state.deadRecordCount();
    return (deadBytes > COMPACT_MIN_DEAD_BYTES && deadBytes > liveBytes)
        || (deadRecords > COMPACT_MIN_DEAD_RECORDS && deadRecords > state.liveRecordCount());
  }

  /**
   * Replaces the log by a compacted one; runs under {@link #lock} while no force runs. Returns
   * whether all written is on disk: the new log was forced before the move, the move is on disk
   * once the directory is.
   */
  private boolean compact() throws IOException {
    Path temp = LogFiles.compactingFile(path);
    RandomAccessFile next;
    try {
      next = LogFiles.writeCompacted(temp, header, state.liveRecords());
      try {
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException e) {
        next.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temp);
      throw e;
    }
    // The new file is the log from here on; the old one is unlinked, closing it drops its lock.
    RandomAccessFile old = file;
    file = next;
    length = next.length();
    state.compacted();
    try {
      old.close();
    } catch (IOException e) {
      LOG.warn("could not close the replaced log of " + path, e);
    }
    try {
      LogFiles.forceDirectory(path.getParent());
      return true;
    } catch (IOException e) {
      LOG.warn("could not force the directory of " + path + " after compacting", e);
      return false;
    }
  }

  /**
   * Forces the log (unless NEVER), deletes it when the session holds nothing, and closes it, which
   * releases its lock. Threads waiting for a force are released.
   *
   * @throws IOException when the last force fails
   */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      lock.unlock();
    }
    if (forcer != null) {
      forcer.stop();
    }
    lock.lock();
    try {
      commit.exclusively(this::finish);
    } finally {
      lock.unlock();
      onClose.run();
    }
  }

  /** Under {@link #lock}, while no force runs: the last force, the deletion, the close. */
  private boolean finish() throws IOException {
    RandomAccessFile f = file;
    try (f) {
      if (writeFailure != null) {
        return false;
      }
      commit.throwIfFailed();
      if (fsync != FsyncPolicy.NEVER) {
        f.getFD().sync();
      }
      if (state.isEmpty()) {
        // Deleted while locked, so no one can open it in between.
        Files.delete(path);
      } else if (worthCompacting()) {
        try {
          compact();
        } catch (IOException e) {
          LOG.warn("could not compact " + path + " on close; it stays as it is", e);
        }
      }
      return fsync != FsyncPolicy.NEVER;
    } finally {
      if (file != f) {
        file.close(); // A compaction's new log.
      }
    }
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      LOG.warn("could not delete " + temp, e);
    }
  }

  /** The log's file. */
  Path path() {
    return path;
  }

  /** The log's length in bytes. */
  long length() {
    lock.lock();
    try {
      return length;
    } finally {
      lock.unlock();
    }
  }

  /** The forces run so far. */
  long forces() {
    return commit.forces();
  }

  private String describe() {
    return "session log of client id '" + clientId + "' (" + path.getFileName() + ")";
  }

  @Override
  public String toString() {
    return "FileSession[clientId=" + clientId + ", file=" + path + ", fsync=" + fsync + "]";
  }
}
