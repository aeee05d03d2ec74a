/**
 * MQTT over WebSocket for vmqtt: the {@code ws} and {@code wss} transports, found through {@link
 * java.util.ServiceLoader}. Depending on {@code io.vmqtt:mqtt-websocket} is all it takes; the
 * client is used as ever, with a {@code ws://} or {@code wss://} URI. Nothing here is public API.
 *
 * <h2>The connection</h2>
 *
 * An HTTP/1.1 upgrade (RFC 6455) to the URI's path and query ({@code /} when it has none), offering
 * the subprotocol {@code mqtt} ({@code mqttv3.1} with {@code protocol_version} 3) and refusing an
 * answer that does not choose it [MQTT-6.0.0-3, 6.0.0-4], with the headers of {@code extra_headers}
 * or {@code ConnectOptions.extraHeaders}; then MQTT as a byte stream in binary frames. A received
 * frame may hold several packets or part of one [MQTT-6.0.0-2]; each flush of the client's writer
 * is one frame of at most 64 KiB, holding every packet of that batch, and a larger packet spans
 * several frames. A text frame from the server is a protocol violation [MQTT-6.0.0-1]. Opening, TLS
 * included, is bounded by {@code connect_timeout}. The TCP connection is the engine's (through
 * {@code io.vmqtt.spi.SocketConnector}): directly or through the configured HTTP or SOCKS5 proxy,
 * with TLS and the upgrade running end to end through the tunnel.
 *
 * <p>For {@code wss} the engine's TLS code opens the TLS connection, through the supported seam
 * {@code io.vmqtt.spi.SocketConnector} (as it opens every TCP connection, directly or through a
 * proxy), so {@code wss} takes the same {@code TlsOptions} as {@code mqtts}, verifies the host name
 * the same way and fails with the same messages; TLS-PSK is for {@code mqtts} only.
 *
 * <h2>Threads per connection</h2>
 *
 * Besides the client's own (reader and writer; keep-alive runs on the JVM-wide ticker):
 *
 * <ul>
 *   <li>one virtual thread, {@code vmqtt-ws-<host>:<port>} ({@code vmqtt-wss-...}), reads the
 *       socket and hands the payload of each binary message to the client's reader through a
 *       bounded buffer (128 KiB): when it is full, this thread waits and TCP holds the broker back;
 *   <li>while the transport closes, a virtual thread {@code vmqtt-ws-<host>:<port>-close} writes
 *       the WebSocket Close frame, for at most one second.
 * </ul>
 *
 * Frames are written to the socket by the client's writer thread itself. No platform thread is
 * started: Java-WebSocket's protocol engine is driven directly, not through its {@code
 * WebSocketClient}, whose read thread, write thread and connection-lost timer therefore never run.
 * After {@code close()} no thread of the connection is left.
 */
module io.vmqtt.websocket {
  requires io.vmqtt;
  requires org.java_websocket;

  // TCP (directly or through a proxy) and TLS for wss come from the engine (io.vmqtt.vthreads)
  // through io.vmqtt.spi.SocketConnector, which io.vmqtt finds with ServiceLoader.

  provides io.vmqtt.spi.TransportProvider with
      io.vmqtt.websocket.WebSocketTransportProvider;
}
