package io.vmqtt.websocket.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The received MQTT byte stream: the WebSocket read loop {@link #write}s the payload of every
 * binary message into a bounded ring buffer, the engine's reader thread reads it as an {@link
 * InputStream}. Message boundaries are gone here, as MQTT over WebSocket wants them gone
 * [MQTT-6.0.0-2].
 *
 * <p>Flow control: when the buffer is full, {@link #write} waits for the reader to make room, so
 * the read loop stops reading the socket and TCP slows the broker down, as it does over plain TCP.
 * That wait has no deadline of its own: it ends when the engine's reader, which never blocks for
 * long, takes bytes, or when the stream is {@link #end ended}.
 *
 * <p>Thread-safe: one writer (the read loop) and one reader (the engine's reader) at a time; {@link
 * #end} from any thread. Fields below the lock are guarded by {@link #lock}.
 */
final class InboundPipe extends InputStream {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final byte[] ring;
  private final Runnable onClose;

  /** Index of the next byte to read. */
  private int head;

  /** Bytes in the ring. */
  private int size;

  private boolean ended;

  /** Why the stream ended; null for a clean end of stream. */
  private Throwable cause;

  /**
   * @param capacity the bytes held before {@link #write} waits
   * @param onClose what {@link #close()} does: closes the transport
   */
  InboundPipe(int capacity, Runnable onClose) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.ring = new byte[capacity];
    this.onClose = Objects.requireNonNull(onClose, "onClose");
  }

  /**
   * Appends every remaining byte of {@code bytes}, waiting for room while the buffer is full.
   * Returns at once, dropping the rest, when the stream has ended or the thread is interrupted (its
   * interrupt flag is kept).
   */
  void write(ByteBuffer bytes) {
    lock.lock();
    try {
      while (bytes.hasRemaining()) {
        while (size == ring.length && !ended) {
          try {
            notFull.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        if (ended) {
          return;
        }
        int tail = (head + size) % ring.length;
        int n = Math.min(bytes.remaining(), Math.min(ring.length - size, ring.length - tail));
        bytes.get(ring, tail, n);
        size += n;
        notEmpty.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the stream: the reader gets the bytes still buffered, then -1 when {@code failure} is
   * null, else {@code failure}. The first end wins; a waiting {@link #write} returns.
   */
  void end(Throwable failure) {
    lock.lock();
    try {
      if (!ended) {
        ended = true;
        cause = failure;
        notEmpty.signalAll();
        notFull.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether the stream has ended (bytes may still be buffered). */
  boolean isEnded() {
    lock.lock();
    try {
      return ended;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n == -1 ? -1 : one[0] & 0xFF;
  }

  /**
   * Reads at least one byte, waiting while none is buffered, until the stream ends.
   *
   * @throws IOException the failure the stream ended with, once the buffered bytes are read; or
   *     {@link java.io.InterruptedIOException} when the thread is interrupted while waiting
   */
  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    lock.lock();
    try {
      while (size == 0 && !ended) {
        try {
          notEmpty.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while waiting for WebSocket data");
        }
      }
      if (size == 0) {
        return endOfStream();
      }
      int n = Math.min(len, Math.min(size, ring.length - head));
      System.arraycopy(ring, head, b, off, n);
      head = (head + n) % ring.length;
      size -= n;
      if (size == 0) {
        head = 0;
      }
      notFull.signal();
      return n;
    } finally {
      lock.unlock();
    }
  }

  private int endOfStream() throws IOException {
    return switch (cause) {
      case null -> -1;
      case IOException e -> throw e;
      case RuntimeException e -> throw e;
      default -> throw new IOException(cause.getMessage(), cause);
    };
  }

  @Override
  public int available() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  /** Closes the transport, as closing a socket's input stream closes the socket. */
  @Override
  public void close() {
    onClose.run();
  }
}
