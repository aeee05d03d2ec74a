package io.vmqtt.vthreads.internal;

import io.vmqtt.ConnectionLostException;
import io.vmqtt.vthreads.internal.codec.PingreqPacket;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps one connection alive and detects a dead one, on the connection's keep-alive thread.
 *
 * <p>PINGREQ goes out when nothing was written, or nothing was read, for {@code keep_alive −
 * ping_delay}: writing alone keeps the broker content, but only reading proves the path works, and
 * a publisher writing into a black hole would otherwise never notice. The connection is declared
 * lost when no packet at all arrives within half the keep-alive interval after a PINGREQ, so a
 * silent peer is detected within 1.5 × {@code keep_alive}. Thread-safe.
 */
final class KeepAlive implements Runnable {
  private final Connection connection;
  private final long intervalNanos;
  private final long responseTimeoutNanos;
  private final long keepAliveMillis;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private boolean stopped;
  private volatile long pingSentNanos;

  KeepAlive(Connection connection, Duration keepAlive, Duration pingDelay) {
    this.connection = connection;
    long keepAliveNanos = keepAlive.toNanos();
    long interval = keepAliveNanos - pingDelay.toNanos();
    this.intervalNanos = interval > 0 ? interval : keepAliveNanos;
    this.responseTimeoutNanos = Math.max(keepAliveNanos / 2, Duration.ofMillis(250).toNanos());
    this.keepAliveMillis = keepAlive.toMillis();
  }

  @Override
  public void run() {
    try {
      while (connection.isOpen()) {
        long now = System.nanoTime();
        long sent = pingSentNanos;
        if (sent != 0) {
          if (connection.lastReadNanos() - sent >= 0) {
            pingSentNanos = 0;
          } else if (now - sent >= responseTimeoutNanos) {
            connection.fail(
                new ConnectionLostException(
                    "no PINGRESP (nor any packet) from "
                        + connection.describe()
                        + " within "
                        + responseTimeoutNanos / 1_000_000
                        + " ms of PINGREQ (keep_alive "
                        + keepAliveMillis / 1000
                        + " s)",
                    null));
            return;
          }
        }
        long idleSince = Math.min(connection.writer().lastWriteNanos(), connection.lastReadNanos());
        if (pingSentNanos == 0 && now - idleSince >= intervalNanos) {
          pingSentNanos = now;
          connection.writer().sendUrgent(PingreqPacket.INSTANCE);
        }
        long next =
            pingSentNanos != 0
                ? pingSentNanos + responseTimeoutNanos - now
                : idleSince + intervalNanos - now;
        if (!sleep(Math.max(next, 1_000_000))) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits; returns false when stopped. */
  private boolean sleep(long nanos) throws InterruptedException {
    lock.lock();
    try {
      long left = nanos;
      while (!stopped && left > 0) {
        left = wake.awaitNanos(left);
      }
      return !stopped;
    } finally {
      lock.unlock();
    }
  }

  void onPingresp() {
    pingSentNanos = 0;
  }

  void stop() {
    lock.lock();
    try {
      stopped = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
