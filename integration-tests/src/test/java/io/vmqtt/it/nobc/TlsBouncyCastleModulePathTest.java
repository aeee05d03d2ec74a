package io.vmqtt.it.nobc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.it.ModuleApp;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.it.fixture.TlsBroker;
import io.vmqtt.testkit.MosquittoBroker;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code io.vmqtt:mqtt-tls-bouncycastle} on the module path, as the README tells: with
 * BouncyCastle's jars and the artifact on the module path, an application module that {@code
 * requires io.vmqtt.tls.bouncycastle} speaks TLS-PSK (the engine reads BouncyCastle through its
 * {@code requires static}); one that {@code requires io.vmqtt} only has the same jars on the module
 * path but not in its module graph, and its PSK connect fails with a message saying what to
 * require.
 */
class TlsBouncyCastleModulePathTest {
  @RegisterExtension
  static final MosquittoExtension mosquitto = new MosquittoExtension(TlsBroker::configure);

  /** The artifacts of the engine's module graph with BouncyCastle, by artifact id. */
  private static final Pattern MODULES =
      Pattern.compile(
          "(mqtt-api|mqtt-vthreads|mqtt-tls-bouncycastle|slf4j-api|bc(prov|pkix|tls|util)-jdk18on)"
              + "(-.*)?");

  private static final String MAIN =
      """
      package app;

      import io.vmqtt.ConnectOptions;
      import io.vmqtt.Message;
      import io.vmqtt.MqttClient;
      import io.vmqtt.MqttConfig;
      import io.vmqtt.QoS;
      import io.vmqtt.Subscription;
      import io.vmqtt.TlsOptions;
      import java.time.Duration;
      import java.util.HexFormat;
      import java.util.List;

      public class Main {
        public static void main(String[] args) throws Exception {
          MqttConfig config = MqttConfig.builder().autoReconnect(false).build();
          ConnectOptions options = ConnectOptions.builder()
              .tls(TlsOptions.builder().psk(args[1], HexFormat.of().parseHex(args[2])).build())
              .build();
          try (MqttClient client = MqttClient.create("modulepath-psk", config)) {
            client.connect(args[0], options);
            client.subscribe(List.of(Subscription.of("mp/psk", QoS.AT_LEAST_ONCE)));
            client.publish("mp/psk", "over psk".getBytes(), QoS.AT_LEAST_ONCE, false);
            Message m = client.deliverMessage(Duration.ofSeconds(30));
            System.out.println("received " + m.payloadAsString());
            client.disconnect();
          } catch (io.vmqtt.ConnectException e) {
            System.out.println("failed: " + e.getMessage().replace('\\n', ' '));
          }
          System.out.println("done");
        }
      }
      """;

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void anApplicationModuleThatRequiresTheTlsModuleSpeaksPsk(
      MosquittoBroker broker, @TempDir Path dir) throws Exception {
    String output = runApp(broker, dir, "requires io.vmqtt.tls.bouncycastle;");

    assertThat(output.lines()).as(output).contains("received over psk", "done");
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void withoutRequiringItPskFailsSayingWhatToRequire(MosquittoBroker broker, @TempDir Path dir)
      throws Exception {
    String output = runApp(broker, dir, "requires io.vmqtt;");

    assertThat(output.lines())
        .as(output)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("failed: ")
                    .contains("TLS-PSK (psk_identity, psk_key) needs BouncyCastle")
                    .contains("not in the module graph")
                    .contains("add io.vmqtt:mqtt-tls-bouncycastle to the module path")
                    .contains("`requires io.vmqtt.tls.bouncycastle;`"))
        .contains("done");
  }

  /** Compiles the application module with this {@code requires} and runs it; its output. */
  private static String runApp(MosquittoBroker broker, Path dir, String requires)
      throws IOException, InterruptedException {
    List<String> modulePath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(TlsBouncyCastleModulePathTest::isOfTheGraph)
            .toList();
    assertThat(modulePath)
        .as("the engine's module graph with BouncyCastle on the class path")
        .anyMatch(e -> e.contains("mqtt-tls-bouncycastle"))
        .anyMatch(e -> e.contains("bctls-jdk18on"));

    List<String> path =
        ModuleApp.compile(dir, modulePath, "module vmqtt.psk.app {\n  " + requires + "\n}\n", MAIN);
    String output =
        ModuleApp.run(
            path,
            "vmqtt.psk.app",
            broker.uri(TlsBroker.PSK),
            TlsBroker.PSK_IDENTITY,
            TlsBroker.PSK_KEY_HEX);
    return output;
  }

  /**
   * Whether a class path entry is an artifact of the graph: a jar named after it, or the {@code
   * target/classes} directory of a module of this build.
   */
  private static boolean isOfTheGraph(String entry) {
    Path p = Path.of(entry);
    String name = p.getFileName().toString();
    if (name.endsWith(".jar")) {
      return MODULES.matcher(name.substring(0, name.length() - 4)).matches();
    }
    return name.equals("classes")
        && p.getParent() != null
        && p.getParent().getParent() != null
        && MODULES.matcher(p.getParent().getParent().getFileName().toString()).matches();
  }
}
