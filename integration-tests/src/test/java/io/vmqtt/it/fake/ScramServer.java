package io.vmqtt.it.fake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) for the scripted broker, written from the
 * RFC apart from the client's code: it keeps only the stored key and the server key of one user, as
 * a real server does, and verifies the client's proof against the stored key. One exchange at a
 * time; not thread-safe.
 */
final class ScramServer {
  private final String user;
  private final byte[] salt = "vmqtt-test-salt!".getBytes(StandardCharsets.UTF_8);
  private final int iterations = 4096;
  private final byte[] storedKey;
  private final byte[] serverKey;
  private String clientFirstBare;
  private String serverFirst;

  /** When set, server-final carries a wrong signature: a server that does not know the password. */
  boolean forgeSignature;

  ScramServer(String user, String password) {
    this.user = user;
    byte[] salted = hi(password.getBytes(StandardCharsets.UTF_8), salt, iterations);
    this.storedKey = sha256(hmac(salted, "Client Key"));
    this.serverKey = hmac(salted, "Server Key");
  }

  /** client-first-message in ("n,,n=user,r=nonce"), server-first-message out. */
  byte[] serverFirst(byte[] clientFirst) {
    String message = new String(clientFirst, StandardCharsets.UTF_8);
    if (!message.startsWith("n,,")) {
      throw new AssertionError("no gs2 header n,, in " + message);
    }
    clientFirstBare = message.substring(3);
    String name = attribute(clientFirstBare, "n=");
    if (!name.equals(user)) {
      throw new AssertionError("client-first names user " + name + ", expected " + user);
    }
    String nonce = attribute(clientFirstBare, "r=") + "srv" + System.nanoTime();
    serverFirst =
        "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
    return serverFirst.getBytes(StandardCharsets.UTF_8);
  }

  /** client-final-message in; server-final-message out when its proof is right, else null. */
  byte[] serverFinal(byte[] clientFinal) {
    String message = new String(clientFinal, StandardCharsets.UTF_8);
    String withoutProof = message.substring(0, message.lastIndexOf(",p="));
    byte[] proof = Base64.getDecoder().decode(attribute(message, "p="));
    String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
    byte[] clientSignature = hmac(storedKey, authMessage);
    byte[] clientKey = new byte[proof.length];
    for (int i = 0; i < proof.length; i++) {
      clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
    }
    if (!MessageDigest.isEqual(sha256(clientKey), storedKey)) {
      return null;
    }
    byte[] signature = hmac(serverKey, authMessage);
    if (forgeSignature) {
      signature[0] ^= 1;
    }
    return ("v=" + Base64.getEncoder().encodeToString(signature)).getBytes(StandardCharsets.UTF_8);
  }

  private static String attribute(String message, String prefix) {
    for (String part : message.split(",")) {
      if (part.startsWith(prefix)) {
        return part.substring(prefix.length());
      }
    }
    throw new AssertionError("no " + prefix + " in " + message);
  }

  private static byte[] hi(byte[] password, byte[] salt, int iterations) {
    byte[] u = hmac(password, concat(salt, new byte[] {0, 0, 0, 1}));
    byte[] result = u.clone();
    for (int i = 1; i < iterations; i++) {
      u = hmac(password, u);
      for (int j = 0; j < result.length; j++) {
        result[j] ^= u[j];
      }
    }
    return result;
  }

  private static byte[] hmac(byte[] key, String data) {
    return hmac(key, data.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = new byte[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
