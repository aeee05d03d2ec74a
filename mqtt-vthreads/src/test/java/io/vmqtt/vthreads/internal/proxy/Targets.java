package io.vmqtt.vthreads.internal.proxy;

import io.vmqtt.ConnectOptions;
import io.vmqtt.MqttConfig;
import io.vmqtt.ProxyOptions;
import io.vmqtt.spi.TransportTarget;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;

/** {@link TransportTarget}s as the engine makes them, and connections through a proxy. */
final class Targets {
  /** The connect timeout of most tests: long, so a loaded machine never hits it by accident. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Targets() {}

  static TransportTarget target(String uri, MqttConfig config, ConnectOptions options) {
    URI u = URI.create(uri);
    return new TransportTarget(
        u, u.getHost(), u.getPort(), config.connectTimeout(), options, config);
  }

  /** A target {@code mqtt://broker.example:1883} whose configuration names {@code proxy}. */
  static TransportTarget through(ProxyOptions proxy) {
    return through(proxy, TIMEOUT);
  }

  static TransportTarget through(ProxyOptions proxy, Duration connectTimeout) {
    return through("mqtt://broker.example:1883", proxy, connectTimeout);
  }

  static TransportTarget through(String uri, ProxyOptions proxy, Duration connectTimeout) {
    MqttConfig config = MqttConfig.builder().proxy(proxy).connectTimeout(connectTimeout).build();
    return target(uri, config, ConnectOptions.defaults());
  }

  /** Connects to the target as every transport does. */
  static TcpConnector.Connected connect(TransportTarget target) throws IOException {
    return TcpConnector.connect(target, "tcp://" + target.host() + ":" + target.port());
  }

  /** Exactly {@code n} bytes from the stream, failing when it ends first. */
  static byte[] readExactly(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new IOException("the stream ended after " + b.length + " of " + n + " bytes");
    }
    return b;
  }
}
