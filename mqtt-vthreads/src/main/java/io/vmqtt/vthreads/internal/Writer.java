package io.vmqtt.vthreads.internal;

import io.vmqtt.ConnectionLostException;
import io.vmqtt.OperationTimeoutException;
import io.vmqtt.vthreads.internal.codec.ByteSink;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.PacketCodec;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outbound side of one connection: callers queue packets, a writer thread drains the queues
 * into one buffer and writes it with one call per batch.
 *
 * <p>The writer thread exists only while there is something to write: queuing a packet when no
 * writer thread runs and nobody is writing starts one ({@link #wakeWriter}), and it ends once
 * nothing was queued or written for {@link #LINGER_NANOS}: the connection's keep-alive, a task of
 * the JVM-wide {@link Ticker}, tells it so ({@link #retireIfIdle}), so the thread waits for work
 * without a timer of its own. An idle connection, which writes a PINGREQ now and then, so holds no
 * parked writer stack; a busy one keeps its thread between batches. {@link #awaitEnd} waits for it
 * where the connection's end must wait for the final packet.
 *
 * <p>Three queues, drained in this order, so control packets are never stuck behind a publish
 * backlog: <em>urgent</em> (CONNECT, PINGREQ: at most one of each outstanding, so it needs no
 * bound) never waits; <em>answers</em> (PUBACK, PUBREC, PUBREL, PUBCOMP, sent by the reader and by
 * threads taking messages) is bounded by {@link #ANSWERS_HIGH_WATER_BYTES} and its senders wait for
 * room; <em>normal</em> (PUBLISH, SUBSCRIBE, UNSUBSCRIBE, DISCONNECT) is bounded by {@link
 * #HIGH_WATER_BYTES}, and callers wait for room. So a broker that sends without reading fills a
 * bounded queue, and then the reader stops reading: TCP pushes back on the broker.
 *
 * <p>Every write is bounded in time too: a write call that makes no progress for {@code
 * operation_timeout} (the broker stopped reading) is seen by {@link #stalledSince} and the {@link
 * WriteWatch}, which fails the connection; that closing unblocks the write. Large buffers are
 * written in {@link #BATCH_BYTES} chunks, so a slow but moving link is never mistaken for a stall.
 *
 * <p>When nothing is queued, nobody is writing and nothing was written in the last 50 µs, a caller
 * may write its packet itself ({@link #tryWriteDirect}): one thread hand-off less on the path of a
 * lone publish or acknowledgement, which is most of the latency of a request and its answer, while
 * a burst still goes through the writer thread and is batched into few writes. Whoever writes, the
 * writer thread or a caller, owns the output exclusively ({@link #writing}).
 *
 * <p>Each write call costs the client a system call and the broker a read, so the writer thread
 * gathers: woken for a lone packet (no urgent packet, at most one normal one, answers aside) while
 * other publishes are in flight, it yields once before taking it, and the publishers woken by the
 * same read of acknowledgements, which are runnable then, add theirs (a batch that has formed
 * already is taken at once, and a sequential publisher's lone publish too: there the yield would
 * cost more than it gathers); the answers the reader queues (PUBREL, PUBCOMP) wake it once per read
 * burst ({@link #endOfRead}), not once each. With a new virtual thread per QoS 1 publish (the
 * benchmark's {@code qos1-request}) that makes about one write per six messages instead of about
 * one per message.
 *
 * <p>Thread-safe. {@link #run()} runs on the connection's writer thread; everything else on any
 * thread. All fields below the lock are guarded by {@link #lock}; {@link #sink} by the ownership
 * that {@link #writing} grants.
 */
final class Writer implements Runnable, PacketSink, Ticker.Task {
  /** Who hears how the writer ended: the connection. */
  interface Owner {
    /** Writing failed; the connection must fail with this cause. */
    void fail(Throwable cause);

    /** The final packet was written. */
    void writerFinished();

    /** The name of a writer thread, made when one starts. */
    String writerThreadName();
  }

  /** Queued normal packets may hold this many payload bytes before callers wait. */
  static final int HIGH_WATER_BYTES = 1 << 20;

  /** Queued answers may hold this many bytes, as encoded, before their senders wait. */
  static final int ANSWERS_HIGH_WATER_BYTES = 64 * 1024;

  /** Every answer is a packet id and a fixed header: four bytes on the wire. */
  private static final int ANSWER_BYTES = 4;

  /** A batch is written once it reaches this size, even if more packets are queued. */
  private static final int BATCH_BYTES = 64 * 1024;

  /**
   * Fewer normal packets than this in a batch, and no urgent one: the writer thread yields once
   * before taking it, so that runnable callers can add theirs (see {@link #takeBatch}). Measured
   * with 16 too: as many packets per write where a new thread makes each publish, but more CPU with
   * 64 long-lived publishers, whose batches form without it.
   */
  private static final int YIELD_BELOW_PACKETS = 2;

  /** The most normal packets taken per batch, so urgent packets are looked at often. */
  private static final int BATCH_PACKETS = 512;

  /**
   * A caller writes directly only when nothing was flushed for this long: a lone message saves a
   * thread hand-off, while a burst goes through the writer thread and is batched into few writes.
   */
  private static final long DIRECT_WRITE_IDLE_NANOS = 50_000;

  /** Per-packet overhead counted against the high-water mark besides its payload. */
  private static final int PACKET_OVERHEAD = 64;

  /**
   * A writer thread that has had nothing to write for this long ends (at the next tick after it,
   * {@link #retireIfIdle}); the next packet queued starts another. Long enough that a steady stream
   * of publishes keeps one thread, short enough that an idle connection soon holds none.
   */
  static final long LINGER_NANOS = 100_000_000;

  /** The encoding buffer an idle writer goes back to, and starts with. */
  private static final int IDLE_SINK_BYTES = 256;

  private final OutputStream out;
  private final PacketCodec codec;
  private final PacketTrace trace;
  private final Owner owner;
  private final Duration writeTimeout;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();

  /** Signalled when the queues make room, for callers and for answers that wait for it. */
  private final Condition notFull = lock.newCondition();

  /** Signalled when a writer thread ends, or the writer fails: {@link #awaitEnd}. */
  private final Condition ended = lock.newCondition();

  // Small at first: an idle connection queues a packet now and then; the deques grow under load.
  private final ArrayDeque<Packet> urgent = new ArrayDeque<>(1);
  private final ArrayDeque<Packet> answers = new ArrayDeque<>(1);
  private final ArrayDeque<Packet> normal = new ArrayDeque<>(1);
  private long normalBytes;

  /**
   * Whether the last normal packet queued may be followed at once by others: false for a reliable
   * publish that was alone in flight when queued ({@link #sendQueued}), whose writing no other
   * publisher can join, so a lone one is written without the gathering yield.
   */
  private boolean othersMayFollow = true;

  private boolean writing;
  private boolean lastQueued;

  /**
   * The writer thread, while one exists; null when none runs (see {@link #wakeWriter}). Written
   * under {@link #lock}; volatile for {@link #retireIfIdle}'s glance without it.
   */
  private volatile Thread thread;

  /** The writer thread is to end when it finds nothing queued ({@link #retireIfIdle}). */
  private boolean retire;

  private final TickSource ticks;

  /** Among the ticker's tasks ({@link #watchWhileHolding}); under {@link #lock}. */
  private boolean watched;

  /** The reader queued answers and has not woken the writer for them yet ({@link #endOfRead}). */
  private volatile boolean answersUnannounced;

  private Throwable failure;

  // Starts one idle period back, so the very first packet may be written directly.
  private volatile long lastWriteNanos = System.nanoTime() - DIRECT_WRITE_IDLE_NANOS;

  /** When the write call in progress started ({@link System#nanoTime()}); 0 when none is. */
  private volatile long writeCallSince;

  /**
   * Whoever owns {@link #writing} encodes into it ({@link #sink()}); dropped, under {@link #lock}
   * with nobody writing, when the writer thread ends idle, so an idle connection holds none.
   */
  private ByteSink sink;

  /** The encoding buffer, made when none is kept; by the owner of {@link #writing}. */
  private ByteSink sink() {
    ByteSink s = sink;
    if (s == null) {
      s = new ByteSink(IDLE_SINK_BYTES);
      sink = s;
      lock.lock();
      try {
        watchWhileHolding();
      } finally {
        lock.unlock();
      }
    }
    return s;
  }

  /**
   * Under {@link #lock}: a thread or an encoding buffer is held, so the ticker looks at this writer
   * ({@link #retireIfIdle}) until it holds neither. An idle connection's writer is not among the
   * ticker's tasks at all.
   */
  private void watchWhileHolding() {
    if (!watched) {
      watched = true;
      ticks.register(this);
    }
  }

  /** Under {@link #lock}: nothing held any more, or the writer failed; nothing to retire. */
  private void unwatch() {
    if (watched) {
      watched = false;
      ticks.unregister(this);
    }
  }

  /**
   * @param writeTimeout how long a write may make no progress, and answers wait for room, before
   *     the connection is failed ({@code operation_timeout})
   * @param ticks what runs {@link #retireIfIdle} while the writer holds a thread or a buffer: the
   *     JVM-wide {@link Ticker}, or in tests one that the test drives
   */
  Writer(
      OutputStream out,
      PacketCodec codec,
      PacketTrace trace,
      Owner owner,
      Duration writeTimeout,
      TickSource ticks) {
    this.ticks = ticks;
    this.out = out;
    this.codec = codec;
    this.trace = trace;
    this.owner = owner;
    this.writeTimeout = writeTimeout;
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
      othersMayFollow = true;
      wakeWriter();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues a packet behind earlier ones without waiting for room: for flows the session paces
   * itself (bounded by max_inflight and max_queued_messages). Returns false, and drops the packet,
   * when the connection has failed or is closing.
   */
  @Override
  public boolean sendQueued(Packet packet, boolean othersInFlight) {
    lock.lock();
    try {
      if (failure != null || lastQueued) {
        return false;
      }
      normal.add(packet);
      normalBytes += cost(packet);
      othersMayFollow = othersInFlight;
      wakeWriter();
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
      wakeWriter();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues an answer to the broker (PUBACK, PUBREC, PUBREL, PUBCOMP) ahead of the normal queue,
   * waiting while {@link #ANSWERS_HIGH_WATER_BYTES} of answers are queued: the writer takes every
   * answer in each batch, so that wait is short unless the broker stops reading, and then it ends
   * within {@code operation_timeout}, failing the connection. An interrupt does not end the wait
   * (an answer left unsent would hold the broker's window): the flag is kept and set again on
   * return. Returns false, and drops the answer, when the connection has failed or is closing.
   */
  boolean sendAnswer(Packet answer) {
    return sendAnswer(answer, true);
  }

  /**
   * {@link #sendAnswer} for the reader: the writer thread is woken for it only at the end of the
   * reader's burst ({@link #endOfRead}), or when the answers fill up, so that the answers to a
   * burst of acknowledgements go out in one write, with whatever else was queued meanwhile.
   */
  boolean answerLater(Packet answer) {
    return sendAnswer(answer, false);
  }

  /**
   * The reader has no more whole packet buffered: the writer thread is woken for the answers it
   * queued with {@link #answerLater}, unless someone is writing (who takes them along).
   */
  void endOfRead() {
    if (!answersUnannounced) {
      return;
    }
    lock.lock();
    try {
      answersUnannounced = false;
      if (!answers.isEmpty()) {
        wakeWriter();
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean sendAnswer(Packet answer, boolean wake) {
    long deadline = System.nanoTime() + writeTimeout.toNanos();
    boolean interrupted = false;
    lock.lock();
    try {
      while (failure == null
          && !lastQueued
          && (answers.size() + 1) * ANSWER_BYTES > ANSWERS_HIGH_WATER_BYTES) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        wakeWriter(); // what the reader has queued must leave to make room
        try {
          notFull.awaitNanos(left);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (failure == null
          && !lastQueued
          && (answers.size() + 1) * ANSWER_BYTES <= ANSWERS_HIGH_WATER_BYTES) {
        answers.add(answer);
        if (wake) {
          wakeWriter();
        } else {
          answersUnannounced = true;
        }
        return true;
      }
    } finally {
      lock.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (isOpen()) {
      owner.fail(
          new WriteStalledException(
              answers()
                  + " answers to the broker waited "
                  + writeTimeout.toMillis()
                  + " ms for the writer (operation_timeout): the broker is not reading",
              writeTimeout));
    }
    return false;
  }

  private int answers() {
    lock.lock();
    try {
      return answers.size();
    } finally {
      lock.unlock();
    }
  }

  private boolean isOpen() {
    lock.lock();
    try {
      return failure == null && !lastQueued;
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
      wakeWriter();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues the final packet (an MQTT 5 DISCONNECT with the reason the connection is ending for) in
   * place of what waits in the normal queue, which is dropped: the connection ends, and the session
   * sends its flows again on the next one. Answers already queued still go first. The writer stops
   * after writing it; later sends fail. Returns false when the connection has failed or is closing.
   */
  boolean sendFinal(Packet packet) {
    lock.lock();
    try {
      if (failure != null || lastQueued) {
        return false;
      }
      normal.clear();
      normalBytes = 0;
      normal.add(packet);
      lastQueued = true;
      wakeWriter();
      notFull.signalAll();
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
          || !answers.isEmpty()
          || !normal.isEmpty()
          || System.nanoTime() - lastWriteNanos < DIRECT_WRITE_IDLE_NANOS) {
        return false;
      }
      writing = true;
    } finally {
      lock.unlock();
    }
    boolean encoded = false;
    try {
      codec.encode(packet, sink());
      encoded = true;
      if (trace.enabled()) {
        trace.out(packet);
      }
      flush(sink);
      return true;
    } catch (IOException | RuntimeException | Error e) {
      sink().reset();
      if (!encoded && e instanceof RuntimeException packetAtFault) {
        throw packetAtFault; // nothing was written: the caller's packet is at fault, not the link
      }
      owner.fail(e);
      throw writeFailed(what, e);
    } finally {
      doneWriting();
    }
  }

  /**
   * What a caller whose write failed, or who waited to write, is told: the operation timed out when
   * writes were stuck for {@code operation_timeout} (the connection failed with {@link
   * WriteStalledException}), else the connection was lost.
   */
  private RuntimeException writeFailed(What what, Throwable writeError) {
    Throwable cause = failure();
    if (cause instanceof WriteStalledException stalled) {
      OperationTimeoutException e =
          new OperationTimeoutException(
              what.describe() + " could not be written: " + stalled.getMessage(),
              stalled.timeout());
      e.initCause(stalled);
      return e;
    }
    return new ConnectionLostException(
        what.describe() + " failed: the connection was lost", cause != null ? cause : writeError);
  }

  private Throwable failure() {
    lock.lock();
    try {
      return failure;
    } finally {
      lock.unlock();
    }
  }

  /**
   * An acknowledgement from an application thread: written at once if the writer is idle, else
   * queued as an answer (see {@link #sendAnswer}).
   */
  void sendAck(Packet ack) {
    try {
      if (!tryWriteDirect(ack, () -> ack.type() + " " + ack)) {
        sendAnswer(ack);
      }
    } catch (ConnectionLostException | OperationTimeoutException e) {
      // The connection failed; the broker resends what was not acknowledged.
    }
  }

  private void doneWriting() {
    lock.lock();
    try {
      writing = false;
      if (failure == null && !nothingQueued()) {
        wakeWriter();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Wakes the writer thread for what was just queued, starting one when none runs, unless whoever
   * is writing will take it along when done ({@link #doneWriting} wakes it then). Under {@link
   * #lock}; starting a virtual thread does not block.
   */
  private void wakeWriter() {
    if (writing) {
      return;
    }
    if (thread != null) {
      notEmpty.signal();
    } else {
      thread = ClientThreads.start(owner.writerThreadName(), this);
      watchWhileHolding();
    }
  }

  private boolean nothingQueued() {
    return urgent.isEmpty() && answers.isEmpty() && normal.isEmpty();
  }

  /** Stops the writer and wakes every caller waiting for room; the first cause is kept. */
  void fail(Throwable cause) {
    lock.lock();
    try {
      if (failure == null) {
        failure = cause;
      }
      urgent.clear();
      answers.clear();
      normal.clear();
      normalBytes = 0;
      notEmpty.signalAll();
      notFull.signalAll();
      ended.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Since when the write call in progress has made no progress ({@link System#nanoTime()}), or 0
   * when no write is in progress.
   */
  long stalledSince() {
    return writeCallSince;
  }

  /** How long a write may make no progress: {@code operation_timeout}. */
  Duration writeTimeout() {
    return writeTimeout;
  }

  /** When the last batch was flushed, in {@link System#nanoTime()} terms. */
  long lastWriteNanos() {
    return lastWriteNanos;
  }

  /**
   * Waits, at most {@code timeout}, until the writer has failed or finished (the connection ends)
   * and no writer thread remains: what joining the writer thread was when it lived as long as the
   * connection. Returns whether that happened in time.
   */
  boolean awaitEnd(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lockInterruptibly();
    try {
      while (failure == null || thread != null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        ended.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the writer thread when nothing is queued and nothing was written since {@link
   * #LINGER_NANOS} before {@code now}, and drops the encoding buffer of a connection written to
   * directly only; called at every tick while the writer holds either. Never blocks (the ticker
   * must not): when the lock is busy, the writer is busy, and the next tick looks again.
   */
  void retireIfIdle(long now) {
    if (!lock.tryLock()) {
      return;
    }
    try {
      if (failure != null || (thread == null && sink == null)) {
        unwatch(); // a failed writer's thread ends by itself
        return;
      }
      if (writing || !nothingQueued() || now - lastWriteNanos < LINGER_NANOS) {
        return;
      }
      if (thread != null) {
        retire = true; // the next tick finds it gone
        notEmpty.signal();
      } else {
        sink = null; // written directly only, and idle: no encoding buffer is kept either
        unwatch();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void tick(long nowNanos) {
    retireIfIdle(nowNanos);
  }

  @Override
  public void failed(Throwable cause) {
    owner.fail(cause);
  }

  /** For tests: whether an encoding buffer is kept. */
  boolean holdsEncodingBuffer() {
    lock.lock();
    try {
      return sink != null;
    } finally {
      lock.unlock();
    }
  }

  /** For tests and diagnostics: the writer thread, or null when none runs now. */
  Thread thread() {
    lock.lock();
    try {
      return thread;
    } finally {
      lock.unlock();
    }
  }

  /** The body of a writer thread, which {@link #wakeWriter} starts. */
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
    } catch (Throwable e) {
      // Anything, a bug included, ends the connection with it as the cause: never a silent death.
      owner.fail(e);
    } finally {
      threadEnds();
    }
  }

  /** This writer thread ends: a later packet starts another (unless it left idle already). */
  private void threadEnds() {
    lock.lock();
    try {
      if (thread == Thread.currentThread()) {
        thread = null;
      }
      ended.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves the next batch into {@code batch}; returns whether it ends with the final packet. Leaves
   * {@code batch} empty when the thread is to end: the writer failed, or nothing was queued for
   * {@link #LINGER_NANOS} (then this thread is no longer the writer thread when it returns).
   */
  private boolean takeBatch(ArrayList<Packet> batch) throws InterruptedException {
    boolean yielded = false;
    while (true) {
      lock.lock();
      try {
        while (failure == null && (writing || nothingQueued())) {
          if (retire && nothingQueued()) {
            // Idle: the thread ends, under the lock, so the next packet queued starts another.
            retire = false;
            thread = null;
            if (!writing) {
              sink = null; // an idle connection keeps no encoding buffer: the next write makes one
            }
            ended.signalAll();
            return false;
          }
          // Untimed: woken by a packet queued, a caller's write done, a failure, or retireIfIdle.
          notEmpty.await();
          yielded = false;
        }
        if (failure != null) {
          return true;
        }
        if (yielded
            || !urgent.isEmpty()
            || normal.size() >= YIELD_BELOW_PACKETS
            || (normal.size() == 1 && !othersMayFollow)) {
          writing = true;
          return takeQueued(batch);
        }
      } finally {
        lock.unlock();
      }
      // A small batch while other publishes are in flight: the callers woken with this one
      // (publishers whose acknowledgements arrived in the same read) are likely runnable; letting
      // them queue theirs first makes one write
      // of many, which saves the client and the broker a system call per packet.
      Thread.yield();
      yielded = true;
    }
  }

  /**
   * Moves urgent packets, answers and up to {@link #BATCH_PACKETS} normal packets, in that order,
   * into {@code batch}; returns whether it ends with the final packet. Under {@link #lock}, by the
   * new owner of {@link #writing}.
   */
  private boolean takeQueued(ArrayList<Packet> batch) {
    retire = false;
    batch.addAll(urgent);
    urgent.clear();
    if (!answers.isEmpty()) {
      batch.addAll(answers);
      answers.clear();
    }
    boolean last = false;
    for (int i = 0; i < BATCH_PACKETS && !normal.isEmpty(); i++) {
      Packet p = normal.poll();
      normalBytes -= cost(p);
      batch.add(p);
      last = normal.isEmpty() && lastQueued;
    }
    notFull.signalAll();
    return last;
  }

  private void write(ArrayList<Packet> batch) throws IOException {
    boolean tracing = trace.enabled();
    ByteSink buffer = sink();
    for (Packet p : batch) {
      codec.encode(p, buffer);
      if (tracing) {
        trace.out(p);
      }
      if (buffer.size() >= BATCH_BYTES) {
        flush(buffer);
      }
    }
    flush(buffer);
  }

  /**
   * Writes the buffer in chunks of at most {@link #BATCH_BYTES}, each a write call that {@link
   * #stalledSince} times: a chunk the socket does not take within {@code operation_timeout} means
   * the broker stopped reading, while a slow link still moves a chunk at a time.
   */
  private void flush(ByteSink sink) throws IOException {
    int size = sink.size();
    if (size == 0) {
      return;
    }
    byte[] bytes = sink.array();
    try {
      for (int off = 0; off < size; off += BATCH_BYTES) {
        writeCallSince = System.nanoTime() | 1; // never 0, which means "not writing"
        out.write(bytes, off, Math.min(BATCH_BYTES, size - off));
      }
      writeCallSince = System.nanoTime() | 1;
      out.flush();
    } finally {
      writeCallSince = 0;
    }
    sink.reset();
    lastWriteNanos = System.nanoTime();
  }

  private void requireOpen(What what) {
    if (failure != null) {
      throw writeFailed(what, failure);
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
      return urgent.size() + answers.size() + normal.size();
    } finally {
      lock.unlock();
    }
  }
}
