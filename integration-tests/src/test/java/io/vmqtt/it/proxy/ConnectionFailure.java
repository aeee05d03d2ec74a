package io.vmqtt.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.ConnectException;
import io.vmqtt.ProxyOptions;

/** Assertions on the {@link ConnectException}s of connections through proxies. */
final class ConnectionFailure {
  private ConnectionFailure() {}

  /** The proxy's name as messages give it: {@code HTTP proxy 127.0.0.1:3128}. */
  static String proxyName(ProxyOptions proxy) {
    return (proxy.type() == ProxyOptions.Type.HTTP ? "HTTP proxy " : "SOCKS5 proxy ")
        + proxy.host().orElseThrow()
        + ":"
        + proxy.port().orElseThrow();
  }

  /** A failure to reach the proxy itself: a network failure, named after the proxy. */
  static void assertUnreachable(ConnectException e, ProxyOptions proxy) {
    assertThat(e).isNotNull();
    assertThat(e.returnCode()).isEqualTo(ConnectException.NO_RETURN_CODE);
    assertThat(e.getMessage()).contains(": " + proxyName(proxy) + " is unreachable: ");
    assertThat(e.getMessage()).containsIgnoringCase("connection refused");
  }
}
