package io.vmqtt;

import java.util.Optional;

/**
 * What the broker (or the client) says about the outcome of an operation: every reason code of MQTT
 * 5.0 (section 2.4), onto which the return codes of MQTT 3.1 and 3.1.1 map.
 *
 * <p>Codes below {@code 0x80} are successes, codes from {@code 0x80} up are errors ({@link
 * #isError()}). Where MQTT 5 gives one value different meanings in different packets, each meaning
 * is its own constant: {@code 0x00} is {@link #SUCCESS}, {@link #NORMAL_DISCONNECTION} (in
 * DISCONNECT) or {@link #GRANTED_QOS_0} (in SUBACK). So a value alone does not name a reason code;
 * the lookups take the packet it came in, e.g. {@link #ofSuback(int, int)}.
 *
 * <p>MQTT 3.1.1 (and 3.1) map as follows:
 *
 * <table>
 *   <caption>MQTT 3.1.1 return codes as reason codes</caption>
 *   <tr><th>packet</th><th>3.1.1 code</th><th>reason code</th></tr>
 *   <tr><td>CONNACK</td><td>0 accepted</td><td>{@link #SUCCESS} (0x00)</td></tr>
 *   <tr><td>CONNACK</td><td>1 unacceptable protocol version</td>
 *       <td>{@link #UNSUPPORTED_PROTOCOL_VERSION} (0x84)</td></tr>
 *   <tr><td>CONNACK</td><td>2 identifier rejected</td>
 *       <td>{@link #CLIENT_IDENTIFIER_NOT_VALID} (0x85)</td></tr>
 *   <tr><td>CONNACK</td><td>3 server unavailable</td><td>{@link #SERVER_UNAVAILABLE} (0x88)</td></tr>
 *   <tr><td>CONNACK</td><td>4 bad user name or password</td>
 *       <td>{@link #BAD_USER_NAME_OR_PASSWORD} (0x86)</td></tr>
 *   <tr><td>CONNACK</td><td>5 not authorized</td><td>{@link #NOT_AUTHORIZED} (0x87)</td></tr>
 *   <tr><td>SUBACK</td><td>0, 1, 2 granted QoS</td>
 *       <td>{@link #GRANTED_QOS_0}, {@link #GRANTED_QOS_1}, {@link #GRANTED_QOS_2}</td></tr>
 *   <tr><td>SUBACK</td><td>0x80 failure</td><td>{@link #UNSPECIFIED_ERROR} (0x80)</td></tr>
 * </table>
 *
 * <pre>{@code
 * try {
 *   client.connect(uri);
 * } catch (ConnectException e) {
 *   e.reasonCode().ifPresent(code -> log.error("refused: {}", code.description()));
 * }
 * }</pre>
 */
