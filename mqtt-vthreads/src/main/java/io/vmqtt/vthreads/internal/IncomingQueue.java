package io.vmqtt.vthreads.internal;

import io.vmqtt.ConnectionLostException;
import io.vmqtt.Message;
import io.vmqtt.MqttConfig.OverflowPolicy;
import io.vmqtt.NotConnectedException;
import io.vmqtt.QoS;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Received messages waiting for {@code deliverMessage}, in arrival order. QoS 0 messages are
 * bounded by {@code incoming_queue_size} with an overflow policy, and every discarded one is
 * counted; QoS 1/2 messages are bounded by the packet-identifier space (the broker cannot reuse an
 * identifier before the message is acknowledged, which happens when it is taken). Offering never
 * blocks, so the reader never waits on the application.
 *
 * <p>Thread-safe; fields below {@link #lock} are guarded by it.
 */
final class IncomingQueue {
  private static final Logger LOG = LoggerFactory.getLogger(IncomingQueue.class);

  /** A queued message and the session epoch it arrived in. */
  record Entry(Message message, long epoch) {}

  private final String clientId;
  private final int qos0Bound;
  private final OverflowPolicy policy;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<Entry> queue = new ArrayDeque<>();
  private int qos0Queued;
  private long dropped;

  /** Connected, or reconnecting by itself: takers may wait. */
  private boolean connected;

  private Throwable lostCause;

  IncomingQueue(String clientId, int qos0Bound, OverflowPolicy policy) {
    this.clientId = clientId;
    this.qos0Bound = qos0Bound;
    this.policy = policy;
  }

  /** Queues a message; a QoS 0 message that finds the queue full is handled by the policy. */
  void offer(Message m, long epoch) {
    lock.lock();
    try {
      if (m.qos() == QoS.AT_MOST_ONCE && qos0Queued >= qos0Bound) {
        recordDrop(m);
        if (policy == OverflowPolicy.DROP_NEWEST) {
          return;
        }
        removeOldestQos0();
      }
      if (m.qos() == QoS.AT_MOST_ONCE) {
        qos0Queued++;
      }
      queue.add(new Entry(m, epoch));
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  private void removeOldestQos0() {
    for (Iterator<Entry> it = queue.iterator(); it.hasNext(); ) {
      if (it.next().message().qos() == QoS.AT_MOST_ONCE) {
        it.remove();
        qos0Queued--;
        return;
      }
    }
  }

  private void recordDrop(Message m) {
    dropped++;
    if (dropped == 1 || dropped % 10_000 == 0) {
      LOG.warn(
          "client {}: incoming queue full ({} QoS 0 messages, incoming_queue_size); {} the {}"
              + " message; {} dropped so far",
          clientId,
          qos0Bound,
          policy == OverflowPolicy.DROP_NEWEST ? "discarding the new" : "discarding the oldest",
          m.topic(),
          dropped);
    }
  }

  /**
   * Takes the next message, waiting at most {@code timeoutNanos} (negative: without limit).
   *
   * @throws TimeoutException when none arrives in time
   * @throws ConnectionLostException when the connection was lost and the queue is empty
   * @throws NotConnectedException when the client is not connected and the queue is empty
   */
  Entry take(long timeoutNanos) throws InterruptedException, TimeoutException {
    long remaining = timeoutNanos;
    lock.lockInterruptibly();
    try {
      while (queue.isEmpty()) {
        if (!connected) {
          throw notConnected();
        }
        if (timeoutNanos < 0) {
          notEmpty.await();
        } else if (remaining <= 0) {
          throw new TimeoutException(
              "no message arrived within " + timeoutNanos / 1_000_000 + " ms");
        } else {
          remaining = notEmpty.awaitNanos(remaining);
        }
      }
      Entry e = queue.poll();
      if (e.message().qos() == QoS.AT_MOST_ONCE) {
        qos0Queued--;
      }
      return e;
    } finally {
      lock.unlock();
    }
  }

  private RuntimeException notConnected() {
    return lostCause == null
        ? new NotConnectedException(
            "deliverMessage failed: client "
                + clientId
                + " is not connected and no message is"
                + " queued")
        : new ConnectionLostException(
            "deliverMessage failed: the connection of client " + clientId + " was lost", lostCause);
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

  long dropped() {
    lock.lock();
    try {
      return dropped;
    } finally {
      lock.unlock();
    }
  }
}
