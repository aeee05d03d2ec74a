package io.vmqtt;

/**
 * The broker's answer to CONNECT, as returned by {@link MqttClient#connect(String)}.
 *
 * <p>Only accepted connections are returned this way; a refusal throws a {@link ConnectException}
 * carrying the code.
 *
 * @param returnCode the CONNACK return code: 0 = accepted
 * @param sessionPresent whether the broker resumed a stored session for this client id
 */
public record Connack(int returnCode, boolean sessionPresent) {
  /** Return code 0: connection accepted. */
  public static final int ACCEPTED = 0;

  /** Return code 1: the broker does not support the requested protocol level. */
  public static final int UNACCEPTABLE_PROTOCOL_VERSION = 1;

  /** Return code 2: the client identifier is not allowed. */
  public static final int IDENTIFIER_REJECTED = 2;

  /** Return code 3: the MQTT service is unavailable. */
  public static final int SERVER_UNAVAILABLE = 3;

  /** Return code 4: the user name or password is malformed or wrong. */
  public static final int BAD_USERNAME_OR_PASSWORD = 4;

  /** Return code 5: the client is not authorised to connect. */
  public static final int NOT_AUTHORIZED = 5;

  /**
   * @throws IllegalArgumentException when the code is outside 0..255
   */
  public Connack {
    if (returnCode < 0 || returnCode > 255) {
      throw new IllegalArgumentException("returnCode must be 0..255, was " + returnCode);
    }
  }

  /** A human-readable description of a CONNACK return code, e.g. {@code "5 (not authorized)"}. */
  public static String describe(int returnCode) {
    String text =
        switch (returnCode) {
          case ACCEPTED -> "accepted";
          case UNACCEPTABLE_PROTOCOL_VERSION -> "unacceptable protocol version";
          case IDENTIFIER_REJECTED -> "identifier rejected";
          case SERVER_UNAVAILABLE -> "server unavailable";
          case BAD_USERNAME_OR_PASSWORD -> "bad user name or password";
          case NOT_AUTHORIZED -> "not authorized";
          default -> "reserved";
        };
    return returnCode + " (" + text + ")";
  }
}
