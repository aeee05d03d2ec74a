package io.vmqtt.vthreads.internal.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads certificates and private keys from PEM text or DER bytes. With the JDK alone: certificates
 * in PEM ({@code CERTIFICATE}) or DER; private keys as PKCS#8 ({@code PRIVATE KEY}) or PKCS#8 DER,
 * and encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}) with the PBE schemes the JDK has (PBES2 with
 * PBKDF2 and AES, as OpenSSL writes it). With BouncyCastle ({@link BcPem}, when {@link
 * BouncyCastle} is there): the formats the JDK cannot read, PKCS#1 RSA ({@code RSA PRIVATE KEY}),
 * SEC1 EC ({@code EC PRIVATE KEY}), OpenSSL-encrypted PKCS#1/SEC1 ({@code Proc-Type: 4,ENCRYPTED}),
 * and encrypted PKCS#8 whose scheme the JDK lacks; without it they fail with a message naming the
 * artifact to add.
 *
 * <p>Messages name the source ({@code cafile /path}, {@code keydata}) but never contain key
 * material or passwords. Stateless and thread-safe.
 */
final class TlsMaterial {
  /** Key algorithms a PKCS#8 key is tried with, most common first. */
  private static final List<String> KEY_ALGORITHMS =
      List.of("RSA", "EC", "EdDSA", "RSASSA-PSS", "XDH", "DSA");

  private static final byte[] PEM_MARKER = "-----BEGIN".getBytes(StandardCharsets.US_ASCII);

  private TlsMaterial() {}

  /** A private key and the certificate chain it belongs to, leaf first. */
  record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {
    @Override
    public String toString() {
      return "KeyAndChain[key=<redacted>, chain=" + chain.size() + " certificates]";
    }
  }

