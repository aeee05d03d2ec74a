package io.vmqtt.session.file;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For {@link io.vmqtt.spi.SessionStore.FsyncPolicy#INTERVAL}: a virtual thread that forces the log
 * through its {@link GroupCommit} every interval when something was written since the last force. A
 * failed force ends it; the failure is then thrown by the session's next change.
 *
 * <p>Thread-safe; {@link #lock} guards {@link #stopped}.
 */
final class IntervalForcer {
  private static final Logger LOG = LoggerFactory.getLogger(IntervalForcer.class);
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private final GroupCommit commit;
  private final long intervalNanos;
  private final String what;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition stopping = lock.newCondition();

  /** Guarded by {@link #lock}. */
  private boolean stopped;

  private final Thread thread;

  /**
   * Starts the thread.
   *
   * @param what the log, for the thread's name and messages
   */
  IntervalForcer(GroupCommit commit, Duration interval, String what) {
    this.commit = commit;
    this.intervalNanos = interval.toNanos();
    this.what = what;
    this.thread = Thread.ofVirtual().name("vmqtt-fsync " + what).start(this::run);
  }

  private void run() {
    while (waitOneInterval()) {
      try {
        commit.forceIfBehind();
      } catch (IOException e) {
        LOG.warn("the periodic force of {} failed", what, e);
        return;
      }
    }
  }

  /** Waits one interval; returns false when stopped. */
  private boolean waitOneInterval() {
    lock.lock();
    try {
      long nanos = intervalNanos;
      while (!stopped && nanos > 0) {
        nanos = stopping.awaitNanos(nanos);
      }
      return !stopped;
    } catch (InterruptedException e) {
      return false; // Only close() could interrupt this thread, and it does not.
    } finally {
      lock.unlock();
    }
  }

  /** Stops the thread and waits, up to 10 s, for a force it has begun to end. */
  void stop() {
    lock.lock();
    try {
      stopped = true;
      stopping.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(STOP_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // A force still running ends on its own.
    }
  }
}
