package io.vmqtt.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code vmqtt demo}: hbmqtt's three documented examples, see {@link Demo}. */
@Command(
    name = "demo",
    sortOptions = false,
    versionProvider = Main.Version.class,
    usageHelpAutoWidth = true,
    description = {
      "Run hbmqtt's three MQTTClient examples with vmqtt's blocking API: a subscriber on its own"
          + " virtual thread, a sequential publisher and a concurrent publisher. Every MQTT packet"
          + " is printed (-out-> sent, <-in-- received).",
      "",
      "From the repository root, through Maven:",
      "  ./mvnw -q -pl mqtt-cli -am compile -Pdemo [-Ddemo.url=<url>] [-Ddemo.count=<n>]",
      ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:every example completed", "1:an example failed", "2:a bad command line"})
final class DemoCommand implements Callable<Integer> {
  /** What the two publishers send: QoS 0, 1 and 2 each. */
  static final int DEFAULT_COUNT = 6;

  @Spec private CommandSpec spec;

  @Mixin private HelpOptions help;

  @Option(
      names = {"-L", "--url"},
      paramLabel = "<url>",
      defaultValue = "",
      description =
          "The broker, e.g. mqtt://localhost:1883 (default: an embedded Moquette broker on"
              + " 127.0.0.1 and a free port).")
  private String url;

  @Option(
      names = {"-C", "--count"},
      paramLabel = "<n>",
      converter = Converters.OptionalCount.class,
      defaultValue = "",
      description =
          "The messages on a/b the subscriber waits for before it unsubscribes (default: "
              + DEFAULT_COUNT
              + ", what the two publishers send).")
  private int count;

  private final Io io;

  DemoCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws InterruptedException {
    int messages = count == 0 ? DEFAULT_COUNT : count;
    if (messages < 1) {
      throw new ParameterException(
          spec.commandLine(), "--count must be at least 1, was " + messages);
    }
    String broker = url.strip();
    try (Logging.Trace trace = Logging.packetTrace(io.out())) {
      return new Demo(io.out(), io.err())
          .run(broker.isEmpty() ? Optional.empty() : Optional.of(broker), messages);
    }
  }
}
