package io.vmqtt.bench;

import io.vmqtt.bench.ClientAdapter.Received;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where the clients with a callback API (Paho, HiveMQ) put received messages: counted in the
 * callback itself (the cheapest way those APIs allow), or queued for a thread that waits for them
 * (ping-pong). The count is kept between end markers: {@link #receive} answers how many messages
 * came since the last marker it consumed, so messages that arrive before it is called still count.
 *
 * <p>{@link #onMessage} runs on the client's one callback thread per connection; {@link #receive}
 * and {@link #take} on the scenario's thread.
 */
final class CallbackSink {
  private final boolean queueing;

  /**
   * Only when queueing: its 1,024 slots (4 KB) would otherwise be counted as the client's heap in
   * the connections scenario, where each connection has a sink.
   */
  private final ArrayBlockingQueue<byte[]> queue;

  private final Semaphore progress = new Semaphore(0);

  /** Non-marker messages since the start; written by the callback thread only. */
  private volatile long total;

  private volatile long markers;
  private volatile long lastNanos;

  /** {@link #total} when {@link #receive} last returned. */
  private volatile long consumed;

  private volatile long markersConsumed;
  private volatile long target = Long.MAX_VALUE;

  /**
   * @param queueing whether messages are queued for {@link #take} instead of counted
   */
  CallbackSink(boolean queueing) {
    this.queueing = queueing;
    this.queue = queueing ? new ArrayBlockingQueue<>(1024) : null;
  }

  void onMessage(byte[] payload) {
    if (queueing) {
      queue.offer(payload);
      return;
    }
    long now = System.nanoTime();
    if (payload.length == ClientAdapter.MARKER_LENGTH) {
      lastNanos = now;
      markers = markers + 1;
      progress.release();
      return;
    }
    lastNanos = now;
    long t = total + 1;
    total = t;
    if (t - consumed == target) {
      progress.release();
    }
  }

  /** As {@link ClientAdapter#receive}. */
  Received receive(long count, Duration idle) throws InterruptedException {
    progress.drainPermits();
    target = count;
    long seen = -1;
    while (markers == markersConsumed && total - consumed < count) {
      if (!progress.tryAcquire(idle.toMillis(), TimeUnit.MILLISECONDS)) {
        long now = total;
        if (now == seen) {
          break; // idle: what arrived is the answer
        }
        seen = now;
      }
    }
    target = Long.MAX_VALUE;
    boolean marked = markers > markersConsumed; // read before total: total is final at a marker
    long n = Math.min(total - consumed, count);
    consumed = consumed + n;
    if (marked) {
      markersConsumed = markersConsumed + 1;
    }
    return new Received(n, lastNanos);
  }

  /** The next queued payload. */
  byte[] take(Duration timeout) throws InterruptedException, TimeoutException {
    if (queue == null) {
      throw new IllegalStateException("take() on a sink made to count, not to queue");
    }
    byte[] p = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (p == null) {
      throw new TimeoutException("no message within " + timeout);
    }
    return p;
  }
}
