package io.vmqtt.vthreads.internal;

import io.vmqtt.QoS;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the acknowledgements of received messages on the wire in the order the messages arrived, as
 * MQTT requires: PUBACKs in the order of their QoS 1 PUBLISHes [MQTT-4.6.0-2], PUBRECs in the order
 * of their QoS 2 PUBLISHes [MQTT-4.6.0-3]. Messages are handled in any order—by parallel listeners,
 * or acknowledged by hand—so an acknowledgement that is due waits here until those before it of its
 * QoS are due too, and then they go together.
 *
 * <p>Acknowledgements are released only while a connection is live. On a new connection of the same
 * session the broker resends the unacknowledged messages with DUP, in their original order
 * [MQTT-4.4.0-1] [MQTT-4.6.0-1], and a resend {@linkplain #redelivered moves} its receipt to the
 * end, so the order is that of the new connection. Until its resend arrives, an acknowledgement
 * from an earlier connection is held: sent before it, it could complete the broker's flow, the
 * broker could reuse the packet id for a new message, and the acknowledgement of the resent copy
 * would then acknowledge the new message. The first message that is not a resend ends the resends
 * and releases what is held. A broker session that ended takes its receipts with it ({@link
 * #connected}).
 *
 * <p>Released receipts go to the {@link Sender} in order, one sender at a time and outside the lock
 * (whichever thread finds work does it, the others only queue), so no thread holds this lock while
 * it writes. Thread-safe; the fields below are guarded by {@link #lock}, and so are the mutable
 * fields of every {@link InboundReceipt}.
 */
final class AckSequencer {
  private static final Logger LOG = LoggerFactory.getLogger(AckSequencer.class);

  /** Sends the acknowledgement of a released receipt; called in order, by one thread at a time. */
  interface Sender {
    void send(InboundReceipt r);
  }

  private final String clientId;
  private final Sender sender;
  private final ReentrantLock lock = new ReentrantLock();
  // Small at first, as everywhere a connection keeps a queue: most connections hold few messages
  // at a time, and an idle one none; the collections grow under load.
  private final ArrayDeque<InboundReceipt> pubacks = new ArrayDeque<>(1);
  private final ArrayDeque<InboundReceipt> pubrecs = new ArrayDeque<>(1);
  private final Map<Integer, InboundReceipt> byId = new HashMap<>();
  private final ArrayDeque<InboundReceipt> outbox = new ArrayDeque<>(1);
  private boolean sending;
  private boolean live;

  /** The broker may still be resending what earlier connections left unacknowledged. */
  private boolean resending;

  AckSequencer(String clientId, Sender sender) {
    this.clientId = clientId;
    this.sender = sender;
  }

  private ArrayDeque<InboundReceipt> sequenceOf(InboundReceipt r) {
    return r.qos == QoS.AT_LEAST_ONCE ? pubacks : pubrecs;
  }

  /**
   * A message arrived (on the reader): its acknowledgement takes the next place of its QoS.
   *
   * @param resend whether the broker flagged it DUP: one that is not ends the broker's resends
   */
  void arrived(InboundReceipt r, boolean resend) {
    boolean released = r.due;
    lock.lock();
    try {
      if (!resend && resending) {
        resending = false;
        pubacks.forEach(held -> held.awaitingResend = false);
        pubrecs.forEach(held -> held.awaitingResend = false);
        released = true;
      }
      sequenceOf(r).add(r);
      if (!r.repeat) {
        byId.put(r.packetId, r);
      }
      if (released) {
        release();
      }
    } finally {
      lock.unlock();
    }
    if (released) {
      drain();
    }
  }

  /**
   * The broker sent a message again (DUP) whose acknowledgement is still owed: it takes the last
   * place, as its resend arrived after whatever arrived before on this connection.
   *
   * @return false when no receipt is owed for {@code packetId}
   */
  boolean redelivered(int packetId) {
    lock.lock();
    try {
      InboundReceipt r = byId.get(packetId);
      if (r == null) {
        return false;
      }
      ArrayDeque<InboundReceipt> sequence = sequenceOf(r);
      sequence.removeFirstOccurrence(r);
      sequence.add(r);
      r.awaitingResend = false;
      release();
    } finally {
      lock.unlock();
    }
    drain();
    return true;
  }

  /**
   * Whether {@code r} was handed to application code; marks it so. With {@code manual_ack}, a
   * receipt handed over and not acknowledged when its connection ends is given up ({@link
   * #abandonHandedOver}).
   */
  void handedOver(InboundReceipt r) {
    lock.lock();
    try {
      r.handedOver = true;
    } finally {
      lock.unlock();
    }
  }

  /** One consumer is done with {@code r}; true when it was the last. */
  boolean consumed(InboundReceipt r) {
    lock.lock();
    try {
      return --r.pending == 0;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether {@code r} can still become due: false once it was released or given up (a connection or
   * a broker session ended with it). Marks nothing.
   */
  boolean isSettled(InboundReceipt r) {
    lock.lock();
    try {
      return r.settled;
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@code r} was handled: its acknowledgement goes out in its turn; or, when {@code ackDue} is
   * false (its broker session ended), never, and it leaves the sequence.
   *
   * @return false when it had already been settled or was already due (nothing changed)
   */
  boolean due(InboundReceipt r, boolean ackDue) {
    lock.lock();
    try {
      if (r.settled || r.due) {
        return false;
      }
      if (!ackDue) {
        settle(r);
        release(); // it may have held others back
      } else {
        r.due = true;
        release();
      }
    } finally {
      lock.unlock();
    }
    drain();
    return true;
  }

  /** Takes {@code r} out of the sequence without an acknowledgement. Under the lock. */
  private void settle(InboundReceipt r) {
    sequenceOf(r).removeFirstOccurrence(r);
    byId.remove(r.packetId, r);
    r.settled = true;
  }

  /**
   * A connection was accepted: when the broker kept no session, every receipt of the old one is
   * given up (they cannot be acknowledged into the new one); acknowledgements that became due
   * meanwhile go out now.
   */
  void connected(boolean sessionPresent) {
    lock.lock();
    try {
      if (!sessionPresent) {
        for (InboundReceipt r : pubacks) {
          r.settled = true;
        }
        for (InboundReceipt r : pubrecs) {
          r.settled = true;
        }
        pubacks.clear();
        pubrecs.clear();
        byId.clear();
      } else if (!pubacks.isEmpty() || !pubrecs.isEmpty()) {
        resending = true;
        pubacks.forEach(r -> r.awaitingResend = true);
        pubrecs.forEach(r -> r.awaitingResend = true);
      }
      live = true;
      release();
    } finally {
      lock.unlock();
    }
    drain();
  }

  /** The live connection is gone: acknowledgements that become due wait for the next one. */
  void disconnected() {
    lock.lock();
    try {
      live = false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * With {@code manual_ack}, when a connection ends: the receipts handed to the application and not
   * acknowledged are given up. Their messages are redelivered (DUP) on the next connection when the
   * broker keeps the session, and delivered again, and their {@code ack} does nothing.
   *
   * @return the receipts given up
   */
  List<InboundReceipt> abandonHandedOver() {
    List<InboundReceipt> abandoned = new ArrayList<>();
    lock.lock();
    try {
      for (ArrayDeque<InboundReceipt> sequence : List.of(pubacks, pubrecs)) {
        for (Iterator<InboundReceipt> it = sequence.iterator(); it.hasNext(); ) {
          InboundReceipt r = it.next();
          if (r.handedOver && !r.due) {
            it.remove();
            byId.remove(r.packetId, r);
            r.settled = true;
            abandoned.add(r);
          }
        }
      }
    } finally {
      lock.unlock();
    }
    return abandoned;
  }

  /** Receipts waiting in the sequence, for tests and messages. */
  int waiting() {
    lock.lock();
    try {
      return pubacks.size() + pubrecs.size();
    } finally {
      lock.unlock();
    }
  }

  /** Moves the due receipts at the head of each sequence to the outbox. Under the lock. */
  private void release() {
    if (!live) {
      return;
    }
    releaseHead(pubacks);
    releaseHead(pubrecs);
  }

  private void releaseHead(ArrayDeque<InboundReceipt> sequence) {
    for (InboundReceipt r = sequence.peek();
        r != null && r.due && !r.awaitingResend;
        r = sequence.peek()) {
      sequence.poll();
      byId.remove(r.packetId, r);
      r.settled = true;
      outbox.add(r);
    }
  }

  /** Sends what the outbox holds, unless another thread already is; outside the lock. */
  private void drain() {
    lock.lock();
    try {
      if (sending || outbox.isEmpty()) {
        return;
      }
      sending = true;
    } finally {
      lock.unlock();
    }
    boolean done = false;
    try {
      while (true) {
        InboundReceipt r;
        lock.lock();
        try {
          r = outbox.poll();
          if (r == null) {
            sending = false;
            done = true;
            return;
          }
        } finally {
          lock.unlock();
        }
        try {
          sender.send(r);
        } catch (RuntimeException e) {
          LOG.error("client {}: sending the acknowledgement of {} failed", clientId, r, e);
        }
      }
    } finally {
      if (!done) {
        // An Error on the way: another thread must be able to take over.
        lock.lock();
        try {
          sending = false;
        } finally {
          lock.unlock();
        }
      }
    }
  }
}
