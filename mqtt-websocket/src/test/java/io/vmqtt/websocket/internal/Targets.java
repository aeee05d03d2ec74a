package io.vmqtt.websocket.internal;

import io.vmqtt.ConnectOptions;
import io.vmqtt.MqttConfig;
import io.vmqtt.spi.TransportTarget;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** {@link TransportTarget}s as the engine makes them from a URI. */
final class Targets {
  private Targets() {}

  static TransportTarget target(String uri) {
    return target(uri, MqttConfig.defaults(), ConnectOptions.defaults());
  }

  static TransportTarget target(String uri, MqttConfig config) {
    return target(uri, config, ConnectOptions.defaults());
  }

  static TransportTarget target(String uri, MqttConfig config, ConnectOptions options) {
    URI u = URI.create(uri);
    int port = u.getPort() != -1 ? u.getPort() : u.getScheme().equals("wss") ? 443 : 80;
    return new TransportTarget(u, u.getHost(), port, config.connectTimeout(), options, config);
  }

  /** A WebSocket over TCP to {@code uri}, opened as the provider opens one. */
  static WebSocketTransport open(String uri) throws IOException {
    return WebSocketTransport.open(target(uri), Connector.TCP);
  }

  static WebSocketTransport open(String uri, MqttConfig config) throws IOException {
    return WebSocketTransport.open(target(uri, config), Connector.TCP);
  }

  static WebSocketTransport open(String uri, MqttConfig config, ConnectOptions options)
      throws IOException {
    return WebSocketTransport.open(target(uri, config, options), Connector.TCP);
  }

  static MqttConfig connectTimeout(Duration timeout) {
    return MqttConfig.builder().connectTimeout(timeout).build();
  }
}
