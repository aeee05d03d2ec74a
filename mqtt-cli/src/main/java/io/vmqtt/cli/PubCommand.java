package io.vmqtt.cli;

import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.MqttException;
import io.vmqtt.Publish;
import io.vmqtt.QoS;
import io.vmqtt.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vmqtt pub}: publishes one message, the lines of the input, or one message repeatedly, with
 * mosquitto_pub's options. Runs on the main thread; each publish returns when its QoS flow is
 * complete (PUBACK, PUBCOMP), so the command exits 0 only after the broker has acknowledged every
 * message (QoS 1 and 2).
 */
@Command(
    name = "pub",
    sortOptions = false,
    versionProvider = Main.Version.class,
    usageHelpAutoWidth = true,
    description = {
      "Publish a message to an MQTT broker, as mosquitto_pub does.",
      "",
      "Examples:",
      "  vmqtt pub -t sensors/7/temp -m 21.5 -q 1",
      "  vmqtt pub -L mqtts://alice:s3cret@broker.example/sensors/7/temp --cafile ca.pem -m 21.5",
      "  tail -f app.log | vmqtt pub -t logs/app -l",
      ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:every message was published (QoS 1/2: and acknowledged)",
      "1:the broker could not be reached, TLS failed, the connection was lost, a file is unreadable",
      "2:a bad command line",
      "1-5:the broker refused the connection: its CONNACK return code"
    })
final class PubCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private HelpOptions help;

  @Mixin private ConnectionOptions connection;

  @Option(
      names = {"-t", "--topic"},
      paramLabel = "<topic>",
      description = "The topic to publish to (or the path of an mqtt:// -L URL).")
  private String topic;

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "%nThe message (one of):%n")
  private Source source;

  @Option(
      names = {"-q", "--qos"},
      paramLabel = "<qos>",
      converter = Converters.Qos.class,
      defaultValue = "0",
      description = "The QoS, 0-2 (default: ${DEFAULT-VALUE}).")
  private QoS qos;

  @Option(
      names = {"-r", "--retain"},
      description = "Publish a retained message.")
  private boolean retain;

  @Option(
      names = "--repeat",
      paramLabel = "<count>",
      defaultValue = "1",
      description = "Publish the message this many times (not with -l).")
  private int repeat;

  @Option(
      names = "--repeat-delay",
      paramLabel = "<seconds>",
      defaultValue = "0",
      description = "Seconds between repeated messages, e.g. 0.5.")
  private double repeatDelay;

  @Option(
      names = {"-M", "--max-inflight"},
      paramLabel = "<count>",
      description = "QoS 1/2 messages unacknowledged at once, 1-65535 (default: 20).")
  private Integer maxInflight;

  private final Io io;

  /** The {@code -D} properties, once the command line is checked. */
  private PropertyOptions properties;

  PubCommand(Io io) {
    this.io = io;
  }

  /** Where the payload comes from: exactly one of these. */
  static final class Source {
    @Option(
        names = {"-m", "--message"},
        paramLabel = "<text>",
        description = "The message, as UTF-8.")
    String message;

    @Option(
        names = {"-f", "--file"},
        paramLabel = "<file>",
        description = "Send the contents of a file as the message.")
    Path file;

    @Option(
        names = {"-s", "--stdin-message"},
        description = "Send the whole input (stdin) as one message.")
    boolean stdinMessage;

    @Option(
        names = {"-l", "--stdin-line"},
        description = "Send each line of the input as a message; empty lines are skipped.")
    boolean stdinLines;

    @Option(
        names = {"-n", "--null-message"},
        description = "Send an empty message.")
    boolean nullMessage;
  }

  @Override
  public Integer call() throws InterruptedException {
    StringBuilder urlTopic = new StringBuilder();
    ConnectionOptions.Target target =
        connection.target("pub", urlTopic, List.of("connect", "publish"));
    String name = topic != null ? topic : urlTopic.toString();
    if (name.isEmpty()) {
      throw usage("a topic is needed: -t <topic> (or an mqtt:// -L URL with a path)");
    }
    try {
      Topics.requireValidName(name, "topic");
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (repeat < 1) {
      throw usage("--repeat must be at least 1, was " + repeat);
    }
    if (repeatDelay < 0 || Double.isNaN(repeatDelay)) {
      throw usage("--repeat-delay must be 0 or more seconds, was " + repeatDelay);
    }
    if (source.stdinLines && repeat > 1) {
      throw usage("--repeat cannot be combined with -l");
    }
    MqttConfig.Builder config = target.config().autoReconnect(false);
    if (maxInflight != null) {
      if (maxInflight < 1 || maxInflight > 65535) {
        throw usage("-M/--max-inflight must be 1-65535, was " + maxInflight);
      }
      config.maxInflight(maxInflight);
    }
    properties = target.properties();
    byte[] payload = source.stdinLines ? new byte[0] : payload();
    try (Logging.Trace trace = connection.debug ? Logging.packetTrace(io.err()) : Logging.off();
        MqttClient client = MqttClient.create(target.clientId(), config.build())) {
      Failures.connect(client, target.uri(), target.options());
      try {
        if (source.stdinLines) {
          publishLines(client, name);
        } else {
          Duration delay = Duration.ofNanos(Math.round(repeatDelay * 1e9));
          for (int i = 0; i < repeat; i++) {
            if (i > 0 && !delay.isZero()) {
              pause(delay);
            }
            publish(client, name, payload);
          }
        }
        client.disconnect();
      } catch (MqttException e) {
        throw Failures.of(e);
      }
    }
    return 0;
  }

  /** One message, with the {@code -D publish} properties when there are any. */
  private void publish(MqttClient client, String name, byte[] payload) throws InterruptedException {
    if (!properties.hasPublishProperties()) {
      client.publish(name, payload, qos, retain);
      return;
    }
    Publish.Builder message = Publish.builder(name).payload(payload).qos(qos).retain(retain);
    client.publish(properties.applyToPublish(message).build());
  }

  private byte[] payload() {
    if (source.message != null) {
      return source.message.getBytes(StandardCharsets.UTF_8);
    }
    if (source.file != null) {
      try {
        return Files.readAllBytes(source.file);
      } catch (IOException e) {
        throw new CliFailure(
            CliFailure.ERROR, "cannot read " + source.file + ": " + Failures.oneLine(e), e);
      }
    }
    if (source.stdinMessage) {
      try {
        return io.in().readAllBytes();
      } catch (IOException e) {
        throw new CliFailure(CliFailure.ERROR, "cannot read the input: " + Failures.oneLine(e), e);
      }
    }
    return new byte[0]; // -n
  }

  /** mosquitto_pub -l: each line a message, as it is read; empty lines are skipped. */
  private void publishLines(MqttClient client, String name) throws InterruptedException {
    InputStream in = io.in();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      for (int b = in.read(); ; b = in.read()) {
        if (b == '\n' || b < 0) {
          byte[] bytes = line.toByteArray();
          int length = bytes.length;
          if (length > 0 && bytes[length - 1] == '\r') {
            length--;
          }
          if (length > 0) {
            publish(client, name, java.util.Arrays.copyOf(bytes, length));
          }
          line.reset();
          if (b < 0) {
            return;
          }
        } else {
          line.write(b);
        }
      }
    } catch (IOException e) {
      throw new CliFailure(CliFailure.ERROR, "cannot read the input: " + Failures.oneLine(e), e);
    }
  }

  private static void pause(Duration delay) throws InterruptedException {
    long deadline = System.nanoTime() + delay.toNanos();
    for (long left = delay.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
