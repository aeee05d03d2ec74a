package io.vmqtt.session.file;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Shares forces to the disk among concurrent writers. Records are numbered as they are written;
 * {@link #awaitDurable(long)} returns once a force that began after record {@code n} was written
 * has completed. A caller that finds no force in progress runs one itself, covering every record
 * written so far; a caller that finds one in progress waits, and if that force began before its
 * record was written, runs (or waits for) the next. So N concurrent callers cost about two forces,
 * not N.
 *
 * <p>{@link #exclusively} runs an action, such as replacing the file, while no force runs.
 *
 * <p>A failed force fails every later call: after a failed fsync the kernel may have dropped the
 * dirty pages, so a retry could report success for data that is gone.
 *
 * <p>Thread-safe; {@link #lock} guards the fields and is never held during a force.
 */
final class GroupCommit {
  /** Forces what was written to the disk. */
  @FunctionalInterface
  interface Force {
    void force() throws IOException;
  }

  /** An action run while no force runs. */
  @FunctionalInterface
  interface Exclusive {
    /** Returns whether everything written up to the sequence given is now on disk. */
    boolean run() throws IOException;
  }

  private final Force force;
  private final LongSupplier written;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition finished = lock.newCondition();

  /** Every record up to this one is on disk. Guarded by {@link #lock}. */
  private long durable;

  /** A force or an exclusive action is running. Guarded by {@link #lock}. */
  private boolean busy;

  /** The failure of a force; sticky. Guarded by {@link #lock}. */
  private IOException failure;

  /** Forces run, for tests and measurements. Guarded by {@link #lock}. */
  private long forces;

  /**
   * @param force forces the file
   * @param written the number of the last record written; read when a force begins
   */
  GroupCommit(Force force, LongSupplier written) {
    this.force = force;
    this.written = written;
  }

  /**
   * Returns once every record up to {@code record} is on disk.
   *
   * @throws InterruptedIOException when interrupted while waiting for another caller's force (the
   *     interrupt flag stays set); the record is written, but may not be on disk
   * @throws IOException when a force failed, now or before
   */
  void awaitDurable(long record) throws IOException {
    lock.lock();
    try {
      while (durable < record) {
        throwIfFailed();
        if (busy) {
          try {
            finished.await(); // bounded by the force in progress
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(
                "interrupted while waiting for the session log to reach the disk");
          }
        } else {
          forceNow();
        }
      }
      throwIfFailed();
    } finally {
      lock.unlock();
    }
  }

  /** Forces when records were written since the last force and none is running; for INTERVAL. */
  void forceIfBehind() throws IOException {
    lock.lock();
    try {
      throwIfFailed();
      if (!busy && durable < written.getAsLong()) {
        forceNow();
        throwIfFailed();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Runs one force, with {@link #lock} held on entry and exit but released during the force. */
  private void forceNow() {
    busy = true;
    long covered = written.getAsLong();
    lock.unlock();
    IOException error = null;
    boolean done = false;
    try {
      force.force();
      done = true;
    } catch (IOException e) {
      error = e;
    } finally {
      lock.lock();
      busy = false;
      forces++;
      if (done) {
        durable = Math.max(durable, covered);
      } else if (failure == null) {
        failure = error != null ? error : new IOException("the force of the session log failed");
      }
      finished.signalAll();
    }
  }

  /**
   * Runs {@code action} while no force runs; when it reports the file on disk, every record up to
   * the one written before it started is durable.
   */
  void exclusively(Exclusive action) throws IOException {
    lock.lock();
    try {
      while (busy) {
        finished.awaitUninterruptibly(); // bounded by the force in progress
      }
      busy = true;
    } finally {
      lock.unlock();
    }
    long covered = written.getAsLong();
    boolean onDisk = false;
    try {
      onDisk = action.run();
    } finally {
      lock.lock();
      try {
        busy = false;
        if (onDisk) {
          durable = Math.max(durable, covered);
        }
        finished.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** The failure of an earlier force, thrown again with it as the cause. */
  void throwIfFailed() throws IOException {
    lock.lock();
    try {
      if (failure != null) {
        throw new IOException("an earlier force of the session log to disk failed", failure);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The number of forces run so far. */
  long forces() {
    lock.lock();
    try {
      return forces;
    } finally {
      lock.unlock();
    }
  }
}
