package io.vmqtt.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.it.fixture.MosquittoTest;
import io.vmqtt.testkit.MosquittoBroker;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client on the module path, as the README promises: an application module that {@code requires
 * io.vmqtt} only, the engine bound through {@code ServiceLoader}, publishing and receiving QoS 1
 * and 2 (so the engine attaches and reads back the receipt of a received message through the
 * package {@code io.vmqtt} exports to it alone). Every other test runs on the class path, where
 * module descriptors are ignored: this one fails when a descriptor lacks a {@code provides} or a
 * {@code requires} that only matters at run time.
 */
@MosquittoTest
class ModulePathTest {
  /** The artifacts of the engine's module graph, by artifact id. */
  private static final Pattern MODULES =
      Pattern.compile("(mqtt-api|mqtt-vthreads|slf4j-api|bc(prov|pkix|tls|util)-jdk18on)(-.*)?");

  private static final String MODULE_INFO =
      """
      module vmqtt.modulepath.app {
        requires io.vmqtt;
      }
      """;

  private static final String MAIN =
      """
      package app;

      import io.vmqtt.Message;
      import io.vmqtt.MqttClient;
      import io.vmqtt.Publish;
      import io.vmqtt.QoS;
      import io.vmqtt.Subscription;
      import java.time.Duration;
      import java.util.List;

      public class Main {
        public static void main(String[] args) throws Exception {
          try (MqttClient client = MqttClient.create("modulepath-app")) {
            System.out.println("engine " + client.getClass().getModule().getName());
            client.connect(args[0]);
            System.out.println("granted " + client.subscribe(List.of(
                Subscription.of("mp/#", QoS.EXACTLY_ONCE))));
            client.publish("mp/1", "one".getBytes(), QoS.AT_LEAST_ONCE, false);
            client.publish(Publish.builder("mp/2").payload("two").qos(QoS.EXACTLY_ONCE).build());
            for (int i = 0; i < 2; i++) {
              Message m = client.deliverMessage(Duration.ofSeconds(10)); // acknowledged on take
              System.out.println("received " + m.topic() + " " + m.payloadAsString() + " qos "
                  + m.qos().value());
            }
            client.ping(); // the acknowledgements went out before this answer came back
            client.disconnect();
            System.out.println("done");
          }
        }
      }
      """;

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void anApplicationModuleThatRequiresOnlyTheApiPublishesAndReceives(
      MosquittoBroker broker, @TempDir Path dir) throws Exception {
    List<String> modulePath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(ModulePathTest::isOfTheEngine)
            .toList();
    assertThat(modulePath)
        .as("the engine's module graph on the class path")
        .anyMatch(e -> e.contains("mqtt-api"))
        .anyMatch(e -> e.contains("mqtt-vthreads"))
        .anyMatch(e -> e.contains("slf4j-api"));

    List<String> path = ModuleApp.compile(dir, modulePath, MODULE_INFO, MAIN);
    String output = ModuleApp.run(path, "vmqtt.modulepath.app", broker.uri());
    assertThat(output.lines())
        .as(output)
        .contains(
            "engine io.vmqtt.vthreads",
            "granted [2]",
            "received mp/1 one qos 1",
            "received mp/2 two qos 2",
            "done");
  }

  /**
   * Whether a class path entry is an artifact of the engine's graph: a jar named after it, or the
   * {@code target/classes} directory of a module of this build.
   */
  private static boolean isOfTheEngine(String entry) {
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
