package io.vmqtt.vthreads.internal.transport;

import io.vmqtt.TlsOptions;
import io.vmqtt.spi.Transport;
import io.vmqtt.spi.TransportProvider;
import io.vmqtt.spi.TransportTarget;
import java.io.IOException;
import java.util.Set;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for {@code mqtts://} and {@code ssl://} (default port 8883): certificates with JSSE or
 * BouncyCastle's BCJSSE ({@link TlsSockets}), or TLS-PSK with BouncyCastle's TLS API ({@link
 * PskTls}), as the connection's {@link TlsOptions} say; what needs BouncyCastle fails, without it,
 * with a message naming the artifact to add ({@link BouncyCastle}). Thread-safe.
 */
public final class TlsTransportProvider implements TransportProvider {
  private static final Logger LOG = LoggerFactory.getLogger(TlsTransportProvider.class);
  private static final int DEFAULT_PORT = 8883;

  @Override
  public Set<String> schemes() {
    return Set.of("mqtts", "ssl");
  }

  @Override
  public int defaultPort(String scheme) {
    return DEFAULT_PORT;
  }

  @Override
  public Transport open(TransportTarget target) throws IOException {
    TlsOptions options = TlsSockets.options(target);
    if (options.isPsk()) {
      BouncyCastle.require("TLS-PSK (psk_identity, psk_key)");
      return PskTls.open(target, options);
    }
    TlsSockets.Handshaken h = TlsSockets.open(target, options);
    SSLSession session = h.socket().getSession();
    String peer =
        target.uri().getScheme()
            + "://"
            + TlsSockets.unbracketed(target.host())
            + ":"
            + target.port();
    String alpn = h.socket().getApplicationProtocol();
    LOG.debug(
        "{}: {} {} over {}{}",
        peer,
        session.getProtocol(),
        session.getCipherSuite(),
        options.sslContext().isPresent() ? "the SSLContext handed in" : options.provider(),
        alpn == null || alpn.isEmpty() ? "" : ", ALPN " + alpn);
    return new TlsTransport(
        h.tcp(),
        h.socket(),
        h.socket().getInputStream(),
        h.socket().getOutputStream(),
        h.readFailure(),
        peer + " (" + session.getProtocol() + ")" + h.via());
  }
}
