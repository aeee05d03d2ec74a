package io.vmqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link TlsOptions}: the builder, the config-map keys, redaction and what excludes what. */
class TlsOptionsTest {
  private static final String KEY_PEM =
      "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg-secret-part\n"
          + "-----END PRIVATE KEY-----\n";

  @Test
  void theDefaultsUseTheJdkTrustStoreJsseAndHostNameVerification() {
    TlsOptions d = TlsOptions.defaults();

    assertThat(d.caFile()).isEmpty();
    assertThat(d.caPath()).isEmpty();
    assertThat(d.caData()).isEmpty();
    assertThat(d.trustStore()).isEmpty();
    assertThat(d.certFile()).isEmpty();
    assertThat(d.sslContext()).isEmpty();
    assertThat(d.provider()).isEqualTo(TlsOptions.Provider.JSSE);
    assertThat(d.insecureSkipHostnameVerification()).isFalse();
    assertThat(d.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.tlsVersions()).isEmpty();
    assertThat(d.isPsk()).isFalse();
    assertThat(MqttConfig.defaults().tls()).isEqualTo(d);
    assertThat(d).hasToString("TlsOptions{}");
  }

  @Test
  void everyConfigMapKeyGivesTheSameOptionsAsTheBuilder() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("cafile", "/etc/ca.pem");
    map.put("capath", Path.of("/etc/ssl/certs"));
    map.put("cadata", "-----BEGIN CERTIFICATE-----\n...");
    map.put("certfile", "client.pem");
    map.put("keyfile", "client.key");
    map.put("keyfile_password", "pw");
    map.put("tls_versions", List.of("TLSv1.3", "tlsv1.2"));
    map.put("ciphers", "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384");
    map.put("alpn", List.of("x-amzn-mqtt-ca"));
    map.put("tls_handshake_timeout", 2.5);
    map.put("tls_provider", "bcjsse");
    map.put("tls_insecure_skip_hostname_verification", true);

    TlsOptions expected =
        TlsOptions.builder()
            .caFile(Path.of("/etc/ca.pem"))
            .caPath(Path.of("/etc/ssl/certs"))
            .caData("-----BEGIN CERTIFICATE-----\n...")
            .certFile(Path.of("client.pem"))
            .keyFile(Path.of("client.key"))
            .keyFilePassword("pw".toCharArray())
            .tlsVersions("TLSv1.3", "TLSv1.2")
            .ciphers(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"))
            .alpn("x-amzn-mqtt-ca")
            .handshakeTimeout(Duration.ofMillis(2500))
            .provider(TlsOptions.Provider.BCJSSE)
            .insecureSkipHostnameVerification(true)
            .build();

    MqttConfig config = MqttConfig.from(map);

    assertThat(config.tls()).isEqualTo(expected);
    assertThat(config).isEqualTo(MqttConfig.builder().tls(expected).build());
  }

  @Test
  void pemTextAndBytesAndAHexPskComeFromTheMap() {
    MqttConfig certs =
        MqttConfig.from(
            Map.of(
                "certdata",
                "CERT",
                "keydata",
                "KEY".getBytes(UTF_8),
                "cadata",
                new byte[] {0x30, 0x01}));
    MqttConfig psk =
        MqttConfig.from(Map.of("psk_identity", "sensor-7", "psk_key", "00A1ff", "alpn", "mqtt"));

    assertThat(certs.tls().certData()).contains("CERT".getBytes(UTF_8));
    assertThat(certs.tls().keyData()).contains("KEY".getBytes(UTF_8));
    assertThat(certs.tls().caData()).contains(new byte[] {0x30, 0x01});
    assertThat(psk.tls().isPsk()).isTrue();
    assertThat(psk.tls().pskIdentity()).contains("sensor-7");
    assertThat(psk.tls().pskKey()).contains(new byte[] {0x00, (byte) 0xa1, (byte) 0xff});
    assertThat(psk.tls().alpn()).containsExactly("mqtt");
  }

