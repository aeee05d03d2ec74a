package io.vmqtt.vthreads.internal.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Provider;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
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
 * The private key formats the JDK cannot read, with BouncyCastle's {@code bcpkix}: PKCS#1 RSA
 * ({@code RSA PRIVATE KEY}), SEC1 EC ({@code EC PRIVATE KEY}), OpenSSL-encrypted PKCS#1/SEC1
 * ({@code Proc-Type: 4,ENCRYPTED}), and encrypted PKCS#8 in schemes the JDK lacks. Loaded only once
 * {@link BouncyCastle#require} passed ({@link TlsMaterial} decides).
 *
 * <p>Messages name the source but never contain key material or passwords. Stateless and
 * thread-safe.
 */
final class BcPem {
  /** BouncyCastle's JCA provider; not installed in {@code Security}, only passed by instance. */
  static final Provider BC = new BouncyCastleProvider();

  private BcPem() {}

  /** The first private key in PEM text, or null when there is none. */
  static PrivateKey privateKeyIn(byte[] pem, String source, char[] password) throws IOException {
    Reader reader = new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII);
    try (PEMParser parser = new PEMParser(reader)) {
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
          char[] pw = TlsMaterial.requirePassword(password, source);
          PrivateKeyInfo info;
          try {
            info =
                encrypted.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(pw));
          } catch (PKCSException e) {
            throw TlsMaterial.wrongPassword(source, e);
          }
          yield convert(info, source);
        }
        case PEMEncryptedKeyPair encrypted -> {
          char[] pw = TlsMaterial.requirePassword(password, source);
          PEMKeyPair pair;
          try {
            pair =
                encrypted.decryptKeyPair(
                    new JcePEMDecryptorProviderBuilder().setProvider(BC).build(pw));
          } catch (PEMException e) {
            throw TlsMaterial.wrongPassword(source, e);
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

  private static Object readObject(PEMParser parser, String source) throws IOException {
    try {
      return parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new IOException(source + " is not valid PEM: " + e.getMessage(), e);
    }
  }
}
