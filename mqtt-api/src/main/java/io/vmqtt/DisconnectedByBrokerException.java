package io.vmqtt;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * MQTT 5: the broker ended the connection with DISCONNECT, saying why (section 3.14): e.g. 0x8B
 * Server shutting down, 0x8E Session taken over, 0x9C Use another server. It is the cause that
 * {@link ConnectionListener#connectionLost(Throwable)} hears and that the calls waiting on the
 * connection carry in their {@link ConnectionLostException}'s cause chain.
 *
 * <p><b>Permanent reasons stop automatic reconnection</b> ({@link #isPermanent()}): where the same
 * connection with the same session would only be refused or cut again, or the broker sends the
 * client elsewhere, the client does not reconnect by itself (as after a loss with {@code
 * auto_reconnect} false: waiting calls fail with this cause); the application decides, e.g. by
 * connecting to the {@link #serverReference()}. Permanent:
 *
 * <ul>
 *   <li>the broker found this client breaking the protocol, which a reconnection would repeat
 *       (resending the same flows): 0x81 Malformed Packet, 0x82 Protocol Error, 0x93 Receive
 *       Maximum exceeded, 0x94 Topic Alias invalid, 0x95 Packet too large, 0x9A Retain not
 *       supported, 0x9B QoS not supported, 0x9E Shared Subscriptions not supported, 0xA1
 *       Subscription Identifiers not supported, 0xA2 Wildcard Subscriptions not supported;
 *   <li>a message the broker will not take, which the session would resend: 0x90 Topic Name
 *       invalid, 0x99 Payload format invalid;
 *   <li>authorisation and administration: 0x87 Not authorized, 0x8C Bad authentication method, 0x98
 *       Administrative action;
 *   <li>0x8E Session taken over: another connection uses this client identifier, and reconnecting
 *       would take the session back and forth;
 *   <li>0x9C Use another server, 0x9D Server moved (see {@link #serverReference()}).
 * </ul>
 *
 * <p>Every other reason is transient and automatic reconnection follows as after any loss: 0x00
 * Normal disconnection, 0x80 Unspecified error, 0x83 Implementation specific error, 0x89 Server
 * busy, 0x8B Server shutting down, 0x8D Keep alive timeout, 0x8F Topic Filter invalid (a refused
 * subscription is not restored), 0x96 Message rate too high, 0x97 Quota exceeded, 0x9F Connection
 * rate exceeded, 0xA0 Maximum connect time.
 *
 * <pre>{@code
 * public void connectionLost(Throwable cause) {
 *   if (cause instanceof DisconnectedByBrokerException d) {
 *     log.warn("broker said 0x{}: {}", Integer.toHexString(d.reasonCode()), d.reasonString());
 *     if (d.isPermanent()) {
 *       d.serverReference().ifPresent(this::moveTo);   // no automatic reconnection follows
 *     }
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

  /**
   * Whether the reason is permanent, so that the client does not reconnect by itself (see the class
   * comment for the list).
   */
  public boolean isPermanent() {
    return isPermanent(reasonCode);
  }

  /** Whether a Disconnect Reason Code from the broker is permanent (see the class comment). */
  public static boolean isPermanent(int reasonCode) {
    return switch (reasonCode) {
      case 0x81,
          0x82,
          0x87,
          0x8C,
          0x8E,
          0x90,
          0x93,
          0x94,
          0x95,
          0x98,
          0x99,
          0x9A,
          0x9B,
          0x9C,
          0x9D,
          0x9E,
          0xA1,
          0xA2 ->
          true;
      default -> false;
    };
  }
}
