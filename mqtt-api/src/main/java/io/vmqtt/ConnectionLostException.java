package io.vmqtt;

/**
 * The connection was lost while the call was waiting, or before it could be sent. The cause is the
 * one failure that closed the connection.
 */
public class ConnectionLostException extends MqttException {
  private static final long serialVersionUID = 1L;

  public ConnectionLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
