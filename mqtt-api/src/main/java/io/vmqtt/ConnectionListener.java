package io.vmqtt;

/**
 * Hears about a client's connection: every accepted connection, every loss, every automatic
 * reconnection and every failed attempt. The DL-7450 {@code on_connect(rc)} model: called again on
 * every loss and every reconnect.
 *
 * <p>Listeners run one at a time, in the order of the events, on a virtual thread of the client
 * made for them: never on its reader or writer thread and never under one of its locks, so a
 * listener may call the client (publish, subscribe...). A listener that throws is logged and the
 * others still run.
 *
 * <pre>{@code
 * client.addConnectionListener(new ConnectionListener() {
 *   public void connectionLost(Throwable cause) { log.warn("lost: {}", cause.toString()); }
 *   public void reconnected(Connack connack) { log.info("back, session present: {}",
 *       connack.sessionPresent()); }
 * });
 * }</pre>
 */
public interface ConnectionListener {
  /** {@code connect} or {@code reconnect} by hand was accepted. */
  default void connected(Connack connack) {}

  /**
   * The connection was lost; not called for {@code disconnect()} or {@code close()}. With MQTT 5,
   * when the broker ended it with DISCONNECT, {@code cause} is a {@link
   * DisconnectedByBrokerException} with its reason code, reason string and server reference; when
   * its reason {@linkplain DisconnectedByBrokerException#isPermanent() is permanent} no automatic
   * reconnection follows.
   */
  default void connectionLost(Throwable cause) {}

  /** Automatic reconnection was accepted; in-flight messages are being resent. */
  default void reconnected(Connack connack) {}

  /**
   * An automatic reconnection attempt failed.
   *
   * @param cause the failure; {@link ConnectException#reasonCode()} holds a broker's refusal
   * @param givingUp true when no further attempt follows: the retries are used up, or the broker
   *     refused in a way retrying cannot fix ({@link ReasonCode#UNSUPPORTED_PROTOCOL_VERSION},
   *     {@link ReasonCode#CLIENT_IDENTIFIER_NOT_VALID}, {@link
   *     ReasonCode#BAD_USER_NAME_OR_PASSWORD}, {@link ReasonCode#NOT_AUTHORIZED}: MQTT 3.1.1's
   *     codes 1, 2, 4, 5; with MQTT 5 also 0x81 Malformed Packet, 0x82 Protocol Error, 0x8A Banned,
   *     0x8C Bad authentication method, 0x90, 0x95, 0x99, 0x9A, 0x9B for a CONNECT or will the
   *     broker cannot take, 0x9C Use another server, 0x9D Server moved). Waiting calls then fail.
   */
  default void reconnectFailed(ConnectException cause, boolean givingUp) {}
}
