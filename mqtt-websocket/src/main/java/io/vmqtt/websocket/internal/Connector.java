package io.vmqtt.websocket.internal;

import io.vmqtt.spi.TransportTarget;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.Function;

/** Opens the connection a WebSocket runs over: TCP for {@code ws}, TLS over TCP for {@code wss}. */
@FunctionalInterface
public interface Connector {
  /**
   * Connects to the target within {@link TransportTarget#connectTimeout()}.
   *
   * @throws IOException when it cannot; the message names the target and says why
   */
  Connected connect(TransportTarget target) throws IOException;

  /**
   * An open connection.
   *
   * @param socket the socket to talk over; closing it closes everything under it
   * @param tcp the TCP socket at the bottom: {@code socket} itself, or the one under TLS, which is
   *     closed alone to abort without a close_notify (that would wait behind a stuck write)
   * @param readFailure maps a failure of a read to a clearer one, or to null to keep it (with TLS
   *     1.3 a broker refuses a client certificate only after the handshake, on the first read)
   */
  record Connected(Socket socket, Socket tcp, Function<IOException, IOException> readFailure) {}

  /** Plain TCP with {@code TCP_NODELAY}. */
  Connector TCP =
      target -> {
        Socket socket = new Socket();
        try {
          socket.setTcpNoDelay(true);
          socket.connect(
              new InetSocketAddress(target.host(), target.port()),
              (int) Math.max(1, target.connectTimeout().toMillis()));
          return new Connected(socket, socket, e -> null);
        } catch (IOException e) {
          socket.close();
          throw new IOException(
              "cannot connect to " + WebSocketTransport.describe(target) + ": " + e.getMessage(),
              e);
        }
      };
}
