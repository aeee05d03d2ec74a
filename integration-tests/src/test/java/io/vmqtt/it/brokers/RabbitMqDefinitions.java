package io.vmqtt.it.brokers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * RabbitMQ's definitions file (users, virtual hosts, permissions), which a {@link RabbitMq} node
 * loads at boot ({@code load_definitions}), with passwords hashed as RabbitMQ stores them.
 * Stateless and thread-safe.
 */
final class RabbitMqDefinitions {
  private RabbitMqDefinitions() {}

  /**
   * The definitions file: these users (tagged administrator), the default virtual host and full
   * permissions on it for each.
   */
  static String json(Map<String, String> users) {
    List<String> userEntries = new ArrayList<>();
    List<String> permissionEntries = new ArrayList<>();
    users.forEach(
        (user, password) -> {
          userEntries.add(
              "{\"name\": "
                  + quote(user)
                  + ", \"password_hash\": "
                  + quote(passwordHash(password))
                  + ", \"hashing_algorithm\": \"rabbit_password_hashing_sha256\""
                  + ", \"tags\": \"administrator\"}");
          permissionEntries.add(
              "{\"user\": "
                  + quote(user)
                  + ", \"vhost\": \"/\", \"configure\": \".*\", \"write\": \".*\","
                  + " \"read\": \".*\"}");
        });
    return "{\n  \"users\": [\n    "
        + String.join(",\n    ", userEntries)
        + "\n  ],\n  \"vhosts\": [{\"name\": \"/\"}],\n  \"permissions\": [\n    "
        + String.join(",\n    ", permissionEntries)
        + "\n  ]\n}\n";
  }

  /**
   * {@code rabbit_password_hashing_sha256}: base64 of a 4-byte salt followed by SHA-256 of the salt
   * and the UTF-8 password.
   */
  static String passwordHash(String password) {
    byte[] salt = new byte[4];
    new SecureRandom().nextBytes(salt);
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(salt);
      byte[] hash = sha256.digest(password.getBytes(StandardCharsets.UTF_8));
      byte[] salted = new byte[salt.length + hash.length];
      System.arraycopy(salt, 0, salted, 0, salt.length);
      System.arraycopy(hash, 0, salted, salt.length, hash.length);
      return Base64.getEncoder().encodeToString(salted);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (ch < 0x20) {
            out.append(String.format("\\u%04x", (int) ch));
          } else {
            out.append(ch);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
