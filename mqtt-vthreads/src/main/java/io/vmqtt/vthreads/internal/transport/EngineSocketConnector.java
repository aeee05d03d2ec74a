package io.vmqtt.vthreads.internal.transport;

import io.vmqtt.TlsOptions;
import io.vmqtt.spi.ConnectedSocket;
import io.vmqtt.spi.SocketConnector;
import io.vmqtt.spi.TransportTarget;
import io.vmqtt.vthreads.internal.proxy.TcpConnector;
import java.io.IOException;
import java.util.Locale;

/**
 * The engine's {@link SocketConnector}, for transports of other modules: the TCP connection of
 * {@link TcpConnector} (directly or through the proxy) and the TLS of {@link TlsSockets}, the same
 * code {@code mqtt://} and {@code mqtts://} connect with. Found with {@link
 * java.util.ServiceLoader}; public only for it. Stateless and thread-safe.
 */
public final class EngineSocketConnector implements SocketConnector {
  /** For {@link java.util.ServiceLoader}. */
  public EngineSocketConnector() {}

  @Override
  public ConnectedSocket tcp(TransportTarget target) throws IOException {
    TcpConnector.Connected c = TcpConnector.connect(target, endpoint(target));
    return new ConnectedSocket(c.socket(), c.socket(), c.via(), e -> null);
  }

  @Override
  public ConnectedSocket tls(TransportTarget target) throws IOException {
    TlsOptions options = TlsSockets.options(target);
    if (options.isPsk()) {
      throw new IOException(
          "TLS-PSK is not available for "
              + target.uri().getScheme()
              + ":// ("
              + target.host()
              + ":"
              + target.port()
              + "): it needs BouncyCastle's TLS API, which only mqtts:// uses");
    }
    TlsSockets.Handshaken h = TlsSockets.open(target, options);
    return new ConnectedSocket(h.socket(), h.tcp(), h.via(), h.readFailure()::apply);
  }

  /** How an error of a direct connection names the broker: {@code ws://host:port/path}. */
  private static String endpoint(TransportTarget t) {
    String path = t.uri().getRawPath() == null ? "" : t.uri().getRawPath();
    return t.uri().getScheme().toLowerCase(Locale.ROOT) + "://" + t.host() + ":" + t.port() + path;
  }
}
