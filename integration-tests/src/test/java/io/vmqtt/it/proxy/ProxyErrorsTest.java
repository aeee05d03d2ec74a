package io.vmqtt.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vmqtt.ConnectException;
import io.vmqtt.ConnectOptions;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.ProxyOptions;
import io.vmqtt.it.fixture.BrokerTransport;
import io.vmqtt.it.fixture.DanteProxy;
import io.vmqtt.it.fixture.RealProxy;
import io.vmqtt.it.fixture.Tinyproxy;
import io.vmqtt.testkit.MosquittoBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every way a connection through a real proxy fails, each a {@link ConnectException} whose message
 * names the hop that failed in the proxy's own words: the proxy unreachable, the proxy asking for
 * or rejecting credentials, the proxy refusing, the broker unreachable behind the proxy. The facts
 * about tinyproxy 1.11.1 and Dante 1.4.2 are on {@link Tinyproxy} and {@link DanteProxy}.
 */
class ProxyErrorsTest {
  /** One broker with a listener per transport for the class. */
  static MosquittoBroker broker;

  static final SharedProxies proxies = new SharedProxies();

  @BeforeAll
  static void startBroker() {
    MosquittoBroker.Builder b = MosquittoBroker.builder();
    BrokerTransport.configureAll(b);
    broker = b.start();
  }

  @AfterAll
  static void stopAll() {
    try {
      proxies.close();
    } finally {
      broker.close();
    }
  }

  static final String UNKNOWN_BROKER = "mqtt://no-such-broker.invalid:1883";

  // --- tinyproxy ---------------------------------------------------------------------------------

  @Test
  void tinyproxyWantsCredentialsThatWereNotGiven() throws Exception {
    RealProxy proxy = proxies.get(ProxyKind.TINYPROXY_BASIC);
    ConnectException e = failure(proxy.optionsWithoutCredentials(), localhost(broker));
    assertThat(e.getMessage())
        .isEqualTo(
            "cannot connect to "
                + localhost(broker)
                + ": HTTP proxy 127.0.0.1:"
                + proxy.port()
                + " requires authentication (HTTP 407 Proxy Authentication Required,"
                + " Proxy-Authenticate: Basic realm=\"Tinyproxy\"); set proxy_username and"
                + " proxy_password");
  }

  /** Tinyproxy answers wrong Basic credentials with 401, not 407. */
  @Test
  void tinyproxyRejectsAWrongPassword() throws Exception {
    RealProxy proxy = proxies.get(ProxyKind.TINYPROXY_BASIC);
    ConnectException e =
        failure(proxy.optionsWithCredentials("alice", "wrong-Pa55word"), localhost(broker));
    assertThat(e.getMessage())
        .isEqualTo(
            "cannot connect to "
                + localhost(broker)
                + ": HTTP proxy 127.0.0.1:"
                + proxy.port()
                + " rejected the credentials of user 'alice' (HTTP 401 Unauthorized)")
        .doesNotContain("wrong-Pa55word");
  }

  @Test
  void tinyproxyRefusesAPortItsConnectPortsDoNotAllow() throws Exception {
    try (Tinyproxy proxy = Tinyproxy.builder().connectPort(443).start()) {
      ConnectException e = failure(proxy.options(), localhost(broker));
      assertThat(e.getMessage())
          .isEqualTo(
              "cannot connect to "
                  + localhost(broker)
                  + ": HTTP proxy 127.0.0.1:"
                  + proxy.port()
                  + " refused to open a tunnel to localhost:"
                  + broker.port()
                  + ": HTTP 403 Access violation");
    }
  }

  @Test
  void tinyproxyCannotReachABrokerThatRefuses() throws Exception {
    RealProxy proxy = proxies.get(ProxyKind.TINYPROXY);
    String uri = "mqtt://localhost:" + closedPort();
    ConnectException e = failure(proxy.options(), uri);
    assertThat(e.getMessage())
        .isEqualTo(
            "cannot connect to "
                + uri
                + ": HTTP proxy 127.0.0.1:"
                + proxy.port()
                + " could not connect to the broker "
                + uri.substring("mqtt://".length())
                + ": HTTP 500 Unable to connect");
  }

  /** The proxy resolves the broker's name: a name it cannot resolve fails at the proxy. */
  @Test
  void tinyproxyCannotResolveAnUnknownBrokerName() throws Exception {
    RealProxy proxy = proxies.get(ProxyKind.TINYPROXY);
    ConnectException e = failure(proxy.options(), UNKNOWN_BROKER);
    assertThat(e.getMessage())
        .endsWith(
            "HTTP proxy 127.0.0.1:"
                + proxy.port()
                + " could not connect to the broker no-such-broker.invalid:1883: HTTP 500 Unable"
                + " to connect");
  }

  // --- danted ------------------------------------------------------------------------------------

  @Test
  void danteWantsCredentialsThatWereNotGiven() throws Exception {
    RealProxy proxy = proxies.get(ProxyKind.DANTE_USERNAME);
    ConnectException e = failure(proxy.optionsWithoutCredentials(), localhost(broker));
    assertThat(e.getMessage())
        .isEqualTo(
            "cannot connect to "
                + localhost(broker)
                + ": SOCKS5 proxy 127.0.0.1:"
                + proxy.port()
                + " requires authentication: it does not accept connections without (reply 0xFF"
                + " no acceptable methods); set proxy_username and proxy_password");
  }

