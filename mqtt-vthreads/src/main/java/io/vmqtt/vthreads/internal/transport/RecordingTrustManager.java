package io.vmqtt.vthreads.internal.transport;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Wraps the trust manager of one connection and remembers what it was asked, so that a failed
 * handshake can name the broker's certificate: the chain the broker sent, and whether the chain
 * itself was refused (not trusted, expired) or only the host name check failed.
 *
 * <p>The chain is checked twice: first without the socket, which is path validation alone, then
 * with it, which adds the host name check that the socket's endpoint identification asks for. So a
 * failure of the second check alone is a host name mismatch.
 *
 * <p>Used by the handshake thread and read afterwards by the connecting thread (the handshake
 * happens-before its outcome is seen); the fields are volatile for that.
 */
final class RecordingTrustManager extends X509ExtendedTrustManager {
  /** What went wrong, if anything. */
  enum Verdict {
    NONE,
    CHAIN_REFUSED,
    HOST_NAME_MISMATCH
  }

  private final X509ExtendedTrustManager delegate;
  private volatile List<X509Certificate> chain = List.of();
  private volatile Verdict verdict = Verdict.NONE;

  RecordingTrustManager(X509ExtendedTrustManager delegate) {
    this.delegate = delegate;
  }

  /** The chain the broker sent, leaf first; empty when none was checked. */
  List<X509Certificate> chain() {
    return chain;
  }

  Verdict verdict() {
    return verdict;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkChain(chain, authType);
    try {
      delegate.checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      verdict = Verdict.HOST_NAME_MISMATCH;
      throw e;
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkChain(chain, authType);
    try {
      delegate.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      verdict = Verdict.HOST_NAME_MISMATCH;
      throw e;
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    checkChain(chain, authType);
  }

  private void checkChain(X509Certificate[] chain, String authType) throws CertificateException {
    this.chain = chain == null ? List.of() : List.of(chain);
    try {
      delegate.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      verdict = Verdict.CHAIN_REFUSED;
      throw e;
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
