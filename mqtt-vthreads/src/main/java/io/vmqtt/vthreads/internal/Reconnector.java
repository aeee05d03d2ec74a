package io.vmqtt.vthreads.internal;

import io.vmqtt.Connack;
import io.vmqtt.ConnectException;
import io.vmqtt.MqttConfig;
import io.vmqtt.ReasonCode;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats connection attempts with exponential backoff: attempt n waits {@code
 * reconnect_min_interval} × 2^(n−1), at most {@code reconnect_max_interval}, shortened by a random
 * part of up to {@code reconnect_jitter}, so that clients cut at the same moment spread their
 * retries. After {@code reconnect_retries} further attempts (negative: without end) it gives up; a
 * refusal that retrying cannot fix ({@link #isPermanent}) stops it at once.
 *
 * <p>Thread-safe. {@link #cancel()} ends the current run's wait from any thread; {@link #close()}
 * ends every run for good.
 */
final class Reconnector {
  /** One connection attempt. */
  interface Attempt {
    Connack connect() throws InterruptedException;
  }

  /** Hears about each failed attempt that will be retried. */
  interface Observer {
    void retrying(ConnectException cause, int attempt, Duration wait);
  }

  private static final Logger LOG = LoggerFactory.getLogger(Reconnector.class);

  private final int retries;
  private final Duration minInterval;
  private final Duration maxInterval;
  private final double jitter;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private long generation;
  private boolean closed;

  Reconnector(MqttConfig config) {
    this.retries = config.reconnectRetries();
    this.maxInterval = config.reconnectMaxInterval();
    this.minInterval =
        config.reconnectMinInterval().compareTo(maxInterval) > 0
            ? maxInterval
            : config.reconnectMinInterval();
    this.jitter = config.reconnectJitter();
  }

  /**
   * Attempts until one succeeds.
   *
   * @param waitFirst wait before the first attempt too (automatic reconnection), or try at once (an
   *     explicit {@code reconnect()}, as hbmqtt does)
   * @throws ConnectException when it gives up, or is cancelled; the cause is the last failure
   */
  Connack run(Attempt attempt, String target, boolean waitFirst, Observer observer)
      throws InterruptedException {
    long run = currentGeneration();
    ConnectException last = null;
    for (int n = 1; ; n++) {
      if (waitFirst || n > 1) {
        Duration wait = backoff(waitFirst ? n : n - 1);
        if (last != null && observer != null) {
          observer.retrying(last, n - 1, wait);
        }
        if (!sleep(wait, run)) {
          throw new ConnectException(
              "reconnection to " + target + " stopped",
              last != null ? last : new ClosedByClient("stopped"));
        }
      }
      try {
        return attempt.connect();
      } catch (ConnectException e) {
        last = e;
        if (e.reasonCode().filter(Reconnector::isPermanent).isPresent()
            || e.getCause() instanceof ClosedByClient
            || e.getCause() instanceof io.vmqtt.AuthenticationException) {
          throw e; // retrying cannot fix it, or the application stopped reconnection
        }
        if (retries >= 0 && n > retries) {
          throw new ConnectException(
              "reconnect to "
                  + target
                  + " failed after "
                  + n
                  + " attempt"
                  + (n == 1 ? "" : "s")
                  + ": "
                  + e.getMessage(),
              e);
        }
        LOG.info("reconnect to {} failed (attempt {}): {}", target, n, e.getMessage());
      }
    }
  }

  /** The wait before attempt {@code n} (1-based). */
  Duration backoff(int n) {
    long capNanos = maxInterval.toNanos();
    long base = Math.min(capNanos, minInterval.toNanos() << Math.min(n - 1, 30));
    if (base <= 0) {
      base = capNanos;
    }
    long cut = (long) (base * jitter * ThreadLocalRandom.current().nextDouble());
    return Duration.ofNanos(base - cut);
  }

  /**
   * A refusal retrying won't fix: protocol, identifier, credentials, authorisation (MQTT 3.1.1
   * codes 1, 2, 4, 5); with MQTT 5 also a CONNECT the broker cannot take as it is (0x81 Malformed
   * Packet, 0x82 Protocol Error, 0x95 Packet too large; a will it refuses: 0x90 Topic Name invalid,
   * 0x99 Payload format invalid, 0x9A Retain not supported, 0x9B QoS not supported), 0x8A Banned,
   * 0x8C Bad authentication method, and 0x9C Use another server, 0x9D Server moved. The others
   * (0x80, 0x83, 0x88 Server unavailable, 0x89 Server busy, 0x97 Quota exceeded, 0x9F Connection
   * rate exceeded) are retried. Nor is a failure where the client's own authenticator refused the
   * server (an {@link io.vmqtt.AuthenticationException} cause).
   */
  static boolean isPermanent(ReasonCode code) {
    return switch (code) {
      case UNSUPPORTED_PROTOCOL_VERSION,
          CLIENT_IDENTIFIER_NOT_VALID,
          BAD_USER_NAME_OR_PASSWORD,
          NOT_AUTHORIZED,
          MALFORMED_PACKET,
          PROTOCOL_ERROR,
          PACKET_TOO_LARGE,
          TOPIC_NAME_INVALID,
          PAYLOAD_FORMAT_INVALID,
          RETAIN_NOT_SUPPORTED,
          QOS_NOT_SUPPORTED,
          BANNED,
          BAD_AUTHENTICATION_METHOD,
          USE_ANOTHER_SERVER,
          SERVER_MOVED ->
          true;
      default -> false;
    };
  }

  private long currentGeneration() {
    lock.lock();
    try {
      return generation;
    } finally {
      lock.unlock();
    }
  }

  /** Waits; returns false when cancelled or closed meanwhile. */
  private boolean sleep(Duration wait, long run) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long left = wait.toNanos();
      while (!closed && generation == run && left > 0) {
        left = wake.awaitNanos(left);
      }
      return !closed && generation == run;
    } finally {
      lock.unlock();
    }
  }

  /** Stops the run in progress, if any; later runs start afresh. */
  void cancel() {
    lock.lock();
    try {
      generation++;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Stops every run, now and later. */
  void close() {
    lock.lock();
    try {
      closed = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
