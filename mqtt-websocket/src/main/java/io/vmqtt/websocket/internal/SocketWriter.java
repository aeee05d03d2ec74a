package io.vmqtt.websocket.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes the bytes Java-WebSocket's engine queues (the upgrade request, data frames, Pong and Close
 * frames) to the socket, in the thread that queued them: one frame is never interleaved with
 * another, and no thread of the library's is needed to do it.
 *
 * <p>The engine queues under its own monitor and then calls {@code onWriteDemand}; writing there
 * would block inside {@code synchronized}, which pins a virtual thread's carrier on Java 21. So the
 * code that made the engine queue something calls {@link #drain()} or {@link #drainIfIdle()}
 * afterwards, outside any monitor.
 *
 * <p>Thread-safe. {@link #lock} is held while writing; whoever holds it writes everything queued,
 * including what other threads queued meanwhile, and looks again after letting go, so a frame
 * queued by a thread that found the lock taken is never left behind.
 */
final class SocketWriter {
  private final ReentrantLock lock = new ReentrantLock();
  private final Queue<ByteBuffer> queue;
  private final OutputStream out;

  /**
   * @param queue the engine's outgoing queue ({@code WebSocketImpl.outQueue})
   * @param out the socket's output stream
   */
  SocketWriter(Queue<ByteBuffer> queue, OutputStream out) {
    this.queue = queue;
    this.out = out;
  }

  /**
   * Writes everything queued, waiting for a thread that is writing to finish first, so the caller's
   * frames are on the socket when this returns. That wait ends when the other write does, or when
   * the socket is closed.
   *
   * @throws IOException when writing to the socket fails
   */
  void drain() throws IOException {
    lock.lock();
    try {
      writeQueued();
    } finally {
      lock.unlock();
    }
    drainIfIdle();
  }

  /**
   * Writes everything queued unless another thread is writing, which then writes it; never waits
   * for the lock. For the read loop (Pong and Close answers) and for closing.
   *
   * @throws IOException when writing to the socket fails
   */
  void drainIfIdle() throws IOException {
    while (!queue.isEmpty() && lock.tryLock()) {
      try {
        writeQueued();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Runs with {@link #lock} held. */
  private void writeQueued() throws IOException {
    boolean wrote = false;
    for (ByteBuffer b; (b = queue.poll()) != null; ) {
      if (b.hasArray()) {
        out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
      } else {
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        out.write(copy);
      }
      wrote = true;
    }
    if (wrote) {
      out.flush();
    }
  }
}
