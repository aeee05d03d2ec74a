package io.vmqtt.vthreads.internal;

import io.vmqtt.TlsOptions;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs, once per client, that TLS host name verification is off ({@code
 * tls_insecure_skip_hostname_verification}, or hbmqtt's {@code check_hostname} false): the first
 * time a connect uses such options. Logged on the client's logger ({@link DefaultMqttClient}).
 *
 * <p>Thread-safe.
 */
final class InsecureTlsWarning {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultMqttClient.class);

  private final String clientId;
  private final AtomicBoolean warned = new AtomicBoolean();

  InsecureTlsWarning(String clientId) {
    this.clientId = clientId;
  }

  /** Warns when {@code tls} turns host name verification off and this client has not warned. */
  void check(TlsOptions tls) {
    if (tls.insecureSkipHostnameVerification() && warned.compareAndSet(false, true)) {
      LOG.warn(
          "client {}: TLS host name verification is off"
              + " (tls_insecure_skip_hostname_verification): the broker's certificate is accepted"
              + " for any host name, so anyone with a certificate from a trusted CA can pose as"
              + " the broker; use it only for testing",
          clientId);
    }
  }
}