  /** The bytes of a file; the message names the option and the file. */
  static byte[] read(String key, Path file) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IOException(key + " " + file + " cannot be read: " + e, e);
    }
  }

  /**
   * The certificates in PEM text (one or more; other PEM objects are skipped) or DER bytes (one).
   *
   * @throws IOException naming {@code source} when there is none or one is malformed
   */
  static List<X509Certificate> certificates(byte[] data, String source) throws IOException {
    List<X509Certificate> certs = new ArrayList<>();
    if (isPem(data)) {
      try {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (PemBlock block : PemBlock.parse(data, source)) {
          if (block.type().equals("CERTIFICATE") || block.type().equals("X509 CERTIFICATE")) {
            certs.add(
                (X509Certificate)
                    factory.generateCertificate(new ByteArrayInputStream(block.der())));
          }
        }
      } catch (CertificateException e) {
        throw new IOException(source + " holds a certificate that cannot be read: " + e, e);
      }
    } else {
      try {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (var c : factory.generateCertificates(new ByteArrayInputStream(data))) {
          certs.add((X509Certificate) c);
        }
      } catch (CertificateException e) {
        throw new IOException(
            source + " is neither PEM nor a DER certificate: " + e.getMessage(), e);
      }
    }
    if (certs.isEmpty()) {
      throw new IOException(source + " holds no certificate");
    }
    return certs;
  }

  /**
   * Every certificate in the PEM or DER files of a directory ({@code capath}); files without a
   * certificate are skipped, as OpenSSL skips them.
   *
   * @throws IOException when the directory cannot be read or holds no certificate
   */
  static List<X509Certificate> directory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("capath " + dir + " is not a directory");
    }
    TreeSet<Path> files = new TreeSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        if (Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    }
    List<X509Certificate> certs = new ArrayList<>();
    for (Path file : files) {
      try {
        certs.addAll(certificates(read("capath", file), "capath file " + file));
      } catch (IOException notACertificate) {
        // skipped: capath directories hold other files too (hash links to the same certificates
        // are read twice, which is harmless)
      }
    }
    if (certs.isEmpty()) {
      throw new IOException("capath " + dir + " holds no PEM or DER certificate");
    }
    return certs;
  }

  /** A key store of trusted certificate entries. */
  static KeyStore trustStore(List<X509Certificate> certs) throws GeneralSecurityException {
    KeyStore ks = emptyKeyStore();
    int i = 0;
    for (X509Certificate c : certs) {
      ks.setCertificateEntry("ca-" + i++, c);
    }
    return ks;
  }

  /** A key store with one key entry, {@code client}, protected by {@code password}. */
  static KeyStore keyStore(KeyAndChain material, char[] password) throws GeneralSecurityException {
    KeyStore ks = emptyKeyStore();
    ks.setKeyEntry(
        "client", material.key(), password, material.chain().toArray(new X509Certificate[0]));
    return ks;
  }

  private static KeyStore emptyKeyStore() throws GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try {
      ks.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot create an empty PKCS12 key store", e);
    }
    return ks;
  }

  /**
   * The client's key and chain: the chain from {@code certData}, the key from {@code keyData}, or
   * from {@code certData} when {@code keyData} is null (a PEM file holding both).
   *
   * @throws IOException naming the source when a key is missing, encrypted without a password,
   *     cannot be decrypted, or is malformed
   */
  static KeyAndChain keyAndChain(
      byte[] certData, String certSource, byte[] keyData, String keySource, char[] password)
      throws IOException {
    List<X509Certificate> chain = certificates(certData, certSource);
    PrivateKey key =
        keyData != null
            ? privateKey(keyData, keySource, password)
            : privateKeyIn(certData, certSource, password);
    if (key == null) {
      throw new IOException(
          certSource + " holds no private key; give keyfile or keydata with the client's key");
    }
    return new KeyAndChain(key, chain);
  }

  /**
   * The private key in PEM text or PKCS#8 DER bytes.
   *
   * @throws IOException naming {@code source} when there is none or it cannot be read
   */
  static PrivateKey privateKey(byte[] data, String source, char[] password) throws IOException {
    if (!isPem(data)) {
      PrivateKey key = pkcs8(data);
      if (key == null) {
        throw new IOException(source + " is neither PEM nor a PKCS#8 DER private key");
      }
      return key;
    }
    PrivateKey key = privateKeyIn(data, source, password);
    if (key == null) {
      throw new IOException(source + " holds no private key");
    }
    return key;
  }

  /**
   * The first private key in PEM text, or null when there is none. The formats only BouncyCastle
   * reads go to {@link BcPem}, after {@link BouncyCastle#require}.
   */
  private static PrivateKey privateKeyIn(byte[] pem, String source, char[] password)
      throws IOException {
    if (!isPem(pem)) {
      return null;
    }
    for (PemBlock block : PemBlock.parse(pem, source)) {
      String type = block.type();
      if (type.equals("PRIVATE KEY") && !block.encrypted()) {
        PrivateKey key = pkcs8(block.der());
        if (key == null) {
          throw new IOException(
              source
                  + ": the private key cannot be read: no key factory of "
                  + String.join(", ", KEY_ALGORITHMS)
                  + " takes it");
        }
        return key;
      }
      if (type.equals("ENCRYPTED PRIVATE KEY")) {
        char[] pw = requirePassword(password, source);
        PrivateKey key = encryptedPkcs8(block.der(), source, pw);
        if (key != null) {
          return key;
        }
        BouncyCastle.require(source + ": its encrypted private key, in a scheme the JDK lacks,");
        return BcPem.privateKeyIn(pem, source, password);
      }
      if (type.endsWith("PRIVATE KEY")) {
        if (block.encrypted()) {
          requirePassword(password, source);
        }
        BouncyCastle.require(
            source
                + ": its private key in OpenSSL's traditional form ("
                + type
                + (block.encrypted() ? ", encrypted" : "")
                + "; the JDK reads PKCS#8, e.g. after `openssl pkcs8 -topk8`)");
        return BcPem.privateKeyIn(pem, source, password);
      }
    }
    return null;
  }

  /** A PKCS#8 key, with the first key factory that takes it; null when none does. */
  private static PrivateKey pkcs8(byte[] der) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException | RuntimeException notThisOne) {
        // the next algorithm
      }
    }
    return null;
  }

  /**
   * An encrypted PKCS#8 key decrypted with the JDK's PBE ciphers; null when the JDK has no cipher
   * for its scheme.
   *
   * @throws IOException when it is malformed, or the password does not decrypt it
   */
  private static PrivateKey encryptedPkcs8(byte[] der, String source, char[] password)
      throws IOException {
    EncryptedPrivateKeyInfo info;
    try {
      info = new EncryptedPrivateKeyInfo(der);
    } catch (IOException | RuntimeException e) {
      throw new IOException(source + " is not valid PEM: " + e.getMessage(), e);
    }
    Cipher cipher;
    try {
      AlgorithmParameters params = info.getAlgParameters();
      // PBES2's parameters name the cipher, e.g. PBEWithHmacSHA256AndAES_256.
      String scheme = params == null ? info.getAlgName() : params.toString();
      SecretKeyFactory factory = SecretKeyFactory.getInstance(scheme);
      cipher = Cipher.getInstance(scheme);
      cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password)), params);
    } catch (NoSuchAlgorithmException e) {
      return null;
    } catch (GeneralSecurityException | RuntimeException e) {
      return null; // e.g. parameters the JDK's cipher does not take: BouncyCastle may
    }
    PrivateKey key;
    try {
      key = pkcs8(info.getKeySpec(cipher).getEncoded());
    } catch (GeneralSecurityException e) {
      throw wrongPassword(source, e);
    }
    if (key == null) {
      // Decryption with a wrong password may end in valid padding and still no key.
      throw wrongPassword(source, null);
    }
    return key;
  }

  static char[] requirePassword(char[] password, String source) throws IOException {
    if (password == null) {
      throw new IOException(source + " holds an encrypted private key; set keyfile_password");
    }
    return password;
  }

  static IOException wrongPassword(String source, Exception e) {
    return new IOException(
        source + ": the private key cannot be decrypted; is keyfile_password right?", e);
  }

  /**
   * One PEM object: its type ({@code CERTIFICATE}, {@code PRIVATE KEY}...), whether its headers say
   * it is encrypted (OpenSSL's {@code Proc-Type: 4,ENCRYPTED}), and its DER bytes.
   */
  record PemBlock(String type, boolean encrypted, byte[] der) {
    /**
     * The PEM objects in the data, in order; text outside them is skipped, as OpenSSL skips it.
     *
     * @throws IOException naming {@code source} when an object does not end or is not Base64
     */
    static List<PemBlock> parse(byte[] data, String source) throws IOException {
      List<PemBlock> blocks = new ArrayList<>();
      String[] lines = new String(data, StandardCharsets.US_ASCII).split("\\r?\\n|\\r");
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i].strip();
        if (!line.startsWith("-----BEGIN ") || !line.endsWith("-----")) {
          continue;
        }
        String type = line.substring(11, line.length() - 5);
        String end = "-----END " + type + "-----";
        StringBuilder base64 = new StringBuilder();
        boolean encrypted = false;
        int j = i + 1;
        for (; j < lines.length && !lines[j].strip().equals(end); j++) {
          String body = lines[j].strip();
          if (body.contains(":")) {
            encrypted |=
                body.toUpperCase(Locale.ROOT).startsWith("PROC-TYPE:")
                    && body.toUpperCase(Locale.ROOT).contains("ENCRYPTED");
          } else {
            base64.append(body);
          }
        }
        if (j == lines.length) {
          throw new IOException(source + " is not valid PEM: " + end + " not found");
        }
        try {
          blocks.add(new PemBlock(type, encrypted, Base64.getDecoder().decode(base64.toString())));
        } catch (IllegalArgumentException e) {
          throw new IOException(
              source + " is not valid PEM: the " + type + " is not Base64: " + e.getMessage(), e);
        }
        i = j;
      }
      return blocks;
    }
  }

  /** Whether the data is PEM: it contains {@code -----BEGIN}. */
  static boolean isPem(byte[] data) {
    outer:
    for (int i = 0; i + PEM_MARKER.length <= data.length; i++) {
      for (int j = 0; j < PEM_MARKER.length; j++) {
        if (data[i + j] != PEM_MARKER[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
