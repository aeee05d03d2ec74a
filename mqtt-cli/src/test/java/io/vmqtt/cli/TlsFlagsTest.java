package io.vmqtt.cli;

import static io.vmqtt.cli.MosquittoClients.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.testkit.MosquittoBroker;
import io.vmqtt.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS flags of {@code vmqtt pub} and {@code vmqtt sub} against mosquitto's TLS listeners: CA
 * file and directory, client certificates (plain and encrypted keys), host name checking, TLS-PSK,
 * the TLS version, and {@code wss://}; and the one line and status 1 when TLS fails.
 */
class TlsFlagsTest {
  private static final String PSK_IDENTITY = "sensor-7";
  private static final String PSK_KEY =
      "5e1f0c2a9b7d4e3f80112233445566778899aabbccddeeff0011223344556677";
  private static final TestCertificates CERTS = TestCertificates.get();
  private static MosquittoBroker broker;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws IOException {
    broker =
        CERTS
            .writeServerFiles(MosquittoBroker.builder())
            .tls()
            .psk(PSK_IDENTITY, PSK_KEY)
            .listener(
                "mutual",
                "mqtts",
                "certfile ${dir}/server.pem",
                "keyfile ${dir}/server.key",
                "cafile ${dir}/ca.pem",
                "require_certificate true")
            .listener(
                "wronghost",
                "mqtts",
                "certfile ${dir}/wronghost.pem",
                "keyfile ${dir}/wronghost.key")
            .listener(
                "wss",
                "wss",
                "protocol websockets",
                "certfile ${dir}/server.pem",
                "keyfile ${dir}/server.key")
            .start();
    Files.writeString(dir.resolve("ca.pem"), CERTS.ca().certificatePem());
    Files.createDirectories(dir.resolve("cas"));
    Files.writeString(dir.resolve("cas/ca.pem"), CERTS.ca().certificatePem());
    Files.writeString(dir.resolve("client.pem"), CERTS.clientEc().certificatePem());
    Files.writeString(dir.resolve("client.key"), CERTS.clientEc().pkcs8Pem());
    Files.writeString(
        dir.resolve("client-encrypted.key"),
        CERTS.clientEc().encryptedPkcs8Pem(TestCertificates.KEY_PASSWORD));
    Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static String port(String listener) {
    return Integer.toString(broker.port(listener));
  }

  private static String file(String name) {
    return dir.resolve(name).toString();
  }

  private static void assertPublishes(String... args) {
    String topic = "tls/" + id("t");
    String[] all = new String[args.length + 6];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"-t", topic, "-m", "secret", "-q", "1"}, 0, all, args.length, 6);
    Cli.Result pub = Cli.run(all);
    assertThat(pub.status()).as(pub.toString()).isZero();
    assertThat(pub.err()).isEmpty();
  }

  @Test
  void aCaFileTurnsTlsOnAndTheDefaultPortWouldBe8883() {
    assertPublishes("pub", "-p", port(MosquittoBroker.TLS), "--cafile", file("ca.pem"));
    assertPublishes(
        "pub", "-h", "localhost", "-p", port(MosquittoBroker.TLS), "--cafile", file("ca.pem"));
  }

  @Test
  void aCaDirectoryWorksLikeACaFile() {
    assertPublishes("pub", "-p", port(MosquittoBroker.TLS), "--capath", file("cas"));
  }

  @Test
  void anMqttsUrlAndATlsVersionAreHonoured() {
    assertPublishes(
        "pub",
        "-L",
        broker.uri(MosquittoBroker.TLS),
        "--cafile",
        file("ca.pem"),
        "--tls-version",
        "tlsv1.2");
    assertPublishes(
        "pub",
        "-L",
        broker.uri(MosquittoBroker.TLS),
        "--cafile",
        file("ca.pem"),
        "--tls-version",
        "tlsv1.3");
  }

  @Test
  void aClientCertificateIsPresentedWhenTheBrokerRequiresOne() {
    assertPublishes(
        "pub",
        "-p",
        port("mutual"),
        "--cafile",
        file("ca.pem"),
        "--cert",
        file("client.pem"),
        "--key",
        file("client.key"));
    assertPublishes(
        "pub",
        "-p",
        port("mutual"),
        "--cafile",
        file("ca.pem"),
        "--cert",
        file("client.pem"),
        "--key",
        file("client-encrypted.key"),
        "--key-password",
        TestCertificates.KEY_PASSWORD);
  }

  @Test
  void insecureAcceptsACertificateForAnotherHost() {
    Cli.Result checked =
        Cli.run("pub", "-p", port("wronghost"), "--cafile", file("ca.pem"), "-t", "a", "-m", "x");
    assertThat(checked.status()).isEqualTo(1);
    assertThat(checked.err().lines())
        .singleElement()
        .asString()
        .startsWith("vmqtt pub: cannot connect to mqtts://localhost:" + port("wronghost"))
        .contains("does not match the broker's certificate");

    assertPublishes("pub", "-p", port("wronghost"), "--cafile", file("ca.pem"), "--insecure");
  }

  @Test
  void aPreSharedKeyReplacesCertificates() {
    assertPublishes(
        "pub", "-p", port(MosquittoBroker.PSK), "--psk", PSK_KEY, "--psk-identity", PSK_IDENTITY);
  }

  @Test
  void subscribingOverWssWorksWithTheSameTlsFlags() {
    String topic = "wss/" + id("t");
    assertPublishes("pub", "-p", port(MosquittoBroker.TLS), "--cafile", file("ca.pem"));
    Cli.Result pub =
        Cli.run(
            "pub",
            "-L",
            broker.uri("wss"),
            "--cafile",
            file("ca.pem"),
            "-t",
            topic,
            "-m",
            "over wss",
            "-r");
    assertThat(pub.status()).as(pub.toString()).isZero();

    Cli.Result sub =
        Cli.run("sub", "-L", broker.uri("wss"), "--cafile", file("ca.pem"), "-t", topic, "-C", "1");

    assertThat(sub.status()).as(sub.toString()).isZero();
    assertThat(sub.out()).isEqualTo("over wss\n");
  }

  @Test
  void badTlsMaterialExitsWithOneAndOneLineNamingIt() {
    Cli.Result untrusted =
        Cli.run("sub", "-p", port(MosquittoBroker.TLS), "--tls-use-os-certs", "-t", "a", "-E");
    assertThat(untrusted.status()).isEqualTo(1);
    assertThat(untrusted.err().lines())
        .singleElement()
        .asString()
        .contains("the broker's certificate is not trusted");

    Cli.Result missing =
        Cli.run(
            "pub",
            "-p",
            port(MosquittoBroker.TLS),
            "--cafile",
            file("nope.pem"),
            "-t",
            "a",
            "-m",
            "x");
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err().lines()).singleElement().asString().contains("nope.pem");

    Cli.Result garbage =
        Cli.run(
            "pub",
            "-p",
            port(MosquittoBroker.TLS),
            "--cafile",
            file("garbage.pem"),
            "-t",
            "a",
            "-m",
            "x");
    assertThat(garbage.status()).isEqualTo(1);
    assertThat(garbage.err().lines()).singleElement().asString().contains("garbage.pem");

    Cli.Result noClientCert =
        Cli.run("pub", "-p", port("mutual"), "--cafile", file("ca.pem"), "-t", "a", "-m", "x");
    assertThat(noClientCert.status()).isEqualTo(1);
    assertThat(noClientCert.err().lines()).singleElement().asString().startsWith("vmqtt pub: ");

    Cli.Result wrongPsk =
        Cli.run(
            "pub",
            "-p",
            port(MosquittoBroker.PSK),
            "--psk",
            "00ff",
            "--psk-identity",
            PSK_IDENTITY,
            "-t",
            "a",
            "-m",
            "x");
    assertThat(wrongPsk.status()).isEqualTo(1);
    assertThat(wrongPsk.err().lines())
        .singleElement()
        .asString()
        .contains("rejected the PSK identity 'sensor-7'");
  }
}