public enum ReasonCode {
  /** 0x00: success (CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK, AUTH). */
  SUCCESS(
      0x00,
      "success",
      In.CONNACK,
      In.PUBACK,
      In.PUBREC,
      In.PUBREL,
      In.PUBCOMP,
      In.UNSUBACK,
      In.AUTH),
  /** 0x00: normal disconnection; the will is not published (DISCONNECT). */
  NORMAL_DISCONNECTION(0x00, "normal disconnection", In.DISCONNECT),
  /** 0x00: the subscription was granted with maximum QoS 0 (SUBACK). */
  GRANTED_QOS_0(0x00, "granted QoS 0", In.SUBACK),
  /** 0x01: the subscription was granted with maximum QoS 1 (SUBACK). */
  GRANTED_QOS_1(0x01, "granted QoS 1", In.SUBACK),
  /** 0x02: the subscription was granted with maximum QoS 2 (SUBACK). */
  GRANTED_QOS_2(0x02, "granted QoS 2", In.SUBACK),
  /** 0x04: the client disconnects and wants its will published (DISCONNECT). */
  DISCONNECT_WITH_WILL_MESSAGE(0x04, "disconnect with will message", In.DISCONNECT),
  /** 0x10: the message was accepted, but nobody subscribes to it (PUBACK, PUBREC). */
  NO_MATCHING_SUBSCRIBERS(0x10, "no matching subscribers", In.PUBACK, In.PUBREC),
  /** 0x11: there was no such subscription to remove (UNSUBACK). */
  NO_SUBSCRIPTION_EXISTED(0x11, "no subscription existed", In.UNSUBACK),
  /** 0x18: continue the authentication with another step (AUTH). */
  CONTINUE_AUTHENTICATION(0x18, "continue authentication", In.AUTH),
  /** 0x19: start a re-authentication (AUTH). */
  RE_AUTHENTICATE(0x19, "re-authenticate", In.AUTH),
  /**
   * 0x80: an error the sender does not detail (CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK,
   * DISCONNECT); MQTT 3.1.1's SUBACK failure code 0x80.
   */
  UNSPECIFIED_ERROR(
      0x80,
      "unspecified error",
      In.CONNACK,
      In.PUBACK,
      In.PUBREC,
      In.SUBACK,
      In.UNSUBACK,
      In.DISCONNECT),
  /** 0x81: the received packet does not conform to the specification (CONNACK, DISCONNECT). */
  MALFORMED_PACKET(0x81, "malformed packet", In.CONNACK, In.DISCONNECT),
  /** 0x82: an unexpected or out-of-order packet was received (CONNACK, DISCONNECT). */
  PROTOCOL_ERROR(0x82, "protocol error", In.CONNACK, In.DISCONNECT),
  /**
   * 0x83: valid, but not accepted by this implementation (CONNACK, PUBACK, PUBREC, SUBACK,
   * UNSUBACK, DISCONNECT).
   */
  IMPLEMENTATION_SPECIFIC_ERROR(
      0x83,
      "implementation specific error",
      In.CONNACK,
      In.PUBACK,
      In.PUBREC,
      In.SUBACK,
      In.UNSUBACK,
      In.DISCONNECT),
  /**
   * 0x84: the broker does not support the requested protocol version (CONNACK); MQTT 3.1.1's
   * CONNACK code 1.
   */
  UNSUPPORTED_PROTOCOL_VERSION(0x84, "unsupported protocol version", In.CONNACK),
  /** 0x85: the client identifier is not allowed (CONNACK); MQTT 3.1.1's CONNACK code 2. */
  CLIENT_IDENTIFIER_NOT_VALID(0x85, "client identifier not valid", In.CONNACK),
  /** 0x86: the user name or password is not accepted (CONNACK); MQTT 3.1.1's CONNACK code 4. */
  BAD_USER_NAME_OR_PASSWORD(0x86, "bad user name or password", In.CONNACK),
  /**
   * 0x87: the client is not authorized to do this (CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK,
   * DISCONNECT); MQTT 3.1.1's CONNACK code 5.
   */
  NOT_AUTHORIZED(
      0x87,
      "not authorized",
      In.CONNACK,
      In.PUBACK,
      In.PUBREC,
      In.SUBACK,
      In.UNSUBACK,
      In.DISCONNECT),
  /** 0x88: the MQTT service is not available (CONNACK); MQTT 3.1.1's CONNACK code 3. */
  SERVER_UNAVAILABLE(0x88, "server unavailable", In.CONNACK),
  /** 0x89: the broker is busy; try again later (CONNACK, DISCONNECT). */
  SERVER_BUSY(0x89, "server busy", In.CONNACK, In.DISCONNECT),
  /** 0x8A: this client has been banned by administrative action (CONNACK). */
  BANNED(0x8A, "banned", In.CONNACK),
  /** 0x8B: the broker is shutting down (DISCONNECT). */
  SERVER_SHUTTING_DOWN(0x8B, "server shutting down", In.DISCONNECT),
  /** 0x8C: the authentication method is not supported or does not match (CONNACK, DISCONNECT). */
  BAD_AUTHENTICATION_METHOD(0x8C, "bad authentication method", In.CONNACK, In.DISCONNECT),
  /** 0x8D: nothing was received for 1.5 times the keep-alive (DISCONNECT). */
  KEEP_ALIVE_TIMEOUT(0x8D, "keep alive timeout", In.DISCONNECT),
  /** 0x8E: another connection with the same client identifier took over (DISCONNECT). */
  SESSION_TAKEN_OVER(0x8E, "session taken over", In.DISCONNECT),
  /** 0x8F: the topic filter is well-formed but not accepted (SUBACK, UNSUBACK, DISCONNECT). */
  TOPIC_FILTER_INVALID(0x8F, "topic filter invalid", In.SUBACK, In.UNSUBACK, In.DISCONNECT),
  /** 0x90: the topic name is well-formed but not accepted (CONNACK, PUBACK, PUBREC, DISCONNECT). */
  TOPIC_NAME_INVALID(0x90, "topic name invalid", In.CONNACK, In.PUBACK, In.PUBREC, In.DISCONNECT),
  /** 0x91: the packet identifier is already in use (PUBACK, PUBREC, SUBACK, UNSUBACK). */
  PACKET_IDENTIFIER_IN_USE(
      0x91, "packet identifier in use", In.PUBACK, In.PUBREC, In.SUBACK, In.UNSUBACK),
  /** 0x92: the packet identifier is not known (PUBREL, PUBCOMP). */
  PACKET_IDENTIFIER_NOT_FOUND(0x92, "packet identifier not found", In.PUBREL, In.PUBCOMP),
  /** 0x93: more QoS 1/2 publishes in flight than the receive maximum allows (DISCONNECT). */
  RECEIVE_MAXIMUM_EXCEEDED(0x93, "receive maximum exceeded", In.DISCONNECT),
  /** 0x94: a topic alias that is out of range or not known (DISCONNECT). */
  TOPIC_ALIAS_INVALID(0x94, "topic alias invalid", In.DISCONNECT),
  /** 0x95: the packet exceeds the maximum packet size (CONNACK, DISCONNECT). */
  PACKET_TOO_LARGE(0x95, "packet too large", In.CONNACK, In.DISCONNECT),
  /** 0x96: the received data rate is too high (DISCONNECT). */
  MESSAGE_RATE_TOO_HIGH(0x96, "message rate too high", In.DISCONNECT),
  /**
   * 0x97: an implementation or administrative quota has been exceeded (CONNACK, PUBACK, PUBREC,
   * SUBACK, DISCONNECT).
   */
  QUOTA_EXCEEDED(
      0x97, "quota exceeded", In.CONNACK, In.PUBACK, In.PUBREC, In.SUBACK, In.DISCONNECT),
  /** 0x98: the connection is closed by administrative action (DISCONNECT). */
  ADMINISTRATIVE_ACTION(0x98, "administrative action", In.DISCONNECT),
  /**
   * 0x99: the payload does not match the payload format indicator (CONNACK, PUBACK, PUBREC,
   * DISCONNECT).
   */
  PAYLOAD_FORMAT_INVALID(
      0x99, "payload format invalid", In.CONNACK, In.PUBACK, In.PUBREC, In.DISCONNECT),
  /** 0x9A: the broker does not support retained messages (CONNACK, DISCONNECT). */
  RETAIN_NOT_SUPPORTED(0x9A, "retain not supported", In.CONNACK, In.DISCONNECT),
  /** 0x9B: the broker does not support the QoS asked for (CONNACK, DISCONNECT). */
  QOS_NOT_SUPPORTED(0x9B, "QoS not supported", In.CONNACK, In.DISCONNECT),
  /** 0x9C: the client should use another server, temporarily (CONNACK, DISCONNECT). */
  USE_ANOTHER_SERVER(0x9C, "use another server", In.CONNACK, In.DISCONNECT),
  /** 0x9D: the client should use another server, permanently (CONNACK, DISCONNECT). */
  SERVER_MOVED(0x9D, "server moved", In.CONNACK, In.DISCONNECT),
  /** 0x9E: the broker does not support shared subscriptions (SUBACK, DISCONNECT). */
  SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(
      0x9E, "shared subscriptions not supported", In.SUBACK, In.DISCONNECT),
  /** 0x9F: the connection rate limit has been exceeded (CONNACK, DISCONNECT). */
  CONNECTION_RATE_EXCEEDED(0x9F, "connection rate exceeded", In.CONNACK, In.DISCONNECT),
  /** 0xA0: the maximum connection time authorized has been exceeded (DISCONNECT). */
  MAXIMUM_CONNECT_TIME(0xA0, "maximum connect time", In.DISCONNECT),
  /** 0xA1: the broker does not support subscription identifiers (SUBACK, DISCONNECT). */
  SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED(
      0xA1, "subscription identifiers not supported", In.SUBACK, In.DISCONNECT),
  /** 0xA2: the broker does not support wildcard subscriptions (SUBACK, DISCONNECT). */
  WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED(
      0xA2, "wildcard subscriptions not supported", In.SUBACK, In.DISCONNECT);

