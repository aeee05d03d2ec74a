package io.vmqtt.vthreads.internal;

import io.vmqtt.vthreads.internal.codec.PublishPacket;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The flows of a {@link Session} waiting to be written, in order, with their count and the bytes
 * they hold, so that {@code max_queued_messages} and {@code max_queued_bytes} bound them both. A
 * QoS 0 publish queued while the client reconnects keeps its payload here after its caller has
 * returned, so counting messages alone would let a few large ones take the heap.
 *
 * <p>Not thread-safe: guarded by the session's lock, except {@link #size()}, which any thread may
 * read.
 */
final class UnsentQueue implements Iterable<OutboundFlow> {
  /** Counted per flow besides its topic and payload: the objects that hold it. */
  private static final int FLOW_OVERHEAD = 64;

  private final ArrayDeque<OutboundFlow> flows = new ArrayDeque<>(1); // grows while offline
  private long bytes;
  private volatile int size;

  /** What a flow holds, as counted against {@code max_queued_bytes}. */
  static long bytes(OutboundFlow f) {
    return f.packet instanceof PublishPacket p
        ? FLOW_OVERHEAD + 2L * p.topic().length() + p.payload().length
        : FLOW_OVERHEAD;
  }

  /** What a publish of {@code topic} and {@code payloadBytes} would hold, before it is made. */
  static long bytes(String topic, int payloadBytes) {
    return FLOW_OVERHEAD + 2L * topic.length() + payloadBytes;
  }

  void add(OutboundFlow f) {
    flows.add(f);
    counted(f, 1);
  }

  void addFirst(OutboundFlow f) {
    flows.addFirst(f);
    counted(f, 1);
  }

  void addAll(Collection<OutboundFlow> all) {
    all.forEach(this::add);
  }

  OutboundFlow peek() {
    return flows.peek();
  }

  OutboundFlow poll() {
    OutboundFlow f = flows.poll();
    if (f != null) {
      counted(f, -1);
    }
    return f;
  }

  boolean remove(OutboundFlow f) {
    boolean removed = flows.remove(f);
    if (removed) {
      counted(f, -1);
    }
    return removed;
  }

  void removeIf(Predicate<OutboundFlow> which) {
    for (Iterator<OutboundFlow> it = flows.iterator(); it.hasNext(); ) {
      OutboundFlow f = it.next();
      if (which.test(f)) {
        it.remove();
        counted(f, -1);
      }
    }
  }

  void clear() {
    flows.clear();
    bytes = 0;
    size = 0;
  }

  boolean isEmpty() {
    return flows.isEmpty();
  }

  /** The number of flows; readable from any thread. */
  int size() {
    return size;
  }

  long bytes() {
    return bytes;
  }

  Stream<OutboundFlow> stream() {
    return flows.stream();
  }

  @Override
  public Iterator<OutboundFlow> iterator() {
    return flows.iterator();
  }

  private void counted(OutboundFlow f, int sign) {
    bytes += sign * bytes(f);
    size = flows.size();
  }
}
