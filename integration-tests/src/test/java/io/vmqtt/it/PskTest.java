package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.TlsSupport.assertRoundTrip;
import static io.vmqtt.it.TlsSupport.connectFailure;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.vmqtt.ConnectException;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.TlsOptions;
import io.vmqtt.it.fixture.LogCapture;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.it.fixture.TlsBroker;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import java.util.Map;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TLS-PSK against mosquitto's {@code psk_hint}/{@code psk_file} listener, through BouncyCastle's
 * TLS API: TLS 1.3 with an external PSK, and TLS 1.2 PSK cipher suites.
 */
class PskTest {
  @RegisterExtension
  static final MosquittoExtension mosquitto = new MosquittoExtension(TlsBroker::configure);

  private static TlsOptions.Builder psk() {
    return TlsOptions.builder().psk(TlsBroker.PSK_IDENTITY, TlsBroker.pskKey());
  }

  @Test
  void theRightKeyRoundTripsMessagesOverTls13WithAnExternalPsk(MosquittoBroker broker)
      throws Exception {
    LogCapture.withLog(
        io.vmqtt.vthreads.internal.transport.TlsTransportProvider.class.getPackageName(),
        Level.DEBUG,
        () ->
            assertRoundTrip(
                broker.uri(TlsBroker.PSK), psk().tlsVersions("TLSv1.3").build(), "psk13"),
        log ->
            assertThat(log)
                .anySatisfy(
                    e -> assertThat(e.getFormattedMessage()).contains("TLS 1.3", "sensor-7")));
  }

  @Test
  void theRightKeyRoundTripsMessagesOverTls12PskSuites(MosquittoBroker broker) throws Exception {
    LogCapture.withLog(
        io.vmqtt.vthreads.internal.transport.TlsTransportProvider.class.getPackageName(),
        Level.DEBUG,
        () ->
            assertRoundTrip(
                broker.uri(TlsBroker.PSK), psk().tlsVersions("TLSv1.2").build(), "psk12"),
        log ->
            assertThat(log)
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("TLS 1.2", "_PSK_")));
  }

  @Test
  void withoutAVersionTheClientOffersBothAndTheBrokerPicksTls13(MosquittoBroker broker)
      throws Exception {
    LogCapture.withLog(
        io.vmqtt.vthreads.internal.transport.TlsTransportProvider.class.getPackageName(),
        Level.DEBUG,
        () -> assertRoundTrip(broker.uri(TlsBroker.PSK), psk().build(), "psk"),
        log ->
            assertThat(log)
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("TLS 1.3")));
  }

  @Test
  void thePskIdentityBecomesTheUserNameWithUseIdentityAsUsername(MosquittoBroker broker)
      throws InterruptedException {
    String id = clientId("pskuser");
    try (MqttClient client = MqttClient.create(id, MqttConfig.defaults())) {
      client.connect(broker.uri(TlsBroker.PSK), TlsSupport.connectOptions(psk().build()));
      broker.awaitLog(
          " as " + id + " (p2, c1, k10, u'" + TlsBroker.PSK_IDENTITY + "').",
          Duration.ofSeconds(5));
    }
  }

  @Test
  void thePskComesFromTheConfigMapAsHex(MosquittoBroker broker) throws InterruptedException {
    MqttConfig config =
        MqttConfig.from(
            Map.of("psk_identity", TlsBroker.PSK_IDENTITY, "psk_key", TlsBroker.PSK_KEY_HEX));
    try (MqttClient client = MqttClient.create(clientId("pskmap"), config)) {
      assertThat(client.connect("ssl://127.0.0.1:" + broker.port(TlsBroker.PSK)).returnCode())
          .isZero();
      TlsSupport.assertRoundTrip(client);
    }
  }

  @Test
  void aWrongKeyOverTls13IsAClearFailureNamingTheIdentity(MosquittoBroker broker) {
    ConnectException e =
        connectFailure(
            broker.uri(TlsBroker.PSK),
            TlsOptions.builder()
                .psk(TlsBroker.PSK_IDENTITY, new byte[] {1, 2, 3, 4})
                .tlsVersions("TLSv1.3")
                .build());

    assertThat(e.getMessage())
        .contains("the broker rejected the PSK identity 'sensor-7' or key")
        .doesNotContain("01020304");
    assertThat(e).hasRootCauseInstanceOf(TlsFatalAlertReceived.class);
  }

  @Test
  void aWrongKeyOverTls12IsAClearFailureNamingTheIdentity(MosquittoBroker broker) {
    ConnectException e =
        connectFailure(
            broker.uri(TlsBroker.PSK),
            TlsOptions.builder()
                .psk(TlsBroker.PSK_IDENTITY, new byte[] {1, 2, 3, 4})
                .tlsVersions("TLSv1.2")
                .build());

    assertThat(e.getMessage()).contains("the broker rejected the PSK identity 'sensor-7' or key");
  }

  @Test
  void anUnknownIdentityIsAClearFailureNamingIt(MosquittoBroker broker) {
    ConnectException e =
        connectFailure(
            broker.uri(TlsBroker.PSK),
            TlsOptions.builder().psk("nobody", TlsBroker.pskKey()).build());

    assertThat(e.getMessage()).contains("the broker rejected the PSK identity 'nobody' or key");
  }
}
