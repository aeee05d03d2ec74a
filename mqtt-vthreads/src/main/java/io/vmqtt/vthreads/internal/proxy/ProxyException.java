package io.vmqtt.vthreads.internal.proxy;

import java.io.IOException;

/**
 * Opening a connection through a proxy failed, at the {@link Hop} it names; the message says what
 * happened with the proxy's own words (HTTP status and reason, SOCKS5 reply code) and never a
 * password. A timeout is a {@link java.net.SocketTimeoutException} instead.
 */
public final class ProxyException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Where on the way to the broker the connection failed. */
  public enum Hop {
    /** The proxy could not be reached: unknown host, connection refused, no route. */
    PROXY_UNREACHABLE,
    /** The proxy asked for credentials that were not given, or rejected those given. */
    PROXY_AUTHENTICATION,
    /** The proxy refused to open the tunnel: a rule, a port it does not allow, a command. */
    PROXY_REFUSED,
    /** The proxy could not reach the broker: refused, unreachable, unknown name. */
    BROKER_UNREACHABLE,
    /** The proxy answered something its protocol does not allow, or closed the connection. */
    PROXY_PROTOCOL
  }

  private final Hop hop;

  ProxyException(Hop hop, String message) {
    super(message);
    this.hop = hop;
  }

  ProxyException(Hop hop, String message, Throwable cause) {
    super(message, cause);
    this.hop = hop;
  }

  /** Where the connection failed. */
  public Hop hop() {
    return hop;
  }
}
