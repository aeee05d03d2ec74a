package io.vmqtt.spi;

import java.io.IOException;
import java.util.Set;

/**
 * Opens {@link Transport}s for a set of URI schemes. Found with {@link java.util.ServiceLoader}.
 */
public interface TransportProvider {
  /** The lower-case URI schemes this provider handles, e.g. {@code mqtt} and {@code tcp}. */
  Set<String> schemes();

  /** The port used when the URI has none. */
  int defaultPort(String scheme);

  /**
   * Opens a connection, bounded by {@link TransportTarget#connectTimeout()}.
   *
   * @throws IOException when the connection cannot be opened; the message names the target
   */
  Transport open(TransportTarget target) throws IOException;
}
