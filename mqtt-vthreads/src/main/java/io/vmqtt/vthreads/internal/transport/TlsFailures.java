package io.vmqtt.vthreads.internal.transport;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns what a failed TLS handshake threw into a message a user can act on: which certificate is
 * not trusted or expired, which host name does not match which certificate, that the broker wants a
 * client certificate or refused the pre-shared key, that the handshake timed out. The original
 * exception is kept as the cause; nothing here puts key material in a message.
 *
 * <p>Stateless and thread-safe.
 */
final class TlsFailures {
  private static final Pattern ALERT = Pattern.compile("([a-z_]+)\\(\\d+\\)|alert: ([a-z_]+)");

  /** Alerts a broker sends when it refuses the client certificate it got. */
  private static final List<String> CLIENT_CERT_REFUSED =
      List.of(
          "bad_certificate",
          "unknown_ca",
          "certificate_unknown",
          "unsupported_certificate",
          "certificate_revoked",
          "certificate_expired",
          "access_denied",
          "decrypt_error");

  /** Alerts a broker sends when the pre-shared key or identity does not match its own. */
  private static final List<String> PSK_REFUSED =
      List.of(
          "unknown_psk_identity",
          "decrypt_error",
          "bad_record_mac",
          "handshake_failure",
          "illegal_parameter",
          "decode_error");

  private TlsFailures() {}

  /**
   * The failure of a certificate-based handshake with {@code endpoint} ({@code host:port}).
   *
   * @param trust what the trust manager saw, or null for an SSLContext handed in
   * @param keys what the key manager saw, or null for an SSLContext handed in
   */
  static IOException handshake(
      IOException e,
      String endpoint,
      String host,
      RecordingTrustManager trust,
      RecordingKeyManager keys) {
    if (trust != null && trust.verdict() != RecordingTrustManager.Verdict.NONE) {
      return certificateRefused(e, host, trust);
    }
    if (keys != null) {
      IOException clientCert = clientCertificate(e, alertName(e), keys);
      if (clientCert != null) {
        return clientCert;
      }
    }
    return failed("TLS handshake with " + endpoint + " failed: " + describe(e), e);
  }

  /**
   * A failure of the first reads or writes after the handshake returned: with TLS 1.3 the broker
   * checks the client certificate only after the client's Finished, so its refusal (an alert, or
   * just a closed connection) meets the first read or write. Returns null when the failure is none
   * of those.
   */
  static IOException afterHandshake(IOException e, RecordingKeyManager keys) {
    if (keys == null) {
      return null;
    }
    return clientCertificate(e, alertName(e), keys);
  }

  /**
   * The broker refused the handshake because of the client certificate: it asked for one and got
   * none, or refused the one it got. {@code alert} is the alert received, or null when the broker
   * just closed the connection (OpenSSL sends its alert and closes, and a client still writing its
   * own handshake messages sees only "Broken pipe"). Null when the failure is not that.
   */
  private static IOException clientCertificate(
      IOException e, String alert, RecordingKeyManager keys) {
    boolean closedOrRefused =
        alert == null || alert.equals("handshake_failure") || CLIENT_CERT_REFUSED.contains(alert);
    if ("certificate_required".equals(alert)
        || (keys.certificateRequested() && !keys.certificateSent() && closedOrRefused)) {
      return failed("the broker requires a client certificate (certfile/keyfile)", e);
    }
    if (keys.certificateSent() && closedOrRefused) {
      return failed(
          "the broker refused the client certificate "
              + keys.sentSubject()
              + " ("
              + (alert == null ? "it closed the connection" : "alert " + alert)
              + "; check certfile/keyfile and the broker's cafile)",
          e);
    }
    return null;
  }

  /** The failure of a TLS-PSK handshake. */
  static IOException psk(IOException e, String endpoint, String identity) {
    String alert = alertName(e);
    if (alert != null && PSK_REFUSED.contains(alert)) {
      return failed(
          "the broker rejected the PSK identity '"
              + identity
              + "' or key (alert "
              + alert
              + " in the TLS-PSK handshake with "
              + endpoint
              + ")",
          e);
    }
    return failed("TLS-PSK handshake with " + endpoint + " failed: " + describe(e), e);
  }

