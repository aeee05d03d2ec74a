package io.vmqtt;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * MQTT 5: the broker ended the connection with DISCONNECT, saying why (section 3.14): e.g. 0x8B
 * Server shutting down, 0x8E Session taken over, 0x9C Use another server. It is the cause that
 * {@link ConnectionListener#connectionLost(Throwable)} hears and that the calls waiting on the
 * connection carry in their {@link ConnectionLostException}'s cause chain; automatic reconnection
 * follows as after any loss.
 *
 * <pre>{@code
 * public void connectionLost(Throwable cause) {
 *   if (cause instanceof DisconnectedByBrokerException d) {
 *     log.warn("broker said 0x{}: {}", Integer.toHexString(d.reasonCode()), d.reasonString());
 *   }
 * }
 * }</pre>
 */
public class DisconnectedByBrokerException extends ConnectionLostException {
  private static final long serialVersionUID = 1L;

  private final int reasonCode;
  private final String reasonString;
  private final String serverReference;
  private final List<UserProperty> userProperties;

  /**
   * @param reasonCode the Disconnect Reason Code, 0x00..0xFF
   * @param reasonString the Reason String, or null when the broker sent none
   * @param serverReference the Server Reference, or null when the broker sent none
   * @param userProperties the User Properties of the DISCONNECT, in order
   */
  public DisconnectedByBrokerException(
      String message,
      int reasonCode,
      String reasonString,
      String serverReference,
      List<UserProperty> userProperties) {
    super(message, null);
    if (reasonCode < 0 || reasonCode > 0xFF) {
      throw new IllegalArgumentException("reasonCode must be 0x00..0xFF, was " + reasonCode);
    }
    this.reasonCode = reasonCode;
    this.reasonString = reasonString;
    this.serverReference = serverReference;
    this.userProperties = List.copyOf(Objects.requireNonNull(userProperties, "userProperties"));
  }

  /** The Disconnect Reason Code, e.g. 0x8B (Server shutting down). */
  public int reasonCode() {
    return reasonCode;
  }

  /** The broker's Reason String, when it sent one. */
  public Optional<String> reasonString() {
    return Optional.ofNullable(reasonString);
  }

  /** The Server Reference (another server to use), when the broker sent one. */
  public Optional<String> serverReference() {
    return Optional.ofNullable(serverReference);
  }

  /** The User Properties of the DISCONNECT, in the order they came; possibly empty. */
  public List<UserProperty> userProperties() {
    return userProperties;
  }
}
