package io.vmqtt.vthreads.internal;

import io.vmqtt.vthreads.internal.codec.Packet;

/**
 * Where the {@link Session} writes the flows it paces: the live connection's writer, or in tests a
 * recording. The session never sees a socket or a connection.
 */
interface PacketSink {
  /**
   * Queues a packet behind earlier ones without waiting for room: the session bounds what it hands
   * over itself ({@code max_inflight}, {@code max_queued_messages}). Returns false, dropping the
   * packet, when the connection behind it is failing.
   *
   * @param othersInFlight whether other reliable publishes await their acknowledgements on this
   *     connection: their publishers may queue more right after this packet (a lone sequential
   *     publisher's may not, and its packet is written without waiting to gather others)
   */
  boolean sendQueued(Packet packet, boolean othersInFlight);
}
