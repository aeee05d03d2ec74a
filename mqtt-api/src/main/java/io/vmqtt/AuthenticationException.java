package io.vmqtt;

/**
 * MQTT 5 enhanced authentication failed on the client's side or was refused: an {@link
 * io.vmqtt.spi.Authenticator} could not go on (missing credentials, a server that failed to prove
 * itself, as a wrong SCRAM server signature), or the broker ended a re-authentication by closing
 * the connection (then the cause is its {@link DisconnectedByBrokerException}, with the reason
 * code). A refused CONNECT is a {@link ConnectException} carrying the CONNACK's reason code (0x86
 * Bad user name or password, 0x87 Not authorized, 0x8C Bad authentication method).
 */
public class AuthenticationException extends MqttException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(String message) {
    super(message);
  }

  public AuthenticationException(String message, Throwable cause) {
    super(message, cause);
  }
}
