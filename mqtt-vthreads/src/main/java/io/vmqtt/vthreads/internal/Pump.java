package io.vmqtt.vthreads.internal;

import io.vmqtt.vthreads.internal.codec.Packet;

/**
 * The in-flight window and what fills it: writes the flows that wait, in order, to the live
 * connection while fewer than the window's size of QoS 1/2 publishes are unacknowledged on it.
 * Other flows (SUBSCRIBE, UNSUBSCRIBE, QoS 0) take no slot. The window's size comes from the {@link
 * ConnectionSettings} of each connection; every connection starts with an empty window.
 *
 * <p>Not thread-safe: a part of the {@link Session}, guarded by its lock.
 */
final class Pump {
  private int size;
  private int used;

  /** A new connection: an empty window of {@code size}; no flow holds a slot any more. */
  void reset(int size, Iterable<OutboundFlow> held) {
    this.size = size;
    this.used = 0;
    held.forEach(f -> f.inWindow = false);
  }

  /** The flow's last acknowledgement arrived: its slot, if it held one, is free. */
  void leave(OutboundFlow f) {
    if (f.inWindow) {
      f.inWindow = false;
      used--;
    }
  }

  /**
   * Writes waiting flows to {@code sink} in order while the window has room; a flow that needs no
   * acknowledgement (QoS 0) is done once handed over. Stops at the first flow that does not fit, so
   * nothing overtakes it, or when the sink refuses (its connection is failing; the next one gets
   * every flow again).
   */
  void pump(UnsentQueue unsent, PacketSink sink) {
    while (sink != null && !unsent.isEmpty()) {
      OutboundFlow f = unsent.peek();
      if (f.isReliablePublish() && used >= size) {
        return;
      }
      unsent.poll();
      Packet p = f.packetToWrite();
      f.sent = true;
      if (f.isReliablePublish()) {
        f.inWindow = true;
        used++;
      }
      if (!sink.sendQueued(p, used > 1)) {
        return;
      }
      if (f.awaiting == OutboundFlow.Awaiting.NOTHING) {
        f.result.complete(p);
      }
    }
  }
}
