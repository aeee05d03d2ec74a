package io.vmqtt;

import java.util.Objects;

/**
 * The broker's answer to CONNECT. {@link MqttClient#connect(String)} returns it when the broker
 * accepted the connection; a refusal is thrown as a {@link ConnectException}, which carries it
 * ({@link ConnectException#connack()}). Immutable and thread-safe.
 *
 * <pre>{@code
 * Connack ack = client.connect("mqtt://localhost:1883");
 * if (!ack.sessionPresent()) {
 *   client.subscribe(subscriptions); // the broker kept nothing for us
 * }
 * }</pre>
 *
 * <p>Made by the engine; tests that stand in for a client make one with {@link #accepted(boolean)}
 * or {@link #ofMqtt3(int, boolean)}.
 */
public final class Connack {
  private static final Connack ACCEPTED_NO_SESSION = new Connack(0, ReasonCode.SUCCESS, false);
  private static final Connack ACCEPTED_SESSION = new Connack(0, ReasonCode.SUCCESS, true);

  private final int returnCode;
  private final ReasonCode reasonCode;
  private final boolean sessionPresent;

  private Connack(int returnCode, ReasonCode reasonCode, boolean sessionPresent) {
    this.returnCode = returnCode;
    this.reasonCode = reasonCode;
    this.sessionPresent = sessionPresent;
  }

  /** An accepted connection: return code 0, {@link ReasonCode#SUCCESS}. */
  public static Connack accepted(boolean sessionPresent) {
    return sessionPresent ? ACCEPTED_SESSION : ACCEPTED_NO_SESSION;
  }

  /**
   * A CONNACK of MQTT 3.1 or 3.1.1, from its return code as on the wire. Codes 1 to 5 map as {@link
   * ReasonCode#ofConnack(int, int)} says; the reserved codes 6 to 255 have the reason code {@link
   * ReasonCode#UNSPECIFIED_ERROR} and keep their value in {@link #returnCode()}.
   *
   * @param returnCode 0 (accepted) to 255
   * @param sessionPresent the session-present flag; only with return code 0 [MQTT-3.2.2-4]
   * @throws IllegalArgumentException when the return code is outside 0..255, or a refusal has
   *     session present
   */
  public static Connack ofMqtt3(int returnCode, boolean sessionPresent) {
    if (returnCode < 0 || returnCode > 255) {
      throw new IllegalArgumentException("returnCode must be 0..255, was " + returnCode);
    }
    if (returnCode == 0) {
      return accepted(sessionPresent);
    }
    if (sessionPresent) {
      throw new IllegalArgumentException(
          "sessionPresent must be false with return code "
              + returnCode
              + ", was true [MQTT-3.2.2-4]");
    }
    return new Connack(
        returnCode,
        ReasonCode.ofConnack(returnCode, 4).orElse(ReasonCode.UNSPECIFIED_ERROR),
        false);
  }

  /**
   * The code as the broker sent it: with MQTT 3.1/3.1.1 the CONNACK return code (0 accepted, 1 to 5
   * refusals), with MQTT 5 the reason code's value. 0 means accepted.
   */
  public int returnCode() {
    return returnCode;
  }

  /** What the code means, the same for every protocol level, e.g. {@link ReasonCode#SUCCESS}. */
  public ReasonCode reasonCode() {
    return reasonCode;
  }

  /** Whether the broker resumed a session it kept for this client id; false in a refusal. */
  public boolean sessionPresent() {
    return sessionPresent;
  }

  /** Whether the broker accepted the connection: return code 0. */
  public boolean isAccepted() {
    return returnCode == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Connack c
        && returnCode == c.returnCode
        && reasonCode == c.reasonCode
        && sessionPresent == c.sessionPresent;
  }

  @Override
  public int hashCode() {
    return Objects.hash(returnCode, reasonCode, sessionPresent);
  }

  /** E.g. {@code Connack[returnCode=5, reasonCode=NOT_AUTHORIZED, sessionPresent=false]}. */
  @Override
  public String toString() {
    return "Connack[returnCode="
        + returnCode
        + ", reasonCode="
        + reasonCode
        + ", sessionPresent="
        + sessionPresent
        + "]";
  }
}