  @Test
  void danteRejectsAWrongPassword() throws Exception {
    RealProxy proxy = proxies.get(ProxyKind.DANTE_USERNAME);
    ConnectException e =
        failure(
            proxy.optionsWithCredentials(DanteProxy.SYSTEM_USER, "wrong-Pa55word"),
            localhost(broker));
    assertThat(e.getMessage())
        .isEqualTo(
            "cannot connect to "
                + localhost(broker)
                + ": SOCKS5 proxy 127.0.0.1:"
                + proxy.port()
                + " rejected the user name and password of user '"
                + DanteProxy.SYSTEM_USER
                + "' (RFC 1929 status 0x01)")
        .doesNotContain("wrong-Pa55word");
  }

  @Test
  void danteRejectsAnUnknownUser() throws Exception {
    RealProxy proxy = proxies.get(ProxyKind.DANTE_USERNAME);
    ConnectException e =
        failure(proxy.optionsWithCredentials("nobody-here", "pw"), localhost(broker));
    assertThat(e.getMessage())
        .endsWith(
            "rejected the user name and password of user 'nobody-here' (RFC 1929 status 0x01)");
  }

  @Test
  void danteRefusesWhatARuleBlocks() throws Exception {
    try (DanteProxy proxy = DanteProxy.builder().block(broker.port()).start()) {
      ConnectException e = failure(proxy.options(), localhost(broker));
      assertThat(e.getMessage())
          .isEqualTo(
              "cannot connect to "
                  + localhost(broker)
                  + ": SOCKS5 proxy 127.0.0.1:"
                  + proxy.port()
                  + " refused to connect to localhost:"
                  + broker.port()
                  + ": reply 0x02 connection not allowed by ruleset");
    }
  }

  @Test
  void danteCannotReachABrokerThatRefuses() throws Exception {
    RealProxy proxy = proxies.get(ProxyKind.DANTE);
    String uri = "mqtt://localhost:" + closedPort();
    ConnectException e = failure(proxy.options(), uri);
    assertThat(e.getMessage())
        .isEqualTo(
            "cannot connect to "
                + uri
                + ": SOCKS5 proxy 127.0.0.1:"
                + proxy.port()
                + " could not connect to the broker "
                + uri.substring("mqtt://".length())
                + ": reply 0x05 connection refused");
  }

  /** The proxy resolves the broker's name (RFC 1928 address type 3): it answers 0x04. */
  @Test
  void danteCannotResolveAnUnknownBrokerName() throws Exception {
    RealProxy proxy = proxies.get(ProxyKind.DANTE);
    ConnectException e = failure(proxy.options(), UNKNOWN_BROKER);
    assertThat(e.getMessage())
        .endsWith(
            "SOCKS5 proxy 127.0.0.1:"
                + proxy.port()
                + " could not connect to the broker no-such-broker.invalid:1883: reply 0x04 host"
                + " unreachable");
  }

  // --- both --------------------------------------------------------------------------------------

  static final java.util.List<ProxyKind> KINDS = ProxyKind.ALL;

  @ParameterizedTest(name = "{0}")
  @FieldSource("KINDS")
  void aProxyThatIsDownIsNamedAsUnreachable(ProxyKind kind) throws Exception {
    // A proxy of this kind where nothing listens.
    ProxyOptions options = proxies.get(kind).options().toBuilder().port(closedPort()).build();
    ConnectException e = failure(options, localhost(broker));
    ConnectionFailure.assertUnreachable(e, options);
    assertThat(e.getMessage())
        .matches(
            Pattern.quote("cannot connect to " + localhost(broker) + ": ")
                + "(HTTP|SOCKS5) proxy 127\\.0\\.0\\.1:\\d+ is unreachable: Connection refused");
  }

  /**
   * One TCP connector serves every transport: the same failure reads the same over each, after the
   * URI the user gave.
   */
  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.BrokerTransport#ALL")
  void everyTransportReportsTheHopThatFailedAlike(BrokerTransport transport) throws Exception {
    RealProxy http = proxies.get(ProxyKind.TINYPROXY_BASIC);
    RealProxy socks = proxies.get(ProxyKind.DANTE);
    String uri = transport.uri(broker);
    ConnectException auth =
        failure(http.optionsWithoutCredentials(), uri, transport.options(broker));
    assertThat(auth.getMessage())
        .startsWith("cannot connect to " + uri + ": HTTP proxy 127.0.0.1:" + http.port())
        .contains(" requires authentication (HTTP 407 ");

    String closed = uri.replaceFirst(":\\d+", ":" + closedPort());
    ConnectException unreachable = failure(socks.options(), closed, transport.options(broker));
    assertThat(unreachable.getMessage())
        .contains(": SOCKS5 proxy 127.0.0.1:" + socks.port() + " could not connect to the broker ")
        .endsWith(": reply 0x05 connection refused");
  }

  private static String localhost(MosquittoBroker broker) {
    return "mqtt://localhost:" + broker.port();
  }

  private static ConnectException failure(ProxyOptions proxy, String uri) throws Exception {
    return failure(proxy, uri, ConnectOptions.defaults());
  }

  /** The failure of one connect; the client must be left unconnected. */
  private static ConnectException failure(ProxyOptions proxy, String uri, ConnectOptions options)
      throws Exception {
    try (MqttClient client =
        MqttClient.create(
            ProxyTransportsTest.clientId("err"),
            MqttConfig.builder().proxy(proxy).autoReconnect(false).build())) {
      ConnectException e =
          catchThrowableOfType(ConnectException.class, () -> client.connect(uri, options));
      assertThat(e).as("connect through %s to %s", proxy, uri).isNotNull();
      assertThat(e.returnCode()).isEqualTo(ConnectException.NO_RETURN_CODE);
      assertThat(e.getCause()).isInstanceOf(IOException.class);
      assertThat(client.isConnected()).isFalse();
      return e;
    }
  }

  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
