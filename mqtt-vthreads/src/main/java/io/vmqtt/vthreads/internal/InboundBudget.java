package io.vmqtt.vthreads.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes received messages may hold while they wait for the application ({@code
 * incoming_queue_bytes}), shared by every queue of a client: the {@code deliverMessage} queue and
 * each listener's and stream's. A message is charged when it is queued (once per queue it goes to)
 * and released when its consumer is done with it. The budget is exceeded only by one message when
 * nothing else is held, so a message larger than the whole budget can never block for good.
 *
 * <p>A QoS 1/2 message that does not fit makes the reader wait ({@link #reserve}): the connection
 * says so ({@link Connection#readerPaused}), so keep-alive does not take the silence for a dead
 * link, and TCP pushes back on the broker, which keeps the message meanwhile. A QoS 0 message is
 * never waited for ({@link #tryReserve}).
 *
 * <p>Thread-safe and lock-free on the path of a message that fits; the lock only serves the
 * reader's wait.
 */
final class InboundBudget {
  /** Counted per queued message besides its payload and topic: the objects that hold it. */
  static final int MESSAGE_OVERHEAD = 64;

  /** How often a paused reader looks again whether its connection is still open. */
  private static final long PAUSE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final long limit;
  private final AtomicLong used = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition room = lock.newCondition();
  private volatile boolean readerWaiting;

  InboundBudget(long limit) {
    this.limit = limit;
  }

  /** What a message with this topic and payload is charged, in bytes. */
  static long cost(String topic, int payloadLength) {
    return MESSAGE_OVERHEAD + 2L * topic.length() + payloadLength;
  }

  /** Charges {@code cost} if it fits: within the limit, or nothing else held. */
  boolean tryReserve(long cost) {
    while (true) {
      long u = used.get();
      if (u != 0 && u + cost > limit) {
        return false;
      }
      if (used.compareAndSet(u, u + cost)) {
        return true;
      }
    }
  }

  /**
   * Charges {@code cost}, waiting with the reader of {@code from} paused until it fits or {@code
   * from} fails. {@code beforeWaiting} runs once before the wait: whatever the consumers have not
   * been told yet must be told, or nobody would make room. Runs on the reader thread.
   *
   * @return false, having charged nothing, when {@code from} failed first
   */
  boolean reserve(long cost, Connection from, Runnable beforeWaiting) throws InterruptedException {
    if (tryReserve(cost)) {
      return true;
    }
    beforeWaiting.run();
    from.readerPaused(true);
    lock.lockInterruptibly();
    try {
      readerWaiting = true; // before looking again: a release after this look signals
      while (!tryReserve(cost)) {
        if (!from.isOpen()) {
          return false;
        }
        room.awaitNanos(PAUSE_CHECK_NANOS);
      }
      return true;
    } finally {
      readerWaiting = false;
      lock.unlock();
      from.readerPaused(false);
    }
  }

  /** Gives back what a consumer is done with; wakes a waiting reader. */
  void release(long cost) {
    used.addAndGet(-cost);
    if (readerWaiting) {
      wakeReader();
    }
  }

  /** Wakes a reader waiting for room, to look again (its connection may have failed). */
  void wakeReader() {
    lock.lock();
    try {
      room.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Bytes held now. */
  long used() {
    return used.get();
  }

  long limit() {
    return limit;
  }
}
