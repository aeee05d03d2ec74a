package io.vmqtt.vthreads.internal.transport;

import io.vmqtt.TlsOptions;
import io.vmqtt.spi.Transport;
import io.vmqtt.spi.TransportTarget;
import io.vmqtt.vthreads.internal.proxy.TcpConnector;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.BasicTlsPSKExternal;
import org.bouncycastle.tls.BasicTlsPSKIdentity;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.PRFAlgorithm;
import org.bouncycastle.tls.PSKTlsClient;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsPSKExternal;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS-PSK through BouncyCastle's TLS API ({@code bctls}), which JSSE lacks: a {@link
 * TlsClientProtocol} in blocking mode over the socket's streams, whose application-data streams
 * become the {@link Transport}'s. It offers TLS 1.3 with an external PSK (RFC 8446 §4.2.11, the
 * {@code psk_dhe_ke} mode, SHA-256 cipher suites, as OpenSSL's PSK callback expects) and TLS 1.2
 * PSK cipher suites (RFC 4279, 5489, 7905), or what {@code tls_versions} and {@code ciphers} allow.
 *
 * <p>Virtual threads on Java 21: {@code TlsProtocol.writeApplicationData} holds a monitor while it
 * writes to the socket, so a write that blocks on a full send buffer pins its carrier thread until
 * the write completes. Reads hold no monitor.
 *
 * <p>Stateless and thread-safe.
 */
final class PskTls {
  private static final Logger LOG = LoggerFactory.getLogger(PskTls.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** TLS 1.3 suites with SHA-256, the hash OpenSSL assumes for a PSK from its callback. */
  private static final int[] TLS13_SUITES = {
    CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_CHACHA20_POLY1305_SHA256
  };

  /** TLS 1.2 PSK suites, forward-secret first. */
  private static final int[] TLS12_SUITES = {
    CipherSuite.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256,
    CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256,
    CipherSuite.TLS_DHE_PSK_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_DHE_PSK_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256,
    CipherSuite.TLS_PSK_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_PSK_WITH_CHACHA20_POLY1305_SHA256,
    CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256
  };

  private PskTls() {}

  /**
   * Connects and completes the TLS-PSK handshake.
   *
   * @throws IOException when the connection or handshake fails; the message says why
   */
  static Transport open(TransportTarget target, TlsOptions options) throws IOException {
    long start = System.nanoTime();
    String host = TlsSockets.unbracketed(target.host());
    String endpoint = host + ":" + target.port();
    String identity = options.pskIdentity().orElseThrow();
    TlsCrypto crypto = new BcTlsCrypto(RANDOM);
    PskClient client = new PskClient(crypto, identity, options);
    // Directly or through a proxy: the PSK handshake runs end to end with the broker.
    TcpConnector.Connected connected = TcpConnector.connect(target, endpoint);
    Socket socket = connected.socket();
    try {
      TlsSockets.Bound bound =
          TlsSockets.bound(target.connectTimeout(), options.handshakeTimeout(), start);
      socket.setSoTimeout((int) Math.max(1, bound.millis()));
      TlsClientProtocol protocol =
          new TlsClientProtocol(socket.getInputStream(), socket.getOutputStream());
      try {
        protocol.connect(client);
      } catch (SocketTimeoutException e) {
        throw TlsFailures.timeout(e, endpoint, bound.millis(), bound.option());
      } catch (IOException e) {
        throw TlsFailures.psk(e, endpoint, identity);
      }
      socket.setSoTimeout(0); // the reader thread's blocking reads must not time out
      String version = client.negotiatedVersion();
      LOG.debug(
          "{}://{}: {} {} with TLS-PSK identity '{}'",
          target.uri().getScheme(),
          endpoint,
          version,
          cipherSuiteName(client.negotiatedCipherSuite()),
          identity);
      return new TlsTransport(
          socket,
          protocol::close,
          protocol.getInputStream(),
          protocol.getOutputStream(),
          e -> null,
          target.uri().getScheme() + "://" + endpoint + " (" + version + " PSK)" + connected.via());
    } catch (IOException | RuntimeException e) {
      TlsSockets.closeQuietly(socket, e);
      throw e;
    }
  }

  /** The cipher suite numbers of IANA names, for {@code ciphers}. */
  static int[] cipherSuites(List<String> names) throws IOException {
    int[] suites = new int[names.size()];
    for (int i = 0; i < suites.length; i++) {
      suites[i] = cipherSuite(names.get(i));
    }
    return suites;
  }

  /** The IANA name of a cipher suite number, for logs. */
  static String cipherSuiteName(int suite) {
    for (Field f : CipherSuite.class.getFields()) {
      try {
        if (f.getType() == int.class
            && Modifier.isStatic(f.getModifiers())
            && f.getInt(null) == suite) {
          return f.getName();
        }
      } catch (IllegalAccessException e) {
        // public constants; cannot happen
      }
    }
    return String.format("0x%04X", suite);
  }

  private static int cipherSuite(String name) throws IOException {
    try {
      Field f = CipherSuite.class.getField(name);
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
        return f.getInt(null);
      }
    } catch (NoSuchFieldException | IllegalAccessException e) {
      // falls through to the message
    }
    throw new IOException("ciphers: unknown cipher suite '" + name + "' for TLS-PSK");
  }

