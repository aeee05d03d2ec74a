package io.vmqtt.vthreads.internal;

import java.io.IOException;
import java.time.Duration;

/**
 * The broker took no bytes from the client for {@code operation_timeout}: a write made no progress,
 * or answers waited that long for the writer. The connection fails with it; a caller whose own
 * write was stuck gets an {@link io.vmqtt.OperationTimeoutException}.
 */
final class WriteStalledException extends IOException {
  private static final long serialVersionUID = 1L;

  private final Duration timeout;

  WriteStalledException(String message, Duration timeout) {
    super(message);
    this.timeout = timeout;
  }

  /** The operation timeout that ran out. */
  Duration timeout() {
    return timeout;
  }
}
