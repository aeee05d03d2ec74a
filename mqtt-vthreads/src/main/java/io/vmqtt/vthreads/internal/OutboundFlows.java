package io.vmqtt.vthreads.internal;

import io.vmqtt.MqttException;
import io.vmqtt.spi.StoredPublish;
import io.vmqtt.vthreads.internal.codec.Packet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The outbound flows of a session: those holding a packet identifier until their last
 * acknowledgement, in the order they were made, and the queue of what waits to be written ({@link
 * UnsentQueue}), which also holds QoS 0 publishes made while reconnecting. Allocates packet
 * identifiers, never one a flow still holds.
 *
 * <p>Not thread-safe: a part of the {@link Session}, guarded by its lock.
 */
final class OutboundFlows {
  private static final int MAX_PACKET_ID = 65_535;

  private final HeldFlows held = new HeldFlows();
  private final UnsentQueue unsent = new UnsentQueue();
  private int nextPacketId = 1;
  private long nextSequence;

  /** Takes back the messages a store kept from an earlier process, to be sent first. */
  void restore(Collection<StoredPublish> stored) {
    for (StoredPublish s : stored) {
      OutboundFlow f = OutboundFlow.restored(nextSequence++, s);
      held.put(f.packetId, f);
      unsent.add(f);
      nextPacketId = s.packetId() == MAX_PACKET_ID ? 1 : s.packetId() + 1;
    }
  }

  /**
   * A new flow with a free packet identifier (none when {@code awaiting} is NOTHING), held from now
   * on; not yet queued.
   *
   * @throws MqttException when all 65,535 identifiers are held
   */
  OutboundFlow create(
      IntFunction<Packet> packetFor, OutboundFlow.Awaiting awaiting, What what, long deadline) {
    int id = awaiting == OutboundFlow.Awaiting.NOTHING ? 0 : freePacketId(what);
    OutboundFlow flow =
        new OutboundFlow(nextSequence++, deadline, id, packetFor.apply(id), awaiting);
    if (id != 0) {
      held.put(id, flow);
    }
    return flow;
  }

  /** A flow that goes first on the next connection, ahead of everything: restored subscriptions. */
  OutboundFlow createFirst(IntFunction<Packet> packetFor, OutboundFlow.Awaiting awaiting) {
    int id = freePacketId(() -> "restoring subscriptions");
    OutboundFlow flow = new OutboundFlow(-1, Long.MAX_VALUE, id, packetFor.apply(id), awaiting);
    held.put(id, flow);
    unsent.addFirst(flow);
    return flow;
  }

  private int freePacketId(What what) {
    for (int i = 0; i < MAX_PACKET_ID; i++) {
      int id = nextPacketId;
      nextPacketId = id == MAX_PACKET_ID ? 1 : id + 1;
      if (!held.containsKey(id)) {
        return id;
      }
    }
    throw new MqttException(what.describe() + " failed: all 65535 packet identifiers are in use");
  }

  /** The flow holding this packet identifier, or null. */
  OutboundFlow get(int packetId) {
    return held.get(packetId);
  }

  /** The flow is done: its packet identifier is free again. Returns whether it was held. */
  boolean release(OutboundFlow flow) {
    return held.remove(flow.packetId, flow);
  }

  /** Every flow holding a packet identifier, in the order they were made: a copy. */
  List<OutboundFlow> held() {
    return held.inOrder();
  }

  UnsentQueue unsent() {
    return unsent;
  }

  boolean isEmpty() {
    return held.isEmpty() && unsent.isEmpty();
  }

  /** Every flow not yet done goes back in the queue, in the order the flows were made. */
  void requeueAll() {
    List<OutboundFlow> all = held.inOrder();
    unsent.stream().filter(f -> f.packetId == 0).forEach(all::add);
    all.sort(Comparator.comparingLong(f -> f.sequence));
    unsent.clear();
    unsent.addAll(all);
  }

  /** Removes and returns the QoS 2 flows past PUBREC, which a lost broker session cannot finish. */
  List<OutboundFlow> removeReleased() {
    List<OutboundFlow> released = new ArrayList<>();
    for (OutboundFlow f : held.inOrder()) {
      if (f.awaiting == OutboundFlow.Awaiting.PUBCOMP) {
        released.add(f);
      }
    }
    released.forEach(
        f -> {
          held.remove(f.packetId);
          unsent.remove(f);
        });
    return released;
  }

  /** Removes and returns the QoS 0 publishes waiting in the queue (no connection follows). */
  List<OutboundFlow> removeUnsentQos0() {
    List<OutboundFlow> qos0 = unsent.stream().filter(f -> f.packetId == 0).toList();
    unsent.removeIf(f -> f.packetId == 0);
    return qos0;
  }

  /** Removes and returns every held flow (the session is discarded). */
  List<OutboundFlow> removeAll() {
    List<OutboundFlow> all = held.inOrder();
    held.clear();
    unsent.clear();
    return all;
  }
}
