package io.vmqtt.cli;

import io.vmqtt.Connack;
import io.vmqtt.ConnectException;
import io.vmqtt.ConnectionListener;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.MqttException;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vmqtt sub}: subscribes and prints what arrives, with mosquitto_sub's options. Runs on the
 * main thread; messages are taken with {@code deliverMessage} (QoS 1 and 2 are acknowledged when
 * taken) and printed as they come, the output flushed after each. A lost connection is
 * re-established without end, as mosquitto_sub does; {@code -W} bounds the whole run.
 */
@Command(
    name = "sub",
    sortOptions = false,
    versionProvider = Main.Version.class,
    usageHelpAutoWidth = true,
    description = {
      "Subscribe to topics and print the messages that arrive, as mosquitto_sub does.",
      "",
      "Examples:",
      "  vmqtt sub -t 'sensors/#' -v",
      "  vmqtt sub -L ws://broker.example:9001/mqtt -t 'a/#' --json",
      "  vmqtt sub -t a/b -C 1 -W 10 -F '%%I %%t %%p'",
      ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:done: -C messages received, -E, --retained-only, or the output was closed",
      "1:the broker could not be reached, TLS failed, every subscription was refused",
      "2:a bad command line",
      "1-5:the broker refused the connection: its CONNACK return code",
      "27:-W seconds passed (mosquitto_sub's status for the same)"
    })
