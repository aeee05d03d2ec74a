package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.TlsSupport.caFile;
import static io.vmqtt.it.TlsSupport.connectFailure;
import static io.vmqtt.it.TlsSupport.trustingTestCa;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.ConnectException;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.TlsOptions;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.it.fixture.TlsBroker;
import io.vmqtt.testkit.MosquittoBroker;
import io.vmqtt.testkit.TestCertificates;
import io.vmqtt.testkit.TestCertificates.Issued;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutual TLS against a listener with {@code require_certificate true} and {@code
 * use_identity_as_username true}: the broker logs the client certificate's CN as the user name,
 * which shows which certificate it got. The client's key in every form a user may bring.
 */
class MutualTlsTest {
  @RegisterExtension
  static final MosquittoExtension mosquitto = new MosquittoExtension(TlsBroker::configure);

  private static final TestCertificates CERTS = TestCertificates.get();
  private static final String PASSWORD = TestCertificates.KEY_PASSWORD;

  /** A key format: how to write the key, and whether it needs the password. */
  record KeyForm(String name, Issued client, Function<Issued, byte[]> key, boolean encrypted) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<KeyForm> keyForms() {
    return Stream.of(
        new KeyForm("RSA PKCS#8", CERTS.clientRsa(), i -> utf8(i.pkcs8Pem()), false),
        new KeyForm("RSA PKCS#1", CERTS.clientRsa(), i -> utf8(i.traditionalPem()), false),
        new KeyForm("EC SEC1", CERTS.clientEc(), i -> utf8(i.traditionalPem()), false),
        new KeyForm("EC PKCS#8", CERTS.clientEc(), i -> utf8(i.pkcs8Pem()), false),
        new KeyForm("RSA PKCS#8 DER", CERTS.clientRsa(), Issued::pkcs8Der, false),
        new KeyForm(
            "RSA encrypted PKCS#8",
            CERTS.clientRsa(),
            i -> utf8(i.encryptedPkcs8Pem(PASSWORD)),
            true),
        new KeyForm(
            "EC encrypted PKCS#8",
            CERTS.clientEc(),
            i -> utf8(i.encryptedPkcs8Pem(PASSWORD)),
            true),
        new KeyForm(
            "RSA encrypted PKCS#1",
            CERTS.clientRsa(),
            i -> utf8(i.encryptedTraditionalPem(PASSWORD)),
            true),
        new KeyForm(
            "EC encrypted SEC1",
            CERTS.clientEc(),
            i -> utf8(i.encryptedTraditionalPem(PASSWORD)),
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keyForms")
  void theClientCertificateIsAcceptedWithAKeyFileInEachForm(
      KeyForm form, MosquittoBroker broker, @TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("client.pem"), form.client().certificatePem());
    Path key = Files.write(dir.resolve("client.key"), form.key().apply(form.client()));
    TlsOptions.Builder tls = trustingTestCa(broker).certFile(cert).keyFile(key);
    if (form.encrypted()) {
      tls.keyFilePassword(PASSWORD.toCharArray());
    }

    assertAcceptedAs(broker, tls.build(), cn(form.client()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keyForms")
  void theClientCertificateIsAcceptedWithKeyDataInEachFormOverBcjsse(
      KeyForm form, MosquittoBroker broker) throws Exception {
    TlsOptions.Builder tls =
        trustingTestCa(broker)
            .provider(TlsOptions.Provider.BCJSSE)
            .certData(form.client().certificatePem())
            .keyData(form.key().apply(form.client()));
    if (form.encrypted()) {
      tls.keyFilePassword(PASSWORD.toCharArray());
    }

    assertAcceptedAs(broker, tls.build(), cn(form.client()));
  }

  @Test
  void aCertfileHoldingTheKeyToo(MosquittoBroker broker, @TempDir Path dir) throws Exception {
    Issued client = CERTS.clientEc();
    Path both =
        Files.writeString(dir.resolve("client.pem"), client.certificatePem() + client.pkcs8Pem());

    assertAcceptedAs(broker, trustingTestCa(broker).certFile(both).build(), "client-ec");
  }

  @Test
  void pemTextFromTheConfigMap(MosquittoBroker broker) throws Exception {
    Issued client = CERTS.clientRsa();
    MqttConfig config =
        MqttConfig.from(
            Map.of(
                "cafile", caFile(broker).toString(),
                "certdata", client.certificatePem(),
                "keydata", client.encryptedPkcs8Pem(PASSWORD),
                "keyfile_password", PASSWORD));
    String id = clientId("mtlsmap");
    try (MqttClient c = MqttClient.create(id, config)) {
      assertThat(c.connect(broker.uri(TlsBroker.MUTUAL)).returnCode()).isZero();
      broker.awaitLog(" as " + id + " (p2, c1, k10, u'client-rsa').", Duration.ofSeconds(5));
      TlsSupport.assertRoundTrip(c);
    }
  }

  @Test
  void aKeyStoreHandedIn(MosquittoBroker broker) throws Exception {
    char[] pw = "store-pw".toCharArray();
    TlsOptions tls = trustingTestCa(broker).keyStore(CERTS.clientEc().keyStore(pw), pw).build();

    assertAcceptedAs(broker, tls, "client-ec");
  }

  @Test
  void aWrongKeyPasswordFailsTheConnectSayingSo(MosquittoBroker broker, @TempDir Path dir)
      throws Exception {
    Issued client = CERTS.clientRsa();
    Path key = Files.writeString(dir.resolve("client.key"), client.encryptedPkcs8Pem(PASSWORD));
    ConnectException e =
        connectFailure(
            broker.uri(TlsBroker.MUTUAL),
            trustingTestCa(broker)
                .certData(client.certificatePem())
                .keyFile(key)
                .keyFilePassword("wrong".toCharArray())
                .build());

    assertThat(e.getMessage())
        .endsWith(
            ": keyfile "
                + key
                + ": the private key cannot be decrypted; is keyfile_password"
                + " right?")
        .doesNotContain("wrong");
  }

  @Test
  void anEncryptedKeyWithoutAPasswordFailsTheConnectSayingSo(MosquittoBroker broker) {
    Issued client = CERTS.clientEc();
    ConnectException e =
        connectFailure(
            broker.uri(TlsBroker.MUTUAL),
            trustingTestCa(broker)
                .certData(client.certificatePem())
                .keyData(client.encryptedTraditionalPem(PASSWORD))
                .build());

    assertThat(e.getMessage())
        .endsWith(": keydata holds an encrypted private key; set keyfile_password");
  }

  @Test
  void aCertificateWithoutAKeyFailsTheConnectSayingSo(MosquittoBroker broker) {
    ConnectException e =
        connectFailure(
            broker.uri(TlsBroker.MUTUAL),
            trustingTestCa(broker).certData(CERTS.clientEc().certificatePem()).build());

    assertThat(e.getMessage())
        .endsWith(": certdata holds no private key; give keyfile or keydata with the client's key");
  }

  private static void assertAcceptedAs(MosquittoBroker broker, TlsOptions tls, String cn)
      throws InterruptedException {
    String id = clientId("mtls");
    try (MqttClient client = MqttClient.create(id, MqttConfig.defaults())) {
      assertThat(
              client
                  .connect(broker.uri(TlsBroker.MUTUAL), TlsSupport.connectOptions(tls))
                  .returnCode())
          .isZero();
      broker.awaitLog(" as " + id + " (p2, c1, k10, u'" + cn + "').", Duration.ofSeconds(5));
      TlsSupport.assertRoundTrip(client);
    }
  }

  private static String cn(Issued issued) {
    String dn = issued.certificate().getSubjectX500Principal().getName();
    return dn.substring(3, dn.indexOf(','));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
