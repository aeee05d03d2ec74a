package io.vmqtt.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vmqtt.ConnectException;
import io.vmqtt.ConnectOptions;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.ProxyOptions;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.TlsOptions;
import io.vmqtt.it.fixture.BrokerTransport;
import io.vmqtt.it.fixture.LocalhostOnlyCertificate;
import io.vmqtt.it.fixture.RealProxy;
import io.vmqtt.testkit.MosquittoBroker;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every transport ({@code mqtt}, {@code mqtts}, {@code ws}, {@code wss}) through every real proxy
 * ({@link ProxyKind#ALL}: tinyproxy and danted, with and without authentication) to mosquitto: TLS
 * and the WebSocket upgrade run end to end through the tunnel, and the proxy's log shows the tunnel
 * to the broker's port.
 */
class ProxyTransportsTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  /** The listener whose certificate names {@code localhost} and no IP address. */
  static final String LOCALHOST_ONLY = "localhost-only";

  static final String LOCALHOST_ONLY_WSS = "localhost-only-wss";

  /** One broker with a listener per transport, and the localhost-only ones, for the class. */
  static MosquittoBroker broker;

  static final SharedProxies proxies = new SharedProxies();

  static final List<ProxyKind> KINDS = ProxyKind.ALL;

  @BeforeAll
  static void startBroker() {
    MosquittoBroker.Builder b = MosquittoBroker.builder();
    BrokerTransport.configureAll(b);
    String cert = LocalhostOnlyCertificate.listenerOptions(b);
    b.listener(LOCALHOST_ONLY, "mqtts", cert);
    b.listener(LOCALHOST_ONLY_WSS, "wss", "protocol websockets", cert);
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

  static Stream<Arguments> kindsAndTransports() {
    return KINDS.stream().flatMap(k -> BrokerTransport.ALL.stream().map(t -> Arguments.of(k, t)));
  }

  @ParameterizedTest(name = "{1} through {0}")
  @MethodSource("kindsAndTransports")
  void messagesAtQos1And2MakeTheRoundTripThroughTheProxy(ProxyKind kind, BrokerTransport transport)
      throws Exception {
    String uri = transport.uri(broker);
    int brokerPort = URI.create(uri).getPort();
    RealProxy proxy = proxies.get(kind);
    int tunnelsBefore = proxy.tunnelsTo(brokerPort);
    try (MqttClient sub = client("sub", proxy.options());
        MqttClient pub = client("pub", proxy.options())) {
      assertThat(sub.connect(uri, transport.options(broker)).returnCode()).isZero();
      assertThat(pub.connect(uri, transport.options(broker)).returnCode()).isZero();
      String topic = "proxy/" + transport.name();
      assertThat(sub.subscribe(List.of(Subscription.of(topic, QoS.EXACTLY_ONCE))))
          .containsExactly(2);

      pub.publish(topic, utf8("one"), QoS.AT_LEAST_ONCE, false);
      pub.publish(topic, utf8("two"), QoS.EXACTLY_ONCE, false);

      Message one = receive(sub);
      Message two = receive(sub);
      assertThat(one.payloadAsString()).isEqualTo("one");
      assertThat(one.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(two.payloadAsString()).isEqualTo("two");
      assertThat(two.qos()).isEqualTo(QoS.EXACTLY_ONCE);
      proxy.awaitTunnelCount(brokerPort, tunnelsBefore + 2, WAIT);
    }
  }

  /** ConnectOptions name the proxy for one connection; the configuration names none. */
  @ParameterizedTest(name = "{0}")
  @FieldSource("KINDS")
  void connectOptionsNameTheProxyForOneConnection(ProxyKind kind) throws Exception {
    String uri = BrokerTransport.MQTTS.uri(broker);
    ConnectOptions options =
        ConnectOptions.builder()
            .tls(TlsOptions.builder().caFile(broker.directory().resolve("ca.pem")).build())
            .cleanSession(true)
            .build();
    RealProxy proxy = proxies.get(kind);
    int tunnelsBefore = proxy.tunnelsTo(URI.create(uri).getPort());
    try (MqttClient client = MqttClient.create(clientId("opt"), MqttConfig.defaults())) {
      ConnectOptions through =
          ConnectOptions.builder().tls(options.tls().orElseThrow()).proxy(proxy.options()).build();
      assertThat(client.connect(uri, through).returnCode()).isZero();
      proxy.awaitTunnelCount(URI.create(uri).getPort(), tunnelsBefore + 1, WAIT);
    }
  }

  /** A configured proxy that is down does not matter to a connection told to go directly. */
  @ParameterizedTest(name = "{0}")
  @FieldSource("KINDS")
  void connectOptionsWithoutProxyGoDirectlyThoughTheConfigurationNamesOne(ProxyKind kind)
      throws Exception {
    // A proxy of this kind at a port where nothing listens: connecting through it fails.
    ProxyOptions configured =
        proxies.get(kind).options().toBuilder().port(ProxyErrorsTest.closedPort()).build();
    try (MqttClient client = client("direct", configured)) {
      ConnectionFailure.assertUnreachable(
          catchThrowableOfType(ConnectException.class, () -> client.connect(broker.uri())),
          configured);
      assertThat(
              client
                  .connect(
                      broker.uri(), ConnectOptions.builder().proxy(ProxyOptions.none()).build())
                  .returnCode())
          .isZero();
    }
  }

  /**
   * The broker's certificate names {@code localhost} only; the proxy is at 127.0.0.1. Connecting to
   * {@code localhost} through it passes: the broker's name is verified (and sent as SNI), not the
   * proxy's address.
   */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("kindsAndTlsListeners")
  void theBrokersNameIsVerifiedThroughTheTunnelNotTheProxys(ProxyKind kind, String listener)
      throws Exception {
    RealProxy proxy = proxies.get(kind);
    try (MqttClient client = client("tls", proxy.options())) {
      assertThat(proxy.host()).isEqualTo("127.0.0.1");
      String uri = scheme(listener) + "://localhost:" + broker.port(listener) + path(listener);
      int tunnelsBefore = proxy.tunnelsTo(broker.port(listener));
      assertThat(client.connect(uri, trustTestCa(broker)).returnCode()).isZero();
      proxy.awaitTunnelCount(broker.port(listener), tunnelsBefore + 1, WAIT);
    }
  }

  /**
   * The other way round: the broker at 127.0.0.1, which its certificate does not name, through a
   * proxy called {@code localhost}, which it does. Verifying the proxy's name would pass; it must
   * fail, naming the broker's address.
   */
  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("kindsAndTlsListeners")
  void aBrokerAddressTheCertificateDoesNotNameFailsThoughTheProxysNameWouldMatch(
      ProxyKind kind, String listener) throws Exception {
    RealProxy proxy = proxies.get(kind);
    int tunnelsBefore = proxy.tunnelsTo(broker.port(listener));
    ProxyOptions byName = proxy.options().toBuilder().host("localhost").build();
    try (MqttClient client = client("tls", byName)) {
      String uri = scheme(listener) + "://127.0.0.1:" + broker.port(listener) + path(listener);
      ConnectException e =
          catchThrowableOfType(
              ConnectException.class, () -> client.connect(uri, trustTestCa(broker)));
      assertThat(e.getMessage())
          .startsWith("cannot connect to " + uri.replace("/mqtt", ""))
          .contains("host name '127.0.0.1' does not match the broker's certificate CN=localhost");
      assertThat(client.isConnected()).isFalse();
      proxy.awaitTunnelCount(broker.port(listener), tunnelsBefore + 1, WAIT);
    }
  }

  static Stream<Arguments> kindsAndTlsListeners() {
    return Stream.of(ProxyKind.TINYPROXY, ProxyKind.DANTE_USERNAME)
        .flatMap(k -> Stream.of(LOCALHOST_ONLY, LOCALHOST_ONLY_WSS).map(l -> Arguments.of(k, l)));
  }

  private static String scheme(String listener) {
    return listener.equals(LOCALHOST_ONLY) ? "mqtts" : "wss";
  }

  private static String path(String listener) {
    return listener.equals(LOCALHOST_ONLY) ? "" : "/mqtt";
  }

  private static ConnectOptions trustTestCa(MosquittoBroker broker) {
    return ConnectOptions.builder()
        .tls(TlsOptions.builder().caFile(broker.directory().resolve("ca.pem")).build())
        .build();
  }

  static MqttClient client(String prefix, ProxyOptions proxy) {
    return MqttClient.create(clientId(prefix), MqttConfig.builder().proxy(proxy).build());
  }

  static String clientId(String prefix) {
    return prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt() | 0x10000000);
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static Message receive(MqttClient client) throws InterruptedException {
    try {
      return client.deliverMessage(WAIT);
    } catch (TimeoutException e) {
      throw new AssertionError(client.clientId() + " received nothing within " + WAIT, e);
    }
  }
}
