package io.vmqtt.cli;

import static io.vmqtt.cli.MosquittoClients.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.testkit.MosquittoBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a user runs it: the repository's {@code vmqtt} launcher and {@code
 * target/vmqtt.jar}, copied side by side into a folder of their own, run as child processes, with
 * mosquitto_pub and mosquitto_sub on the other end. Runs after {@code package} (failsafe).
 */
class LauncherIT {
  private static MosquittoBroker broker;
  @TempDir static Path bin;

  @BeforeAll
  static void install() throws IOException {
    Path launcher = Path.of("..", "vmqtt").toRealPath();
    assertThat(Files.isExecutable(launcher)).as(launcher + " is executable").isTrue();
    Files.copy(launcher, bin.resolve("vmqtt"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(Path.of("target", "vmqtt.jar"), bin.resolve("vmqtt.jar"));
    broker = MosquittoBroker.builder().verboseLog().start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** Runs the installed launcher; JAVA_HOME names a JDK 17 when there is one, as on Debian 12. */
  private static Run vmqtt(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(bin.resolve("vmqtt").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.remove("VMQTT_JAVA");
    Path jdk17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
    if (Files.isDirectory(jdk17)) {
      env.put("JAVA_HOME", jdk17.toString()); // too old: the launcher must look further
    }
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(
        process.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  record Run(int status, String out, String err) {}

  @Test
  void theVersionComesFromTheJarAndTheJvmPrintsNoWarning() throws Exception {
    Run run = vmqtt("--version");

    assertThat(run.status()).as(run.toString()).isZero();
    assertThat(run.out()).startsWith("vmqtt 0.1.0-SNAPSHOT\nJava ");
    assertThat(run.err()).as("nothing on the error stream, JVM warnings included").isEmpty();
  }

  @Test
  void vmqttPubReachesMosquittoSub() throws Exception {
    String topic = "launcher/pub/" + id("t");
    MosquittoClients.Subscriber sub = MosquittoClients.subscribe(broker, topic, "-C", "1", "-v");

    Run run =
        vmqtt("pub", "-p", Integer.toString(broker.port()), "-t", topic, "-m", "hello", "-q", "1");

    assertThat(run.status()).as(run.toString()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(sub.output()).isEqualTo(topic + " hello\n");
  }

  @Test
  void mosquittoPubReachesVmqttSub() throws Exception {
    String topic = "launcher/sub/" + id("t");
    MosquittoClients.publish(broker, topic, "-m", "retained hello", "-r", "-q", "1");

    Run run = vmqtt("sub", "-L", broker.uri(), "-t", topic, "-C", "1", "--json");

    assertThat(run.status()).as(run.toString()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .isEqualTo(
            "{\"topic\":\""
                + topic
                + "\",\"qos\":0,\"retain\":true,\"payload\":\"retained hello\"}\n");
  }

  @Test
  void aRefusalExitsWithItsCodeAndABadFlagWithTwo() throws Exception {
    try (MosquittoBroker secured = MosquittoBroker.builder().user("alice", "s3cret").start()) {
      Run refused = vmqtt("pub", "-p", Integer.toString(secured.port()), "-t", "a", "-m", "x");
      assertThat(refused.status()).isEqualTo(5);
      assertThat(refused.err()).endsWith("refused the connection: CONNACK 5 (not authorized)\n");
    }
    Run bad = vmqtt("sub", "-t", "a", "-q", "7");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).startsWith("vmqtt sub: Invalid value for option '--qos'");
  }
}