  /** A PSK client offering TLS 1.3 external PSK and TLS 1.2 PSK suites. */
  private static final class PskClient extends PSKTlsClient {
    private final byte[] identity;
    private final byte[] key;
    private final ProtocolVersion[] versions;
    private final int[] suites;
    private final List<String> alpn;

    PskClient(TlsCrypto crypto, String identity, TlsOptions options) throws IOException {
      super(crypto, new BasicTlsPSKIdentity(identity, options.pskKey().orElseThrow()));
      this.identity = identity.getBytes(StandardCharsets.UTF_8);
      this.key = options.pskKey().orElseThrow();
      List<ProtocolVersion> v = new ArrayList<>();
      List<String> named = options.tlsVersions();
      if (named.isEmpty() || named.contains("TLSv1.3")) {
        v.add(ProtocolVersion.TLSv13);
      }
      if (named.isEmpty() || named.contains("TLSv1.2")) {
        v.add(ProtocolVersion.TLSv12);
      }
      this.versions = v.toArray(new ProtocolVersion[0]);
      int[] wanted;
      if (options.ciphers().isEmpty()) {
        wanted = new int[0];
        if (v.contains(ProtocolVersion.TLSv13)) {
          wanted = concat(wanted, TLS13_SUITES);
        }
        if (v.contains(ProtocolVersion.TLSv12)) {
          wanted = concat(wanted, TLS12_SUITES);
        }
      } else {
        wanted = cipherSuites(options.ciphers());
      }
      this.suites = TlsUtils.getSupportedCipherSuites(crypto, wanted);
      if (suites.length == 0) {
        throw new IOException(
            "ciphers: none of " + options.ciphers() + " is supported for TLS-PSK");
      }
      this.alpn = options.alpn();
    }

    int negotiatedCipherSuite() {
      return context.getSecurityParametersConnection().getCipherSuite();
    }

    /** The version the handshake settled on, e.g. {@code TLS 1.3}. */
    String negotiatedVersion() {
      return context.getServerVersion().getName();
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
      return versions.clone();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
      return suites.clone();
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // bctls's API uses raw Vectors
    public Vector getExternalPSKs() {
      if (!Arrays.asList(versions).contains(ProtocolVersion.TLSv13)) {
        return null;
      }
      Vector psks = new Vector<TlsPSKExternal>(1);
      psks.add(
          new BasicTlsPSKExternal(
              identity, getCrypto().createSecret(key.clone()), PRFAlgorithm.tls13_hkdf_sha256));
      return psks;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    protected Vector getProtocolNames() {
      if (alpn.isEmpty()) {
        return null;
      }
      Vector names = new Vector<ProtocolName>(alpn.size());
      for (String name : alpn) {
        names.add(ProtocolName.asUtf8Encoding(name));
      }
      return names;
    }

    private static int[] concat(int[] a, int[] b) {
      int[] r = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, r, a.length, b.length);
      return r;
    }
  }
}