  /** The packets that carry reason codes in MQTT 5.0, and where each code may appear. */
  private enum In {
    CONNACK,
    PUBACK,
    PUBREC,
    PUBREL,
    PUBCOMP,
    SUBACK,
    UNSUBACK,
    DISCONNECT,
    AUTH;

    /** The MQTT 5.0 code for each byte value in this packet, or null when it has none. */
    private final ReasonCode[] byValue = new ReasonCode[256];
  }

  static {
    for (ReasonCode code : values()) {
      for (In packet : code.packets) {
        packet.byValue[code.value] = code;
      }
    }
  }

  private final int value;
  private final String description;
  private final In[] packets;

  ReasonCode(int value, String description, In... packets) {
    this.value = value;
    this.description = description;
    this.packets = packets;
  }

  /** The code as MQTT 5.0 puts it on the wire, 0x00..0xA2. */
  public int value() {
    return value;
  }

  /** Whether this code reports a failure: its value is 0x80 or more. */
  public boolean isError() {
    return value >= 0x80;
  }

  /** A short lower-case description, e.g. {@code "not authorized"}. */
  public String description() {
    return description;
  }

  /**
   * The reason code of a CONNACK as the broker sent it.
   *
   * @param code the byte on the wire: for MQTT 3.1/3.1.1 the return code (0..5 defined, 6..255
   *     reserved), for MQTT 5.0 the reason code
   * @param protocolLevel 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0)
   * @return the reason code, or empty when the code is not defined for CONNACK at that level
   * @throws IllegalArgumentException when the protocol level is not 3, 4 or 5
   */
  public static Optional<ReasonCode> ofConnack(int code, int protocolLevel) {
    if (isMqtt3(protocolLevel)) {
      return Optional.ofNullable(
          switch (code) {
            case 0 -> SUCCESS;
            case 1 -> UNSUPPORTED_PROTOCOL_VERSION;
            case 2 -> CLIENT_IDENTIFIER_NOT_VALID;
            case 3 -> SERVER_UNAVAILABLE;
            case 4 -> BAD_USER_NAME_OR_PASSWORD;
            case 5 -> NOT_AUTHORIZED;
            default -> null;
          });
    }
    return lookup(In.CONNACK, code);
  }

