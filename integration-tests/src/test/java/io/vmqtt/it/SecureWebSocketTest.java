package io.vmqtt.it;

import static io.vmqtt.it.TlsSupport.assertRoundTrip;
import static io.vmqtt.it.TlsSupport.connectFailure;
import static io.vmqtt.it.TlsSupport.trustingTestCa;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.ConnectException;
import io.vmqtt.TlsOptions;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.testkit.MosquittoBroker;
import io.vmqtt.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code wss}: WebSocket over TLS with the same {@link TlsOptions} as {@code mqtts}, the same host
 * name verification and the same messages when TLS fails, with JSSE and with BouncyCastle's BCJSSE,
 * against mosquitto websockets listeners with the test certificates.
 */
class SecureWebSocketTest {
  private static final String WSS = "wss";
  private static final String WRONG_HOST = "wss-wronghost";
  private static final String UNTRUSTED = "wss-untrusted";
  private static final String MUTUAL = "wss-mutual";

  @RegisterExtension
  static final MosquittoExtension mosquitto =
      new MosquittoExtension(
          broker -> {
            TestCertificates.get().writeServerFiles(broker);
            broker.listener(WSS, "wss", websockets("server"));
            broker.listener(WRONG_HOST, "wss", websockets("wronghost"));
            broker.listener(UNTRUSTED, "wss", websockets("untrusted"));
            broker.listener(
                MUTUAL,
                "wss",
                websockets("server"),
                "cafile ${dir}/ca.pem",
                "require_certificate true",
                "use_identity_as_username true");
          });

  private static final TestCertificates CERTS = TestCertificates.get();

  @ParameterizedTest
  @EnumSource(TlsOptions.Provider.class)
  void messagesGoBothWaysOverWssWithEachProvider(
      TlsOptions.Provider provider, MosquittoBroker broker) throws InterruptedException {
    assertRoundTrip(
        "wss://localhost:" + broker.port(WSS) + "/mqtt",
        trustingTestCa(broker).provider(provider).build(),
        "wss-" + provider.name().toLowerCase(java.util.Locale.ROOT));
  }

  @ParameterizedTest
  @EnumSource(TlsOptions.Provider.class)
  void aCertificateForAnotherHostIsRefusedNamingBothAsOverMqtts(
      TlsOptions.Provider provider, MosquittoBroker broker) {
    ConnectException e =
        connectFailure(
            broker.uri(WRONG_HOST) + "/mqtt", trustingTestCa(broker).provider(provider).build());

    assertThat(e.getMessage())
        .startsWith("cannot connect to " + broker.uri(WRONG_HOST) + "/mqtt: ")
        .endsWith(
            ": host name '127.0.0.1' does not match the broker's certificate"
                + " CN=wrong.example,O=vmqtt tests (SAN: [DNS:wrong.example]);"
                + " set tls_insecure_skip_hostname_verification only for testing");
  }

  @Test
  void anUntrustedCertificateIsRefusedNamingItAsOverMqtts(MosquittoBroker broker) {
    ConnectException e =
        connectFailure(broker.uri(UNTRUSTED) + "/mqtt", trustingTestCa(broker).build());

    assertThat(e.getMessage())
        .endsWith(
            ": the broker's certificate is not trusted: CN=self-signed.localhost,O=nobody,"
                + " issued by CN=self-signed.localhost,O=nobody (check cafile/capath/cadata)");
  }

  @Test
  void hostNameVerificationCanBeTurnedOffByTheInsecureOptionOnly(MosquittoBroker broker)
      throws InterruptedException {
    assertRoundTrip(
        broker.uri(WRONG_HOST) + "/mqtt",
        trustingTestCa(broker).insecureSkipHostnameVerification(true).build(),
        "wss-insecure");
  }

  @ParameterizedTest
  @EnumSource(TlsOptions.Provider.class)
  void aClientCertificateIsPresentedOverWss(TlsOptions.Provider provider, MosquittoBroker broker)
      throws InterruptedException {
    TlsOptions tls =
        trustingTestCa(broker)
            .provider(provider)
            .certData(CERTS.clientRsa().certificatePem())
            .keyData(CERTS.clientRsa().pkcs8Pem())
            .build();

    assertRoundTrip("wss://localhost:" + broker.port(MUTUAL) + "/mqtt", tls, "wss-mutual");
  }

  /**
   * With TLS 1.3 the broker refuses a missing client certificate after the handshake, so the
   * refusal meets the first read, the answer to the upgrade; it is explained as over mqtts.
   */
  @ParameterizedTest
  @EnumSource(TlsOptions.Provider.class)
  void withoutAClientCertificateTheRefusalIsExplainedAsOverMqtts(
      TlsOptions.Provider provider, MosquittoBroker broker) {
    ConnectException e =
        connectFailure(
            "wss://localhost:" + broker.port(MUTUAL) + "/mqtt",
            trustingTestCa(broker).provider(provider).build());

    assertThat(e.getMessage())
        .endsWith(": the broker requires a client certificate (certfile/keyfile)");
  }

  @Test
  void preSharedKeysAreRefusedForWssSayingMqttsHasThem(MosquittoBroker broker) {
    TlsOptions psk = TlsOptions.builder().psk("sensor-7", new byte[32]).build();

    ConnectException e = connectFailure(broker.uri(WSS) + "/mqtt", psk);

    assertThat(e.getMessage())
        .endsWith(
            "TLS-PSK is not available for wss:// (127.0.0.1:"
                + broker.port(WSS)
                + "): it needs BouncyCastle's TLS API, which only mqtts:// uses");
  }

  private static String websockets(String certificate) {
    return "protocol websockets\ncertfile ${dir}/"
        + certificate
        + ".pem\nkeyfile ${dir}/"
        + certificate
        + ".key";
  }
}
