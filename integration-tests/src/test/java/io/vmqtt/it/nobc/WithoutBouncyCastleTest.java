package io.vmqtt.it.nobc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.it.fixture.TlsBroker;
import io.vmqtt.testkit.MosquittoBroker;
import io.vmqtt.testkit.TestCertificates;
import io.vmqtt.testkit.TestCertificates.Issued;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain {@code mqtt://} user needs no BouncyCastle: a JVM whose class path holds the engine but
 * not BouncyCastle (nor {@code io.vmqtt:mqtt-tls-bouncycastle}) connects over {@code mqtt://} and
 * JSSE {@code mqtts://}, with client keys the JDK reads (PKCS#8 PEM and DER, encrypted PKCS#8);
 * what needs BouncyCastle (TLS-PSK, {@code tls_provider bcjsse}, PKCS#1 and SEC1 keys) fails with a
 * message naming the artifact to add. Against mosquitto's TLS listeners ({@link TlsBroker}).
 */
class WithoutBouncyCastleTest {
  @RegisterExtension
  static final MosquittoExtension mosquitto = new MosquittoExtension(TlsBroker::configure);

  private static final String PASSWORD = TestCertificates.KEY_PASSWORD;
  private static final String ADD =
      "add io.vmqtt:mqtt-tls-bouncycastle next to io.vmqtt:mqtt-vthreads";

  @Test
  void withoutBouncyCastleOnlyWhatNeedsItFailsAndItsErrorNamesTheArtifact(
      MosquittoBroker broker, @TempDir Path dir) throws Exception {
    Map<String, String> results = runChild(broker, dir);

    assertThat(results).containsEntry("bouncycastle", "absent");
    assertThat(results)
        .containsEntry("mqtt", "ok")
        .containsEntry("mqtts cafile", "ok")
        .containsEntry("mutual pkcs8", "ok")
        .containsEntry("mutual pkcs8-der", "ok")
        .containsEntry("mutual encrypted-pkcs8", "ok");
    assertThat(results.get("mutual pkcs1"))
        .startsWith("failed: ")
        .contains("keyfile ")
        .contains("RSA PRIVATE KEY")
        .contains("needs BouncyCastle, which is not on the class path")
        .endsWith(ADD);
    assertThat(results.get("mutual sec1"))
        .contains("EC PRIVATE KEY")
        .contains("needs BouncyCastle")
        .endsWith(ADD);
    assertThat(results.get("psk"))
        .contains("TLS-PSK (psk_identity, psk_key) needs BouncyCastle")
        .contains("(bcpkix-jdk18on, bcprov-jdk18on, bctls-jdk18on, bcutil-jdk18on missing)")
        .endsWith(ADD);
    assertThat(results.get("bcjsse"))
        .contains("tls_provider bcjsse (BouncyCastle's JSSE provider) needs BouncyCastle")
        .endsWith(ADD);
  }

  private static Map<String, String> runChild(MosquittoBroker broker, Path dir)
      throws IOException, InterruptedException {
    TestCertificates certs = TestCertificates.get();
    Issued rsa = certs.clientRsa();
    Issued ec = certs.clientEc();
    Properties p = new Properties();
    p.setProperty("plain", "mqtt://127.0.0.1:" + broker.port());
    p.setProperty("tls", broker.uri(TlsBroker.TLS));
    p.setProperty("mutual", broker.uri(TlsBroker.MUTUAL));
    p.setProperty("psk", broker.uri(TlsBroker.PSK));
    p.setProperty("psk.identity", TlsBroker.PSK_IDENTITY);
    p.setProperty("psk.key", TlsBroker.PSK_KEY_HEX);
    p.setProperty("ca", broker.directory().resolve("ca.pem").toString());
    p.setProperty("cert", write(dir, "client.pem", rsa.certificatePem()).toString());
    p.setProperty("password", PASSWORD);
    p.setProperty("key.pkcs8", write(dir, "pkcs8.key", rsa.pkcs8Pem()).toString());
    p.setProperty(
        "key.pkcs8-der", Files.write(dir.resolve("pkcs8.der"), rsa.pkcs8Der()).toString());
    p.setProperty(
        "key.encrypted-pkcs8", write(dir, "enc.key", rsa.encryptedPkcs8Pem(PASSWORD)).toString());
    p.setProperty("key.pkcs1", write(dir, "pkcs1.key", rsa.traditionalPem()).toString());
    // The EC key with the RSA certificate: it fails before the handshake, at reading the key.
    p.setProperty("key.sec1", write(dir, "sec1.key", ec.traditionalPem()).toString());
    Path cases = dir.resolve("cases.properties");
    try (var w = Files.newBufferedWriter(cases)) {
      p.store(w, null);
    }

    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp");
    command.add(classPathWithoutBouncyCastle());
    command.add(ClientWithoutBouncyCastle.class.getName());
    command.add(cases.toString());
    Process child =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Map<String, String> results = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        System.out.println("child: " + line); // in the test's report
        int colon = line.indexOf(": ");
        if (colon > 0 && !line.startsWith(" ")) {
          results.putIfAbsent(line.substring(0, colon), line.substring(colon + 2));
        }
      }
    } finally {
      if (!child.waitFor(2, TimeUnit.MINUTES)) {
        child.destroyForcibly();
      }
    }
    assertThat(lines).as("the child's output").contains("done");
    return results;
  }

  /** This JVM's class path without BouncyCastle's jars and the artifact that brings them. */
  private static String classPathWithoutBouncyCastle() {
    List<String> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      boolean bouncyCastle =
          name.matches("bc(prov|pkix|tls|util)-.*\\.jar")
              || entry.contains("mqtt-tls-bouncycastle");
      (bouncyCastle ? dropped : kept).add(entry);
    }
    assertThat(dropped).as("BouncyCastle on this class path").hasSizeGreaterThanOrEqualTo(4);
    return String.join(File.pathSeparator, kept);
  }

  private static Path write(Path dir, String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }
}
