package io.vmqtt.vthreads.internal.transport;

import java.security.Provider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * BouncyCastle's JSSE provider, for {@code tls_provider bcjsse}; not installed in {@code Security},
 * only passed by instance. Loaded only once {@link BouncyCastle#require} passed.
 */
final class Bcjsse {
  static final Provider PROVIDER = new BouncyCastleJsseProvider(BcPem.BC);

  private Bcjsse() {}
}
