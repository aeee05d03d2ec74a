package io.vmqtt.internal.auth;

import io.vmqtt.AuthenticationException;
import io.vmqtt.spi.AuthenticationContext;
import io.vmqtt.spi.Authenticator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-256 (RFC 5802 with RFC 7677's hash) carried over MQTT 5 AUTH as EMQX and HiveMQ
 * Enterprise carry it: client-first-message in CONNECT's Authentication Data, server-first-message
 * in AUTH 0x18, client-final-message in the client's AUTH 0x18, server-final-message ({@code v=})
 * in CONNACK 0x00 (or AUTH 0x00 for a re-authentication), whose server signature is checked: a
 * server that does not know the password cannot make it, and the connection is refused.
 *
 * <p>No channel binding (gs2 header {@code n,,}). The password is used as its bytes are (UTF-8 for
 * a string), without SASLprep: the same for every ASCII password. The user name is escaped as RFC
 * 5802 says ({@code =} as {@code =3D}, {@code ,} as {@code =2C}). The iteration count the server
 * asks for is bounded by {@link #MAX_ITERATIONS}, so a hostile server cannot make the client spin.
 *
 * <p>Thread-safe; each exchange is used by one thread at a time.
 */
public final class Scram implements Authenticator {
  /** The method name, as EMQX and HiveMQ Enterprise spell it. */
  public static final String SHA_256 = "SCRAM-SHA-256";

  /** The most PBKDF2 iterations accepted from a server: about a second of work. */
  static final int MAX_ITERATIONS = 1_000_000;

  private static final String GS2_HEADER = "n,,";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Supplier<String> nonces;

  /** SCRAM-SHA-256 with 24 random bytes of nonce per exchange. */
  public Scram() {
    this(Scram::randomNonce);
  }

  /** With the client nonces {@code nonces} gives, for the test vectors. */
  Scram(Supplier<String> nonces) {
    this.nonces = nonces;
  }

  private static String randomNonce() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64.getEncoder()
        .withoutPadding()
        .encodeToString(b)
        .replace('+', '-')
        .replace('/', '_');
  }

  @Override
  public String method() {
    return SHA_256;
  }

  /**
   * @throws AuthenticationException when the context has no user name or no password
   */
  @Override
  public Exchange start(AuthenticationContext context) {
    String user =
        context
            .username()
            .orElseThrow(
                () ->
                    new AuthenticationException(
                        SHA_256
                            + " needs a user name and password (the URI's user info, the"
                            + " ConnectOptions' credentials or username/password); there is no"
                            + " user name"));
    byte[] password =
        context
            .password()
            .orElseThrow(
                () ->
                    new AuthenticationException(
                        SHA_256 + " needs a password for user '" + user + "'; there is none"));
    return new ScramExchange(user, password, nonces.get());
  }

  @Override
  public String toString() {
    return SHA_256;
  }

  /** One SCRAM exchange: client-first, then the answer to server-first, then server-final. */
  static final class ScramExchange implements Exchange {
    private final String clientFirstBare;
    private final byte[] password;
    private final String clientNonce;
    private byte[] expectedServerSignature;

    ScramExchange(String user, byte[] password, String clientNonce) {
      this.password = password;
      this.clientNonce = clientNonce;
      this.clientFirstBare = "n=" + escape(user) + ",r=" + clientNonce;
    }

    /** RFC 5802 section 5.1: "=" and "," in a saslname. */
    static String escape(String user) {
      return user.replace("=", "=3D").replace(",", "=2C");
    }

    @Override
    public byte[] initialData() {
      return ascii(GS2_HEADER + clientFirstBare);
    }

    /**
     * server-first-message in, client-final-message out.
     *
     * @throws AuthenticationException when it is not a server-first-message, its nonce does not
     *     extend ours, or its iteration count is out of bounds; or when it came a second time
     */
    @Override
    public byte[] challenge(byte[] data) {
      if (expectedServerSignature != null) {
        throw new AuthenticationException(
            SHA_256 + ": a second challenge after the client-final-message; expected the outcome");
      }
      String serverFirst = new String(data, StandardCharsets.UTF_8);
      String nonce = attribute(serverFirst, 'r');
      byte[] salt = decode(attribute(serverFirst, 's'), "salt", serverFirst);
      int iterations = iterations(attribute(serverFirst, 'i'), serverFirst);
      if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
        throw new AuthenticationException(
            SHA_256
                + ": the server's nonce does not extend the client's (RFC 5802 section 5.1): "
                + serverFirst);
      }
      String channelBinding = Base64.getEncoder().encodeToString(ascii(GS2_HEADER));
      String finalWithoutProof = "c=" + channelBinding + ",r=" + nonce;
      String authMessage = clientFirstBare + "," + serverFirst + "," + finalWithoutProof;
      byte[] salted = hi(password, salt, iterations);
      byte[] clientKey = hmac(salted, ascii("Client Key"));
      byte[] storedKey = sha256(clientKey);
      byte[] clientSignature = hmac(storedKey, ascii(authMessage));
      byte[] proof = clientKey.clone();
      for (int i = 0; i < proof.length; i++) {
        proof[i] ^= clientSignature[i];
      }
      expectedServerSignature = hmac(hmac(salted, ascii("Server Key")), ascii(authMessage));
      return ascii(finalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
    }

    /**
     * server-final-message: its {@code v=} must be the server signature.
     *
     * @throws AuthenticationException when the server accepted without a challenge, sent {@code
     *     e=}, or a signature that is not the one only the password gives
     */
    @Override
    public void success(byte[] data) {
      if (expectedServerSignature == null) {
        throw new AuthenticationException(
            SHA_256
                + ": the server accepted without sending server-first-message, so it did not"
                + " prove that it knows the password");
      }
      String serverFinal = new String(data, StandardCharsets.UTF_8);
      if (serverFinal.startsWith("e=")) {
        throw new AuthenticationException(
            SHA_256 + ": the server reported an error: " + serverFinal.substring(2));
      }
      byte[] signature = decode(attribute(serverFinal, 'v'), "server signature", serverFinal);
      if (!MessageDigest.isEqual(signature, expectedServerSignature)) {
        throw new AuthenticationException(
            SHA_256
                + ": the server signature is wrong: the server does not know the password of"
                + " this user (RFC 5802 section 5)");
      }
    }

    private static int iterations(String value, String message) {
      int i;
      try {
        i = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        i = -1;
      }
      if (i < 1 || i > MAX_ITERATIONS) {
        throw new AuthenticationException(
            SHA_256
                + ": iteration count must be 1.."
                + MAX_ITERATIONS
                + ", was '"
                + value
                + "' in "
                + message);
      }
      return i;
    }

    /** The value of {@code name=} in a comma-separated SCRAM message. */
    private static String attribute(String message, char name) {
      for (String part : message.split(",", -1)) {
        if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
          return part.substring(2);
        }
      }
      throw new AuthenticationException(
          SHA_256 + ": no '" + name + "=' in the server's message '" + message + "'");
    }

    private static byte[] decode(String base64, String what, String message) {
      try {
        return Base64.getDecoder().decode(base64);
      } catch (IllegalArgumentException e) {
        throw new AuthenticationException(
            SHA_256 + ": the " + what + " is not base64 in '" + message + "'", e);
      }
    }
  }

  /** Hi() of RFC 5802: PBKDF2 with HMAC-SHA-256 and one block. */
  static byte[] hi(byte[] password, byte[] salt, int iterations) {
    Mac mac = mac(password);
    mac.update(salt);
    mac.update(new byte[] {0, 0, 0, 1});
    byte[] u = mac.doFinal();
    byte[] result = u.clone();
    for (int i = 1; i < iterations; i++) {
      u = mac.doFinal(u);
      for (int j = 0; j < result.length; j++) {
        result[j] ^= u[j];
      }
    }
    return result;
  }

  static byte[] hmac(byte[] key, byte[] data) {
    return mac(key).doFinal(data);
  }

  private static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      // An empty password is a valid HMAC key, which SecretKeySpec refuses: one zero byte is the
      // same key (HMAC pads keys with zeros).
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Scram;
  }

  @Override
  public int hashCode() {
    return Objects.hash(SHA_256);
  }
}
