package io.vmqtt;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Whether and through which proxy a connection reaches the broker: none (the default), an HTTP
 * proxy ({@code CONNECT} tunnel, Basic authentication), a SOCKS5 proxy (no authentication or user
 * name and password, the proxy resolving the broker's name), or the proxy the system names (the
 * JVM's {@link java.net.ProxySelector}, then the {@code HTTPS_PROXY}/{@code ALL_PROXY}/{@code
 * NO_PROXY} environment variables). Every transport ({@code mqtt}, {@code mqtts}, {@code ws},
 * {@code wss}) goes through it: TLS and the WebSocket upgrade run end to end through the tunnel,
 * and the broker's certificate is checked against the broker's name, never the proxy's. Carried by
 * {@link MqttConfig#proxy()} and, for one connection, by {@link ConnectOptions#proxy()}.
 *
 * <pre>{@code
 * ProxyOptions socks = ProxyOptions.parse("socks5://alice:s3cret@proxy.corp:1080");
 * ProxyOptions http = ProxyOptions.builder()
 *     .type(ProxyOptions.Type.HTTP).host("proxy.corp").port(3128)
 *     .credentials("alice", "s3cret".toCharArray())
 *     .build();
 * MqttConfig config = MqttConfig.builder().proxy(http).build();
 * // or: MqttConfig.from(Map.of("proxy", "http://alice:s3cret@proxy.corp:3128"))
 * // or: MqttConfig.from(Map.of("proxy_type", "http", "proxy_host", "proxy.corp", ...))
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the password; two options are equal
 * when every value is (the password by content).
 */
public final class ProxyOptions {
  /** The port of an HTTP proxy given without one (as PySocks, which paho-python uses, has it). */
  public static final int DEFAULT_HTTP_PORT = 8080;

  /** The port of a SOCKS5 proxy given without one (RFC 1928 3). */
  public static final int DEFAULT_SOCKS5_PORT = 1080;

  /** RFC 1929 2: user name and password are 1..255 bytes each. */
  static final int MAX_SOCKS5_CREDENTIAL_BYTES = 255;

  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z._~-]+)?");
  private static final String REDACTED = "<redacted>";
  private static final ProxyOptions NONE = new ProxyOptions(Type.NONE, null, 0, null, null);
  private static final ProxyOptions SYSTEM = new ProxyOptions(Type.SYSTEM, null, 0, null, null);

  /** How a connection reaches the broker. */
  public enum Type {
    /** Directly, without a proxy (the default). */
    NONE,
    /**
     * Through an HTTP proxy: a {@code CONNECT host:port} tunnel (RFC 9110 9.3.6), with Basic proxy
     * authentication (RFC 7617) when credentials are given. The connection to the proxy itself is
     * plain TCP.
     */
    HTTP,
    /**
     * Through a SOCKS5 proxy (RFC 1928) with no authentication, or user name and password (RFC
     * 1929) when credentials are given. The broker's name is sent to the proxy, which resolves it.
     */
    SOCKS5,
    /**
     * Through the proxy the system names for the broker: the JVM's default {@link
     * java.net.ProxySelector} (e.g. {@code -Dhttps.proxyHost}, {@code -DsocksProxyHost}), else the
     * environment's {@code https_proxy}/{@code HTTPS_PROXY}, then {@code all_proxy}/{@code
     * ALL_PROXY}, unless {@code no_proxy}/{@code NO_PROXY} lists the broker; directly when none
     * does. Asked at every connect.
     */
    SYSTEM
  }

  private final Type type;
  private final String host;
  private final int port;
  private final String username;
  private final char[] password;

  private ProxyOptions(Type type, String host, int port, String username, char[] password) {
    this.type = type;
    this.host = host;
    this.port = port;
    this.username = username;
    this.password = password;
  }

  /** No proxy: connections go directly to the broker. The default. */
  public static ProxyOptions none() {
    return NONE;
  }

  /**
   * The proxy the system names, asked at each connect: the JVM's {@link java.net.ProxySelector},
   * then the {@code HTTPS_PROXY}/{@code ALL_PROXY}/{@code NO_PROXY} environment variables (see
   * {@link Type#SYSTEM}). {@code proxy_from_system} in a config map.
   */
  public static ProxyOptions system() {
    return SYSTEM;
  }

  /**
   * An HTTP proxy without credentials.
   *
   * @throws IllegalArgumentException when the host is not a host name or IP address, or the port is
   *     not 1..65535
   */
  public static ProxyOptions http(String host, int port) {
    return builder().type(Type.HTTP).host(host).port(port).build();
  }

  /**
   * A SOCKS5 proxy without credentials.
   *
   * @throws IllegalArgumentException as {@link #http(String, int)}
   */
  public static ProxyOptions socks5(String host, int port) {
    return builder().type(Type.SOCKS5).host(host).port(port).build();
  }

  /**
   * A proxy from a URL: {@code http://[user[:password]@]host[:port]} or {@code
   * socks5://[user[:password]@]host[:port]} ({@code socks5h://} is the same: the proxy always
   * resolves the broker's name). User and password are percent-decoded; the port defaults to
   * {@value #DEFAULT_HTTP_PORT} for HTTP and {@value #DEFAULT_SOCKS5_PORT} for SOCKS5; a trailing
   * {@code /} is allowed, no other path, query or fragment. Error messages never repeat the
   * password.
   *
   * @throws IllegalArgumentException when the URL is malformed, its scheme is none of these (e.g.
   *     {@code https}, {@code socks4}), or a value is out of range
   */
  public static ProxyOptions parse(String url) {
    return parse(url, "proxy", null);
  }

  /**
   * {@link #parse(String)} with the key named in messages, and a scheme assumed when the URL has
   * none (the environment convention: {@code HTTPS_PROXY=proxy.corp:3128} is an HTTP proxy), or
   * null to require one. For the config map and the environment.
   */
  static ProxyOptions parse(String url, String key, String defaultScheme) {
    Objects.requireNonNull(url, key);
    String text = url.strip();
    if (text.isEmpty()) {
      throw new IllegalArgumentException(key + " must not be empty");
    }
    if (defaultScheme != null && !text.contains("://")) {
      text = defaultScheme + "://" + text;
    }
    String shown = redactUserInfo(text);
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      // Not kept as the cause: its message repeats the URL with the password.
      throw new IllegalArgumentException(
          key
              + " '"
              + shown
              + "' is not a valid URL: "
              + e.getReason()
              + " at index "
              + e.getIndex());
    }
    if (uri.getScheme() == null || uri.isOpaque()) {
      throw new IllegalArgumentException(
          key
              + " '"
              + shown
              + "' must be a URL such as http://proxy.example:3128 or"
              + " socks5://proxy.example:1080");
    }
    Type type =
        switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
          case "http" -> Type.HTTP;
          case "socks5", "socks5h" -> Type.SOCKS5;
          case "https" ->
              throw new IllegalArgumentException(
                  key
                      + " '"
                      + shown
                      + "': TLS to the proxy itself (https://) is not supported; use http://,"
                      + " which still carries TLS to the broker end to end");
          default ->
              throw new IllegalArgumentException(
                  key
                      + " '"
                      + shown
                      + "' has the unsupported scheme '"
                      + uri.getScheme()
                      + "'; supported: http, socks5, socks5h");
        };
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(key + " '" + shown + "' has no host");
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          key + " '" + shown + "' must have no path, query or fragment");
    }
    Builder b = builder().type(type).host(uri.getHost());
    if (uri.getPort() != -1) {
      b.port(uri.getPort());
    }
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      char[] pass = colon < 0 ? null : decode(userInfo.substring(colon + 1)).toCharArray();
      b.credentials(user, pass);
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these values, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** How connections reach the broker. */
  public Type type() {
    return type;
  }

  /** {@code proxy_host}: the proxy's host name or IP address (IPv6 without brackets). */
  public Optional<String> host() {
    return Optional.ofNullable(host);
  }

  /** {@code proxy_port}: the proxy's port, for {@link Type#HTTP} and {@link Type#SOCKS5}. */
  public OptionalInt port() {
    return type == Type.HTTP || type == Type.SOCKS5 ? OptionalInt.of(port) : OptionalInt.empty();
  }

  /** {@code proxy_username}: the user name the proxy authenticates. */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /** {@code proxy_password}: a copy of the password, with a user name. */
  public Optional<char[]> password() {
    return Optional.ofNullable(password).map(char[]::clone);
  }

  /** Whether this names a proxy of its own ({@link Type#HTTP} or {@link Type#SOCKS5}). */
  public boolean isExplicit() {
    return type == Type.HTTP || type == Type.SOCKS5;
  }

  /**
   * {@code http://host:port} or {@code socks5://host:port} (IPv6 literals in brackets), without
   * credentials: safe to log. {@code none} and {@code system} for those.
   */
  public String describe() {
    return switch (type) {
      case NONE -> "none";
      case SYSTEM -> "system";
      case HTTP -> "http://" + authority(host, port);
      case SOCKS5 -> "socks5://" + authority(host, port);
    };
  }

  /** {@code host:port}, an IPv6 literal in brackets (RFC 3986 3.2.2). */
  static String authority(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** Equal when every value is; the password by content. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ProxyOptions p && values(false).equals(p.values(false));
  }

  @Override
  public int hashCode() {
    return values(false).hashCode();
  }

  /**
   * E.g. {@code ProxyOptions[socks5://alice:<redacted>@127.0.0.1:1080]}, {@code
   * ProxyOptions[none]}; the password always shows as {@code <redacted>}.
   */
  @Override
  public String toString() {
    if (!isExplicit()) {
      return "ProxyOptions[" + describe() + "]";
    }
    String credentials =
        username == null ? "" : username + (password == null ? "" : ":" + REDACTED) + "@";
    String d = describe();
    int start = d.indexOf("://") + 3;
    return "ProxyOptions[" + d.substring(0, start) + credentials + d.substring(start) + "]";
  }

  private Map<String, Object> values(boolean redact) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("host", host);
    m.put("port", port);
    m.put("username", username);
    m.put("password", password == null ? null : redact ? REDACTED : CharBuffer.wrap(password));
    return m;
  }

  /** The URL with its user info replaced, for messages. */
  static String redactUserInfo(String url) {
    return url.replaceFirst("//[^/@]*@", "//<user>@");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /**
   * Builds {@link ProxyOptions}. Each setter checks its argument and throws {@link
   * IllegalArgumentException} naming the config-map key ({@link NullPointerException} for null);
   * {@link #build()} checks the values that depend on the type. Not thread-safe.
   */
  public static final class Builder {
    private Type type = Type.NONE;
    private String host;
    private int port;
    private String username;
    private char[] password;

    private Builder() {}

    private Builder(ProxyOptions o) {
      type = o.type;
      host = o.host;
      port = o.port;
      username = o.username;
      password = o.password;
    }

    /** {@code proxy_type}: how connections reach the broker. */
    public Builder type(Type type) {
      this.type = Objects.requireNonNull(type, "proxy_type");
      return this;
    }

    /**
     * {@code proxy_host}: a host name or an IP address; an IPv6 literal with or without brackets.
     *
     * @throws IllegalArgumentException when empty, or holding characters no host name has
     */
    public Builder host(String host) {
      this.host = checkHost(Objects.requireNonNull(host, "proxy_host"));
      return this;
    }

    /**
     * {@code proxy_port}; by default {@value #DEFAULT_HTTP_PORT} for HTTP and {@value
     * #DEFAULT_SOCKS5_PORT} for SOCKS5.
     *
     * @throws IllegalArgumentException unless 1..65535
     */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("proxy_port must be 1..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * {@code proxy_username} and {@code proxy_password}: the credentials the proxy asks for. The
     * password may be null (HTTP only: an empty one is sent); it is copied.
     *
     * @throws IllegalArgumentException when the user name is empty
     */
    public Builder credentials(String username, char[] password) {
      Objects.requireNonNull(username, "proxy_username");
      if (username.isEmpty()) {
        throw new IllegalArgumentException("proxy_username must not be empty");
      }
      this.username = username;
      this.password = password == null ? null : password.clone();
      return this;
    }

    /** {@link #credentials(String, char[])} with the password as a string. */
    public Builder credentials(String username, String password) {
      return credentials(username, password == null ? null : password.toCharArray());
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException when an HTTP or SOCKS5 proxy has no host; when {@link
     *     Type#NONE} or {@link Type#SYSTEM} has a host, port or credentials; when HTTP credentials
     *     hold control characters, or the user name a {@code :} (RFC 7617 2); when SOCKS5
     *     credentials lack a password or are over 255 bytes in UTF-8 (RFC 1929 2)
     */
    public ProxyOptions build() {
      if (type == Type.NONE || type == Type.SYSTEM) {
        if (host != null || port != 0 || username != null) {
          throw new IllegalArgumentException(
              "proxy_host, proxy_port and proxy credentials need proxy_type http or socks5, not "
                  + type.name().toLowerCase(Locale.ROOT));
        }
        return type == Type.NONE ? NONE : SYSTEM;
      }
      if (host == null) {
        throw new IllegalArgumentException(
            "proxy_type " + type.name().toLowerCase(Locale.ROOT) + " needs proxy_host");
      }
      int p = port != 0 ? port : type == Type.HTTP ? DEFAULT_HTTP_PORT : DEFAULT_SOCKS5_PORT;
      if (username != null) {
        checkCredentials();
      }
      return new ProxyOptions(type, host, p, username, password == null ? null : password.clone());
    }

    private void checkCredentials() {
      if (type == Type.HTTP) {
        if (username.chars().anyMatch(Character::isISOControl)
            || (password != null
                && CharBuffer.wrap(password).chars().anyMatch(Character::isISOControl))) {
          throw new IllegalArgumentException(
              "proxy_username and proxy_password must not contain control characters for an HTTP"
                  + " proxy (RFC 7617 2)");
        }
        if (username.indexOf(':') >= 0) {
          throw new IllegalArgumentException(
              "proxy_username must not contain ':' for an HTTP proxy (RFC 7617 2: Basic"
                  + " authentication separates user name and password with it)");
        }
        return;
      }
      int userBytes = username.getBytes(StandardCharsets.UTF_8).length;
      if (userBytes > MAX_SOCKS5_CREDENTIAL_BYTES) {
        throw new IllegalArgumentException(
            "proxy_username must be at most 255 bytes in UTF-8 for SOCKS5 (RFC 1929 2), was "
                + userBytes);
      }
      if (password == null || password.length == 0) {
        throw new IllegalArgumentException(
            "proxy_password is required with proxy_username for SOCKS5: RFC 1929 2 sends 1..255"
                + " bytes");
      }
      int passBytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password)).remaining();
      if (passBytes > MAX_SOCKS5_CREDENTIAL_BYTES) {
        throw new IllegalArgumentException(
            "proxy_password must be at most 255 bytes in UTF-8 for SOCKS5 (RFC 1929 2), was "
                + passBytes);
      }
    }

    private static String checkHost(String host) {
      String h =
          host.length() > 2 && host.startsWith("[") && host.endsWith("]")
              ? host.substring(1, host.length() - 1)
              : host;
      if (h.isEmpty()) {
        throw new IllegalArgumentException("proxy_host must not be empty");
      }
      boolean bad =
          h.chars()
              .anyMatch(
                  c ->
                      c <= ' ' || c == 0x7F || c == '/' || c == '?' || c == '#' || c == '@'
                          || c == '[' || c == ']');
      if (bad || (h.indexOf(':') >= 0 && !IPV6.matcher(h).matches())) {
        throw new IllegalArgumentException(
            "proxy_host must be a host name or IP address, was \""
                + (host.length() > 64 ? host.substring(0, 64) + "\"..." : host + "\""));
      }
      return h;
    }
  }
}
