package io.vmqtt.vthreads.internal.transport;

import io.vmqtt.TlsOptions;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Makes the {@link SSLContext} of one connection from {@link TlsOptions}: trust managers from the
 * {@code cafile}/{@code capath}/{@code cadata} certificates or a trust store handed in (the JDK's
 * default trust store when none), key managers from the PEM chain and key or a key store handed in,
 * on JSSE or BouncyCastle's BCJSSE ({@link Bcjsse}, when {@link BouncyCastle} is there). Both
 * managers are wrapped to record what the handshake did, for error messages. A context handed in
 * ({@link TlsOptions#sslContext()}) is used as it is, without recording.
 *
 * <p>Certificates and keys are read for every connection, so a renewed file is picked up by the
 * next connect. Stateless and thread-safe.
 */
final class TlsContexts {

  private TlsContexts() {}

  /**
   * A context and the recorders of its managers (null when the context was handed in).
   *
   * @param context the SSLContext
   * @param trust records the broker's chain and the verdict, or null
   * @param keys records whether a client certificate was asked for and sent, or null
   */
  record TlsContext(SSLContext context, RecordingTrustManager trust, RecordingKeyManager keys) {}

  /**
   * The context for these options.
   *
   * @throws IOException when a file cannot be read, or material cannot be parsed or used; the
   *     message names the option
   */
  static TlsContext create(TlsOptions options) throws IOException {
    if (options.sslContext().isPresent()) {
      return new TlsContext(options.sslContext().get(), null, null);
    }
    Provider provider = null;
    if (options.provider() == TlsOptions.Provider.BCJSSE) {
      BouncyCastle.require("tls_provider bcjsse (BouncyCastle's JSSE provider)");
      provider = Bcjsse.PROVIDER;
    }
    try {
      RecordingTrustManager trust = new RecordingTrustManager(trustManager(options, provider));
      RecordingKeyManager keys = new RecordingKeyManager(keyManager(options, provider));
      SSLContext context =
          provider == null
              ? SSLContext.getInstance("TLS")
              : SSLContext.getInstance("TLS", provider);
      context.init(new KeyManager[] {keys}, new TrustManager[] {trust}, new SecureRandom());
      return new TlsContext(context, trust, keys);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static X509ExtendedTrustManager trustManager(TlsOptions options, Provider provider)
      throws IOException, GeneralSecurityException {
    KeyStore store = options.trustStore().orElse(null);
    List<X509Certificate> certs = new ArrayList<>();
    if (options.caFile().isPresent()) {
      var file = options.caFile().get();
      certs.addAll(TlsMaterial.certificates(TlsMaterial.read("cafile", file), "cafile " + file));
    }
    if (options.caPath().isPresent()) {
      certs.addAll(TlsMaterial.directory(options.caPath().get()));
    }
    if (options.caData().isPresent()) {
      certs.addAll(TlsMaterial.certificates(options.caData().get(), "cadata"));
    }
    if (!certs.isEmpty()) {
      if (store != null) {
        // Both: the store's certificates join the others.
        for (String alias : Collections.list(store.aliases())) {
          if (store.isCertificateEntry(alias)) {
            certs.add((X509Certificate) store.getCertificate(alias));
          }
        }
      }
      store = TlsMaterial.trustStore(certs);
    }
    TrustManagerFactory factory =
        provider == null
            ? TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
            : TrustManagerFactory.getInstance("PKIX", provider);
    factory.init(store); // null: the default trust store
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509ExtendedTrustManager from " + factory.getProvider());
  }

  /** The key manager for the client certificate, or null when there is none. */
  private static X509ExtendedKeyManager keyManager(TlsOptions options, Provider provider)
      throws IOException, GeneralSecurityException {
    KeyStore store;
    char[] password;
    if (options.keyStore().isPresent()) {
      store = options.keyStore().get();
      password = options.keyStorePassword().orElse(new char[0]);
    } else if (options.certFile().isPresent() || options.certData().isPresent()) {
      String certSource = options.certFile().map(p -> "certfile " + p).orElse("certdata");
      byte[] certData =
          options.certFile().isPresent()
              ? TlsMaterial.read("certfile", options.certFile().get())
              : options.certData().get();
      String keySource = options.keyFile().map(p -> "keyfile " + p).orElse("keydata");
      byte[] keyData =
          options.keyFile().isPresent()
              ? TlsMaterial.read("keyfile", options.keyFile().get())
              : options.keyData().orElse(null);
      TlsMaterial.KeyAndChain material =
          TlsMaterial.keyAndChain(
              certData, certSource, keyData, keySource, options.keyFilePassword().orElse(null));
      // An in-memory store only: a random password, since not every JDK's PKCS12 takes none.
      password = UUID.randomUUID().toString().toCharArray();
      store = TlsMaterial.keyStore(material, password);
    } else {
      return null;
    }
    KeyManagerFactory factory =
        provider == null
            ? KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm())
            : KeyManagerFactory.getInstance("PKIX", provider);
    factory.init(store, password);
    for (KeyManager km : factory.getKeyManagers()) {
      if (km instanceof X509ExtendedKeyManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509ExtendedKeyManager from " + factory.getProvider());
  }
}
