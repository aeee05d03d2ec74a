package io.vmqtt.bench;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * A window of outstanding asynchronous operations for the clients with a callback API: a pool of
 * {@link Slot}s, taken before an operation and given back by its completion callback. A slot is
 * also the callback ({@link BiConsumer} for a {@code CompletableFuture}, the user context for
 * Paho), so that keeping the window and timing each operation allocate nothing.
 *
 * <p>Thread-safe: one thread takes slots, any thread completes them.
 */
final class Window {
  private static final long STALL_SECONDS = 60;

  private final ArrayBlockingQueue<Slot> free;
  private final int size;
  private final LatencyRecorder latencies;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  Window(int size, LatencyRecorder latencies) {
    this.size = size;
    this.latencies = latencies;
    this.free = new ArrayBlockingQueue<>(size);
    for (int i = 0; i < size; i++) {
      free.add(new Slot());
    }
  }

  /** Waits for a free slot and starts its clock. */
  Slot acquire() throws InterruptedException {
    Slot s = free.poll(STALL_SECONDS, TimeUnit.SECONDS);
    if (s == null) {
      throw new IllegalStateException(
          "no operation completed within " + STALL_SECONDS + " s", failure.get());
    }
    rethrow();
    s.start = System.nanoTime();
    return s;
  }

  /** Waits until every slot is back, i.e. every operation has completed. */
  void awaitAll() throws InterruptedException {
    for (int i = 0; i < size; i++) {
      if (free.poll(STALL_SECONDS, TimeUnit.SECONDS) == null) {
        throw new IllegalStateException(
            (size - i) + " operations did not complete within " + STALL_SECONDS + " s",
            failure.get());
      }
    }
    rethrow();
    for (int i = 0; i < size; i++) {
      free.add(new Slot());
    }
  }

  private void rethrow() {
    if (failure.get() != null) {
      throw new IllegalStateException("an operation failed", failure.get());
    }
  }

  /** One outstanding operation: its start time; completing it records the latency. */
  final class Slot implements BiConsumer<Object, Throwable> {
    private long start;

    /** Records the latency (or the failure) and frees the slot. */
    void complete(Throwable error) {
      if (error != null) {
        failure.compareAndSet(null, error);
      } else {
        latencies.record(System.nanoTime() - start);
      }
      free.add(this);
    }

    @Override
    public void accept(Object result, Throwable error) {
      complete(error);
    }
  }
}