  /** The handshake did not complete in time. */
  static IOException timeout(
      SocketTimeoutException e, String endpoint, long millis, String option) {
    SocketTimeoutException t =
        new SocketTimeoutException(
            "TLS handshake with "
                + endpoint
                + " did not complete within "
                + millis
                + " ms ("
                + option
                + ")");
    t.initCause(e);
    return t;
  }

  private static IOException certificateRefused(
      IOException e, String host, RecordingTrustManager trust) {
    List<X509Certificate> chain = trust.chain();
    if (chain.isEmpty()) {
      return failed("the broker's certificate was refused: " + describe(e), e);
    }
    X509Certificate leaf = chain.get(0);
    if (trust.verdict() == RecordingTrustManager.Verdict.HOST_NAME_MISMATCH) {
      return failed(
          "host name '"
              + host
              + "' does not match the broker's certificate "
              + subject(leaf)
              + " (SAN: "
              + subjectAltNames(leaf)
              + "); set"
              + " tls_insecure_skip_hostname_verification only for testing",
          e);
    }
    if (mentions(e, "expired", CertificateExpiredException.class)) {
      Date now = new Date();
      for (X509Certificate c : chain) {
        if (c.getNotAfter().before(now)) {
          return failed(
              (c == leaf ? "the broker's certificate" : "a certificate in the broker's chain")
                  + " expired on "
                  + c.getNotAfter().toInstant()
                  + ": "
                  + subject(c),
              e);
        }
      }
    }
    if (mentions(e, "not yet valid", CertificateNotYetValidException.class)) {
      for (X509Certificate c : chain) {
        if (c.getNotBefore().toInstant().isAfter(Instant.now())) {
          return failed(
              "the broker's certificate "
                  + subject(c)
                  + " is not valid before "
                  + c.getNotBefore().toInstant(),
              e);
        }
      }
    }
    X509Certificate top = chain.get(chain.size() - 1);
    return failed(
        "the broker's certificate is not trusted: "
            + subject(leaf)
            + ", issued by "
            + top.getIssuerX500Principal().getName()
            + " (check cafile/capath/cadata)",
        e);
  }

  /** Whether the cause chain has an exception of this type, an expiry reason, or the words. */
  private static boolean mentions(Throwable e, String words, Class<? extends Exception> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      if (t instanceof CertPathValidatorException v
          && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED
          && type == CertificateExpiredException.class) {
        return true;
      }
      if (t instanceof CertPathValidatorException v
          && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID
          && type == CertificateNotYetValidException.class) {
        return true;
      }
      String m = t.getMessage();
      if (m != null && m.toLowerCase(Locale.ROOT).contains(words)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** The TLS alert of the failure: from BouncyCastle's exception, or from JSSE's message. */
  static String alertName(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getName().startsWith("org.bouncycastle.tls.")) {
        // BouncyCastle's own exception: BouncyCastle is there, its classes may be loaded.
        String alert = BcAlerts.name(t);
        if (alert != null) {
          return alert;
        }
      }
      String m = t.getMessage();
      if (m != null && (m.contains("alert") || m.contains("Alert"))) {
        Matcher matcher = ALERT.matcher(m);
        if (matcher.find()) {
          return matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String subject(X509Certificate c) {
    return c.getSubjectX500Principal().getName();
  }

  /** The subject alternative names as {@code DNS:host} and {@code IP:address}. */
  static List<String> subjectAltNames(X509Certificate c) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> sans = c.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          int type = (Integer) san.get(0);
          String kind =
              switch (type) {
                case 2 -> "DNS";
                case 7 -> "IP";
                case 1 -> "email";
                case 6 -> "URI";
                default -> "type" + type;
              };
          names.add(kind + ":" + san.get(1));
        }
      }
    } catch (CertificateParsingException e) {
      names.add("<unreadable: " + e.getMessage() + ">");
    }
    return names;
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getName() : m;
  }

  /** An {@link SSLHandshakeException}, the type JSSE gives, with our message and the cause. */
  private static IOException failed(String message, IOException cause) {
    SSLHandshakeException e = new SSLHandshakeException(message);
    e.initCause(cause);
    return e;
  }
}
