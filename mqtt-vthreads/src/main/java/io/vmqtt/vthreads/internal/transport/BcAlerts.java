package io.vmqtt.vthreads.internal.transport;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;

/**
 * The TLS alert in BouncyCastle's exceptions, for {@link TlsFailures}; loaded only for an exception
 * of BouncyCastle's, so only when BouncyCastle is there. Stateless.
 */
final class BcAlerts {
  private BcAlerts() {}

  /** The alert's name, e.g. {@code decrypt_error}, or null when {@code t} carries none. */
  static String name(Throwable t) {
    if (t instanceof TlsFatalAlert alert) {
      return AlertDescription.getName(alert.getAlertDescription());
    }
    if (t instanceof TlsFatalAlertReceived alert) {
      return AlertDescription.getName(alert.getAlertDescription());
    }
    return null;
  }
}