  /**
   * The reason code of one topic filter in a SUBACK.
   *
   * @param code the byte on the wire: for MQTT 3.1/3.1.1 the return code (0, 1, 2 or 0x80), for
   *     MQTT 5.0 the reason code
   * @param protocolLevel 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0)
   * @return the reason code, or empty when the code is not defined for SUBACK at that level
   * @throws IllegalArgumentException when the protocol level is not 3, 4 or 5
   */
  public static Optional<ReasonCode> ofSuback(int code, int protocolLevel) {
    if (isMqtt3(protocolLevel)) {
      return Optional.ofNullable(
          switch (code) {
            case 0 -> GRANTED_QOS_0;
            case 1 -> GRANTED_QOS_1;
            case 2 -> GRANTED_QOS_2;
            case 0x80 -> UNSPECIFIED_ERROR;
            default -> null;
          });
    }
    return lookup(In.SUBACK, code);
  }

  /** The reason code of an MQTT 5.0 PUBACK, or empty when {@code code} is not one. */
  public static Optional<ReasonCode> ofPuback(int code) {
    return lookup(In.PUBACK, code);
  }

  /** The reason code of an MQTT 5.0 PUBREC, or empty when {@code code} is not one. */
  public static Optional<ReasonCode> ofPubrec(int code) {
    return lookup(In.PUBREC, code);
  }

  /** The reason code of an MQTT 5.0 PUBREL, or empty when {@code code} is not one. */
  public static Optional<ReasonCode> ofPubrel(int code) {
    return lookup(In.PUBREL, code);
  }

  /** The reason code of an MQTT 5.0 PUBCOMP, or empty when {@code code} is not one. */
  public static Optional<ReasonCode> ofPubcomp(int code) {
    return lookup(In.PUBCOMP, code);
  }

  /** The reason code of one topic filter in an MQTT 5.0 UNSUBACK, or empty when not one. */
  public static Optional<ReasonCode> ofUnsuback(int code) {
    return lookup(In.UNSUBACK, code);
  }

  /** The reason code of an MQTT 5.0 DISCONNECT, or empty when {@code code} is not one. */
  public static Optional<ReasonCode> ofDisconnect(int code) {
    return lookup(In.DISCONNECT, code);
  }

  /** The reason code of an MQTT 5.0 AUTH, or empty when {@code code} is not one. */
  public static Optional<ReasonCode> ofAuth(int code) {
    return lookup(In.AUTH, code);
  }

  private static Optional<ReasonCode> lookup(In packet, int code) {
    return code < 0 || code > 255 ? Optional.empty() : Optional.ofNullable(packet.byValue[code]);
  }

  private static boolean isMqtt3(int protocolLevel) {
    return switch (protocolLevel) {
      case 3, 4 -> true;
      case 5 -> false;
      default ->
          throw new IllegalArgumentException(
              "protocolLevel must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0), was "
                  + protocolLevel);
    };
  }
}
