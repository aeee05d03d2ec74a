package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.ProtocolException;

/**
 * Bytes from the peer that break the specification, with the MQTT 5 reason code that names the kind
 * of violation: {@link #MALFORMED_PACKET} when the bytes cannot be parsed as the specification lays
 * them out, {@link #PROTOCOL_ERROR} when they parse but break a rule ("It is a Protocol Error to
 * ..."), {@link #PACKET_TOO_LARGE} when the packet exceeds the maximum packet size, {@link
 * #TOPIC_ALIAS_INVALID} for a Topic Alias of 0. MQTT 5 sends that code in DISCONNECT (section
 * 4.13); MQTT 3.1.1 just closes the connection. The message names the packet, the values and the
 * statement, as every {@link ProtocolException} of the codec does.
 */
public final class ProtocolViolationException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Reason code 0x81, Malformed Packet (MQTT 5.0 Table 2-6). */
  public static final int MALFORMED_PACKET = 0x81;

  /** Reason code 0x82, Protocol Error (MQTT 5.0 Table 2-6). */
  public static final int PROTOCOL_ERROR = 0x82;

  /** Reason code 0x93, Receive Maximum exceeded (MQTT 5.0 Table 2-6). */
  public static final int RECEIVE_MAXIMUM_EXCEEDED = 0x93;

  /** Reason code 0x94, Topic Alias invalid (MQTT 5.0 Table 2-6). */
  public static final int TOPIC_ALIAS_INVALID = 0x94;

  /** Reason code 0x95, Packet too large (MQTT 5.0 Table 2-6). */
  public static final int PACKET_TOO_LARGE = 0x95;

  private final int reasonCode;

  public ProtocolViolationException(int reasonCode, String message) {
    super(message);
    this.reasonCode = reasonCode;
  }

  public ProtocolViolationException(int reasonCode, String message, Throwable cause) {
    super(message, cause);
    this.reasonCode = reasonCode;
  }

  /** A Malformed Packet (0x81). */
  static ProtocolViolationException malformed(String message) {
    return new ProtocolViolationException(MALFORMED_PACKET, message);
  }

  /** The reason code an MQTT 5 DISCONNECT sent for this violation carries. */
  public int reasonCode() {
    return reasonCode;
  }
}