  @Test
  void hbmqttsCheckHostnameFalseTurnsHostNameVerificationOff() {
    assertThat(
            MqttConfig.from(Map.of("check_hostname", false))
                .tls()
                .insecureSkipHostnameVerification())
        .isTrue();
    assertThat(
            MqttConfig.from(Map.of("check_hostname", true))
                .tls()
                .insecureSkipHostnameVerification())
        .isFalse();
  }

  @Test
  void toStringRedactsKeysPasswordsAndThePskButShowsFilesAndSizes() {
    TlsOptions tls =
        TlsOptions.builder()
            .caData("CA-CERT-TEXT")
            .certData("CERT-TEXT")
            .keyData(KEY_PEM)
            .keyFilePassword("hunter2".toCharArray())
            .build();
    TlsOptions psk =
        TlsOptions.builder().psk("sensor-7", HexFormat.of().parseHex("deadbeef")).build();
    MqttConfig config = MqttConfig.from(Map.of("psk_identity", "id", "psk_key", "cafebabe"));

    assertThat(tls.toString())
        .doesNotContain("secret-part")
        .doesNotContain("PRIVATE")
        .doesNotContain("hunter2")
        .contains(
            "keydata=<redacted>",
            "keyfile_password=<redacted>",
            "cadata=byte[12]",
            "certdata=byte[9]");
    assertThat(psk.toString())
        .isEqualTo("TlsOptions{psk_identity=sensor-7, psk_key=<redacted>}")
        .doesNotContain("deadbeef")
        .doesNotContain("DEADBEEF");
    assertThat(config.toString())
        .contains("tls=TlsOptions{psk_identity=id, psk_key=<redacted>}")
        .doesNotContain("cafebabe");
    assertThat(ConnectOptions.builder().tls(psk).build().toString())
        .contains("psk_key=<redacted>")
        .doesNotContain("deadbeef");
  }

  @Test
  void aKeyStoreAndAnSslContextShowOnlyTheirTypes() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    SSLContext context = SSLContext.getInstance("TLS");

