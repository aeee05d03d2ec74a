package io.vmqtt.websocket;

import io.vmqtt.TlsOptions;
import io.vmqtt.spi.Transport;
import io.vmqtt.spi.TransportProvider;
import io.vmqtt.spi.TransportTarget;
import io.vmqtt.websocket.internal.Connector;
import io.vmqtt.websocket.internal.WebSocketTransport;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * MQTT over WebSocket for {@code ws://} (default port 80) and {@code wss://} (443), found by {@link
 * java.util.ServiceLoader}: having {@code io.vmqtt:mqtt-websocket} on the class or module path is
 * all it takes. Not API: public only so that {@code ServiceLoader} can make it. Stateless and
 * thread-safe; see the module's documentation for what a connection does and which threads it has.
 */
public final class WebSocketTransportProvider implements TransportProvider {
  private static final int WS_PORT = 80;
  private static final int WSS_PORT = 443;

  /** For {@link java.util.ServiceLoader}. */
  public WebSocketTransportProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("ws", "wss");
  }

  @Override
  public int defaultPort(String scheme) {
    return "wss".equalsIgnoreCase(scheme) ? WSS_PORT : WS_PORT;
  }

  /**
   * Opens a WebSocket; for {@code wss} over TLS opened by the engine's TLS code (its {@link
   * io.vmqtt.spi.SocketConnector}) with the connection's {@link TlsOptions}, as {@code mqtts} is.
   *
   * @throws IOException as {@link WebSocketTransport#open}; for {@code wss} with TLS-PSK options,
   *     which only {@code mqtts} supports (the {@link io.vmqtt.spi.SocketConnector} refuses them)
   */
  @Override
  public Transport open(TransportTarget target) throws IOException {
    String scheme = target.uri().getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("wss")) {
      return WebSocketTransport.open(target, Connector.TCP);
    }
    return WebSocketTransport.open(target, Connector.TLS);
  }
}
