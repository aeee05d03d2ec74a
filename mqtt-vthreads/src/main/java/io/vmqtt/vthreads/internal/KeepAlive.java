package io.vmqtt.vthreads.internal;

import io.vmqtt.ConnectionLostException;
import io.vmqtt.vthreads.internal.codec.PingreqPacket;
import java.time.Duration;

/**
 * Keeps one connection alive and detects a dead one, as a task of the JVM-wide {@link Ticker}.
 *
 * <p>PINGREQ goes out when nothing was written, or nothing was read, for {@code keep_alive −
 * ping_delay}: writing alone keeps the broker content, but only reading proves the path works, and
 * a publisher writing into a black hole would otherwise never notice. The connection is declared
 * lost when no packet at all arrives within half the keep-alive interval after a PINGREQ, so a
 * silent peer is detected within 1.5 × {@code keep_alive} (plus one tick). Thread-safe.
 */
final class KeepAlive implements Ticker.Task {
  private final Connection connection;
  private final long intervalNanos;
  private final long responseTimeoutNanos;
  private final long keepAliveMillis;
  private volatile long pingSentNanos;

  KeepAlive(Connection connection, Duration keepAlive, Duration pingDelay) {
    this.connection = connection;
    long keepAliveNanos = keepAlive.toNanos();
    long interval = keepAliveNanos - pingDelay.toNanos();
    this.intervalNanos = interval > 0 ? interval : keepAliveNanos;
    this.responseTimeoutNanos = Math.max(keepAliveNanos / 2, Duration.ofMillis(250).toNanos());
    this.keepAliveMillis = keepAlive.toMillis();
  }

  void start() {
    Ticker.INSTANCE.register(this);
  }

  void stop() {
    Ticker.INSTANCE.unregister(this);
  }

  @Override
  public void tick(long now) {
    if (!connection.isOpen()) {
      stop();
      return;
    }
    long sent = pingSentNanos;
    if (sent != 0) {
      if (connection.lastReadNanos() - sent >= 0) {
        pingSentNanos = 0;
      } else if (now - sent >= responseTimeoutNanos) {
        stop();
        failInBackground();
        return;
      }
    }
    long idleSince = Math.min(connection.writer().lastWriteNanos(), connection.lastReadNanos());
    if (pingSentNanos == 0 && now - idleSince >= intervalNanos) {
      pingSentNanos = now;
      connection.writer().sendUrgent(PingreqPacket.INSTANCE);
    }
  }

  /** Closing a transport may block (a TLS close_notify), so never on the ticker. */
  private void failInBackground() {
    ConnectionLostException cause =
        new ConnectionLostException(
            "no PINGRESP (nor any packet) from "
                + connection.describe()
                + " within "
                + responseTimeoutNanos / 1_000_000
                + " ms of PINGREQ (keep_alive "
                + keepAliveMillis / 1000
                + " s)",
            null);
    Thread.ofVirtual()
        .name("vmqtt-" + connection.clientId() + "-keepalive")
        .start(() -> connection.fail(cause));
  }

  void onPingresp() {
    pingSentNanos = 0;
  }
}
