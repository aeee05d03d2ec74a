package io.vmqtt;

/**
 * The base of every failure vmqtt reports, other than invalid arguments ({@link
 * IllegalArgumentException}), misuse ({@link IllegalStateException}), interruption and {@code
 * deliverMessage}'s timeout. The message names what happened and the values involved; the cause is
 * kept.
 */
public class MqttException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MqttException(String message) {
    super(message);
  }

  public MqttException(String message, Throwable cause) {
    super(message, cause);
  }
}
