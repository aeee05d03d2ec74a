package io.vmqtt.vthreads.internal.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads certificates and private keys from PEM text or DER bytes with BouncyCastle's {@code
 * bcpkix}: certificates in PEM ({@code CERTIFICATE}) or DER; private keys as PKCS#8 ({@code PRIVATE
 * KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}), SEC1 EC ({@code EC PRIVATE KEY}), encrypted PKCS#8
 * ({@code ENCRYPTED PRIVATE KEY}), OpenSSL-encrypted PKCS#1/SEC1 ({@code Proc-Type: 4,ENCRYPTED}),
 * or PKCS#8 DER.
 *
 * <p>Messages name the source ({@code cafile /path}, {@code keydata}) but never contain key
 * material or passwords. Stateless and thread-safe.
 */
final class TlsMaterial {
  /** BouncyCastle's JCA provider, for decrypting keys; not installed in {@code Security}. */
  static final Provider BC = new BouncyCastleProvider();

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
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      try (PEMParser parser = pemParser(data)) {
        Object o;
        while ((o = readObject(parser, source)) != null) {
          if (o instanceof X509CertificateHolder holder) {
            certs.add(converter.getCertificate(holder));
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
      try {
        return convert(PrivateKeyInfo.getInstance(data), source);
      } catch (IllegalArgumentException e) {
        throw new IOException(source + " is neither PEM nor a PKCS#8 DER private key", e);
      }
    }
    PrivateKey key = privateKeyIn(data, source, password);
    if (key == null) {
      throw new IOException(source + " holds no private key");
    }
    return key;
  }

  /** The first private key in PEM text, or null when there is none. */
  private static PrivateKey privateKeyIn(byte[] pem, String source, char[] password)
      throws IOException {
    if (!isPem(pem)) {
      return null;
    }
    try (PEMParser parser = pemParser(pem)) {
      Object o;
      while ((o = readObject(parser, source)) != null) {
        PrivateKey key = toKey(o, source, password);
        if (key != null) {
          return key;
        }
      }
    }
    return null;
  }

  private static PrivateKey toKey(Object o, String source, char[] password) throws IOException {
    try {
      return switch (o) {
        case PrivateKeyInfo info -> convert(info, source); // PKCS#8
        // PKCS#1 RSA, SEC1 EC. Only the private part: a SEC1 key may lack its public key.
        case PEMKeyPair pair -> convert(pair.getPrivateKeyInfo(), source);
        case PKCS8EncryptedPrivateKeyInfo encrypted -> {
          char[] pw = requirePassword(password, source);
          PrivateKeyInfo info;
          try {
            info =
                encrypted.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(pw));
          } catch (PKCSException e) {
            throw wrongPassword(source, e);
          }
          yield convert(info, source);
        }
        case PEMEncryptedKeyPair encrypted -> {
          char[] pw = requirePassword(password, source);
          PEMKeyPair pair;
          try {
            pair =
                encrypted.decryptKeyPair(
                    new JcePEMDecryptorProviderBuilder().setProvider(BC).build(pw));
          } catch (PEMException e) {
            throw wrongPassword(source, e);
          }
          yield convert(pair.getPrivateKeyInfo(), source);
        }
        default -> null;
      };
    } catch (OperatorCreationException e) {
      throw new IOException(source + ": cannot set up decryption of the private key: " + e, e);
    }
  }

  private static PrivateKey convert(PrivateKeyInfo info, String source) throws IOException {
    try {
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (PEMException e) {
      throw new IOException(source + ": the private key cannot be read: " + e.getMessage(), e);
    }
  }

  private static char[] requirePassword(char[] password, String source) throws IOException {
    if (password == null) {
      throw new IOException(source + " holds an encrypted private key; set keyfile_password");
    }
    return password;
  }

  private static IOException wrongPassword(String source, Exception e) {
    return new IOException(
        source + ": the private key cannot be decrypted; is keyfile_password right?", e);
  }

  private static Object readObject(PEMParser parser, String source) throws IOException {
    try {
      return parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new IOException(source + " is not valid PEM: " + e.getMessage(), e);
    }
  }

  private static PEMParser pemParser(byte[] data) {
    Reader reader =
        new InputStreamReader(new ByteArrayInputStream(data), StandardCharsets.US_ASCII);
    return new PEMParser(reader);
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
