package io.vmqtt;

/**
 * The peer sent bytes that break the MQTT specification. The message cites the normative statement,
 * e.g. {@code [MQTT-3.3.1-4]}. The connection is closed when this is detected.
 */
public class ProtocolException extends MqttException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