final class SubCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private HelpOptions help;

  @Mixin private ConnectionOptions connection;

  @Option(
      names = {"-t", "--topic"},
      paramLabel = "<filter>",
      description = "A topic filter to subscribe to; repeat for more.")
  private List<String> topics = new ArrayList<>();

  @Option(
      names = {"-T", "--filter-out"},
      paramLabel = "<filter>",
      description = "Do not print messages whose topic matches this filter; repeat for more.")
  private List<String> filterOut = new ArrayList<>();

  @Option(
      names = {"-U", "--unsubscribe"},
      paramLabel = "<filter>",
      description = "Unsubscribe from this filter first (for a kept session, -c); repeatable.")
  private List<String> unsubscribe = new ArrayList<>();

  @Option(
      names = {"-q", "--qos"},
      paramLabel = "<qos>",
      converter = Converters.Qos.class,
      defaultValue = "0",
      description = "The QoS to subscribe with, 0-2 (default: ${DEFAULT-VALUE}).")
  private QoS qos;

  @Option(
      names = {"-C", "--count"},
      paramLabel = "<count>",
      description = "Exit after printing this many messages.")
  private Integer count;

  @Option(
      names = {"-W", "--timeout"},
      paramLabel = "<seconds>",
      description = "Exit with status 27 after this many seconds.")
  private Integer timeoutSeconds;

  @Option(
      names = {"-E", "--exit-after-subscribe"},
      description = "Exit once the broker has acknowledged the subscriptions.")
  private boolean exitAfterSubscribe;

  @Option(
      names = {"-R", "--no-stale"},
      description = "Do not print retained messages (those the broker kept from before).")
  private boolean noStale;

  @Option(
      names = "--retained-only",
      description = "Print only retained messages; exit at the first message that is not.")
  private boolean retainedOnly;

  @Option(
      names = "--remove-retained",
      description = "Clear each retained message received (publish an empty retained message).")
  private boolean removeRetained;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print the topic, a space and the payload.")
  private boolean verbose;

  @Option(
      names = {"-F", "--format"},
      paramLabel = "<template>",
      description = {
        "Print with a template: %%t topic, %%p payload, %%q QoS, %%r retain, %%l length,"
            + " %%x/%%X hex payload, %%j JSON line, %%I ISO time, %%U Unix time,"
            + " %%%% percent; \\n \\t \\\\ escapes."
      })
  private String format;

  @Option(
      names = "--json",
      description = {
        "Print one JSON object per message:"
            + " {\"topic\":..,\"qos\":..,\"retain\":..,\"payload\":\"text\"},"
            + " or \"payload_base64\" when the payload is not UTF-8."
      })
  private boolean json;

  @Option(
      names = {"-N", "--no-newline"},
      description = "Do not end each message with a newline.")
  private boolean noNewline;

  private final Io io;

  SubCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws InterruptedException {
    StringBuilder urlTopic = new StringBuilder();
    ConnectionOptions.Target target =
        connection.target("sub", urlTopic, List.of("connect", "subscribe", "unsubscribe"));
    List<String> filters = new ArrayList<>(topics);
    if (filters.isEmpty() && !urlTopic.isEmpty()) {
      filters.add(urlTopic.toString());
    }
    if (filters.isEmpty()) {
      throw usage("a topic filter is needed: -t <filter> (or an mqtt:// -L URL with a path)");
    }
    checkFilters(filters, "-t");
    checkFilters(filterOut, "-T");
    checkFilters(unsubscribe, "-U");
    OutputFormat output = output();
    if (count != null && count < 1) {
      throw usage("-C/--count must be at least 1, was " + count);
    }
    if (timeoutSeconds != null && timeoutSeconds < 1) {
      throw usage("-W/--timeout must be at least 1 second, was " + timeoutSeconds);
    }
    if (noStale && retainedOnly) {
      throw usage("-R/--no-stale and --retained-only exclude each other");
    }
    long deadline =
        timeoutSeconds == null
            ? 0
            : System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    MqttConfig config =
        target.config().autoReconnect(true).reconnectRetries(-1).build(); // as mosquitto_sub
    try (Logging.Trace trace = connection.debug ? Logging.packetTrace(io.err()) : Logging.off();
        MqttClient client = MqttClient.create(target.clientId(), config)) {
      Failures.connect(client, target.uri(), target.options());
      client.addConnectionListener(new Notices());
      try {
        if (!unsubscribe.isEmpty()) {
          client.unsubscribe(unsubscribe);
        }
        subscribe(client, filters);
        if (exitAfterSubscribe) {
          client.disconnect();
          return 0;
        }
        receive(client, output, deadline);
        client.disconnect();
        return 0;
      } catch (MqttException e) {
        throw Failures.of(e);
      }
    }
  }

  private void subscribe(MqttClient client, List<String> filters) throws InterruptedException {
    List<Subscription> subscriptions = new ArrayList<>();
    for (String filter : filters) {
      subscriptions.add(Subscription.of(filter, qos));
    }
    List<Integer> codes = client.subscribe(subscriptions);
    List<String> refused = new ArrayList<>();
    for (int i = 0; i < codes.size(); i++) {
      if (codes.get(i) == 0x80) {
        refused.add(filters.get(i));
      }
    }
    if (refused.size() == filters.size()) {
      throw new CliFailure(
          CliFailure.ERROR, "the broker refused every subscription (SUBACK 0x80): " + refused);
    }
    if (!refused.isEmpty() && !connection.quiet) {
      io.err().println("vmqtt sub: the broker refused the subscription to " + refused);
    }
  }

  private void receive(MqttClient client, OutputFormat output, long deadline)
      throws InterruptedException {
    int printed = 0;
    while (count == null || printed < count) {
      Message message;
      if (deadline == 0) {
        message = client.deliverMessage();
      } else {
        long left = deadline - System.nanoTime();
        try {
          if (left <= 0) {
            throw new TimeoutException();
          }
          message = client.deliverMessage(Duration.ofNanos(left));
        } catch (TimeoutException e) {
          client.disconnect();
          throw new CliFailure(
              CliFailure.TIMED_OUT,
              "timed out after " + timeoutSeconds + " s (-W) with " + printed + " messages");
        }
      }
      if (retainedOnly && !message.retain()) {
        return;
      }
      if (removeRetained && message.retain() && message.payload().length > 0) {
        client.publish(message.topic(), new byte[0], QoS.AT_MOST_ONCE, true);
      }
      if ((noStale && message.retain()) || filteredOut(message.topic())) {
        continue;
      }
      byte[] bytes = output.format(message, Instant.now());
      io.out().write(bytes, 0, bytes.length);
      io.out().flush();
      if (io.out().checkError()) {
        return; // the reader of the output went away, e.g. `| head -1`
      }
      printed++;
    }
  }

  private boolean filteredOut(String topic) {
    for (String filter : filterOut) {
      if (Topics.matches(filter, topic)) {
        return true;
      }
    }
    return false;
  }

  private OutputFormat output() {
    int chosen = (format != null ? 1 : 0) + (json ? 1 : 0) + (verbose ? 1 : 0);
    if (chosen > 1) {
      throw usage("choose one of -F/--format, --json and -v/--verbose");
    }
    if (format != null) {
      try {
        return OutputFormat.template(format, !noNewline);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
    }
    return json ? OutputFormat.json(!noNewline) : OutputFormat.plain(verbose, !noNewline);
  }

  private void checkFilters(List<String> filters, String option) {
    for (String filter : filters) {
      try {
        Topics.requireValidFilter(filter, option);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** Tells the user on the error stream when the connection drops and comes back. */
  private final class Notices implements ConnectionListener {
    @Override
    public void connectionLost(Throwable cause) {
      if (!connection.quiet) {
        io.err()
            .println("vmqtt sub: connection lost: " + Failures.oneLine(cause) + "; reconnecting");
      }
    }

    @Override
    public void reconnected(Connack connack) {
      if (!connection.quiet) {
        io.err().println("vmqtt sub: reconnected");
      }
    }

    @Override
    public void reconnectFailed(ConnectException cause, boolean givingUp) {
      if (!connection.quiet && givingUp) {
        io.err().println("vmqtt sub: gave up reconnecting: " + Failures.oneLine(cause));
      }
    }
  }
}
