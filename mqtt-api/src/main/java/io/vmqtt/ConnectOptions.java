package io.vmqtt;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-connection options for {@link MqttClient#connect(String, ConnectOptions)}; each one given
 * overrides the configuration for that connection. Immutable.
 *
 * <pre>{@code
 * ConnectOptions options = ConnectOptions.builder()
 *     .cleanSession(false)
 *     .extraHeaders(Map.of("Authorization", "Bearer " + token))   // ws/wss only
 *     .build();
 * ConnectOptions tls = ConnectOptions.builder()
 *     .tls(TlsOptions.builder().caFile(Path.of("ca.pem")).build()).build();
 * ConnectOptions proxied = ConnectOptions.builder()
 *     .proxy(ProxyOptions.parse("socks5://alice:s3cret@proxy.corp:1080")).build();
 * }</pre>
 */
public final class ConnectOptions {
  private static final ConnectOptions DEFAULTS = new Builder().build();

  private final Boolean cleanSession;
  private final String username;
  private final byte[] password;
  private final Map<String, String> extraHeaders;
  private final TlsOptions tls;
  private final ProxyOptions proxy;

  private ConnectOptions(Builder b) {
    this.cleanSession = b.cleanSession;
    this.username = b.username;
    this.password = b.password;
    this.extraHeaders = b.extraHeaders;
    this.tls = b.tls;
    this.proxy = b.proxy;
  }

  /** No overrides: everything comes from the configuration. */
  public static ConnectOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The clean-session flag, when it overrides {@code cleansession}. */
  public Optional<Boolean> cleanSession() {
    return Optional.ofNullable(cleanSession);
  }

  /** The user name, when it overrides the configuration and the URI. */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /** A copy of the password, when it overrides the configuration and the URI. */
  public Optional<byte[]> password() {
    return Optional.ofNullable(password).map(byte[]::clone);
  }

  /**
   * The HTTP headers of the WebSocket upgrade request ({@code ws}/{@code wss} only), when they
   * replace {@code extra_headers} of the configuration; unmodifiable, in the given order.
   */
  public Optional<Map<String, String>> extraHeaders() {
    return Optional.ofNullable(extraHeaders);
  }

  /**
   * The TLS options for this connection, when they replace {@link MqttConfig#tls()} (as a whole:
   * nothing of the configuration's TLS options is merged in).
   */
  public Optional<TlsOptions> tls() {
    return Optional.ofNullable(tls);
  }

  /**
   * The proxy for this connection, when it replaces {@link MqttConfig#proxy()}; {@link
   * ProxyOptions#none()} connects directly although the configuration names a proxy.
   */
  public Optional<ProxyOptions> proxy() {
    return Optional.ofNullable(proxy);
  }

  /**
   * The overrides; the passwords show as {@code <redacted>}, TLS and proxy options as theirs do.
   */
  @Override
  public String toString() {
    return "ConnectOptions[cleanSession="
        + cleanSession
        + ", username="
        + username
        + ", password="
        + (password == null ? "null" : "<redacted>")
        + (extraHeaders == null ? "" : ", extraHeaders=" + ConfigChecks.redactHeaders(extraHeaders))
        + (tls == null ? "" : ", tls=" + tls)
        + (proxy == null ? "" : ", proxy=" + proxy)
        + "]";
  }

  /** Builds {@link ConnectOptions}. Not thread-safe. */
  public static final class Builder {
    private Boolean cleanSession;
    private String username;
    private byte[] password;
    private Map<String, String> extraHeaders;
    private TlsOptions tls;
    private ProxyOptions proxy;

    private Builder() {}

    /** The MQTT clean-session flag for this connection. */
    public Builder cleanSession(boolean cleanSession) {
      this.cleanSession = cleanSession;
      return this;
    }

    /** The user name and password for this connection. */
    public Builder credentials(String username, String password) {
      return credentials(
          username, password == null ? null : password.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The user name and binary password for this connection; the password may be null.
     *
     * @throws IllegalArgumentException when the user name is not a valid MQTT string, or the
     *     password is longer than 65,535 bytes
     */
    public Builder credentials(String username, byte[] password) {
      Topics.requireValidString(Objects.requireNonNull(username, "username"), "username");
      if (password != null && password.length > Topics.MAX_STRING_BYTES) {
        throw new IllegalArgumentException(
            "password must be at most 65535 bytes, was " + password.length);
      }
      this.username = username;
      this.password = password == null ? null : password.clone();
      return this;
    }

    /**
     * The HTTP headers of the WebSocket upgrade request for this connection, in place of the
     * configuration's {@code extra_headers} (hbmqtt's {@code connect(..., extra_headers)}); ignored
     * by other transports. An empty map sends none.
     *
     * @throws IllegalArgumentException as {@link MqttConfig.Builder#extraHeaders(Map)}
     */
    public Builder extraHeaders(Map<String, String> extraHeaders) {
      this.extraHeaders = ConfigChecks.extraHeaders(extraHeaders);
      return this;
    }

    /**
     * TLS options for this connection, replacing the configuration's, e.g. another {@code cafile}
     * as hbmqtt's {@code connect(uri, cafile=...)} takes it.
     */
    public Builder tls(TlsOptions tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /**
     * The proxy for this connection, replacing the configuration's as a whole; {@link
     * ProxyOptions#none()} to connect directly.
     */
    public Builder proxy(ProxyOptions proxy) {
      this.proxy = Objects.requireNonNull(proxy, "proxy");
      return this;
    }

    public ConnectOptions build() {
      return new ConnectOptions(this);
    }
  }
}
