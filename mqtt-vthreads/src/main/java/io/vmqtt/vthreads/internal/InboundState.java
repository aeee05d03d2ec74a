package io.vmqtt.vthreads.internal;

import io.vmqtt.QoS;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Inbound QoS 1/2 bookkeeping of a session: which packet ids are queued for the application, and
 * which QoS 2 ids were handed over and acknowledged with PUBREC but not yet released. The epoch
 * changes whenever the broker starts a new session, so messages queued in an older one are never
 * acknowledged into the new one. Not thread-safe: guarded by the {@link Session}'s lock.
 */
final class InboundState {
  /** What to do with an inbound PUBLISH. */
  enum Verdict {
    /** Queue it for the application. */
    DELIVER,
    /** A redelivery of a QoS 2 message the application already took: answer PUBREC again. */
    REPEAT_PUBREC,
    /** A redelivery of a message still queued: it is acknowledged when taken. */
    ALREADY_QUEUED
  }

  private final Set<Integer> queued = new HashSet<>();
  private final Set<Integer> awaitingRelease = new HashSet<>();
  private volatile long epoch; // written under the session lock, on the reader thread

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
    if (qos == QoS.EXACTLY_ONCE && awaitingRelease.contains(packetId)) {
      return Verdict.REPEAT_PUBREC;
    }
    return queued.add(packetId) ? Verdict.DELIVER : Verdict.ALREADY_QUEUED;
  }

  /**
   * The application took a QoS 1/2 message of {@code messageEpoch}: false when it belongs to a
   * session the broker has since discarded, so no acknowledgement is due.
   */
  boolean onTaken(QoS qos, int packetId, long messageEpoch) {
    if (messageEpoch != epoch) {
      return false;
    }
    queued.remove(packetId);
    if (qos == QoS.EXACTLY_ONCE) {
      awaitingRelease.add(packetId);
    }
    return true;
  }

  /** A message of {@link Verdict#DELIVER} was not queued after all: its id is free again. */
  void onDropped(QoS qos, int packetId) {
    if (qos != QoS.AT_MOST_ONCE) {
      queued.remove(packetId);
    }
  }

  void onRelease(int packetId) {
    awaitingRelease.remove(packetId);
  }

  /** The broker kept no session: forget everything; returns the QoS 2 ids that were pending. */
  List<Integer> reset() {
    epoch++;
    queued.clear();
    List<Integer> released = List.copyOf(awaitingRelease);
    awaitingRelease.clear();
    return released;
  }
}
