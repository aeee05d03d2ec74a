package io.vmqtt.websocket.internal;

import io.vmqtt.spi.TransportTarget;
import java.io.IOException;
import java.net.Socket;

/** Puts TLS over a connected socket, for {@code wss}. */
@FunctionalInterface
public interface TlsLayer {
  /**
   * Runs the TLS handshake over {@code connected} and returns the TLS socket, which closes {@code
   * connected} when it is closed.
   *
   * @param peerHost the host name to verify the certificate against and to send as SNI, without
   *     the brackets of an IPv6 literal
   * @param timeoutMillis the bound on the handshake
   * @throws IOException when the handshake fails; the message names the target
   */
  Socket layer(Socket connected, String peerHost, TransportTarget target, int timeoutMillis)
      throws IOException;
}
