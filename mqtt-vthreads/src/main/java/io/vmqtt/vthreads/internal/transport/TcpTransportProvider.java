package io.vmqtt.vthreads.internal.transport;

import io.vmqtt.spi.Transport;
import io.vmqtt.spi.TransportProvider;
import io.vmqtt.spi.TransportTarget;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Set;

/** Plain TCP for {@code mqtt://} and {@code tcp://} (default port 1883). Thread-safe. */
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
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(
          new InetSocketAddress(target.host(), target.port()),
          (int) Math.max(1, target.connectTimeout().toMillis()));
      return new SocketTransport(socket, "tcp://" + target.host() + ":" + target.port());
    } catch (IOException e) {
      socket.close();
      throw new IOException(
          "cannot connect to tcp://" + target.host() + ":" + target.port() + ": " + e.getMessage(),
          e);
    }
  }
}
