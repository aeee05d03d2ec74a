package io.vmqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
  private final Integer protocolVersion;
  private final Duration sessionExpiryInterval;
  private final List<UserProperty> userProperties;

  private ConnectOptions(Builder b) {
    this.cleanSession = b.cleanSession;
    this.username = b.username;
    this.password = b.password;
    this.extraHeaders = b.extraHeaders;
    this.tls = b.tls;
    this.proxy = b.proxy;
    this.protocolVersion = b.protocolVersion;
    this.sessionExpiryInterval = b.sessionExpiryInterval;
    this.userProperties = List.copyOf(b.userProperties);
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

  /** The protocol level for this connection, when it overrides {@code protocol_version}. */
  public Optional<Integer> protocolVersion() {
    return Optional.ofNullable(protocolVersion);
  }

  /**
   * MQTT 5's Session Expiry Interval for this connection, when it overrides {@code
   * session_expiry_interval} (and what {@code cleansession} maps to).
   */
  public Optional<Duration> sessionExpiryInterval() {
    return Optional.ofNullable(sessionExpiryInterval);
  }

  /**
   * The User Properties CONNECT carries with MQTT 5, in order; empty by default. MQTT 3.1/3.1.1
   * cannot carry them: connecting with some fails before anything is sent.
   */
  public List<UserProperty> userProperties() {
    return userProperties;
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
        + (protocolVersion == null ? "" : ", protocolVersion=" + protocolVersion)
        + (sessionExpiryInterval == null
            ? ""
            : ", sessionExpiryInterval=" + ConfigChecks.seconds(sessionExpiryInterval))
        + (userProperties.isEmpty() ? "" : ", userProperties=" + userProperties)
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
    private Integer protocolVersion;
    private Duration sessionExpiryInterval;
    private final List<UserProperty> userProperties = new ArrayList<>();

    private Builder() {}

    /**
     * The protocol level for this connection: 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0).
     *
     * @throws IllegalArgumentException for another value
     */
    public Builder protocolVersion(int protocolVersion) {
      this.protocolVersion = ConfigChecks.protocolVersion(protocolVersion);
      return this;
    }

    /**
     * MQTT 5's Session Expiry Interval for this connection.
     *
     * @throws IllegalArgumentException unless whole seconds 0..4294967295
     */
    public Builder sessionExpiryInterval(Duration sessionExpiryInterval) {
      this.sessionExpiryInterval = ConfigChecks.sessionExpiryInterval(sessionExpiryInterval);
      return this;
    }

    /**
     * Adds a User Property to CONNECT (MQTT 5); names may repeat, the order is kept.
     *
     * @throws IllegalArgumentException as {@link UserProperty#UserProperty}
     */
    public Builder userProperty(String name, String value) {
      userProperties.add(new UserProperty(name, value));
      return this;
    }

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
