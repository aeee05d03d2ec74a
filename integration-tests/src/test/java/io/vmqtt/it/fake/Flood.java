package io.vmqtt.it.fake;

import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A broker-side flood for the tests of bounded memory: a virtual thread writes frames to the client
 * through the {@link FakeBroker} until it has written them all or the connection ends, and counts
 * the bytes the client's socket took. When the client stops reading, the writes block (TCP pushes
 * back) and the count stands still. Thread-safe.
 */
final class Flood implements AutoCloseable {
  private final AtomicLong framesSent = new AtomicLong();
  private final Thread thread;
  private volatile boolean done;
  private volatile Throwable ended;
  private volatile long lastCount = -1;
  private volatile long lastChange = System.nanoTime();

  /**
   * Starts writing {@code frames} frames, {@code frame.apply(i)} for i = 0, 1, …, in writes of
   * {@code perWrite} frames.
   */
  Flood(FakeBroker broker, int frames, int perWrite, IntFunction<byte[]> frame) {
    thread =
        Thread.ofVirtual()
            .name("test-flood")
            .start(
                () -> {
                  try {
                    for (int i = 0; i < frames; i += perWrite) {
                      byte[][] batch = new byte[Math.min(perWrite, frames - i)][];
                      for (int j = 0; j < batch.length; j++) {
                        batch[j] = frame.apply(i + j);
                      }
                      broker.sendRaw(Frames.concat(batch));
                      framesSent.addAndGet(batch.length);
                    }
                  } catch (UncheckedIOException e) {
                    ended = e; // the client closed the connection
                  } finally {
                    done = true;
                  }
                });
  }

  /** The frames the client's socket took so far. */
  long framesSent() {
    return framesSent.get();
  }

  /** Whether it wrote every frame, or the connection ended. */
  boolean isDone() {
    return done;
  }

  /** Whether it stopped because the connection ended. */
  boolean endedByTheConnection() {
    return ended != null;
  }

  /**
   * Whether the count stood still for {@code quietMillis}, i.e. the writes are blocked: sampled by
   * the caller's polling (Awaitility), which calls this repeatedly.
   */
  boolean stalledFor(long quietMillis) {
    long now = System.nanoTime();
    long sent = framesSent.get();
    if (sent != lastCount) {
      lastCount = sent;
      lastChange = now;
      return false;
    }
    return !done && now - lastChange >= quietMillis * 1_000_000;
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join(ClientSupport.WAIT);
  }
}