    assertThat(TlsOptions.builder().keyStore(ks, "pw".toCharArray()).trustStore(ks).build())
        .hasToString(
            "TlsOptions{trust_store=KeyStore(PKCS12), key_store=KeyStore(PKCS12),"
                + " key_store_password=<redacted>}");
    assertThat(TlsOptions.builder().sslContext(context).build().toString())
        .startsWith("TlsOptions{ssl_context=SSLContext(TLS, ");
  }

  @Test
  void theArraysGivenAndReturnedAreCopies() {
    byte[] key = {1, 2, 3};
    char[] password = {'p', 'w'};
    TlsOptions tls =
        TlsOptions.builder().certData("C").keyData(key).keyFilePassword(password).build();
    key[0] = 9;
    password[0] = 'x';
    tls.keyData().orElseThrow()[1] = 9;

    assertThat(tls.keyData()).contains(new byte[] {1, 2, 3});
    assertThat(tls.keyFilePassword()).contains(new char[] {'p', 'w'});
  }

  @Test
  void connectOptionsCarryTlsOptionsForOneConnection() {
    TlsOptions tls = TlsOptions.builder().caFile(Path.of("other-ca.pem")).build();

    assertThat(ConnectOptions.builder().tls(tls).build().tls()).contains(tls);
    assertThat(ConnectOptions.defaults().tls()).isEmpty();
  }

  static Stream<Arguments> badOptions() {
    return Stream.of(
        bad(
            "keyfile requires certfile or certdata",
            () -> TlsOptions.builder().keyFile(Path.of("k")).build()),
        bad(
            "keydata requires certfile or certdata",
            () -> TlsOptions.builder().keyData("K").build()),
        bad(
            "give certfile or certdata, not both",
            () -> TlsOptions.builder().certFile(Path.of("c")).certData("C").build()),
        bad(
            "give keyfile or keydata, not both",
            () -> TlsOptions.builder().certData("C").keyFile(Path.of("k")).keyData("K").build()),
        bad("psk_identity requires psk_key", () -> MqttConfig.from(Map.of("psk_identity", "id"))),
        bad("psk_key requires psk_identity", () -> MqttConfig.from(Map.of("psk_key", "00"))),
        bad(
            "TLS-PSK (psk_identity, psk_key) uses no certificates; remove cafile, certfile",
            () ->
                MqttConfig.from(
                    Map.of(
                        "psk_identity",
                        "id",
                        "psk_key",
                        "00",
                        "cafile",
                        "ca.pem",
                        "certfile",
                        "c.pem"))),
        bad(
            "an SSLContext carries its own trust and key material and provider; it cannot be"
                + " combined with cafile, tls_provider",
            () ->
                TlsOptions.builder()
                    .sslContext(SSLContext.getDefault())
                    .caFile(Path.of("ca.pem"))
                    .provider(TlsOptions.Provider.BCJSSE)
                    .build()),
        bad(
            "tls_versions: unknown TLS version 'TLSv1.1'; known: TLSv1.2, TLSv1.3",
            () -> MqttConfig.from(Map.of("tls_version", "TLSv1.1"))),
        bad(
            "tls_versions names TLSv1.3 twice",
            () -> MqttConfig.from(Map.of("tls_versions", List.of("TLSv1.3", "tlsv1.3")))),
        bad(
            "give tls_version or tls_versions, not both",
            () -> MqttConfig.from(Map.of("tls_version", "TLSv1.3", "tls_versions", "TLSv1.2"))),
        bad(
            "give tls_insecure_skip_hostname_verification or check_hostname, not both",
            () ->
                MqttConfig.from(
                    Map.of(
                        "check_hostname", true, "tls_insecure_skip_hostname_verification", true))),
        bad(
            "ciphers must not contain a blank name",
            () -> MqttConfig.from(Map.of("ciphers", "A::B"))),
        bad("alpn must name at least one", () -> MqttConfig.from(Map.of("alpn", List.of()))),
        bad(
            "alpn[1] must be a string, was 7 (Integer)",
            () -> MqttConfig.from(Map.of("alpn", List.of("mqtt", 7)))),
        bad(
            "tls_handshake_timeout must be > 0 seconds, was 0",
            () -> MqttConfig.from(Map.of("tls_handshake_timeout", 0))),
        bad(
            "tls_provider must be \"jsse\" or \"bcjsse\", was \"openssl\" (String)",
            () -> MqttConfig.from(Map.of("tls_provider", "openssl"))),
        bad(
            "cafile must be a path (String or Path), was 1 (Integer)",
            () -> MqttConfig.from(Map.of("cafile", 1))),
        bad("cafile must not be empty", () -> MqttConfig.from(Map.of("cafile", ""))),
        bad("cadata must not be empty", () -> MqttConfig.from(Map.of("cadata", new byte[0]))),
        bad(
            "psk_identity must not be empty",
            () -> MqttConfig.from(Map.of("psk_identity", "", "psk_key", "00"))),
        // secrets are never echoed
        bad(
            "psk_key must be an even number of hex digits, was a string of length 3",
            () -> MqttConfig.from(Map.of("psk_identity", "id", "psk_key", "abc"))),
        bad(
            "psk_key must be a hex string or byte[], was of type Integer",
            () -> MqttConfig.from(Map.of("psk_identity", "id", "psk_key", 1234))),
        bad(
            "keyfile_password must be a string or char[], was of type byte[]",
            () -> MqttConfig.from(Map.of("keyfile_password", new byte[] {1}))),
        bad(
            "keydata must be a string or byte[], was of type Integer",
            () -> MqttConfig.from(Map.of("keydata", 42))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badOptions")
  void optionsThatCannotWorkAreRefusedWithAMessageNamingTheKeys(
      String message, org.assertj.core.api.ThrowableAssert.ThrowingCallable build) {
    assertThatThrownBy(build).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  private static Arguments bad(
      String message, org.assertj.core.api.ThrowableAssert.ThrowingCallable build) {
    return Arguments.of(message, build);
  }
}
