package io.vmqtt.it;

import static io.vmqtt.it.TlsSupport.connectFailure;
import static io.vmqtt.it.TlsSupport.trustingTestCa;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.ConnectException;
import io.vmqtt.TlsOptions;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.it.fixture.TlsBroker;
import io.vmqtt.testkit.MosquittoBroker;
import io.vmqtt.testkit.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way a TLS connect fails, each a {@link ConnectException} whose message names the cause a
 * user can act on and whose cause chain keeps the original exception: an {@link
 * SSLHandshakeException} with the same message, caused by what JSSE or BouncyCastle threw.
 */
class TlsFailureTest {
  @RegisterExtension
  static final MosquittoExtension mosquitto = new MosquittoExtension(TlsBroker::configure);

  private static final TestCertificates CERTS = TestCertificates.get();

  @ParameterizedTest
  @EnumSource(TlsOptions.Provider.class)
  void aSelfSignedCertificateIsNotTrustedAndTheMessageNamesIt(
      TlsOptions.Provider provider, MosquittoBroker broker) {
    ConnectException e =
        connectFailure(
            broker.uri(TlsBroker.UNTRUSTED), trustingTestCa(broker).provider(provider).build());

    assertThat(e.getMessage())
        .endsWith(
            ": the broker's certificate is not trusted: CN=self-signed.localhost,O=nobody,"
                + " issued by CN=self-signed.localhost,O=nobody (check cafile/capath/cadata)");
    assertKeepsTheOriginal(e);
  }

  @Test
  void withoutTrustMaterialTheJdkTrustStoreIsUsedAndDoesNotTrustTheTestCa(MosquittoBroker broker) {
    ConnectException e = connectFailure(broker.uri(TlsBroker.TLS), TlsOptions.defaults());

    assertThat(e.getMessage())
        .endsWith(
            ": the broker's certificate is not trusted: CN=localhost,O=vmqtt tests,"
                + " issued by CN=vmqtt test CA,O=vmqtt tests (check cafile/capath/cadata)");
    assertKeepsTheOriginal(e);
  }

  @ParameterizedTest
  @EnumSource(TlsOptions.Provider.class)
  void anExpiredCertificateIsRefusedWithItsExpiryDateAndSubject(
      TlsOptions.Provider provider, MosquittoBroker broker) {
    ConnectException e =
        connectFailure(
            broker.uri(TlsBroker.EXPIRED), trustingTestCa(broker).provider(provider).build());

    assertThat(e.getMessage())
        .endsWith(
            ": the broker's certificate expired on "
                + CERTS.expiredServer().certificate().getNotAfter().toInstant()
                + ": CN=expired.localhost,O=vmqtt tests");
    assertKeepsTheOriginal(e);
  }

  @ParameterizedTest
  @EnumSource(TlsOptions.Provider.class)
  void aCertificateForAnotherHostIsAHostNameMismatchNamingBoth(
      TlsOptions.Provider provider, MosquittoBroker broker) {
    ConnectException e =
        connectFailure(
            broker.uri(TlsBroker.WRONG_HOST), trustingTestCa(broker).provider(provider).build());

    assertThat(e.getMessage())
        .endsWith(
            ": host name '127.0.0.1' does not match the broker's certificate"
                + " CN=wrong.example,O=vmqtt tests (SAN: [DNS:wrong.example]);"
                + " set tls_insecure_skip_hostname_verification only for testing");
    assertKeepsTheOriginal(e);
  }

  @Test
  void aHostNameIsCheckedAgainstTheCertificateToo(MosquittoBroker broker) {
    ConnectException e =
        connectFailure(
            TlsBroker.localhostUri(broker, TlsBroker.WRONG_HOST), trustingTestCa(broker).build());

    assertThat(e.getMessage())
        .contains(
            ": host name 'localhost' does not match the broker's certificate"
                + " CN=wrong.example,O=vmqtt tests (SAN: [DNS:wrong.example])");
  }

  @ParameterizedTest
  @EnumSource(TlsOptions.Provider.class)
  void withoutAClientCertificateTheBrokerRequiringOneRefusesItOverTls12(
      TlsOptions.Provider provider, MosquittoBroker broker) {
    ConnectException e =
        connectFailure(
            broker.uri(TlsBroker.MUTUAL),
            trustingTestCa(broker).provider(provider).tlsVersions("TLSv1.2").build());

    assertThat(e.getMessage())
        .endsWith(": the broker requires a client certificate (certfile/keyfile)");
    assertKeepsTheOriginal(e);
  }

