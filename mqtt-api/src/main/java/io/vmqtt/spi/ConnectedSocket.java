package io.vmqtt.spi;

import java.io.IOException;
import java.net.Socket;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A connection a {@link SocketConnector} opened.
 *
 * @param socket the socket to speak over (a TLS socket for {@link SocketConnector#tls}); closing it
 *     closes everything under it
 * @param tcp the TCP socket at the bottom: {@code socket} itself, or the one under TLS, which is
 *     closed alone to abort without a TLS close_notify (that would wait behind a stuck write)
 * @param via {@code ""}, or how the connection reached the broker, e.g. {@code " via HTTP proxy
 *     127.0.0.1:3128"}, for descriptions
 * @param readFailure maps a failure of a read to a clearer one, or to null to keep it: with TLS 1.3
 *     a broker refuses a (missing) client certificate only after the handshake, on the first read
 */
public record ConnectedSocket(
    Socket socket, Socket tcp, String via, UnaryOperator<IOException> readFailure) {
  /**
   * @throws NullPointerException when a component is null
   */
  public ConnectedSocket {
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(tcp, "tcp");
    Objects.requireNonNull(via, "via");
    Objects.requireNonNull(readFailure, "readFailure");
  }
}
