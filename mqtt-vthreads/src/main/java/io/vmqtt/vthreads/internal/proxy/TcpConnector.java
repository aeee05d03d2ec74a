package io.vmqtt.vthreads.internal.proxy;

import io.vmqtt.ProxyOptions;
import io.vmqtt.spi.TransportTarget;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the TCP connection of every transport ({@code mqtt}, {@code mqtts}, {@code ws}, {@code
 * wss}): to the broker directly, or to a proxy and through it, an HTTP {@code CONNECT} tunnel or a
 * SOCKS5 {@code CONNECT}. What it returns is a plain socket whose bytes reach the broker; whoever
 * asked layers TLS and the WebSocket upgrade on top, with the broker's name (not the proxy's) for
 * SNI and host name verification. No TLS here.
 *
 * <p>Which proxy: the connection's {@link io.vmqtt.ConnectOptions#proxy()} when given, else the
 * configuration's {@link io.vmqtt.MqttConfig#proxy()}; for {@link ProxyOptions#system()} the one
 * {@link SystemProxies} finds. Connecting to the proxy and its handshake share {@code
 * connect_timeout}, which the transport's TLS handshake and upgrade then share in turn.
 *
 * <p>Sockets are those of socket channels, which never follow the JVM-wide {@code socksProxyHost}
 * on their own, past this choice (a plain {@code java.net.Socket} would, and would take even the
 * connection to an HTTP proxy through it). The JVM's settings count only with {@link
 * ProxyOptions#system()}.
 *
 * <p>Runs in the connecting thread. Stateless and thread-safe.
 */
public final class TcpConnector {
  private static final Logger LOG = LoggerFactory.getLogger(TcpConnector.class);

  private TcpConnector() {}

  /**
   * A connected socket to the broker.
   *
   * @param socket connected, {@code TCP_NODELAY} on, no read timeout; closing it closes the tunnel
   * @param route the proxy it goes through, if any
   */
  public record Connected(Socket socket, Optional<ProxyRoute> route) {
    /** {@code ""}, or e.g. {@code " via SOCKS5 proxy 127.0.0.1:1080"}, for descriptions. */
    public String via() {
      return route.map(r -> " via " + r.name()).orElse("");
    }
  }

  /**
   * Connects to {@code target}'s host and port within its {@code connectTimeout}, through the proxy
   * its options or configuration name.
   *
   * @param endpoint how the transport names the broker in a direct connection's error, e.g. {@code
   *     tcp://127.0.0.1:1883}
   * @throws ProxyException when the proxy is unreachable, refuses, wants or rejects credentials, or
   *     cannot reach the broker
   * @throws SocketTimeoutException when the proxy does not accept or answer in time
   * @throws IOException when a direct connection fails ({@code cannot connect to <endpoint>: ...})
   */
  public static Connected connect(TransportTarget target, String endpoint) throws IOException {
    return connect(target, endpoint, SystemProxies.DEFAULT);
  }

  static Connected connect(TransportTarget target, String endpoint, SystemProxies system)
      throws IOException {
    long deadline = System.nanoTime() + target.connectTimeout().toNanos();
    String host = unbracketed(target.host());
    Optional<ProxyRoute> route = route(target, host, system);
    if (route.isEmpty()) {
      return new Connected(direct(host, target.port(), target.connectTimeout(), endpoint), route);
    }
    return new Connected(
        tunnel(route.get(), host, target.port(), deadline, target.connectTimeout()), route);
  }

  /** The proxy for this target: the options', else the configuration's; the system's looked up. */
  static Optional<ProxyRoute> route(TransportTarget target, String host, SystemProxies system)
      throws IOException {
    ProxyOptions proxy = target.options().proxy().orElse(target.config().proxy());
    return switch (proxy.type()) {
      case NONE -> Optional.empty();
      case SYSTEM -> system.find(host, target.port());
      case HTTP, SOCKS5 -> Optional.of(new ProxyRoute(proxy, ""));
    };
  }

  private static Socket direct(String host, int port, Duration timeout, String endpoint)
      throws IOException {
    Socket socket = newSocket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
      return socket;
    } catch (IOException e) {
      socket.close();
      throw new IOException("cannot connect to " + endpoint + ": " + e.getMessage(), e);
    }
  }

  private static Socket tunnel(
      ProxyRoute route, String host, int port, long deadline, Duration timeout) throws IOException {
    long start = System.nanoTime();
    String authority = ProxyRoute.authority(host, port);
    boolean http = route.proxy().type() == ProxyOptions.Type.HTTP;
    if (!http) {
      Socks5Handshake.address(host); // a name SOCKS5 cannot carry fails before connecting
    }
    Socket socket = newSocket();
    try {
      socket.setTcpNoDelay(true);
      connectToProxy(socket, route, deadline, timeout);
      HandshakeIo io =
          new HandshakeIo(
              socket,
              deadline,
              timeout,
              route.name()
                  + (http
                      ? " did not answer CONNECT " + authority
                      : " did not complete the SOCKS5 handshake for " + authority));
      try {
        if (http) {
          HttpConnectHandshake.open(io, route, host, port);
        } else {
          Socks5Handshake.open(io, route, host, port);
        }
      } catch (ProxyException | SocketTimeoutException e) {
        throw e;
      } catch (IOException e) {
        // E.g. a reset from a proxy that is shutting down: name the hop it happened on.
        throw new ProxyException(
            ProxyException.Hop.PROXY_PROTOCOL,
            route.name()
                + " broke the connection off during "
                + (http ? "CONNECT " : "the SOCKS5 handshake for ")
                + authority
                + ": "
                + e.getMessage(),
            e);
      }
      socket.setSoTimeout(0); // the transport's reads must not time out
      LOG.debug(
          "{}: tunnel through {}{} open after {} ms",
          authority,
          route.name(),
          route.proxy().username().map(u -> " as user '" + u + "'").orElse(""),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      return socket;
    } catch (IOException | RuntimeException e) {
      try {
        socket.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static void connectToProxy(
      Socket socket, ProxyRoute route, long deadline, Duration timeout) throws IOException {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    try {
      // The proxy's own name is resolved here; the broker's is left to the proxy.
      InetSocketAddress proxy = new InetSocketAddress(route.host(), route.port());
      if (proxy.isUnresolved()) {
        throw new UnknownHostException("unknown host " + route.host());
      }
      socket.connect(proxy, (int) Math.max(1, left));
    } catch (SocketTimeoutException e) {
      SocketTimeoutException t =
          new SocketTimeoutException(
              route.name()
                  + " did not accept the connection within "
                  + timeout.toMillis()
                  + " ms (connect_timeout)");
      t.initCause(e);
      throw t;
    } catch (IOException e) {
      throw new ProxyException(
          ProxyException.Hop.PROXY_UNREACHABLE,
          route.name() + " is unreachable: " + e.getMessage(),
          e);
    }
  }

  /**
   * A socket of a {@link SocketChannel}: a plain connection's reader can then give its thread up
   * while the connection is quiet ({@code SocketTransport}); a channel never follows the JVM's
   * {@code socksProxyHost}.
   */
  private static Socket newSocket() throws IOException {
    return SocketChannel.open().socket();
  }

  /** {@code ::1} for {@code [::1]}: URIs bracket IPv6 literals. */
  static String unbracketed(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
