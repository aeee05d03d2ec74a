package io.vmqtt;

import java.util.Objects;
import java.util.Optional;

/**
 * Connecting failed: the broker refused the connection ({@link #connack()} holds its CONNACK,
 * {@link #reasonCode()} and {@link #returnCode()} its code), or the network connection or handshake
 * failed or timed out (the cause says which, {@link #returnCode()} is {@link #NO_RETURN_CODE}).
 *
 * <pre>{@code
 * } catch (ConnectException e) {
 *   if (e.reasonCode().filter(ReasonCode::isError).isPresent()) { ... } // refused by the broker
 * }
 * }</pre>
 */
public class ConnectException extends MqttException {
  private static final long serialVersionUID = 2L;

  /** The value of {@link #returnCode()} when the broker sent no refusal. */
  public static final int NO_RETURN_CODE = -1;

  private final int returnCode;

  /** Null for a failure before any CONNACK. */
  private final ReasonCode reasonCode;

  /** The refusing CONNACK; null for a failure before any CONNACK, and after deserialization. */
  private final transient Connack refusal;

  /**
   * A refusal by the broker.
   *
   * @param refusal the CONNACK that refused the connection
   * @throws IllegalArgumentException when {@code refusal} accepted the connection
   * @throws NullPointerException when {@code refusal} is null
   */
  public ConnectException(String message, Connack refusal) {
    super(message);
    Objects.requireNonNull(refusal, "refusal");
    if (refusal.isAccepted()) {
      throw new IllegalArgumentException("refusal must not be an accepted CONNACK, was " + refusal);
    }
    this.refusal = refusal;
    this.returnCode = refusal.returnCode();
    this.reasonCode = refusal.reasonCode();
  }

  /** A failure before any CONNACK. */
  public ConnectException(String message, Throwable cause) {
    super(message, cause);
    this.refusal = null;
    this.returnCode = NO_RETURN_CODE;
    this.reasonCode = null;
  }

  /**
   * The broker's code as on the wire (with MQTT 3.1.1 the CONNACK return code, 1 to 5), or {@link
   * #NO_RETURN_CODE} when none was received.
   */
  public int returnCode() {
    return returnCode;
  }

  /**
   * What the broker's code means (e.g. {@link ReasonCode#NOT_AUTHORIZED}), or empty when none was
   * received.
   */
  public Optional<ReasonCode> reasonCode() {
    return Optional.ofNullable(reasonCode);
  }

  /**
   * The CONNACK that refused the connection, or empty when none was received (or this exception was
   * deserialized: the CONNACK is not serialized, its codes are).
   */
  public Optional<Connack> connack() {
    return Optional.ofNullable(refusal);
  }

  /** Whether the broker refused the connection (as opposed to a network failure). */
  public boolean isRefusal() {
    return returnCode != NO_RETURN_CODE;
  }
}
