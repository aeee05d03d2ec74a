package io.vmqtt.vthreads.internal;

import io.vmqtt.vthreads.internal.codec.Packet;
import java.util.concurrent.CompletableFuture;

/**
 * One outbound exchange that holds a packet identifier until its last acknowledgement: a QoS 1 or
 * 2 PUBLISH, a SUBSCRIBE or an UNSUBSCRIBE. The caller's thread waits on {@link #result}; the
 * reader completes it. Thread-safe: {@link #awaiting} is written by the reader only.
 */
final class OutboundFlow {
  /** The acknowledgement the flow waits for next. */
  enum Awaiting {
    PUBACK,
    PUBREC,
    PUBCOMP,
    SUBACK,
    UNSUBACK
  }

  final int packetId;
  final Packet packet;
  final boolean holdsInflightSlot;
  final Connection connection;
  final CompletableFuture<Packet> result = new CompletableFuture<>();
  volatile Awaiting awaiting;

  OutboundFlow(
      int packetId, Packet packet, Awaiting awaiting, boolean holdsInflightSlot, Connection c) {
    this.packetId = packetId;
    this.packet = packet;
    this.awaiting = awaiting;
    this.holdsInflightSlot = holdsInflightSlot;
    this.connection = c;
  }
}
