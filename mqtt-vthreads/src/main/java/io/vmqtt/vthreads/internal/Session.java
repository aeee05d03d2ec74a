package io.vmqtt.vthreads.internal;

import io.vmqtt.Message;
import io.vmqtt.NotConnectedException;
import io.vmqtt.MqttException;
import io.vmqtt.QoS;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.PubackPacket;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import io.vmqtt.vthreads.internal.codec.PubrecPacket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * The MQTT session state of one client, which outlives its connections: packet identifiers and the
 * outbound flows holding them, the in-flight bound, inbound QoS 1/2 state, and which connection is
 * live. Thread-safe: every field below {@link #lock} is guarded by it; it is never held while
 * blocking.
 */
final class Session {
  /** What to do with an inbound PUBLISH. */
  enum Inbound {
    /** Queue it for the application. */
    DELIVER,
    /** A redelivery of a QoS 2 message the application already took: answer PUBREC again. */
    REPEAT_PUBREC,
    /** A redelivery of a message still queued: it is acknowledged when taken. */
    ALREADY_QUEUED
  }

  private static final int MAX_PACKET_ID = 65_535;

  private final Semaphore inflightSlots;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Integer, OutboundFlow> flows = new HashMap<>();
  private final Set<Integer> queuedInbound = new HashSet<>();
  private final Set<Integer> awaitingRelease = new HashSet<>();
  private int nextPacketId = 1;
  private long epoch;
  private volatile Connection live;

  Session(int maxInflight) {
    this.inflightSlots = new Semaphore(maxInflight, true);
  }

  /** The accepted connection, or null. */
  Connection live() {
    return live;
  }

  /** The live connection. @throws NotConnectedException when there is none */
  Connection requireLive(String what, String clientId) {
    Connection c = live;
    if (c == null) {
      throw new NotConnectedException(what + " failed: client " + clientId + " is not connected");
    }
    return c;
  }

  /** The in-flight bound ({@code max_inflight}) for outbound QoS 1/2 publishes. */
  Semaphore inflightSlots() {
    return inflightSlots;
  }

  /**
   * Allocates a packet identifier and registers a flow for it on the live connection.
   *
   * @param packetFor builds the packet for the allocated identifier
   * @throws NotConnectedException when no connection is live
   */
  OutboundFlow register(
      IntFunction<Packet> packetFor,
      OutboundFlow.Awaiting awaiting,
      boolean holdsInflightSlot,
      String what,
      String clientId) {
    lock.lock();
    try {
      Connection c = requireLive(what, clientId);
      int id = freePacketId(what);
      OutboundFlow flow = new OutboundFlow(id, packetFor.apply(id), awaiting, holdsInflightSlot, c);
      flows.put(id, flow);
      return flow;
    } finally {
      lock.unlock();
    }
  }

  private int freePacketId(String what) {
    for (int i = 0; i < MAX_PACKET_ID; i++) {
      int id = nextPacketId;
      nextPacketId = id == MAX_PACKET_ID ? 1 : id + 1;
      if (!flows.containsKey(id)) {
        return id;
      }
    }
    throw new MqttException(what + " failed: all 65535 packet identifiers are in use");
  }

  /** The flow holding this packet identifier, or null. */
  OutboundFlow flow(int packetId) {
    lock.lock();
    try {
      return flows.get(packetId);
    } finally {
      lock.unlock();
    }
  }

  /** Ends a flow successfully: frees its identifier and slot, then wakes its caller. */
  void complete(OutboundFlow flow, Packet ack) {
    if (remove(flow)) {
      flow.result.complete(ack);
    }
  }

  private boolean remove(OutboundFlow flow) {
    lock.lock();
    try {
      if (!flows.remove(flow.packetId, flow)) {
        return false;
      }
    } finally {
      lock.unlock();
    }
    if (flow.holdsInflightSlot) {
      inflightSlots.release();
    }
    return true;
  }

  /**
   * Makes {@code c} the live connection. When the broker kept no session, inbound state from the
   * previous one is forgotten: its packet identifiers may be reused for new messages.
   */
  void onAccepted(Connection c, boolean sessionPresent) {
    lock.lock();
    try {
      live = c;
      if (!sessionPresent) {
        epoch++;
        queuedInbound.clear();
        awaitingRelease.clear();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Forgets {@code c} if it was live, and ends every flow that was using it with {@code cause}.
   */
  void onConnectionLost(Connection c, Throwable cause) {
    List<OutboundFlow> failed = new ArrayList<>();
    lock.lock();
    try {
      if (live == c) {
        live = null;
      }
      flows.values().removeIf(f -> f.connection == c && failed.add(f));
    } finally {
      lock.unlock();
    }
    for (OutboundFlow f : failed) {
      if (f.holdsInflightSlot) {
        inflightSlots.release();
      }
      f.result.completeExceptionally(cause);
    }
  }

  /** Ends a flow whose caller gave up before it was sent, freeing its identifier and slot. */
  void abandon(OutboundFlow flow) {
    remove(flow);
  }

  /** The current session epoch: it changes whenever the broker starts a new session. */
  long epoch() {
    lock.lock();
    try {
      return epoch;
    } finally {
      lock.unlock();
    }
  }

  /** Classifies an inbound PUBLISH and records QoS 1/2 ones that are to be queued. */
  Inbound onInboundPublish(PublishPacket p) {
    if (p.qos() == QoS.AT_MOST_ONCE) {
      return Inbound.DELIVER;
    }
    lock.lock();
    try {
      if (p.qos() == QoS.EXACTLY_ONCE && awaitingRelease.contains(p.packetId())) {
        return Inbound.REPEAT_PUBREC;
      }
      return queuedInbound.add(p.packetId()) ? Inbound.DELIVER : Inbound.ALREADY_QUEUED;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The application took a message: returns the acknowledgement to send (PUBACK for QoS 1, PUBREC
   * for QoS 2), or null when none is due—QoS 0, or the message belongs to a session the broker
   * has since discarded.
   */
  Packet onTaken(Message m, long messageEpoch) {
    if (m.qos() == QoS.AT_MOST_ONCE) {
      return null;
    }
    lock.lock();
    try {
      if (messageEpoch != epoch) {
        return null;
      }
      queuedInbound.remove(m.packetId());
      if (m.qos() == QoS.AT_LEAST_ONCE) {
        return new PubackPacket(m.packetId());
      }
      awaitingRelease.add(m.packetId());
      return new PubrecPacket(m.packetId());
    } finally {
      lock.unlock();
    }
  }

  /** PUBREL arrived: the inbound QoS 2 flow is over, its identifier may carry a new message. */
  void onRelease(int packetId) {
    lock.lock();
    try {
      awaitingRelease.remove(packetId);
    } finally {
      lock.unlock();
    }
  }
}
