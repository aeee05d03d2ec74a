package io.vmqtt;

import java.time.Duration;

/**
 * A blocking call did not complete within the operation timeout ({@code operation_timeout}). The
 * connection stays open.
 */
public class OperationTimeoutException extends MqttException {
  private static final long serialVersionUID = 1L;

  private final transient Duration timeout;

  public OperationTimeoutException(String operation, Duration timeout) {
    super(operation + " did not complete within " + timeout.toMillis() + " ms (operation_timeout)");
    this.timeout = timeout;
  }

  /** The bound that was exceeded. */
  public Duration timeout() {
    return timeout;
  }
}
