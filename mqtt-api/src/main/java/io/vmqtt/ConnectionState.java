package io.vmqtt;

/** Where a client's connection stands, as {@link MqttClient#state()} reports it. */
public enum ConnectionState {
  /** A connection is open and accepted by the broker. */
  CONNECTED,
  /** Connecting: during {@code connect}, or reconnecting by itself after a lost connection. */
  CONNECTING,
  /** Not connected, and not trying: never connected, disconnected, or reconnection gave up. */
  DISCONNECTED,
  /** Closed for good by {@link MqttClient#close()}. */
  CLOSED
}
