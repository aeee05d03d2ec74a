package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.TlsSupport.assertRoundTrip;
import static io.vmqtt.it.TlsSupport.caFile;
import static io.vmqtt.it.TlsSupport.connectFailure;
import static io.vmqtt.it.TlsSupport.trustingTestCa;
import static io.vmqtt.it.fixture.LogCapture.withLog;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vmqtt.ConnectException;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.TlsOptions;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.it.fixture.TlsBroker;
import io.vmqtt.testkit.MosquittoBroker;
import io.vmqtt.testkit.TestCertificates;
import io.vmqtt.vthreads.internal.DefaultMqttClient;
import io.vmqtt.vthreads.internal.transport.TlsTransportProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Connecting over TLS: TLS 1.2 and 1.3 with JSSE and BCJSSE, trust in every form (file, directory,
 * PEM text, DER bytes, a key store, an SSLContext), versions and cipher suites, the insecure
 * switch, SNI and ALPN. The transport logs the negotiated version and suite at DEBUG; the tests
 * read it there.
 */
class TlsConnectTest {
  @RegisterExtension
  static final MosquittoExtension mosquitto = new MosquittoExtension(TlsBroker::configure);

  private static final TestCertificates CERTS = TestCertificates.get();
  private static final String TRANSPORT_LOG = TlsTransportProvider.class.getName();

  static Stream<Arguments> versionsAndProviders() {
    return Stream.of(
        Arguments.of("TLSv1.2", TlsOptions.Provider.JSSE),
        Arguments.of("TLSv1.3", TlsOptions.Provider.JSSE),
        Arguments.of("TLSv1.2", TlsOptions.Provider.BCJSSE),
        Arguments.of("TLSv1.3", TlsOptions.Provider.BCJSSE));
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("versionsAndProviders")
  void messagesRoundTripAtEveryQosOverEachVersionWithEachProvider(
      String version, TlsOptions.Provider provider, MosquittoBroker broker) throws Exception {
    TlsOptions tls = trustingTestCa(broker).tlsVersions(version).provider(provider).build();

    withLog(
        TRANSPORT_LOG,
        Level.DEBUG,
        () -> assertRoundTrip(TlsBroker.localhostUri(broker, TlsBroker.TLS), tls, "versions"),
        log ->
            assertThat(messages(log))
                .anySatisfy(
                    m ->
                        assertThat(m)
                            .contains(
                                "mqtts://localhost:"
                                    + broker.port(TlsBroker.TLS)
                                    + ": "
                                    + version
                                    + " ",
                                "over " + provider)));
  }

  @Test
  void theTrustedCaCanBeADerFile(MosquittoBroker broker, @TempDir Path dir) throws Exception {
    Path der = Files.write(dir.resolve("ca.der"), CERTS.ca().certificateDer());

    assertRoundTrip(broker.uri(TlsBroker.TLS), TlsOptions.builder().caFile(der).build(), "der");
  }

  @Test
  void theTrustedCaCanComeFromADirectoryOfPemFiles(MosquittoBroker broker, @TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("README"), "not a certificate");
    Files.writeString(dir.resolve("other.pem"), CERTS.untrustedServer().certificatePem());
    Files.writeString(dir.resolve("vmqtt-ca.pem"), CERTS.ca().certificatePem());

    assertRoundTrip(broker.uri(TlsBroker.TLS), TlsOptions.builder().caPath(dir).build(), "capath");
  }

  @Test
  void theTrustedCaCanBePemText(MosquittoBroker broker) throws Exception {
    assertRoundTrip(
        broker.uri(TlsBroker.TLS),
        TlsOptions.builder().caData(CERTS.ca().certificatePem()).build(),
        "pemtext");
  }

  @Test
  void theTrustedCaCanBeDerBytes(MosquittoBroker broker) throws Exception {
    assertRoundTrip(
        broker.uri(TlsBroker.TLS),
        TlsOptions.builder().caData(CERTS.ca().certificateDer()).build(),
        "derbytes");
  }

  @Test
  void theTrustedCaCanBeAKeyStoreHandedIn(MosquittoBroker broker) throws Exception {
    assertRoundTrip(
        broker.uri(TlsBroker.TLS), TlsOptions.builder().trustStore(trustStore()).build(), "ks");
  }

