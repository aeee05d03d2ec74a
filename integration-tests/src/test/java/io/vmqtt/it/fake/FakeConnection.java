package io.vmqtt.it.fake;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client connection accepted by the {@link FakeBroker}: its socket, the lock that serializes
 * writes to it, and its end. The broker's reader thread for it, delayed answers and the test thread
 * all write through {@link #write}. Thread-safe; {@link #out} is guarded by {@link #writeLock}.
 */
final class FakeConnection implements AutoCloseable {
  /** 1 for the first connection the broker accepted, and so on. */
  final int number;

  final Socket socket;

  /** Counted down once, when the connection ends (either side closed it). */
  final CountDownLatch ended = new CountDownLatch(1);

  /** Threads holding a delayed answer for this connection; interrupted when it closes. */
  final Set<Thread> helpers = ConcurrentHashMap.newKeySet();

  private final ReentrantLock writeLock = new ReentrantLock();
  private final OutputStream out;

  FakeConnection(int number, Socket socket) throws IOException {
    this.number = number;
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  /** Writes and flushes the bytes as one run, never interleaved with another writer's. */
  void write(byte[] bytes) throws IOException {
    writeLock.lock();
    try {
      out.write(bytes);
      out.flush();
    } finally {
      writeLock.unlock();
    }
  }

  boolean isEnded() {
    return ended.getCount() == 0;
  }

  /** Closes the socket (FIN after what was written), wakes a stall, stops delayed answers. */
  @Override
  public void close() {
    try {
      if (!socket.isClosed()) {
        socket.shutdownOutput();
      }
    } catch (IOException e) {
      // Already reset by the peer: closing below is all that is left.
    }
    closeQuietly(socket);
    ended.countDown();
    for (Thread helper : helpers) {
      if (helper != Thread.currentThread()) {
        helper.interrupt();
      }
    }
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing to do: it is closed either way.
    }
  }
}
