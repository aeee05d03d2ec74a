package io.vmqtt.vthreads.internal.transport;

import io.vmqtt.spi.Transport;
import io.vmqtt.spi.TransportProvider;
import io.vmqtt.spi.TransportTarget;
import io.vmqtt.vthreads.internal.proxy.TcpConnector;
import java.io.IOException;
import java.util.Set;

/**
 * Plain TCP for {@code mqtt://} and {@code tcp://} (default port 1883), directly or through the
 * configured proxy ({@link TcpConnector}). Thread-safe.
 */
public final class TcpTransportProvider implements TransportProvider {
  private static final int DEFAULT_PORT = 1883;

  @Override
  public Set<String> schemes() {
    return Set.of("mqtt", "tcp");
  }

  @Override
  public int defaultPort(String scheme) {
    return DEFAULT_PORT;
  }

  @Override
  public Transport open(TransportTarget target) throws IOException {
    String endpoint = "tcp://" + target.host() + ":" + target.port();
    TcpConnector.Connected c = TcpConnector.connect(target, endpoint);
    return new SocketTransport(c.socket(), endpoint + c.via());
  }
}
