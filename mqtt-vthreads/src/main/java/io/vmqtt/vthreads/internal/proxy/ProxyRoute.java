package io.vmqtt.vthreads.internal.proxy;

import io.vmqtt.ProxyOptions;
import java.util.Objects;

/**
 * The proxy a connection goes through, and where that choice came from.
 *
 * @param proxy an HTTP or SOCKS5 proxy ({@link ProxyOptions#isExplicit()})
 * @param source where it was named, for messages: empty for the connection's options or the
 *     configuration, else e.g. {@code HTTPS_PROXY} or {@code the JVM's ProxySelector}
 */
public record ProxyRoute(ProxyOptions proxy, String source) {
  public ProxyRoute {
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(source, "source");
    if (!proxy.isExplicit()) {
      throw new IllegalArgumentException("a route goes through an HTTP or SOCKS5 proxy: " + proxy);
    }
  }

  /** The proxy's host. */
  public String host() {
    return proxy.host().orElseThrow();
  }

  /** The proxy's port. */
  public int port() {
    return proxy.port().orElseThrow();
  }

  /**
   * The proxy for messages and logs, e.g. {@code HTTP proxy 127.0.0.1:3128} or {@code SOCKS5 proxy
   * 127.0.0.1:1080 (from ALL_PROXY)}; never a password.
   */
  public String name() {
    String kind = proxy.type() == ProxyOptions.Type.HTTP ? "HTTP proxy " : "SOCKS5 proxy ";
    return kind + authority(host(), port()) + (source.isEmpty() ? "" : " (from " + source + ")");
  }

  /** {@code host:port}, an IPv6 literal in brackets (RFC 3986 3.2.2). */
  static String authority(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
