package io.vmqtt.vthreads.internal;

import io.vmqtt.ConnectionLostException;
import io.vmqtt.OperationTimeoutException;
import io.vmqtt.vthreads.internal.codec.ByteSink;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.PacketEncoder;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outbound side of one connection: callers queue packets, the writer thread drains the queues
 * into one buffer and writes it with one call per batch.
 *
 * <p>Two queues: <em>urgent</em> (acknowledgements, PINGREQ, CONNECT) is unbounded—its packets are
 * bounded by the packet-id space—and is drained first, so control packets are never stuck behind a
 * publish backlog; <em>normal</em> (PUBLISH, SUBSCRIBE, UNSUBSCRIBE, DISCONNECT) is bounded by
 * {@link #HIGH_WATER_BYTES}, and callers wait for room. The reader only ever uses {@link
 * #sendUrgent}, which never waits for room.
 *
 * <p>When nothing is queued, nobody is writing and nothing was written in the last 50 µs, a caller
 * may write its packet itself ({@link #tryWriteDirect}): one thread hand-off less on the path of a
 * lone publish or acknowledgement, which is most of the latency of a request and its answer, while
 * a burst still goes through the writer thread and is batched into few writes. Whoever writes, the
 * writer thread or a caller, owns the output exclusively ({@link #writing}).
 *
 * <p>Thread-safe. {@link #run()} runs on the connection's writer thread; everything else on any
 * thread. All fields below the lock are guarded by {@link #lock}; {@link #sink} by the ownership
 * that {@link #writing} grants.
 */
final class Writer implements Runnable {
  /** Who hears how the writer ended: the connection. */
  interface Owner {
    /** Writing failed; the connection must fail with this cause. */
    void fail(Throwable cause);

    /** The final packet was written. */
    void writerFinished();
  }

  /** Queued normal packets may hold this many payload bytes before callers wait. */
  static final int HIGH_WATER_BYTES = 1 << 20;

  /** A batch is written once it reaches this size, even if more packets are queued. */
  private static final int BATCH_BYTES = 64 * 1024;

  /** The most normal packets taken per batch, so urgent packets are looked at often. */
  private static final int BATCH_PACKETS = 512;

  /**
   * A caller writes directly only when nothing was flushed for this long: a lone message saves a
   * thread hand-off, while a burst goes through the writer thread and is batched into few writes.
   */
  private static final long DIRECT_WRITE_IDLE_NANOS = 50_000;

  /** Per-packet overhead counted against the high-water mark besides its payload. */
  private static final int PACKET_OVERHEAD = 64;

  private final OutputStream out;
  private final PacketTrace trace;
  private final Owner owner;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<Packet> urgent = new ArrayDeque<>();
  private final ArrayDeque<Packet> normal = new ArrayDeque<>();
  private long normalBytes;
  private boolean writing;
  private boolean lastQueued;
  private Throwable failure;

  // Starts one idle period back, so the very first packet may be written directly.
  private volatile long lastWriteNanos = System.nanoTime() - DIRECT_WRITE_IDLE_NANOS;
  private final ByteSink sink = new ByteSink(256);

  Writer(OutputStream out, PacketTrace trace, Owner owner) {
    this.out = out;
    this.trace = trace;
    this.owner = owner;
  }

  /**
   * Queues a packet behind earlier ones, waiting while the queue is over its high-water mark.
   *
   * @param what the operation, for error messages
   * @param deadlineNanos the {@link System#nanoTime()} by which there must be room
   * @throws ConnectionLostException when the connection has failed or is closing
   * @throws OperationTimeoutException when there is no room by the deadline
   */
  void send(Packet packet, What what, long deadlineNanos, Duration timeout)
      throws InterruptedException {
    if (tryWriteDirect(packet, what)) {
      return;
    }
    long cost = cost(packet);
    lock.lockInterruptibly();
    try {
      while (failure == null
          && !lastQueued
          && normalBytes > 0
          && normalBytes + cost > HIGH_WATER_BYTES) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
          throw new OperationTimeoutException(
              what.describe()
                  + " waited for room in the outgoing queue ("
                  + HIGH_WATER_BYTES
                  + " bytes)",
              timeout);
        }
        notFull.awaitNanos(remaining);
      }
      requireOpen(what);
      normal.add(packet);
      normalBytes += cost;
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues a packet behind earlier ones without waiting for room: for flows the session paces
   * itself (bounded by max_inflight and max_queued_messages). Returns false, and drops the packet,
   * when the connection has failed or is closing.
   */
  boolean sendQueued(Packet packet) {
    lock.lock();
    try {
      if (failure != null || lastQueued) {
        return false;
      }
      normal.add(packet);
      normalBytes += cost(packet);
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues a control packet ahead of the normal queue; never waits for room. Returns false, and
   * drops the packet, when the connection has failed or is closing.
   */
  boolean sendUrgent(Packet packet) {
    lock.lock();
    try {
      if (failure != null || lastQueued) {
        return false;
      }
      urgent.add(packet);
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues the final packet (DISCONNECT) behind everything already queued; the writer stops after
   * writing it, and later sends fail.
   */
  boolean sendLast(Packet packet) {
    lock.lock();
    try {
      if (failure != null || lastQueued) {
        return false;
      }
      normal.add(packet);
      lastQueued = true;
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes the packet on the calling thread when nothing is queued and nobody is writing; returns
   * false, having done nothing, otherwise.
   *
   * @throws ConnectionLostException when the write fails; the connection fails with the cause
   */
  boolean tryWriteDirect(Packet packet, What what) {
    lock.lock();
    try {
      if (failure != null
          || lastQueued
          || writing
          || !urgent.isEmpty()
          || !normal.isEmpty()
          || System.nanoTime() - lastWriteNanos < DIRECT_WRITE_IDLE_NANOS) {
        return false;
      }
      writing = true;
    } finally {
      lock.unlock();
    }
    try {
      PacketEncoder.encode(packet, sink);
      if (trace.enabled()) {
        trace.out(packet);
      }
      flush(sink);
      return true;
    } catch (IOException e) {
      sink.reset();
      owner.fail(e);
      throw new ConnectionLostException(what.describe() + " failed: the connection was lost", e);
    } catch (RuntimeException e) {
      sink.reset();
      throw e;
    } finally {
      doneWriting();
    }
  }

  /** An acknowledgement from an application thread: written at once if the writer is idle. */
  void sendAck(Packet ack) {
    try {
      if (!tryWriteDirect(ack, () -> ack.type() + " " + ack)) {
        sendUrgent(ack);
      }
    } catch (ConnectionLostException e) {
      // The connection failed; the broker resends what was not acknowledged.
    }
  }

  private void doneWriting() {
    lock.lock();
    try {
      writing = false;
      if (failure != null || !urgent.isEmpty() || !normal.isEmpty()) {
        notEmpty.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Stops the writer and wakes every caller waiting for room; the first cause is kept. */
  void fail(Throwable cause) {
    lock.lock();
    try {
      if (failure == null) {
        failure = cause;
      }
      urgent.clear();
      normal.clear();
      normalBytes = 0;
      notEmpty.signalAll();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** When the last batch was flushed, in {@link System#nanoTime()} terms. */
  long lastWriteNanos() {
    return lastWriteNanos;
  }

  @Override
  public void run() {
    ArrayList<Packet> batch = new ArrayList<>();
    try {
      boolean last = false;
      while (!last) {
        last = takeBatch(batch);
        if (batch.isEmpty()) {
          return;
        }
        try {
          write(batch);
        } finally {
          doneWriting();
        }
        batch.clear();
      }
      owner.writerFinished();
    } catch (IOException | RuntimeException | InterruptedException e) {
      owner.fail(e);
    }
  }

  /** Moves the next batch into {@code batch}; returns whether it ends with the final packet. */
  private boolean takeBatch(ArrayList<Packet> batch) throws InterruptedException {
    lock.lock();
    try {
      while (failure == null && (writing || urgent.isEmpty() && normal.isEmpty())) {
        notEmpty.await();
      }
      if (failure != null) {
        return true;
      }
      writing = true;
      batch.addAll(urgent);
      urgent.clear();
      boolean last = false;
      for (int i = 0; i < BATCH_PACKETS && !normal.isEmpty(); i++) {
        Packet p = normal.poll();
        normalBytes -= cost(p);
        batch.add(p);
        last = normal.isEmpty() && lastQueued;
      }
      notFull.signalAll();
      return last;
    } finally {
      lock.unlock();
    }
  }

  private void write(ArrayList<Packet> batch) throws IOException {
    boolean tracing = trace.enabled();
    for (Packet p : batch) {
      PacketEncoder.encode(p, sink);
      if (tracing) {
        trace.out(p);
      }
      if (sink.size() >= BATCH_BYTES) {
        flush(sink);
      }
    }
    flush(sink);
  }

  private void flush(ByteSink sink) throws IOException {
    if (sink.size() > 0) {
      out.write(sink.array(), 0, sink.size());
      out.flush();
      sink.reset();
      lastWriteNanos = System.nanoTime();
    }
  }

  private void requireOpen(What what) {
    if (failure != null) {
      throw new ConnectionLostException(
          what.describe() + " failed: the connection was lost", failure);
    }
    if (lastQueued) {
      throw new ConnectionLostException(
          what.describe() + " failed: the connection is closing",
          new IllegalStateException("disconnecting"));
    }
  }

  private static long cost(Packet p) {
    return p instanceof PublishPacket pub
        ? PACKET_OVERHEAD + pub.payload().length
        : PACKET_OVERHEAD;
  }

  /** For tests and diagnostics: the number of queued packets. */
  int queued() {
    lock.lock();
    try {
      return urgent.size() + normal.size();
    } finally {
      lock.unlock();
    }
  }
}
