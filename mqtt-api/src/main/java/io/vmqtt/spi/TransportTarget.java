package io.vmqtt.spi;

import io.vmqtt.ConnectOptions;
import io.vmqtt.MqttConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how a {@link TransportProvider} should connect.
 *
 * @param uri the URI the user gave
 * @param host the host to connect to
 * @param port the port, with the scheme's default applied
 * @param connectTimeout the bound on opening the connection, including any handshake
 * @param options the per-connection options
 * @param config the client configuration
 */
public record TransportTarget(
    URI uri,
    String host,
    int port,
    Duration connectTimeout,
    ConnectOptions options,
    MqttConfig config) {
  public TransportTarget {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(config, "config");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
  }
}
