package io.vmqtt.vthreads.internal;

import io.vmqtt.Connack;
import io.vmqtt.ConnectException;
import io.vmqtt.MqttConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats connection attempts as hbmqtt's {@code reconnect} does: one attempt, then up to {@code
 * reconnect_retries} more (negative: without end), waiting 1, 2, 4... seconds between them, at most
 * {@code reconnect_max_interval}, each wait shortened by a random jitter of up to half so that
 * clients cut at the same moment do not retry in lock-step. A refusal that retrying cannot fix
 * stops at once. Thread-safe; {@link #cancel()} ends a wait from any thread.
 */
final class Reconnector {
  /** One connection attempt. */
  interface Attempt {
    Connack connect() throws InterruptedException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(Reconnector.class);

  private final int retries;
  private final Duration maxInterval;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition cancelled = lock.newCondition();
  private boolean stopped;

  Reconnector(MqttConfig config) {
    this.retries = config.reconnectRetries();
    this.maxInterval = config.reconnectMaxInterval();
  }

  Connack run(Attempt attempt, String target) throws InterruptedException {
    for (int n = 1; ; n++) {
      try {
        return attempt.connect();
      } catch (ConnectException e) {
        if (e.isRefusal() && isPermanent(e.returnCode())) {
          throw e;
        }
        if (retries >= 0 && n > retries) {
          throw new ConnectException(
              "reconnect to " + target + " failed after " + n + " attempt" + (n == 1 ? "" : "s")
                  + ": " + e.getMessage(),
              e);
        }
        Duration wait = backoff(n);
        LOG.info("reconnect to {} failed (attempt {}): {}; next attempt in {} ms", target, n,
            e.getMessage(), wait.toMillis());
        if (!sleep(wait)) {
          throw new ConnectException("reconnect to " + target + " cancelled: client closed", e);
        }
      }
    }
  }

  /** The wait after the {@code n}th failed attempt: 2^(n-1) s capped, minus up to half. */
  Duration backoff(int n) {
    long capMillis = maxInterval.toMillis();
    long baseMillis = Math.min(capMillis, 1000L << Math.min(n - 1, 20));
    long jitter = ThreadLocalRandom.current().nextLong(baseMillis / 2 + 1);
    return Duration.ofMillis(baseMillis - jitter);
  }

  /** Codes 1, 2, 4, 5: protocol, identifier, credentials, authorisation—retrying won't help. */
  static boolean isPermanent(int returnCode) {
    return returnCode == Connack.UNACCEPTABLE_PROTOCOL_VERSION
        || returnCode == Connack.IDENTIFIER_REJECTED
        || returnCode == Connack.BAD_USERNAME_OR_PASSWORD
        || returnCode == Connack.NOT_AUTHORIZED;
  }

  private boolean sleep(Duration wait) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long left = wait.toNanos();
      while (!stopped && left > 0) {
        left = cancelled.awaitNanos(left);
      }
      return !stopped;
    } finally {
      lock.unlock();
    }
  }

  void cancel() {
    lock.lock();
    try {
      stopped = true;
      cancelled.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
