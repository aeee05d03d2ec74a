package io.vmqtt;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The checks of {@link TlsOptions} values, for {@link TlsOptions.Builder}; every message names the
 * config-map key. Messages never contain a key, password or pre-shared key.
 *
 * <p>Stateless and thread-safe.
 */
final class TlsChecks {
  private TlsChecks() {}

  /** A non-empty identity of at most 65,535 bytes in UTF-8. */
  static String pskIdentity(String identity) {
    Objects.requireNonNull(identity, "psk_identity");
    if (identity.isEmpty()) {
      throw new IllegalArgumentException("psk_identity must not be empty");
    }
    int length = identity.getBytes(StandardCharsets.UTF_8).length;
    if (length > Topics.MAX_STRING_BYTES) {
      throw new IllegalArgumentException(
          "psk_identity must be at most 65535 bytes in UTF-8, was " + length);
    }
    return identity;
  }

  /** A copy of a non-empty key. */
  static byte[] pskKey(byte[] key) {
    Objects.requireNonNull(key, "psk_key");
    if (key.length == 0) {
      throw new IllegalArgumentException("psk_key must not be empty");
    }
    return key.clone();
  }

  /** The canonical name of a TLS version from {@link TlsOptions#TLS_VERSIONS}, any case. */
  static String tlsVersion(String v) {
    Objects.requireNonNull(v, "tls_versions element");
    for (String known : TlsOptions.TLS_VERSIONS) {
      if (known.equalsIgnoreCase(v)) {
        return known;
      }
    }
    throw new IllegalArgumentException(
        "tls_versions: unknown TLS version '"
            + v
            + "'; known: "
            + String.join(", ", TlsOptions.TLS_VERSIONS));
  }

  /** A non-empty list of non-blank names of at most {@code maxBytes} bytes each. */
  static List<String> names(String key, List<String> names, int maxBytes) {
    Objects.requireNonNull(names, key);
    if (names.isEmpty()) {
      throw new IllegalArgumentException(key + " must name at least one");
    }
    for (String n : names) {
      Objects.requireNonNull(n, key + " element");
      if (n.isBlank()) {
        throw new IllegalArgumentException(key + " must not contain a blank name");
      }
      if (n.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
        throw new IllegalArgumentException(
            key + " name '" + n + "' is longer than " + maxBytes + " bytes");
      }
    }
    return List.copyOf(names);
  }

  /** A copy of non-empty data. */
  static byte[] nonEmpty(String key, byte[] data) {
    Objects.requireNonNull(data, key);
    if (data.length == 0) {
      throw new IllegalArgumentException(key + " must not be empty");
    }
    return data.clone();
  }

  /** Text as UTF-8. */
  static byte[] utf8(String key, String text) {
    return Objects.requireNonNull(text, key).getBytes(StandardCharsets.UTF_8);
  }
}
