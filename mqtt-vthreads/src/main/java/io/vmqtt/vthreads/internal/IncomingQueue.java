package io.vmqtt.vthreads.internal;

import io.vmqtt.ConnectionLostException;
import io.vmqtt.Message;
import io.vmqtt.NotConnectedException;
import io.vmqtt.QoS;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Received messages that no listener took, waiting for {@code deliverMessage} and {@code
 * pollMessage}, in arrival order. Their bytes count against the client's {@link InboundBudget},
 * charged before they are queued; QoS 0 messages are bounded in count too ({@code
 * incoming_queue_size}), with an overflow policy. Takers that wait are woken when the reader ends a
 * read ({@link #offer} says a wake is due, {@link #wake} does it), so a burst costs one wake-up.
 *
 * <p>Items are messages as {@link InboundDelivery} queues them. Thread-safe; fields below {@link
 * #lock} are guarded by it.
 */
final class IncomingQueue {
  private final String clientId;
  private final int qos0Bound;
  private final boolean dropOldest;
  private final InboundBudget budget;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<Object> queue = new ArrayDeque<>(1); // grows with the messages
  private int qos0Queued;
  private int waiting;
  private boolean wakeDue;

  /** Connected, or reconnecting by itself: takers may wait. */
  private boolean connected;

  private Throwable lostCause;

  IncomingQueue(String clientId, int qos0Bound, boolean dropOldest, InboundBudget budget) {
    this.clientId = clientId;
    this.qos0Bound = qos0Bound;
    this.dropOldest = dropOldest;
    this.budget = budget;
  }

  /**
   * Queues a QoS 1/2 message item already charged to the budget.
   *
   * @return whether waiting takers must be woken ({@link #wake})
   */
  boolean offer(Object item) {
    lock.lock();
    try {
      queue.add(item);
      return wakeNeeded();
    } finally {
      lock.unlock();
    }
  }

  /** As {@link Lane#offerQos0}, for this queue. */
  Lane.Offered offerQos0(Message m, long cost, Lane.Drops drops) {
    Lane.Offered result;
    java.util.List<Message> evicted = null;
    lock.lock();
    try {
      while (true) {
        if (qos0Queued < qos0Bound && budget.tryReserve(cost)) {
          queue.add(m);
          qos0Queued++;
          result = wakeNeeded() ? Lane.Offered.WAKE : Lane.Offered.QUEUED;
          break;
        }
        Message oldest = dropOldest ? removeOldestQos0() : null;
        if (oldest == null) {
          result = Lane.Offered.DROPPED;
          break;
        }
        budget.release(InboundBudget.cost(oldest.topic(), oldest.payload().length));
        if (evicted == null) {
          evicted = new java.util.ArrayList<>(1);
        }
        evicted.add(oldest);
      }
    } finally {
      lock.unlock();
    }
    if (evicted != null) {
      evicted.forEach(drops::dropped);
    }
    if (result == Lane.Offered.DROPPED) {
      drops.dropped(m);
    }
    return result;
  }

  private Message removeOldestQos0() {
    if (qos0Queued == 0) {
      return null;
    }
    for (Iterator<Object> it = queue.iterator(); it.hasNext(); ) {
      if (it.next() instanceof Message m && m.qos() == QoS.AT_MOST_ONCE) {
        it.remove();
        qos0Queued--;
        return m;
      }
    }
    return null;
  }

  private boolean wakeNeeded() {
    if (waiting == 0 || wakeDue) {
      return false;
    }
    wakeDue = true;
    return true;
  }

  /** Wakes the takers waiting, when {@link #offer} said so. */
  void wake() {
    lock.lock();
    try {
      if (wakeDue) {
        wakeDue = false;
        notEmpty.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the next item, waiting at most {@code timeoutNanos} (negative: without limit).
   *
   * @throws TimeoutException when none arrives in time
   * @throws ConnectionLostException when the connection was lost and the queue is empty
   * @throws NotConnectedException when the client is not connected and the queue is empty
   */
  Object take(long timeoutNanos) throws InterruptedException, TimeoutException {
    long remaining = timeoutNanos;
    lock.lockInterruptibly();
    try {
      while (queue.isEmpty()) {
        if (!connected) {
          throw notConnected();
        }
        waiting++;
        try {
          if (timeoutNanos < 0) {
            notEmpty.await();
          } else if (remaining <= 0) {
            throw new TimeoutException(
                "no message arrived within " + timeoutNanos / 1_000_000 + " ms");
          } else {
            remaining = notEmpty.awaitNanos(remaining);
          }
        } finally {
          waiting--;
        }
      }
      return removeFirst();
    } finally {
      lock.unlock();
    }
  }

  /** Takes the next item if there is one; null otherwise. Never waits for a message. */
  Object poll() {
    lock.lock();
    try {
      return queue.isEmpty() ? null : removeFirst();
    } finally {
      lock.unlock();
    }
  }

  private Object removeFirst() {
    Object item = queue.poll();
    if (item instanceof Message m && m.qos() == QoS.AT_MOST_ONCE) {
      qos0Queued--;
    }
    return item;
  }

  private RuntimeException notConnected() {
    return lostCause == null
        ? new NotConnectedException(
            "deliverMessage failed: client "
                + clientId
                + " is not connected and no message is"
                + " queued")
        : new ConnectionLostException(
            "deliverMessage failed: the connection of client "
                + clientId
                + " was lost: "
                + lostCause,
            lostCause);
  }

  void onConnected() {
    lock.lock();
    try {
      connected = true;
      lostCause = null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The connection ended. While the client reconnects by itself, takers go on waiting; otherwise
   * every waiting taker wakes, and they throw once the queue is empty: {@link
   * ConnectionLostException} with {@code cause}, or {@link NotConnectedException} when it is null
   * (the application ended the connection).
   */
  void onConnectionLost(Throwable cause, boolean reconnecting) {
    lock.lock();
    try {
      connected = reconnecting;
      lostCause = cause;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
