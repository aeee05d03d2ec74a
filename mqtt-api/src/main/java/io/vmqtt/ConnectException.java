package io.vmqtt;

/**
 * Connecting failed: the broker refused the connection ({@link #returnCode()} holds its CONNACK
 * code), or the network connection or handshake failed or timed out (the cause says which, and
 * {@link #returnCode()} is {@link #NO_RETURN_CODE}).
 */
public class ConnectException extends MqttException {
  private static final long serialVersionUID = 1L;

  /** The value of {@link #returnCode()} when the broker sent no refusal. */
  public static final int NO_RETURN_CODE = -1;

  private final int returnCode;

  /** A refusal by the broker. */
  public ConnectException(String message, int returnCode) {
    super(message);
    this.returnCode = returnCode;
  }

  /** A failure before any CONNACK. */
  public ConnectException(String message, Throwable cause) {
    super(message, cause);
    this.returnCode = NO_RETURN_CODE;
  }

  /** The broker's CONNACK return code, or {@link #NO_RETURN_CODE} when none was received. */
  public int returnCode() {
    return returnCode;
  }

  /** Whether the broker refused the connection (as opposed to a network failure). */
  public boolean isRefusal() {
    return returnCode != NO_RETURN_CODE;
  }
}
