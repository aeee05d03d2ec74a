package io.vmqtt.vthreads.internal;

import io.vmqtt.ConnectionLostException;
import io.vmqtt.vthreads.internal.codec.PingreqPacket;
import java.time.Duration;

/**
 * Keeps one connection alive and detects a dead one, in both directions, as a task of the JVM-wide
 * {@link Ticker}.
 *
 * <p>Reading: PINGREQ goes out when nothing was written, or nothing was read, for {@code keep_alive
 * − ping_delay}: writing alone keeps the broker content, but only reading proves the path works,
 * and a publisher writing into a black hole would otherwise never notice. The connection is
 * declared lost when not a single byte arrives within half the keep-alive interval after a PINGREQ,
 * so a silent peer is detected within 1.5 × {@code keep_alive} (plus one check). Any byte counts,
 * not only whole packets: on a slow link the PINGRESP may queue behind a long PUBLISH that is still
 * arriving, and arriving bytes prove the path works. While the reader is paused on purpose (the
 * application is not taking messages, so TCP pushes back on the broker), nothing is read and that
 * is no sign of death; PINGREQ still goes out, so the broker sees the client alive. With {@code
 * keep_alive} 0 there is no pinging.
 *
 * <p>Writing: a write call that makes no progress for {@code operation_timeout} means the broker
 * stopped reading; the connection fails with {@link WriteStalledException}, which unblocks the
 * write.
 *
 * <p>The checks run at most every {@link #checkEvery}: a tenth of the shortest of these timeouts,
 * but no less than a tick and no more than a second. The ticker visits every connection ten times a
 * second (once a second when its checks are a second apart); with 10,000 connections, checks at
 * every tick made keep-alive the largest cost of an idle client. (The writer's idle thread and
 * buffer are the writer's own task: {@link Writer#retireIfIdle}.)
 *
 * <p>Thread-safe.
 */
final class KeepAlive implements Ticker.Task {
  private final Connection connection;
  private final Writer writer;
  private final boolean pinging;
  private final long intervalNanos;
  private final long responseTimeoutNanos;
  private final long keepAliveMillis;
  private final long writeTimeoutNanos;
  private final long checkEveryNanos;
  private volatile long pingSentNanos;

  /** When the checks run next; touched by the ticker thread only. */
  private long nextCheckNanos = System.nanoTime();

  KeepAlive(Connection connection, Duration keepAlive, Duration pingDelay) {
    this.connection = connection;
    this.writer = connection.writer();
    long keepAliveNanos = keepAlive.toNanos();
    long interval = keepAliveNanos - pingDelay.toNanos();
    this.pinging = !keepAlive.isZero();
    this.intervalNanos = interval > 0 ? interval : keepAliveNanos;
    this.responseTimeoutNanos = Math.max(keepAliveNanos / 2, Duration.ofMillis(250).toNanos());
    this.keepAliveMillis = keepAlive.toMillis();
    this.writeTimeoutNanos = writer.writeTimeout().toNanos();
    this.checkEveryNanos =
        checkEvery(pinging, intervalNanos, responseTimeoutNanos, writeTimeoutNanos).toNanos();
  }

  /**
   * How long a PINGREQ, a missing answer or a stalled write may go unnoticed: a tenth of the
   * shortest timeout that applies, between one {@link Ticker#PERIOD_MS tick} and a second.
   */
  static Duration checkEvery(
      boolean pinging, long intervalNanos, long responseTimeoutNanos, long writeTimeoutNanos) {
    long shortest =
        pinging
            ? Math.min(writeTimeoutNanos, Math.min(intervalNanos, responseTimeoutNanos))
            : writeTimeoutNanos;
    long tick = Duration.ofMillis(Ticker.PERIOD_MS).toNanos();
    return Duration.ofNanos(Math.clamp(shortest / 10, tick, Ticker.SECOND_NANOS));
  }

  void start() {
    if (checkEveryNanos >= Ticker.SECOND_NANOS) {
      Ticker.INSTANCE.registerEverySecond(this);
    } else {
      Ticker.INSTANCE.register(this);
    }
  }

  void stop() {
    Ticker.INSTANCE.unregister(this);
  }

  @Override
  public void tick(long now) {
    if (now - nextCheckNanos < 0) {
      return;
    }
    nextCheckNanos = now + checkEveryNanos;
    if (!connection.isOpen()) {
      stop();
      return;
    }
    if (writeStalled(now) || pinging && answerMissing(now)) {
      stop();
      return;
    }
    long idleSince = Math.min(writer.lastWriteNanos(), connection.lastReadNanos());
    if (pinging && pingSentNanos == 0 && now - idleSince >= intervalNanos) {
      pingSentNanos = now;
      writer.sendUrgent(PingreqPacket.INSTANCE);
    }
  }

  private boolean writeStalled(long now) {
    long since = writer.stalledSince();
    if (since == 0 || now - since < writeTimeoutNanos) {
      return false;
    }
    connection.failInBackground(
        new WriteStalledException(
            "the broker "
                + connection.describe()
                + " took no bytes for "
                + writeTimeoutNanos / 1_000_000
                + " ms (operation_timeout): it stopped reading",
            writer.writeTimeout()),
        "write-stalled");
    return true;
  }

  /** Whether a PINGREQ went unanswered by any byte in time; fails the connection when it did. */
  private boolean answerMissing(long now) {
    long sent = pingSentNanos;
    if (sent == 0) {
      return false;
    }
    if (connection.lastReadNanos() - sent >= 0 || connection.readerPaused()) {
      pingSentNanos = 0;
      return false;
    }
    if (now - sent < responseTimeoutNanos) {
      return false;
    }
    connection.failInBackground(
        new ConnectionLostException(
            "no PINGRESP (nor any byte) from "
                + connection.describe()
                + " within "
                + responseTimeoutNanos / 1_000_000
                + " ms of PINGREQ (keep_alive "
                + keepAliveMillis / 1000
                + " s)",
            null),
        "keepalive");
    return true;
  }

  @Override
  public void failed(Throwable cause) {
    connection.failInBackground(cause, "keepalive");
  }

  void onPingresp() {
    pingSentNanos = 0;
  }
}
