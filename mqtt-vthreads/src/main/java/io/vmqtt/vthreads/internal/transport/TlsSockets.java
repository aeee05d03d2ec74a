package io.vmqtt.vthreads.internal.transport;

import io.vmqtt.TlsOptions;
import io.vmqtt.spi.TransportTarget;
import io.vmqtt.vthreads.internal.proxy.TcpConnector;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Opens certificate-based TLS connections with JSSE or BCJSSE: a TCP connection within {@code
 * connect_timeout}, directly or through a proxy ({@link TcpConnector}), an {@link SSLSocket} over
 * it with SNI (for a host name, not an IP literal), host name verification ({@code HTTPS} endpoint
 * identification) unless switched off, the chosen versions, cipher suites and ALPN names, and a
 * handshake bounded by {@code tls_handshake_timeout}. A failure becomes an {@code
 * SSLHandshakeException} whose message names the cause (see {@link TlsFailures}) and whose cause is
 * the original exception.
 *
 * <p>Meant for reuse by other TLS transports (e.g. WebSocket over TLS). Stateless and thread-safe.
 */
public final class TlsSockets {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private TlsSockets() {}

  /**
   * An open, handshaken TLS socket.
   *
   * @param socket the TLS socket; closing it closes {@code tcp}
   * @param tcp the TCP socket under it, to the broker or through a proxy to it
   * @param readFailure maps a failure of a read to a clearer one, or to null to keep it: with TLS
   *     1.3 a broker refuses a (missing) client certificate only after the handshake
   * @param via {@code ""}, or e.g. {@code " via HTTP proxy 127.0.0.1:3128"}, for descriptions
   */
  public record Handshaken(
      SSLSocket socket, Socket tcp, Function<IOException, IOException> readFailure, String via) {}

  /**
   * Connects and completes the TLS handshake.
   *
   * @param target where to connect; its {@code connectTimeout} bounds the TCP connect and, with
   *     {@code tls_handshake_timeout}, the handshake
   * @param options the TLS options (see {@link #options(TransportTarget)})
   * @throws IOException when the connection or handshake fails; the message says why
   */
  public static Handshaken open(TransportTarget target, TlsOptions options) throws IOException {
    long start = System.nanoTime();
    String host = unbracketed(target.host());
    String endpoint = host + ":" + target.port();
    TlsContexts.TlsContext context = TlsContexts.create(options);
    // Directly or through a proxy: TLS runs end to end with the broker, named by the target's host.
    TcpConnector.Connected connected = TcpConnector.connect(target, endpoint);
    Socket tcp = connected.socket();
    SSLSocket ssl = null;
    try {
      ssl =
          (SSLSocket)
              context.context().getSocketFactory().createSocket(tcp, host, target.port(), true);
      ssl.setUseClientMode(true);
      ssl.setSSLParameters(parameters(ssl.getSSLParameters(), host, options));
      Bound bound = bound(target.connectTimeout(), options.handshakeTimeout(), start);
      ssl.setSoTimeout((int) Math.max(1, bound.millis()));
      try {
        ssl.startHandshake();
      } catch (SocketTimeoutException e) {
        throw TlsFailures.timeout(e, endpoint, bound.millis(), bound.option());
      } catch (IOException e) {
        throw TlsFailures.handshake(e, endpoint, host, context.trust(), context.keys());
      }
      // The reader thread's blocking reads must not time out.
      ssl.setSoTimeout(0);
      RecordingKeyManager keys = context.keys();
      return new Handshaken(ssl, tcp, e -> TlsFailures.afterHandshake(e, keys), connected.via());
    } catch (IOException | RuntimeException e) {
      closeQuietly(ssl != null ? ssl : tcp, e);
      throw e;
    }
  }

  /**
   * The TLS options of a connection: those of its {@code ConnectOptions} when given, else the
   * configuration's.
   */
  public static TlsOptions options(TransportTarget target) {
    return target.options().tls().orElse(target.config().tls());
  }

  private static SSLParameters parameters(SSLParameters p, String host, TlsOptions options) {
    if (!isIpLiteral(host)) {
      p.setServerNames(List.of(new SNIHostName(host)));
    }
    p.setEndpointIdentificationAlgorithm(
        options.insecureSkipHostnameVerification() ? null : "HTTPS");
    if (!options.tlsVersions().isEmpty()) {
      p.setProtocols(options.tlsVersions().toArray(new String[0]));
    }
    if (!options.ciphers().isEmpty()) {
      p.setCipherSuites(options.ciphers().toArray(new String[0]));
    }
    if (!options.alpn().isEmpty()) {
      p.setApplicationProtocols(options.alpn().toArray(new String[0]));
    }
    return p;
  }

  /** The handshake's time limit and the option that set it. */
  record Bound(long millis, String option) {}

  /** The handshake timeout, or what is left of the connect timeout when that is less. */
  static Bound bound(Duration connectTimeout, Duration handshakeTimeout, long startNanos) {
    long left = connectTimeout.toNanos() - (System.nanoTime() - startNanos);
    if (left < handshakeTimeout.toNanos()) {
      return new Bound(Math.max(1, Duration.ofNanos(left).toMillis()), "connect_timeout");
    }
    return new Bound(handshakeTimeout.toMillis(), "tls_handshake_timeout");
  }

  static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
  }

  /** {@code ::1} for {@code [::1]}: URIs bracket IPv6 literals. */
  static String unbracketed(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  static void closeQuietly(Socket socket, Exception failure) {
    try {
      socket.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
