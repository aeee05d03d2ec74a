package io.vmqtt.vthreads.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One virtual thread for the whole JVM that runs every registered task every {@link #PERIOD_MS}
 * milliseconds: keep-alive of every connection and the operation timeouts of every client. A thread
 * per connection for this would cost a parked stack each (10,000 connections, 10,000 stacks), and a
 * timed wait per call a timer task each; a sweep costs neither. The thread exists only while
 * something is registered. Tasks must not block: they only queue packets or hand slow work to a
 * thread of their own. Thread-safe.
 */
final class Ticker implements TickSource {
  /** A periodic check. */
  interface Task {
    /** Runs on the ticker thread; must return quickly and never block. */
    void tick(long nowNanos);

    /**
     * {@link #tick} threw {@code cause}, a bug: the task has been removed and must end what it
     * watches with that cause, so nothing waits for a tick that will not come. Must not block.
     */
    void failed(Throwable cause);
  }

  static final long PERIOD_MS = 100;
  static final Ticker INSTANCE = new Ticker();
  private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);

  private final Set<Task> tasks = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition period = lock.newCondition();
  private Thread thread;

  /** Tests make their own; the engine uses {@link #INSTANCE}. */
  Ticker() {}

  @Override
  public void register(Task task) {
    tasks.add(task);
    lock.lock();
    try {
      // A running ticker sees the task at its next sweep; waking it for each new task instead made
      // opening n connections cost n sweeps of all of them (quadratic in the count).
      if (thread == null) {
        thread = ClientThreads.start("vmqtt-ticker", this::run);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void unregister(Task task) {
    tasks.remove(task);
  }

  private void run() {
    while (true) {
      lock.lock();
      try {
        if (tasks.isEmpty()) {
          thread = null; // the next register starts a new thread
          return;
        }
        waitOnePeriod();
      } catch (InterruptedException e) {
        thread = null;
        return;
      } finally {
        lock.unlock();
      }
      long now = System.nanoTime();
      for (Task t : tasks) {
        try {
          t.tick(now);
        } catch (Throwable e) {
          // Once: the task goes, and ends what it watched with the cause.
          tasks.remove(t);
          LOG.error("ticker task {} failed; removed", t, e);
          t.failed(e);
        }
      }
    }
  }

  /** Nobody signals {@link #period}: it only gives the ticker an interruptible timed wait. */
  private void waitOnePeriod() throws InterruptedException {
    long left = TimeUnit.MILLISECONDS.toNanos(PERIOD_MS);
    while (left > 0) {
      left = period.awaitNanos(left);
    }
  }
}