  @Test
  void anSslContextHandedInIsUsedAsItIs(MosquittoBroker broker) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trustStore());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);

    assertRoundTrip(
        TlsBroker.localhostUri(broker, TlsBroker.TLS),
        TlsOptions.builder().sslContext(context).build(),
        "context");
  }

  @Test
  void theConfigMapsCafileAppliesToEveryConnectOfTheClientOverTheSslScheme(MosquittoBroker broker)
      throws InterruptedException {
    MqttConfig config = MqttConfig.from(Map.of("cafile", caFile(broker).toString()));
    try (MqttClient client = MqttClient.create(clientId("mapcafile"), config)) {
      assertThat(client.connect("ssl://127.0.0.1:" + broker.port(TlsBroker.TLS)).returnCode())
          .isZero();
      assertRoundTrip(client);
      client.disconnect();
      assertThat(client.connect(TlsBroker.localhostUri(broker, TlsBroker.TLS)).returnCode())
          .isZero();
    }
  }

  @Test
  void connectOptionsReplaceTheConfiguredTlsOptionsForOneConnection(MosquittoBroker broker)
      throws InterruptedException {
    MqttConfig config =
        MqttConfig.builder()
            .tls(TlsOptions.builder().caData(CERTS.untrustedServer().certificatePem()).build())
            .build();
    try (MqttClient client = MqttClient.create(clientId("override"), config)) {
      assertThat(
              client.connect(
                  broker.uri(TlsBroker.TLS),
                  TlsSupport.connectOptions(trustingTestCa(broker).build())))
          .extracting(c -> c.returnCode())
          .isEqualTo(0);
    }
  }

  @Test
  void aTls13OnlyBrokerRefusesAClientLimitedToTls12(MosquittoBroker broker) {
    ConnectException e =
        connectFailure(
            broker.uri(TlsBroker.TLS13), trustingTestCa(broker).tlsVersions("TLSv1.2").build());

    assertThat(e.getMessage())
        .contains("TLS handshake with 127.0.0.1:" + broker.port(TlsBroker.TLS13) + " failed: ");
  }

  @Test
  void aTls13OnlyBrokerAcceptsTheDefaultClient(MosquittoBroker broker) throws Exception {
    assertRoundTrip(broker.uri(TlsBroker.TLS13), trustingTestCa(broker).build(), "tls13");
  }

  static Stream<Arguments> cipherSuites() {
    return Stream.of(
        Arguments.of("TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256"),
        Arguments.of("TLSv1.3", "TLS_AES_256_GCM_SHA384"),
        Arguments.of("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
        Arguments.of("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("cipherSuites")
  void theCipherSuiteGivenIsTheOneNegotiated(String version, String suite, MosquittoBroker broker)
      throws Exception {
    MqttConfig config =
        MqttConfig.from(
            Map.of("cafile", caFile(broker).toString(), "tls_version", version, "ciphers", suite));

    withLog(
        TRANSPORT_LOG,
        Level.DEBUG,
        () -> {
          try (MqttClient client = MqttClient.create(clientId("cipher"), config)) {
            assertThat(client.connect(broker.uri(TlsBroker.TLS)).returnCode()).isZero();
          }
        },
        log ->
            assertThat(messages(log))
                .anySatisfy(
                    m -> assertThat(m).contains(": " + version + " " + suite + " over JSSE")));
  }

  @Test
  void anUnknownCipherSuiteFailsTheConnectNamingIt(MosquittoBroker broker) {
    ConnectException e =
        connectFailure(
            broker.uri(TlsBroker.TLS), trustingTestCa(broker).ciphers(List.of("TLS_NOPE")).build());

    assertThat(e.getMessage()).contains("TLS_NOPE");
  }

  @Test
  void withHostNameVerificationOffTheWrongHostsCertificateIsAcceptedAndTheClientWarnsOnce(
      MosquittoBroker broker) throws Exception {
    MqttConfig config =
        MqttConfig.builder()
            .tls(trustingTestCa(broker).insecureSkipHostnameVerification(true).build())
            .build();
    String id = clientId("insecure");

    withLog(
        DefaultMqttClient.class.getName(),
        Level.INFO,
        () -> {
          try (MqttClient client = MqttClient.create(id, config)) {
            client.connect(broker.uri(TlsBroker.WRONG_HOST));
            assertRoundTrip(client);
            client.disconnect();
            client.connect(TlsBroker.localhostUri(broker, TlsBroker.WRONG_HOST));
          }
        },
        log -> {
          List<ILoggingEvent> warnings =
              log.stream().filter(e -> e.getLevel() == Level.WARN).toList();
          assertThat(warnings).hasSize(1);
          assertThat(warnings.get(0).getFormattedMessage())
              .startsWith(
                  "client "
                      + id
                      + ": TLS host name verification is off"
                      + " (tls_insecure_skip_hostname_verification)")
              .contains("use it only for testing");
        });
  }

  @Test
  void hbmqttsCheckHostnameFalseIsTheSameInsecureSwitchAndWarnsTheSame(MosquittoBroker broker)
      throws Exception {
    MqttConfig config =
        MqttConfig.from(Map.of("cafile", caFile(broker).toString(), "check_hostname", false));
    String id = clientId("checkhost");

    withLog(
        DefaultMqttClient.class.getName(),
        Level.INFO,
        () -> {
          try (MqttClient client = MqttClient.create(id, config)) {
            assertThat(client.connect(broker.uri(TlsBroker.WRONG_HOST)).returnCode()).isZero();
          }
        },
        log ->
            assertThat(messages(log))
                .anySatisfy(
                    m ->
                        assertThat(m)
                            .startsWith("client " + id + ": TLS host name verification is off")));
  }

  @Test
  void theInsecureSwitchStillRefusesAnUntrustedCertificate(MosquittoBroker broker) {
    ConnectException e =
        connectFailure(
            broker.uri(TlsBroker.UNTRUSTED),
            trustingTestCa(broker).insecureSkipHostnameVerification(true).build());

    assertThat(e.getMessage()).contains("the broker's certificate is not trusted");
  }

  @Test
  void sniNamesTheHostAndAlpnOffersTheProtocolsGiven(MosquittoBroker broker) throws Exception {
    try (HandshakeRecorder server = new HandshakeRecorder()) {
      withLog(
          TRANSPORT_LOG,
          Level.DEBUG,
          () ->
              connectFailure( // the recorder hangs up after the handshake
                  "mqtts://localhost:" + server.port(),
                  trustingTestCa(broker).alpn("x-amzn-mqtt-ca", "mqtt").build()),
          log ->
              assertThat(messages(log))
                  .anySatisfy(m -> assertThat(m).endsWith(", ALPN x-amzn-mqtt-ca")));

      HandshakeRecorder.Seen seen = server.seen();
      assertThat(seen.serverNames()).containsExactly("localhost");
      assertThat(seen.alpn()).containsExactly("x-amzn-mqtt-ca", "mqtt");
    }
  }

  @Test
  void anIpLiteralIsNotSentAsSniAndNoAlpnIsOfferedUnlessGiven(MosquittoBroker broker)
      throws Exception {
    try (HandshakeRecorder server = new HandshakeRecorder()) {
      connectFailure("mqtts://127.0.0.1:" + server.port(), trustingTestCa(broker).build());

      HandshakeRecorder.Seen seen = server.seen();
      assertThat(seen.serverNames()).isEmpty();
      assertThat(seen.alpn()).isEmpty();
    }
  }

  /**
   * A JSSE server with the broker's certificate that completes one handshake, records the SNI host
   * names and ALPN protocols the client sent, and hangs up.
   */
  private static final class HandshakeRecorder implements AutoCloseable {
    record Seen(List<String> serverNames, List<String> alpn) {}

    private final SSLServerSocket server;
    private final CompletableFuture<Seen> seen = new CompletableFuture<>();
    private final Thread thread;

    HandshakeRecorder() throws Exception {
      char[] pw = "pw".toCharArray();
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(CERTS.server().keyStore(pw, CERTS.ca().certificate()), pw);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      server =
          (SSLServerSocket)
              context
                  .getServerSocketFactory()
                  .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
      thread = Thread.ofVirtual().name("handshake-recorder").start(this::serveOne);
    }

    private void serveOne() {
      try (SSLSocket socket = (SSLSocket) server.accept()) {
        List<String> alpn = new CopyOnWriteArrayList<>();
        socket.setHandshakeApplicationProtocolSelector(
            (s, offered) -> {
              alpn.addAll(offered);
              return offered.isEmpty() ? null : offered.get(0);
            });
        socket.startHandshake();
        List<String> names =
            ((ExtendedSSLSession) socket.getSession())
                .getRequestedServerNames().stream()
                    .map(n -> ((SNIHostName) n).getAsciiName())
                    .toList();
        seen.complete(new Seen(names, List.copyOf(alpn)));
      } catch (Exception e) {
        seen.completeExceptionally(e);
      }
    }

    int port() {
      return server.getLocalPort();
    }

    Seen seen() throws Exception {
      return seen.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
      server.close();
      try {
        thread.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static KeyStore trustStore() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("vmqtt-ca", CERTS.ca().certificate());
    return ks;
  }

  private static List<String> messages(List<ILoggingEvent> log) {
    return log.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