  /**
   * With TLS 1.3 the client's handshake is over before the broker checks the client's certificate,
   * so the broker's {@code certificate_required} alert meets the first read, while waiting for
   * CONNACK; it is reported just the same.
   */
  @ParameterizedTest
  @EnumSource(TlsOptions.Provider.class)
  void withoutAClientCertificateTheBrokerRequiringOneRefusesItOverTls13(
      TlsOptions.Provider provider, MosquittoBroker broker) {
    ConnectException e =
        connectFailure(
            broker.uri(TlsBroker.MUTUAL),
            trustingTestCa(broker).provider(provider).tlsVersions("TLSv1.3").build());

    assertThat(e.getMessage())
        .endsWith(": the broker requires a client certificate (certfile/keyfile)");
    assertKeepsTheOriginal(e);
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void aClientCertificateFromAnotherCaIsRefusedByTheBrokerAndNamed(
      String version, MosquittoBroker broker) {
    TestCertificates.Issued stranger = CERTS.untrustedServer();
    ConnectException e =
        connectFailure(
            broker.uri(TlsBroker.MUTUAL),
            trustingTestCa(broker)
                .tlsVersions(version)
                .certData(stranger.certificatePem())
                .keyData(stranger.pkcs8Pem())
                .build());

    assertThat(e.getMessage())
        .contains(
            ": the broker refused the client certificate CN=self-signed.localhost,O=nobody" + " (")
        .doesNotContain("PRIVATE KEY");
    assertKeepsTheOriginal(e);
  }

  @ParameterizedTest
  @EnumSource(TlsOptions.Provider.class)
  void aBrokerThatNeverAnswersTheHandshakeTimesOutAfterTheHandshakeTimeout(
      TlsOptions.Provider provider) throws Exception {
    try (Silent silent = new Silent()) {
      ConnectException e =
          connectFailure(
              "mqtts://127.0.0.1:" + silent.port(),
              TlsOptions.builder()
                  .provider(provider)
                  .handshakeTimeout(Duration.ofMillis(300))
                  .build());

      assertThat(e.getMessage())
          .endsWith(
              ": TLS handshake with 127.0.0.1:"
                  + silent.port()
                  + " did not complete within 300 ms (tls_handshake_timeout)");
      assertThat(e.getCause()).isInstanceOf(SocketTimeoutException.class);
      assertThat(e.getCause().getCause()).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void aPskHandshakeTimesOutLikewise() throws Exception {
    try (Silent silent = new Silent()) {
      ConnectException e =
          connectFailure(
              "mqtts://127.0.0.1:" + silent.port(),
              TlsOptions.builder()
                  .psk(TlsBroker.PSK_IDENTITY, TlsBroker.pskKey())
                  .handshakeTimeout(Duration.ofMillis(300))
                  .build());

      assertThat(e.getMessage())
          .endsWith(" did not complete within 300 ms (tls_handshake_timeout)");
    }
  }

  @Test
  void aMissingCaFileIsNamed(MosquittoBroker broker) {
    ConnectException e =
        connectFailure(
            broker.uri(TlsBroker.TLS),
            TlsOptions.builder().caFile(broker.directory().resolve("nope.pem")).build());

    assertThat(e.getMessage())
        .contains("cafile " + broker.directory().resolve("nope.pem") + " cannot be read");
  }

  /**
   * The cause is an {@link SSLHandshakeException} (or the timeout) with the same message, and its
   * cause is what the TLS implementation threw.
   */
  private static void assertKeepsTheOriginal(ConnectException e) {
    assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class);
    assertThat(e.getMessage()).endsWith(e.getCause().getMessage());
    assertThat(e.getCause().getCause())
        .as("the original exception")
        .isInstanceOf(IOException.class) // SSLException from JSSE, TlsFatalAlert from BCJSSE
        .isNotSameAs(e.getCause());
  }

  /** A server that accepts connections and never says a word. */
  private static final class Silent implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    Silent() throws Exception {
      server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
      acceptor =
          Thread.ofVirtual()
              .name("silent-acceptor")
              .start(
                  () -> {
                    try {
                      while (true) {
                        accepted.add(server.accept());
                      }
                    } catch (Exception closed) {
                      // closed by close()
                    }
                  });
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      try {
        acceptor.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
