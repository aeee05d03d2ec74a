package io.vmqtt.vthreads.internal.transport;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Wraps the key manager of one connection (or stands in for none) and remembers whether the broker
 * asked for a client certificate and whether one was sent, so that a refused handshake can say "the
 * broker requires a client certificate".
 *
 * <p>Written by the handshake thread, read afterwards by the connecting thread; volatile fields.
 */
final class RecordingKeyManager extends X509ExtendedKeyManager {
  private final X509ExtendedKeyManager delegate; // null: no client certificate configured
  private volatile boolean requested;
  private volatile String chosenAlias;

  RecordingKeyManager(X509ExtendedKeyManager delegate) {
    this.delegate = delegate;
  }

  /** Whether the broker sent a CertificateRequest. */
  boolean certificateRequested() {
    return requested;
  }

  /** Whether a client certificate was chosen to answer it. */
  boolean certificateSent() {
    return chosenAlias != null;
  }

  /** The subject of the client certificate sent, or null. */
  String sentSubject() {
    String alias = chosenAlias;
    if (alias == null || delegate == null) {
      return null;
    }
    X509Certificate[] chain = delegate.getCertificateChain(alias);
    return chain == null || chain.length == 0 ? null : chain[0].getSubjectX500Principal().getName();
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    requested = true;
    String alias = delegate == null ? null : delegate.chooseClientAlias(keyType, issuers, socket);
    chosenAlias = alias;
    return alias;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    requested = true;
    String alias =
        delegate == null ? null : delegate.chooseEngineClientAlias(keyType, issuers, engine);
    chosenAlias = alias;
    return alias;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return delegate == null ? null : delegate.getClientAliases(keyType, issuers);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return delegate == null ? null : delegate.getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return delegate == null ? null : delegate.getPrivateKey(alias);
  }
}
