package io.vmqtt.websocket.internal;

import io.vmqtt.spi.ConnectedSocket;
import io.vmqtt.spi.SocketConnector;
import io.vmqtt.spi.TransportTarget;
import java.io.IOException;
import java.net.Socket;
import java.util.function.Function;

/**
 * Opens the connection a WebSocket runs over: TCP for {@code ws}, TLS over TCP for {@code wss}; the
 * TCP connection goes through the configured proxy, if any, and the upgrade runs through it.
 */
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
  record Connected(Socket socket, Socket tcp, Function<IOException, IOException> readFailure) {
    static Connected of(ConnectedSocket s) {
      return new Connected(s.socket(), s.tcp(), s.readFailure());
    }
  }

  /**
   * Plain TCP with {@code TCP_NODELAY}, directly or through the configured proxy: the engine's
   * {@link SocketConnector}, which every transport shares.
   */
  Connector TCP = target -> Connected.of(SocketConnector.find().tcp(target));

  /**
   * TLS over TCP with the connection's {@code TlsOptions}, through the engine's {@link
   * SocketConnector}: the same options, checks and messages as {@code mqtts}.
   */
  Connector TLS = target -> Connected.of(SocketConnector.find().tls(target));
}
