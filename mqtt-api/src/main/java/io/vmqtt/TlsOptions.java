package io.vmqtt;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How {@code mqtts://} and {@code ssl://} connections are secured: trust material, a client
 * certificate, TLS versions, cipher suites, ALPN, the handshake timeout, the TLS engine, or a
 * pre-shared key (TLS-PSK) instead of certificates. Carried by {@link MqttConfig#tls()} and, for
 * one connection, by {@link ConnectOptions#tls()}.
 *
 * <pre>{@code
 * TlsOptions tls = TlsOptions.builder()
 *     .caFile(Path.of("/etc/mosquitto/ca.pem"))           // trust: PEM or DER
 *     .certFile(Path.of("client.pem"))                     // mutual TLS
 *     .keyFile(Path.of("client.key"))
 *     .keyFilePassword("changeit".toCharArray())           // for an encrypted key
 *     .build();
 * MqttConfig config = MqttConfig.builder().tls(tls).build();
 *
 * TlsOptions psk = TlsOptions.builder().psk("sensor-7", HexFormat.of().parseHex("00112233")).build();
 * }</pre>
 *
 * <p>Without trust material the JDK's default trust store is used. Host name verification is on
 * (with SNI) unless {@link Builder#insecureSkipHostnameVerification(boolean)} turns it off, which
 * the client logs as a warning. Certificates and keys are read when a connection is opened, so a
 * file that cannot be read or parsed fails that {@code connect} with a {@link ConnectException}.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows key material, passwords or the
 * pre-shared key. Two options are equal when every value is (byte data by content, a {@link
 * KeyStore} or {@link SSLContext} by identity).
 */
public final class TlsOptions {
  /** The TLS versions that may be named: the JDK disables older ones. */
  public static final List<String> TLS_VERSIONS = List.of("TLSv1.2", "TLSv1.3");

  /** The default bound on the TLS handshake. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private static final String REDACTED = "<redacted>";
  private static final TlsOptions DEFAULTS = new Builder().build();

  /** The TLS implementation used for certificate-based TLS. */
  public enum Provider {
    /** The JDK's JSSE (the default). */
    JSSE,
    /** BouncyCastle's JSSE provider, {@code BCJSSE}. */
    BCJSSE
  }

  private final Path caFile;
  private final Path caPath;
  private final byte[] caData;
  private final KeyStore trustStore;
  private final Path certFile;
  private final Path keyFile;
  private final byte[] certData;
  private final byte[] keyData;
  private final char[] keyFilePassword;
  private final KeyStore keyStore;
  private final char[] keyStorePassword;
  private final SSLContext sslContext;
  private final List<String> tlsVersions;
  private final List<String> ciphers;
  private final List<String> alpn;
  private final Duration handshakeTimeout;
  private final Provider provider;
  private final String pskIdentity;
  private final byte[] pskKey;
  private final boolean insecureSkipHostnameVerification;

  private TlsOptions(Builder b) {
    this.caFile = b.caFile;
    this.caPath = b.caPath;
    this.caData = b.caData;
    this.trustStore = b.trustStore;
    this.certFile = b.certFile;
    this.keyFile = b.keyFile;
    this.certData = b.certData;
    this.keyData = b.keyData;
    this.keyFilePassword = b.keyFilePassword;
    this.keyStore = b.keyStore;
    this.keyStorePassword = b.keyStorePassword;
    this.sslContext = b.sslContext;
    this.tlsVersions = List.copyOf(b.tlsVersions);
    this.ciphers = List.copyOf(b.ciphers);
    this.alpn = List.copyOf(b.alpn);
    this.handshakeTimeout = b.handshakeTimeout;
    this.provider = b.provider;
    this.pskIdentity = b.pskIdentity;
    this.pskKey = b.pskKey;
    this.insecureSkipHostnameVerification = b.insecureSkipHostnameVerification;
  }

  /** No TLS material and every default: the JDK's trust store, JSSE, host name verification. */
  public static TlsOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these values, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** {@code cafile}: trusted CA certificates in a PEM or DER file. */
  public Optional<Path> caFile() {
    return Optional.ofNullable(caFile);
  }

  /** {@code capath}: a directory whose PEM files hold trusted CA certificates. */
  public Optional<Path> caPath() {
    return Optional.ofNullable(caPath);
  }

  /** {@code cadata}: trusted CA certificates as PEM text or DER bytes; a copy. */
  public Optional<byte[]> caData() {
    return Optional.ofNullable(caData).map(byte[]::clone);
  }

  /** Trusted certificates in a {@link KeyStore} handed in; builder only. */
  public Optional<KeyStore> trustStore() {
    return Optional.ofNullable(trustStore);
  }

  /** {@code certfile}: the client certificate chain, PEM (may also hold the private key). */
  public Optional<Path> certFile() {
    return Optional.ofNullable(certFile);
  }

  /** {@code keyfile}: the client's private key, PEM (PKCS#8, PKCS#1, SEC1, encrypted) or DER. */
  public Optional<Path> keyFile() {
    return Optional.ofNullable(keyFile);
  }

  /** {@code certdata}: the client certificate chain as PEM text or bytes; a copy. */
  public Optional<byte[]> certData() {
    return Optional.ofNullable(certData).map(byte[]::clone);
  }

  /** {@code keydata}: the client's private key as PEM text or bytes; a copy. */
  public Optional<byte[]> keyData() {
    return Optional.ofNullable(keyData).map(byte[]::clone);
  }

  /** {@code keyfile_password}: decrypts an encrypted private key; a copy. */
  public Optional<char[]> keyFilePassword() {
    return Optional.ofNullable(keyFilePassword).map(char[]::clone);
  }

  /** The client's key and certificate chain in a {@link KeyStore} handed in; builder only. */
  public Optional<KeyStore> keyStore() {
    return Optional.ofNullable(keyStore);
  }

  /** The password of the {@link #keyStore()}'s key entry; a copy. */
  public Optional<char[]> keyStorePassword() {
    return Optional.ofNullable(keyStorePassword).map(char[]::clone);
  }

  /** A ready {@link SSLContext} handed in, used instead of building one; builder only. */
  public Optional<SSLContext> sslContext() {
    return Optional.ofNullable(sslContext);
  }

  /** {@code tls_version}/{@code tls_versions}: the versions offered; empty = the provider's. */
  public List<String> tlsVersions() {
    return tlsVersions;
  }

  /** {@code ciphers}: the cipher suites offered (IANA names); empty = the provider's defaults. */
  public List<String> ciphers() {
    return ciphers;
  }

  /** {@code alpn}: the ALPN protocol names offered, e.g. {@code x-amzn-mqtt-ca}; empty = none. */
  public List<String> alpn() {
    return alpn;
  }

  /** {@code tls_handshake_timeout}: the bound on the TLS handshake; default 10 s. */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /** {@code tls_provider}: {@code jsse} (the default) or {@code bcjsse}. */
  public Provider provider() {
    return provider;
  }

  /** {@code psk_identity}: the TLS-PSK identity; with {@link #pskKey()}, TLS-PSK is used. */
  public Optional<String> pskIdentity() {
    return Optional.ofNullable(pskIdentity);
  }

  /** {@code psk_key}: the pre-shared key; a copy. */
  public Optional<byte[]> pskKey() {
    return Optional.ofNullable(pskKey).map(byte[]::clone);
  }

  /** Whether these options select TLS-PSK instead of certificates. */
  public boolean isPsk() {
    return pskIdentity != null;
  }

  /**
   * {@code tls_insecure_skip_hostname_verification}: whether the broker's certificate is accepted
   * for any host name; default false. Only for testing.
   */
  public boolean insecureSkipHostnameVerification() {
    return insecureSkipHostnameVerification;
  }

  /** Equal when every value is; byte data by content, key stores and contexts by identity. */
  @Override
  public boolean equals(Object o) {
    return o instanceof TlsOptions t && values(false).equals(t.values(false));
  }

  @Override
  public int hashCode() {
    return values(false).hashCode();
  }

  /**
   * The values that differ from the defaults, by config-map key. Private keys, passwords and the
   * pre-shared key show as {@code <redacted>}; CA data and certificates as their size.
   */
  @Override
  public String toString() {
    return "TlsOptions" + values(true);
  }

  private Map<String, Object> values(boolean redact) {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "cafile", caFile);
    put(m, "capath", caPath);
    put(m, "cadata", bytes(caData, redact, false));
    put(m, "trust_store", trustStore == null ? null : redact ? describe(trustStore) : trustStore);
    put(m, "certfile", certFile);
    put(m, "keyfile", keyFile);
    put(m, "certdata", bytes(certData, redact, false));
    put(m, "keydata", bytes(keyData, redact, true));
    put(m, "keyfile_password", chars(keyFilePassword, redact));
    put(m, "key_store", keyStore == null ? null : redact ? describe(keyStore) : keyStore);
    put(m, "key_store_password", chars(keyStorePassword, redact));
    put(m, "ssl_context", sslContext == null ? null : redact ? describe(sslContext) : sslContext);
    put(m, "tls_versions", tlsVersions.isEmpty() ? null : tlsVersions);
    put(m, "ciphers", ciphers.isEmpty() ? null : ciphers);
    put(m, "alpn", alpn.isEmpty() ? null : alpn);
    put(
        m,
        "tls_handshake_timeout",
        handshakeTimeout.equals(DEFAULT_HANDSHAKE_TIMEOUT)
            ? null
            : ConfigChecks.seconds(handshakeTimeout));
    put(
        m,
        "tls_provider",
        provider == Provider.JSSE ? null : provider.name().toLowerCase(Locale.ROOT));
    put(m, "psk_identity", pskIdentity);
    put(m, "psk_key", bytes(pskKey, redact, true));
    put(
        m,
        "tls_insecure_skip_hostname_verification",
        insecureSkipHostnameVerification ? Boolean.TRUE : null);
    return m;
  }

  private static void put(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  private static Object bytes(byte[] b, boolean redact, boolean secret) {
    if (b == null) {
      return null;
    }
    if (!redact) {
      return ByteBuffer.wrap(b);
    }
    return secret ? REDACTED : "byte[" + b.length + "]";
  }

  private static Object chars(char[] c, boolean redact) {
    if (c == null) {
      return null;
    }
    return redact ? REDACTED : CharBuffer.wrap(c);
  }

  private static String describe(KeyStore ks) {
    return "KeyStore(" + ks.getType() + ")";
  }

  private static String describe(SSLContext c) {
    return "SSLContext(" + c.getProtocol() + ", " + c.getProvider().getName() + ")";
  }

  /**
   * Builds {@link TlsOptions}. Each setter checks its argument and throws {@link
   * IllegalArgumentException} naming the config-map key ({@link NullPointerException} for null);
   * {@link #build()} checks the values that exclude each other. Byte and char arrays are copied.
   * Not thread-safe.
   */
  public static final class Builder {
    private Path caFile;
    private Path caPath;
    private byte[] caData;
    private KeyStore trustStore;
    private Path certFile;
    private Path keyFile;
    private byte[] certData;
    private byte[] keyData;
    private char[] keyFilePassword;
    private KeyStore keyStore;
    private char[] keyStorePassword;
    private SSLContext sslContext;
    private List<String> tlsVersions = List.of();
    private List<String> ciphers = List.of();
    private List<String> alpn = List.of();
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private Provider provider = Provider.JSSE;
    private String pskIdentity;
    private byte[] pskKey;
    private boolean insecureSkipHostnameVerification;

    private Builder() {}

    private Builder(TlsOptions o) {
      caFile = o.caFile;
      caPath = o.caPath;
      caData = o.caData;
      trustStore = o.trustStore;
      certFile = o.certFile;
      keyFile = o.keyFile;
      certData = o.certData;
      keyData = o.keyData;
      keyFilePassword = o.keyFilePassword;
      keyStore = o.keyStore;
      keyStorePassword = o.keyStorePassword;
      sslContext = o.sslContext;
      tlsVersions = o.tlsVersions;
      ciphers = o.ciphers;
      alpn = o.alpn;
      handshakeTimeout = o.handshakeTimeout;
      provider = o.provider;
      pskIdentity = o.pskIdentity;
      pskKey = o.pskKey;
      insecureSkipHostnameVerification = o.insecureSkipHostnameVerification;
    }

    /** Trusted CA certificates in a PEM file (one or more) or a DER file (one). */
    public Builder caFile(Path caFile) {
      this.caFile = Objects.requireNonNull(caFile, "cafile");
      return this;
    }

    /** A directory of PEM files with trusted CA certificates; files without one are skipped. */
    public Builder caPath(Path caPath) {
      this.caPath = Objects.requireNonNull(caPath, "capath");
      return this;
    }

    /**
     * Trusted CA certificates as PEM text or DER bytes.
     *
     * @throws IllegalArgumentException when empty
     */
    public Builder caData(byte[] caData) {
      this.caData = TlsChecks.nonEmpty("cadata", caData);
      return this;
    }

    /** Trusted CA certificates as PEM text. */
    public Builder caData(String pem) {
      return caData(TlsChecks.utf8("cadata", pem));
    }

    /** Trusted certificates in a key store (its certificate entries). */
    public Builder trustStore(KeyStore trustStore) {
      this.trustStore = Objects.requireNonNull(trustStore, "trust_store");
      return this;
    }

    /** The client certificate chain in a PEM file, leaf first; it may hold the key as well. */
    public Builder certFile(Path certFile) {
      this.certFile = Objects.requireNonNull(certFile, "certfile");
      return this;
    }

    /** The client's private key in a PEM or DER file; encrypted needs {@link #keyFilePassword}. */
    public Builder keyFile(Path keyFile) {
      this.keyFile = Objects.requireNonNull(keyFile, "keyfile");
      return this;
    }

    /**
     * The client certificate chain as PEM text or bytes (DER for a single certificate).
     *
     * @throws IllegalArgumentException when empty
     */
    public Builder certData(byte[] certData) {
      this.certData = TlsChecks.nonEmpty("certdata", certData);
      return this;
    }

    /** The client certificate chain as PEM text. */
    public Builder certData(String pem) {
      return certData(TlsChecks.utf8("certdata", pem));
    }

    /**
     * The client's private key as PEM text or bytes (PKCS#8 DER).
     *
     * @throws IllegalArgumentException when empty
     */
    public Builder keyData(byte[] keyData) {
      this.keyData = TlsChecks.nonEmpty("keydata", keyData);
      return this;
    }

    /** The client's private key as PEM text. */
    public Builder keyData(String pem) {
      return keyData(TlsChecks.utf8("keydata", pem));
    }

    /** The password of an encrypted private key ({@code keyfile} or {@code keydata}). */
    public Builder keyFilePassword(char[] password) {
      this.keyFilePassword = Objects.requireNonNull(password, "keyfile_password").clone();
      return this;
    }

    /**
     * The client's private key and certificate chain in a key store: its one key entry (or the one
     * the key manager picks) with this password.
     */
    public Builder keyStore(KeyStore keyStore, char[] password) {
      this.keyStore = Objects.requireNonNull(keyStore, "key_store");
      this.keyStorePassword = Objects.requireNonNull(password, "key_store password").clone();
      return this;
    }

    /**
     * A ready {@link SSLContext}, for users who already have one: its trust and key managers are
     * used as they are, so it excludes every trust and key option and {@code tls_provider}.
     * Versions, ciphers, ALPN and host name verification still apply.
     */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "ssl_context");
      return this;
    }

    /**
     * The TLS versions to offer, from {@link #TLS_VERSIONS} (any case).
     *
     * @throws IllegalArgumentException when empty, unknown or repeated
     */
    public Builder tlsVersions(List<String> versions) {
      Objects.requireNonNull(versions, "tls_versions");
      if (versions.isEmpty()) {
        throw new IllegalArgumentException("tls_versions must name at least one version");
      }
      LinkedHashSet<String> set = new LinkedHashSet<>();
      for (String v : versions) {
        String canonical = TlsChecks.tlsVersion(v);
        if (!set.add(canonical)) {
          throw new IllegalArgumentException("tls_versions names " + canonical + " twice");
        }
      }
      this.tlsVersions = List.copyOf(set);
      return this;
    }

    /** The TLS versions to offer, e.g. {@code tlsVersions("TLSv1.3")}. */
    public Builder tlsVersions(String... versions) {
      return tlsVersions(Arrays.asList(versions));
    }

    /**
     * The cipher suites to offer, by IANA name (e.g. {@code TLS_AES_128_GCM_SHA256}).
     *
     * @throws IllegalArgumentException when empty or a name is blank
     */
    public Builder ciphers(List<String> ciphers) {
      this.ciphers = TlsChecks.names("ciphers", ciphers, Integer.MAX_VALUE);
      return this;
    }

    /**
     * The ALPN protocol names to offer, e.g. {@code x-amzn-mqtt-ca} for AWS IoT on port 443.
     *
     * @throws IllegalArgumentException when empty, or a name is blank or over 255 bytes
     */
    public Builder alpn(List<String> protocols) {
      this.alpn = TlsChecks.names("alpn", protocols, 255);
      return this;
    }

    /** The ALPN protocol names to offer. */
    public Builder alpn(String... protocols) {
      return alpn(Arrays.asList(protocols));
    }

    /**
     * @throws IllegalArgumentException unless positive
     */
    public Builder handshakeTimeout(Duration timeout) {
      this.handshakeTimeout = ConfigChecks.positive("tls_handshake_timeout", timeout);
      return this;
    }

    /** The TLS implementation for certificate-based TLS; JSSE by default. */
    public Builder provider(Provider provider) {
      this.provider = Objects.requireNonNull(provider, "tls_provider");
      return this;
    }

    /**
     * TLS-PSK with this identity and key, instead of certificates: TLS 1.2 PSK cipher suites and
     * TLS 1.3 with an external PSK, through BouncyCastle's TLS API.
     *
     * @throws IllegalArgumentException when the identity or key is empty, or the identity is over
     *     65,535 bytes in UTF-8
     */
    public Builder psk(String identity, byte[] key) {
      this.pskIdentity = TlsChecks.pskIdentity(identity);
      this.pskKey = TlsChecks.pskKey(key);
      return this;
    }

    /** The identity alone, for the config map's {@code psk_identity}; checked by {@link #build}. */
    Builder pskIdentity(String identity) {
      this.pskIdentity = TlsChecks.pskIdentity(identity);
      return this;
    }

    /** The key alone, for the config map's {@code psk_key}; checked by {@link #build}. */
    Builder pskKey(byte[] key) {
      this.pskKey = TlsChecks.pskKey(key);
      return this;
    }

    /**
     * Turns host name verification off: any certificate the trust material accepts is accepted for
     * any host. The client logs a warning. Only for testing.
     */
    public Builder insecureSkipHostnameVerification(boolean skip) {
      this.insecureSkipHostnameVerification = skip;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException when values exclude each other: a key without a certificate,
     *     a file and data for the same thing, an {@link SSLContext} with material, or TLS-PSK with
     *     certificates
     */
    public TlsOptions build() {
      if (certFile != null && certData != null) {
        throw new IllegalArgumentException("give certfile or certdata, not both");
      }
      if (keyFile != null && keyData != null) {
        throw new IllegalArgumentException("give keyfile or keydata, not both");
      }
      if ((keyFile != null || keyData != null) && certFile == null && certData == null) {
        throw new IllegalArgumentException(
            (keyFile != null ? "keyfile" : "keydata") + " requires certfile or certdata");
      }
      if (keyStore != null && (certFile != null || certData != null)) {
        throw new IllegalArgumentException(
            "give a key store or " + (certFile != null ? "certfile" : "certdata") + ", not both");
      }
      if ((pskIdentity == null) != (pskKey == null)) {
        throw new IllegalArgumentException(
            pskIdentity == null
                ? "psk_key requires psk_identity"
                : "psk_identity requires psk_key");
      }
      List<String> material = material();
      if (sslContext != null) {
        if (!material.isEmpty() || provider != Provider.JSSE) {
          List<String> conflicting = new ArrayList<>(material);
          if (provider != Provider.JSSE) {
            conflicting.add("tls_provider");
          }
          throw new IllegalArgumentException(
              "an SSLContext carries its own trust and key material and provider; it cannot be"
                  + " combined with "
                  + String.join(", ", conflicting));
        }
        if (pskIdentity != null) {
          throw new IllegalArgumentException("TLS-PSK (psk_identity) cannot use an SSLContext");
        }
      }
      if (pskIdentity != null && !material.isEmpty()) {
        throw new IllegalArgumentException(
            "TLS-PSK (psk_identity, psk_key) uses no certificates; remove "
                + String.join(", ", material));
      }
      return new TlsOptions(this);
    }

    /** The config keys of the trust and key material given. */
    private List<String> material() {
      List<String> m = new ArrayList<>();
      addIf(m, caFile, "cafile");
      addIf(m, caPath, "capath");
      addIf(m, caData, "cadata");
      addIf(m, trustStore, "trust store");
      addIf(m, certFile, "certfile");
      addIf(m, keyFile, "keyfile");
      addIf(m, certData, "certdata");
      addIf(m, keyData, "keydata");
      addIf(m, keyFilePassword, "keyfile_password");
      addIf(m, keyStore, "key store");
      return m;
    }

    private static void addIf(List<String> m, Object value, String key) {
      if (value != null) {
        m.add(key);
      }
    }
  }
}
