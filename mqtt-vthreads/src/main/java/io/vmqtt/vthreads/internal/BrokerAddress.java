package io.vmqtt.vthreads.internal;

import io.vmqtt.spi.TransportProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * A broker URI parsed and matched to the {@link TransportProvider} for its scheme.
 *
 * @param uri the URI as given
 * @param scheme the lower-case scheme
 * @param host the host
 * @param port the port, the scheme's default when the URI has none
 * @param username the user name from the URI's user info, or null
 * @param password the password from the URI's user info, or null
 * @param provider the transport provider for the scheme
 */
record BrokerAddress(
    URI uri,
    String scheme,
    String host,
    int port,
    String username,
    String password,
    TransportProvider provider) {

  private static final List<TransportProvider> PROVIDERS = loadProviders();

  /**
   * Parses a broker URI.
   *
   * @throws IllegalArgumentException when it is malformed, has no host, or names a scheme no
   *     transport on the path provides
   */
  static BrokerAddress parse(String uriText) {
    if (uriText == null) {
      throw new NullPointerException("uri must not be null");
    }
    URI uri;
    try {
      uri = new URI(uriText);
    } catch (URISyntaxException e) {
      // Not kept as the cause: its message repeats the URI with any password in it.
      throw new IllegalArgumentException(
          "uri '"
              + redactUserInfo(uriText)
              + "' is malformed: "
              + e.getReason()
              + " at index "
              + e.getIndex());
    }
    if (uri.getScheme() == null) {
      throw new IllegalArgumentException(
          "uri '" + redactUserInfo(uriText) + "' has no scheme; expected e.g. mqtt://host:1883");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("uri '" + redactUserInfo(uriText) + "' has no host");
    }
    TransportProvider provider = providerFor(scheme, uriText);
    int port = uri.getPort() == -1 ? provider.defaultPort(scheme) : uri.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "uri '" + redactUserInfo(uriText) + "' has port " + port + "; a port is 1..65535");
    }
    String username = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      username = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    return new BrokerAddress(uri, scheme, uri.getHost(), port, username, password, provider);
  }

  /** The URI without its user info, safe to log. */
  String redacted() {
    return scheme + "://" + host + ":" + port + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  @Override
  public String toString() {
    return redacted();
  }

  private static TransportProvider providerFor(String scheme, String uriText) {
    for (TransportProvider p : PROVIDERS) {
      if (p.schemes().contains(scheme)) {
        return p;
      }
    }
    TreeSet<String> available = new TreeSet<>();
    PROVIDERS.forEach(p -> available.addAll(p.schemes()));
    String hint =
        switch (scheme) {
          case "ws", "wss" ->
              "scheme '"
                  + scheme
                  + "' is not available: add the io.vmqtt:mqtt-websocket module"
                  + " (WebSocket transport) to the class path";
          default -> "unknown scheme '" + scheme + "'";
        };
    throw new IllegalArgumentException(
        hint + " (uri " + redactUserInfo(uriText) + "); available schemes: " + available);
  }

  private static String redactUserInfo(String uriText) {
    return uriText.replaceFirst("//[^/@]*@", "//<user>@");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static List<TransportProvider> loadProviders() {
    java.util.ArrayList<TransportProvider> found = new java.util.ArrayList<>();
    ServiceLoader.load(TransportProvider.class, BrokerAddress.class.getClassLoader())
        .forEach(found::add);
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && context != BrokerAddress.class.getClassLoader()) {
      for (TransportProvider p : ServiceLoader.load(TransportProvider.class, context)) {
        if (found.stream().noneMatch(q -> q.getClass().equals(p.getClass()))) {
          found.add(p);
        }
      }
    }
    return List.copyOf(found);
  }
}
