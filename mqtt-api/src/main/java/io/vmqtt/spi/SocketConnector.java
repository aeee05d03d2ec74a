package io.vmqtt.spi;

import io.vmqtt.internal.api.Services;
import java.io.IOException;

/**
 * How the engine opens the connection under a transport, offered to transports of other modules
 * (the WebSocket transport of {@code io.vmqtt:mqtt-websocket}) so that they connect exactly as
 * {@code mqtt://} and {@code mqtts://} do: the TCP connection to the broker, directly or through
 * the proxy the connection's options or the configuration name ({@code ProxyOptions}); and TLS over
 * it with the connection's {@code TlsOptions} (certificates through JSSE or BouncyCastle's BCJSSE,
 * SNI, host name verification, versions, cipher suites, ALPN, the handshake bounded by {@code
 * tls_handshake_timeout}), failing with the same messages. The engine ({@code
 * io.vmqtt:mqtt-vthreads}) provides it; {@link #find()} finds it with {@link
 * java.util.ServiceLoader} (once).
 *
 * <pre>{@code
 * ConnectedSocket s = SocketConnector.find().tls(target);   // or tcp(target)
 * ... speak the transport's protocol over s.socket() ...
 * }</pre>
 *
 * <p>Implementations are stateless and thread-safe; both methods run in the calling thread and are
 * bounded by {@link TransportTarget#connectTimeout()}.
 */
public interface SocketConnector {
  /**
   * A TCP connection to the target's host and port, directly or through the proxy, with {@code
   * TCP_NODELAY} and no read timeout.
   *
   * @param target where to connect; {@code connectTimeout} bounds connecting and any proxy
   *     handshake
   * @throws IOException when it cannot connect; the message names the target or the proxy and says
   *     why
   */
  ConnectedSocket tcp(TransportTarget target) throws IOException;

  /**
   * A TLS connection over {@link #tcp}, its handshake completed, with the connection's TLS options
   * ({@code ConnectOptions.tls()}, else the configuration's). Certificate-based TLS only: options
   * for TLS-PSK are refused.
   *
   * @param target where to connect; {@code connectTimeout} bounds the TCP connection and, with
   *     {@code tls_handshake_timeout}, the handshake
   * @throws IOException when the connection or handshake fails (an {@code SSLHandshakeException}
   *     whose message says what to fix), or the options ask for TLS-PSK
   */
  ConnectedSocket tls(TransportTarget target) throws IOException;

  /**
   * The engine's connector: the first on the class or module path.
   *
   * @throws IllegalStateException when no engine is there
   */
  static SocketConnector find() {
    return Services.first(SocketConnector.class)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no vmqtt engine found to open connections with: add io.vmqtt:mqtt-vthreads to"
                        + " the class path or module path"));
  }
}
