/**
 * BouncyCastle for vmqtt's TLS: what the JDK's JSSE cannot do. With this module next to the engine
 * ({@code io.vmqtt:mqtt-vthreads}), {@code mqtts://} also offers TLS-PSK ({@code psk_identity},
 * {@code psk_key}), BouncyCastle's JSSE provider ({@code tls_provider bcjsse}) and client keys in
 * PKCS#1, SEC1 and OpenSSL-encrypted PEM. The engine holds the code, and reads BouncyCastle only
 * when one of these is asked for; this module brings BouncyCastle (bcprov, bcpkix, bctls, bcutil),
 * at the version vmqtt is tested with, and on the module path resolves it for the engine.
 */
module io.vmqtt.tls.bouncycastle {
  requires transitive io.vmqtt.vthreads;
  requires transitive org.bouncycastle.provider;
  requires transitive org.bouncycastle.util;
  requires transitive org.bouncycastle.pkix;
  requires transitive org.bouncycastle.tls;
}
