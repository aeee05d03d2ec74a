package io.vmqtt.vthreads.internal;

import io.vmqtt.ConnectionLostException;
import io.vmqtt.Message;
import io.vmqtt.MqttConfig.OverflowPolicy;
import io.vmqtt.NotConnectedException;
import io.vmqtt.QoS;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Received messages waiting for {@code deliverMessage}, in arrival order, bounded in count and in
 * bytes. QoS 0 messages are bounded by {@code incoming_queue_size} and by {@code
 * incoming_queue_bytes}, with an overflow policy, and every discarded one is counted. QoS 1/2
 * messages are bounded by {@code incoming_queue_bytes} (and by the packet-identifier space): one
 * that does not fit makes the reader wait until the application takes messages, so the client stops
 * reading and TCP pushes back on the broker, which holds the message meanwhile; nothing is lost. A
 * message larger than the whole budget is taken when the queue is empty, so it can never block for
 * good.
 *
 * <p>Thread-safe; fields below {@link #lock} are guarded by it.
 */
final class IncomingQueue {
  private static final Logger LOG = LoggerFactory.getLogger(IncomingQueue.class);

  /** Counted per queued message besides its payload and topic: the objects that hold it. */
  private static final int MESSAGE_OVERHEAD = 64;

  /** How often a paused reader looks again whether its connection is still open. */
  private static final long PAUSE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String clientId;
  private final int qos0Bound;
  private final long byteBudget;
  private final OverflowPolicy policy;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<Message> queue = new ArrayDeque<>();
  private long bytes;
  private int qos0Queued;
  private long dropped;

  /** Connected, or reconnecting by itself: takers may wait. */
  private boolean connected;

  private Throwable lostCause;

  IncomingQueue(String clientId, int qos0Bound, long byteBudget, OverflowPolicy policy) {
    this.clientId = clientId;
    this.qos0Bound = qos0Bound;
    this.byteBudget = byteBudget;
    this.policy = policy;
  }

  /**
   * Queues a message received on {@code from}. A QoS 0 message that does not fit is handled by the
   * policy; a QoS 1/2 message that does not fit waits, with the reader paused, until the
   * application makes room or {@code from} fails. Runs on the reader thread of {@code from}.
   *
   * @return false when a QoS 1/2 message was not queued because {@code from} failed first (the
   *     broker sends it again)
   */
  boolean offer(Message m, Connection from) throws InterruptedException {
    long cost = cost(m);
    lock.lockInterruptibly();
    try {
      if (m.qos() == QoS.AT_MOST_ONCE) {
        offerQos0(m, cost);
        return true;
      }
      if (!fits(cost)) {
        from.readerPaused(true);
        try {
          while (!fits(cost) && from.isOpen()) {
            notFull.awaitNanos(PAUSE_CHECK_NANOS);
          }
        } finally {
          from.readerPaused(false);
        }
        if (!from.isOpen()) {
          return false;
        }
      }
      add(m, cost);
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void offerQos0(Message m, long cost) {
    if (policy == OverflowPolicy.DROP_OLDEST) {
      while (!roomForQos0(cost) && removeOldestQos0()) {
        // Older QoS 0 messages make room; QoS 1/2 ones are never dropped.
      }
    }
    if (!roomForQos0(cost)) {
      recordDrop(m); // drop_newest, or only QoS 1/2 messages hold the room
      return;
    }
    qos0Queued++;
    add(m, cost);
  }

  private boolean roomForQos0(long cost) {
    return qos0Queued < qos0Bound && fits(cost);
  }

  private boolean fits(long cost) {
    return queue.isEmpty() || bytes + cost <= byteBudget;
  }

  private void add(Message m, long cost) {
    queue.add(m);
    bytes += cost;
    notEmpty.signal();
  }

  private boolean removeOldestQos0() {
    for (Iterator<Message> it = queue.iterator(); it.hasNext(); ) {
      Message m = it.next();
      if (m.qos() == QoS.AT_MOST_ONCE) {
        it.remove();
        qos0Queued--;
        bytes -= cost(m);
        recordDrop(m);
        return true;
      }
    }
    return false;
  }

  private static long cost(Message m) {
    return MESSAGE_OVERHEAD + 2L * m.topic().length() + m.payload().length;
  }

  private void recordDrop(Message m) {
    dropped++;
    if (dropped == 1 || dropped % 10_000 == 0) {
      LOG.warn(
          "client {}: incoming queue full ({} of {} QoS 0 messages, incoming_queue_size; {} of {}"
              + " bytes, incoming_queue_bytes); discarding a QoS 0 message to {} ({}); {} dropped"
              + " so far",
          clientId,
          qos0Queued,
          qos0Bound,
          bytes,
          byteBudget,
          m.topic(),
          policy == OverflowPolicy.DROP_NEWEST ? "drop_newest" : "drop_oldest",
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
  Message take(long timeoutNanos) throws InterruptedException, TimeoutException {
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
      Message m = queue.poll();
      if (m.qos() == QoS.AT_MOST_ONCE) {
        qos0Queued--;
      }
      bytes -= cost(m);
      notFull.signal();
      return m;
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
      notFull.signalAll(); // a reader paused for room looks again whether its connection is open
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
