package io.vmqtt.testkit;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** Mosquitto 2.0 password-file lines. Stateless, thread-safe. */
final class PasswordFile {
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordFile() {}

  static void checkUser(String user) {
    Objects.requireNonNull(user, "user");
    if (user.isEmpty() || user.contains(":") || user.contains("\n")) {
      throw new IllegalArgumentException(
          "user name must be non-empty, without ':' or line breaks: '" + user + "'");
    }
  }

  /**
   * {@code user:$7$101$<salt>$<hash>}: PBKDF2 with HMAC-SHA512, 101 iterations, a 12-byte salt and
   * a 64-byte hash, as {@code mosquitto_passwd} writes it.
   */
  static String line(String user, String password) {
    checkUser(user);
    Objects.requireNonNull(password, "password");
    byte[] salt = new byte[12];
    RANDOM.nextBytes(salt);
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, 101, 64 * 8);
      byte[] hash =
          SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
      Base64.Encoder b64 = Base64.getEncoder();
      return user + ":$7$101$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA512 is not available", e);
    }
  }
}
