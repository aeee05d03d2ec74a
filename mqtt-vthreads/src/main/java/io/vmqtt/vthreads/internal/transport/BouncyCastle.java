package io.vmqtt.vthreads.internal.transport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether BouncyCastle is on the class path, for what needs it: TLS-PSK ({@link PskTls}), the
 * BCJSSE provider ({@code tls_provider bcjsse}), and the private key formats the JDK cannot read
 * (PKCS#1, SEC1, OpenSSL-encrypted; {@link BcPem}). BouncyCastle is an optional dependency of the
 * engine: {@code io.vmqtt:mqtt-tls-bouncycastle} brings it. Classes that use it are only loaded
 * after {@link #require} passed, so a plain {@code mqtt://} or JSSE {@code mqtts://} client never
 * needs it.
 *
 * <p>Stateless and thread-safe.
 */
final class BouncyCastle {
  /** The artifact that brings BouncyCastle, as the errors name it. */
  static final String ARTIFACT = "io.vmqtt:mqtt-tls-bouncycastle";

  /** Its module, which reads BouncyCastle's modules for the engine on the module path. */
  static final String MODULE = "io.vmqtt.tls.bouncycastle";

  /** A class of each jar the features use, by jar. */
  private static final Map<String, String> JARS =
      Map.of(
          "bcprov-jdk18on", "org.bouncycastle.jce.provider.BouncyCastleProvider",
          "bcutil-jdk18on", "org.bouncycastle.asn1.cms.ContentInfo",
          "bcpkix-jdk18on", "org.bouncycastle.openssl.PEMParser",
          "bctls-jdk18on", "org.bouncycastle.tls.TlsClientProtocol");

  private static final List<String> MISSING = missing();

  private BouncyCastle() {}

  private static List<String> missing() {
    List<String> missing = new ArrayList<>();
    for (var jar : JARS.entrySet()) {
      try {
        Class.forName(jar.getValue(), false, BouncyCastle.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        missing.add(jar.getKey());
      }
    }
    missing.sort(null);
    return List.copyOf(missing);
  }

  /** Whether every BouncyCastle jar is there. */
  static boolean available() {
    return MISSING.isEmpty();
  }

  /**
   * Passes when BouncyCastle is there.
   *
   * @param what what needs it, e.g. {@code "TLS-PSK (psk_identity, psk_key)"}
   * @throws IOException saying what needs it and which artifact to add
   */
  static void require(String what) throws IOException {
    if (MISSING.isEmpty()) {
      return;
    }
    String missing = " (" + String.join(", ", MISSING) + " missing): add " + ARTIFACT;
    if (BouncyCastle.class.getModule().isNamed()) {
      // On the module path a jar that is there is still not read until a module requires it.
      throw new IOException(
          what
              + " needs BouncyCastle, which is not in the module graph"
              + missing
              + " to the module path and `requires "
              + MODULE
              + ";` to the application's module-info (or --add-modules "
              + MODULE
              + ")");
    }
    throw new IOException(
        what
            + " needs BouncyCastle, which is not on the class path"
            + missing
            + " next to io.vmqtt:mqtt-vthreads");
  }
}
