package io.vmqtt.it.proxy;

import io.vmqtt.it.fixture.DanteProxy;
import io.vmqtt.it.fixture.RealProxy;
import io.vmqtt.it.fixture.Tinyproxy;
import java.util.List;
import java.util.function.Supplier;

/**
 * One real proxy setup the proxy tests run through: tinyproxy (HTTP {@code CONNECT}) or danted
 * (SOCKS5), each without and with authentication.
 *
 * @param name shown in test names
 * @param start starts a fresh proxy of this kind
 */
record ProxyKind(String name, Supplier<RealProxy> start) {
  /** The Basic credentials tinyproxy is given in {@link #TINYPROXY_BASIC}. */
  static final String HTTP_USER = "alice";

  static final String HTTP_PASSWORD = "tiny-s3cret-Pw";

  static final ProxyKind TINYPROXY = new ProxyKind("tinyproxy", Tinyproxy::start);

  static final ProxyKind TINYPROXY_BASIC =
      new ProxyKind(
          "tinyproxy with Basic auth",
          () -> Tinyproxy.builder().basicAuth(HTTP_USER, HTTP_PASSWORD).start());

  static final ProxyKind DANTE = new ProxyKind("danted", DanteProxy::start);

  static final ProxyKind DANTE_USERNAME =
      new ProxyKind(
          "danted with user name and password", () -> DanteProxy.builder().usernameAuth().start());

  /** Every kind: both protocols, with and without authentication. */
  static final List<ProxyKind> ALL = List.of(TINYPROXY, TINYPROXY_BASIC, DANTE, DANTE_USERNAME);

  /** The authenticating kinds. */
  static final List<ProxyKind> AUTHENTICATING = List.of(TINYPROXY_BASIC, DANTE_USERNAME);

  RealProxy startProxy() {
    return start.get();
  }

  @Override
  public String toString() {
    return name;
  }
}
