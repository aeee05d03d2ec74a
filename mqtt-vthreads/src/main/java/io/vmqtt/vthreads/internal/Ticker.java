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
 * milliseconds, or once a second ({@link #registerEverySecond}): keep-alive of every connection and
 * the operation timeouts of every client. A thread per connection for this would cost a parked
 * stack each (10,000 connections, 10,000 stacks), and a timed wait per call a timer task each; a
 * sweep costs neither. The thread exists only while something is registered. Tasks must not block:
 * they only queue packets or hand slow work to a thread of their own. Thread-safe.
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

  /** A second, in nanoseconds: the period of {@link #registerEverySecond}'s tasks. */
  static final long SECOND_NANOS = 1_000_000_000L;

  /** The tasks registered every second run at every this many sweeps. */
  private static final int SWEEPS_PER_SECOND = (int) (1000 / PERIOD_MS);

  static final Ticker INSTANCE = new Ticker();
  private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);

  private final Set<Task> tasks = ConcurrentHashMap.newKeySet();
  private final Set<Task> everySecond = ConcurrentHashMap.newKeySet();

  /** Sweeps since the thread started; ticker thread only. */
  private long sweeps;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition period = lock.newCondition();
  private Thread thread;

  /** Tests make their own; the engine uses {@link #INSTANCE}. */
  Ticker() {}

  @Override
  public void register(Task task) {
    tasks.add(task);
    startIfNeeded();
  }

  /**
   * Runs {@code task} once a second (at every tenth sweep) until it is unregistered: for checks
   * whose bounds are seconds, such as a minute's keep-alive, so that 10,000 of them cost a tenth of
   * the sweeps.
   */
  void registerEverySecond(Task task) {
    everySecond.add(task);
    startIfNeeded();
  }

  private void startIfNeeded() {
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
    everySecond.remove(task);
  }

  private void run() {
    while (true) {
      lock.lock();
      try {
        if (tasks.isEmpty() && everySecond.isEmpty()) {
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
      sweep(tasks, now);
      if (++sweeps % SWEEPS_PER_SECOND == 0) {
        sweep(everySecond, now);
      }
    }
  }

  private static void sweep(Set<Task> due, long now) {
    for (Task t : due) {
      try {
        t.tick(now);
      } catch (Throwable e) {
        // Once: the task goes, and ends what it watched with the cause.
        due.remove(t);
        LOG.error("ticker task {} failed; removed", t, e);
        t.failed(e);
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
