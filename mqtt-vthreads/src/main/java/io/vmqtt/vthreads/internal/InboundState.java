package io.vmqtt.vthreads.internal;

import io.vmqtt.QoS;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Inbound QoS 1/2 bookkeeping of a session: which packet ids the client owes an acknowledgement for
 * (queued for the application, being handled, or handled with the acknowledgement waiting for its
 * turn), and which QoS 2 ids were handed over and acknowledged with PUBREC but not yet released.
 * The epoch changes whenever the broker starts a new session, so messages received in an older one
 * are never acknowledged into the new one. Not thread-safe: guarded by the {@link Session}'s lock.
 */
final class InboundState {
  /** What to do with an inbound PUBLISH. */
  enum Verdict {
    /** Queue it for the application. */
    DELIVER,
    /** A redelivery of a QoS 2 message already handled and acknowledged: answer PUBREC again. */
    REPEAT_PUBREC,
    /** A redelivery of a message whose acknowledgement is still owed: it goes when due. */
    ALREADY_QUEUED,
    /**
     * A new QoS 1/2 message beyond our Receive Maximum: the broker broke [MQTT-3.3.4-9]; the
     * message is not taken.
     */
    RECEIVE_MAXIMUM_EXCEEDED
  }

  private final Set<Integer> owed = new HashSet<>();
  private final Set<Integer> awaitingRelease = new HashSet<>();
  private volatile long epoch; // written under the session lock, on the reader thread

  /**
   * The Receive Maximum in force on the live connection: MQTT 5's {@code receive_maximum}; for MQTT
   * 3.1.1, which has none, no bound.
   */
  private int receiveMaximum = Integer.MAX_VALUE;

  InboundState(Set<Integer> storedAwaitingRelease) {
    awaitingRelease.addAll(storedAwaitingRelease);
  }

  long epoch() {
    return epoch;
  }

  Verdict onPublish(QoS qos, int packetId) {
    if (qos == QoS.AT_MOST_ONCE) {
      return Verdict.DELIVER;
    }
    if (owed.contains(packetId)) {
      return Verdict.ALREADY_QUEUED;
    }
    if (qos == QoS.EXACTLY_ONCE && awaitingRelease.contains(packetId)) {
      return Verdict.REPEAT_PUBREC;
    }
    if (unacknowledged() >= receiveMaximum) {
      return Verdict.RECEIVE_MAXIMUM_EXCEEDED;
    }
    owed.add(packetId);
    return Verdict.DELIVER;
  }

  /** A connection was accepted; {@code maximum} is the Receive Maximum it announced. */
  void receiveMaximum(int maximum) {
    this.receiveMaximum = maximum;
  }

  /**
   * The QoS 1/2 messages the broker has sent and not had acknowledged as [MQTT-3.3.4-9] counts
   * them: a QoS 1 one until our PUBACK, a QoS 2 one until our PUBCOMP. Owed ids and ids awaiting
   * PUBREL overlap while a handled QoS 2 message's PUBREC waits for its turn; the overlap is
   * counted only near the bound, so the common case costs two sizes.
   */
  private int unacknowledged() {
    int upper = owed.size() + awaitingRelease.size();
    if (upper < receiveMaximum) {
      return upper;
    }
    int both = 0;
    for (int id : awaitingRelease) {
      if (owed.contains(id)) {
        both++;
      }
    }
    return upper - both;
  }

  /**
   * The application has handled a QoS 1/2 message of {@code messageEpoch}: a QoS 2 id now awaits
   * PUBREL. False when the message belongs to a session the broker has since discarded, so no
   * acknowledgement is due.
   */
  boolean onHandled(QoS qos, int packetId, long messageEpoch) {
    if (messageEpoch != epoch) {
      return false;
    }
    if (qos == QoS.EXACTLY_ONCE) {
      awaitingRelease.add(packetId);
    }
    return true;
  }

  /**
   * No acknowledgement is owed for {@code packetId} any more: it was sent, or the message was given
   * up (not queued after all, or handed over and not acknowledged on a connection that is gone), so
   * a copy the broker sends again is a new delivery.
   */
  void onSettled(long messageEpoch, int packetId) {
    if (messageEpoch == epoch) {
      owed.remove(packetId);
    }
  }

  void onRelease(int packetId) {
    awaitingRelease.remove(packetId);
  }

  /** The broker kept no session: forget everything; returns the QoS 2 ids that were pending. */
  List<Integer> reset() {
    epoch++;
    owed.clear();
    List<Integer> released = List.copyOf(awaitingRelease);
    awaitingRelease.clear();
    return released;
  }
}
