package io.vmqtt.vthreads.internal.proxy;

import io.vmqtt.ProxyOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The proxy the system names for a broker, for {@link ProxyOptions#system()}: first the JVM's
 * default {@link ProxySelector}, asked for {@code https://host:port} (every transport tunnels
 * through {@code CONNECT} as HTTPS does, so the default selector answers from {@code
 * https.proxyHost}/{@code https.proxyPort} and {@code http.nonProxyHosts}, then {@code
 * socksProxyHost}/{@code socksProxyPort}, with the credentials of {@code java.net.socks.username}
 * and {@code java.net.socks.password} for SOCKS); when it names none, the environment: {@code
 * https_proxy}, {@code HTTPS_PROXY}, {@code all_proxy}, {@code ALL_PROXY} (the first one set; a
 * value without a scheme is an HTTP proxy), unless {@code no_proxy}/{@code NO_PROXY} exempts the
 * broker (see {@link NoProxy}). Asked at every connect, so a changed selector or property counts.
 *
 * <p>Thread-safe.
 */
public final class SystemProxies {
  /** The JVM's selector, the process environment and the system properties. */
  public static final SystemProxies DEFAULT =
      new SystemProxies(ProxySelector::getDefault, System::getenv, System::getProperty);

  /** The environment variables naming a proxy, in the order they are looked at. */
  static final List<String> PROXY_VARIABLES =
      List.of("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY");

  /** The environment variables listing exempt hosts, in the order they are looked at. */
  static final List<String> NO_PROXY_VARIABLES = List.of("no_proxy", "NO_PROXY");

  static final String SELECTOR_SOURCE = "the JVM's ProxySelector";

  private final Supplier<ProxySelector> selector;
  private final Function<String, String> environment;
  private final Function<String, String> properties;

  /**
   * @param selector the selector to ask; it may supply null (none)
   * @param environment environment variables by name; null when unset
   * @param properties system properties by name; null when unset
   */
  SystemProxies(
      Supplier<ProxySelector> selector,
      Function<String, String> environment,
      Function<String, String> properties) {
    this.selector = selector;
    this.environment = environment;
    this.properties = properties;
  }

  /**
   * The proxy for a connection to {@code host:port}, or empty to connect directly.
   *
   * @param host the broker's host, IPv6 without brackets
   * @throws IOException when a source names a proxy vmqtt cannot use (SOCKS4, a malformed
   *     variable), or the selector fails; the message names the source
   */
  Optional<ProxyRoute> find(String host, int port) throws IOException {
    Optional<ProxyRoute> jvm = fromSelector(host, port);
    return jvm.isPresent() ? jvm : fromEnvironment(host, port);
  }

  private Optional<ProxyRoute> fromSelector(String host, int port) throws IOException {
    ProxySelector s = selector.get();
    if (s == null) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI("https", null, host, port, null, null, null);
    } catch (URISyntaxException e) {
      throw new IOException("cannot ask " + SELECTOR_SOURCE + " about " + host + ": " + e, e);
    }
    List<Proxy> proxies;
    try {
      proxies = s.select(uri);
    } catch (RuntimeException e) {
      throw new IOException(SELECTOR_SOURCE + " failed for " + uri + ": " + e, e);
    }
    if (proxies == null || proxies.isEmpty() || proxies.get(0).type() == Proxy.Type.DIRECT) {
      return Optional.empty();
    }
    Proxy p = proxies.get(0);
    SocketAddress a = p.address();
    if (!(a instanceof InetSocketAddress address)) {
      throw new IOException(SELECTOR_SOURCE + " named a proxy without a host and port: " + p);
    }
    ProxyOptions.Builder b =
        ProxyOptions.builder().host(address.getHostString()).port(address.getPort());
    if (p.type() == Proxy.Type.HTTP) {
      b.type(ProxyOptions.Type.HTTP);
    } else {
      if ("4".equals(properties.apply("socksProxyVersion"))) {
        throw new IOException(
            SELECTOR_SOURCE
                + " named the SOCKS4 proxy "
                + ProxyRoute.authority(address.getHostString(), address.getPort())
                + " (socksProxyVersion=4); vmqtt speaks SOCKS5 only");
      }
      b.type(ProxyOptions.Type.SOCKS5);
      String user = properties.apply("java.net.socks.username");
      String password = properties.apply("java.net.socks.password");
      if (user != null && !user.isEmpty() && password != null && !password.isEmpty()) {
        b.credentials(user, password.toCharArray());
      }
    }
    try {
      return Optional.of(new ProxyRoute(b.build(), SELECTOR_SOURCE));
    } catch (IllegalArgumentException e) {
      throw new IOException(SELECTOR_SOURCE + " named a proxy vmqtt cannot use: " + e.getMessage());
    }
  }

  private Optional<ProxyRoute> fromEnvironment(String host, int port) throws IOException {
    String variable = null;
    String value = null;
    for (String name : PROXY_VARIABLES) {
      String v = environment.apply(name);
      if (v != null && !v.isBlank()) {
        variable = name;
        value = v.strip();
        break;
      }
    }
    if (value == null) {
      return Optional.empty();
    }
    for (String name : NO_PROXY_VARIABLES) {
      String v = environment.apply(name);
      if (v != null && !v.isBlank()) {
        if (NoProxy.parse(v).matches(host, port)) {
          return Optional.empty();
        }
        break;
      }
    }
    String url = value.contains("://") ? value : "http://" + value;
    try {
      return Optional.of(new ProxyRoute(ProxyOptions.parse(url), variable));
    } catch (IllegalArgumentException e) {
      // The message redacts the URL's user info.
      throw new IOException(variable + " names no proxy vmqtt can use: " + e.getMessage());
    }
  }
}
