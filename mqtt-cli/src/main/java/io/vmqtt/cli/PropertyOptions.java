package io.vmqtt.cli;

import io.vmqtt.ConnectOptions;
import io.vmqtt.MqttConfig;
import io.vmqtt.Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import java.util.function.BiConsumer;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * MQTT 5 properties given as mosquitto_pub and mosquitto_sub take them: {@code -D <command>
 * <identifier> <value>}, and {@code -D <command> user-property <name> <value>}, e.g. {@code -D
 * publish content-type text/plain} or {@code -D connect session-expiry-interval 60}. Each is
 * checked when the command line is read (the identifier against the packet, the value against its
 * type) and applied to the CONNECT ({@link #applyToConnect}) or to each PUBLISH ({@link
 * #applyToPublish}). Identifiers mosquitto knows that the client cannot send yet are refused with
 * the reason.
 *
 * <p>Filled in and read on the main thread.
 */
final class PropertyOptions {
  /** One {@code -D}: the packet, the property and its one value (two for a user property). */
  record Entry(String command, String identifier, List<String> values) {
    String describe() {
      return "-D " + command + " " + identifier;
    }

    String value() {
      return values.get(0);
    }
  }

  /**
   * The properties the client can send, by packet and identifier, each with what sets it. The
   * values have been checked when these run.
   */
  private static final Map<String, Map<String, Setter>> SUPPORTED =
      Map.of(
          "connect",
          Map.of(
              "session-expiry-interval",
              connect((c, e) -> c.config.sessionExpiryInterval(seconds(e, 0xFFFF_FFFFL))),
              "receive-maximum",
              connect((c, e) -> c.config.receiveMaximum((int) number(e, 1, 65535))),
              "maximum-packet-size",
              connect((c, e) -> c.config.maxPacketSize((int) number(e, 1, 268_435_455))),
              "topic-alias-maximum",
              connect((c, e) -> c.config.topicAliasMaximum((int) number(e, 0, 65535))),
              "user-property",
              connect((c, e) -> c.options.userProperty(e.values.get(0), e.values.get(1)))),
          "publish",
          Map.of(
              "content-type",
              publish((p, e) -> p.contentType(e.value())),
              "correlation-data",
              publish((p, e) -> p.correlationData(e.value().getBytes(StandardCharsets.UTF_8))),
              "message-expiry-interval",
              publish((p, e) -> p.messageExpiryInterval(seconds(e, 0xFFFF_FFFFL))),
              "payload-format-indicator",
              publish((p, e) -> p.payloadUtf8(number(e, 0, 1) == 1)),
              "response-topic",
              publish((p, e) -> p.responseTopic(e.value())),
              "user-property",
              publish((p, e) -> p.userProperty(e.values.get(0), e.values.get(1)))));

  /** What mosquitto accepts that the command line does not set, and why. */
  private static final Map<String, String> NOT_YET =
      Map.ofEntries(
          Map.entry(
              "connect authentication-method",
              "the command line has no enhanced authentication (the client's auth_method)"),
          Map.entry(
              "connect authentication-data",
              "the command line has no enhanced authentication (the client's auth_method)"),
          Map.entry(
              "connect request-problem-information",
              "the client does not set Request Problem Information"),
          Map.entry(
              "connect request-response-information",
              "the command line does not ask for it (the client's request_response_information)"),
          Map.entry(
              "publish topic-alias",
              "the client chooses its topic aliases itself (outbound_topic_aliases)"),
          Map.entry("subscribe", "the command line does not set SUBSCRIBE properties yet"),
          Map.entry("unsubscribe", "the client has no UNSUBSCRIBE properties"),
          Map.entry("disconnect", "the command line does not set DISCONNECT properties yet"),
          Map.entry("will", "the command line does not set will properties yet"));

  private final List<Entry> entries;

  private PropertyOptions(List<Entry> entries) {
    this.entries = entries;
  }

  /**
   * The checked properties of the command line.
   *
   * @param entries the {@code -D} options, as {@link Consumer} read them (null when none)
   * @param protocolVersion the {@code -V} level: properties need 5
   * @param commands the packets this command sends, e.g. {@code connect} and {@code publish}
   * @throws ParameterException naming the {@code -D} at fault
   */
  static PropertyOptions check(
      List<Entry> entries, int protocolVersion, List<String> commands, CommandSpec spec) {
    if (entries == null || entries.isEmpty()) {
      return new PropertyOptions(List.of());
    }
    for (Entry e : entries) {
      if (protocolVersion != 5) {
        throw usage(spec, e.describe() + ": MQTT 5 properties need -V mqttv5");
      }
      Map<String, Setter> ofCommand = SUPPORTED.get(e.command);
      String reason = NOT_YET.getOrDefault(e.command + " " + e.identifier, NOT_YET.get(e.command));
      if (reason != null) {
        throw usage(spec, e.describe() + " is not supported: " + reason);
      }
      if (ofCommand == null) {
        throw usage(
            spec,
            "-D: '"
                + e.command
                + "' is not a packet with properties; one of connect, publish, subscribe,"
                + " unsubscribe, disconnect, will");
      }
      if (!commands.contains(e.command)) {
        throw usage(spec, e.describe() + ": this command sends no " + e.command.toUpperCase());
      }
      Setter setter = ofCommand.get(e.identifier);
      if (setter == null) {
        throw usage(
            spec,
            e.describe()
                + ": not a property of "
                + e.command.toUpperCase()
                + "; one of "
                + String.join(", ", ofCommand.keySet().stream().sorted().toList()));
      }
      try {
        setter.check(e); // on a throwaway target: every value is checked before connecting
      } catch (IllegalArgumentException x) {
        throw usage(spec, e.describe() + ": " + x.getMessage());
      }
    }
    return new PropertyOptions(List.copyOf(entries));
  }

  /** Sets the CONNECT properties on the configuration and the connect options. */
  void applyToConnect(MqttConfig.Builder config, ConnectOptions.Builder options) {
    Targets t = new Targets(config, options, null);
    entries.stream()
        .filter(e -> e.command.equals("connect"))
        .forEach(e -> SUPPORTED.get("connect").get(e.identifier).apply(t, e));
  }

  /** Sets the PUBLISH properties on a message being built. */
  Publish.Builder applyToPublish(Publish.Builder message) {
    Targets t = new Targets(null, null, message);
    entries.stream()
        .filter(e -> e.command.equals("publish"))
        .forEach(e -> SUPPORTED.get("publish").get(e.identifier).apply(t, e));
    return message;
  }

  /** Whether any PUBLISH property was given. */
  boolean hasPublishProperties() {
    return entries.stream().anyMatch(e -> e.command.equals("publish"));
  }

  private static long number(Entry e, long min, long max) {
    long n;
    try {
      n = Long.parseLong(e.value().strip());
    } catch (NumberFormatException x) {
      throw new IllegalArgumentException("'" + e.value() + "' is not a whole number");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException("must be " + min + ".." + max + ", was " + n);
    }
    return n;
  }

  private static Duration seconds(Entry e, long max) {
    return Duration.ofSeconds(number(e, 0, max));
  }

  private static ParameterException usage(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** What a property is set on: the connection's configuration and options, or a message. */
  private record Targets(
      MqttConfig.Builder config, ConnectOptions.Builder options, Publish.Builder publish) {}

  /** Sets one property on its target. */
  private interface Setter {
    void apply(Targets t, Entry e);

    /** Applies {@code e} to throwaway targets, so that a bad value fails now. */
    default void check(Entry e) {
      apply(new Targets(MqttConfig.builder(), ConnectOptions.builder(), Publish.builder("a")), e);
    }
  }

  private static Setter connect(BiConsumer<Targets, Entry> set) {
    return set::accept;
  }

  private static Setter publish(BiConsumer<Publish.Builder, Entry> set) {
    return (t, e) -> set.accept(t.publish, e);
  }

  /**
   * Reads one {@code -D}: the command, the identifier and one value, or two for {@code
   * user-property}, as mosquitto does, whatever the values look like.
   */
  static final class Consumer implements IParameterConsumer {
    @Override
    public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
      String command = next(args, commandSpec, "a command (connect, publish, ...)");
      String identifier = next(args, commandSpec, "a property identifier after -D " + command);
      List<String> values = new ArrayList<>();
      values.add(next(args, commandSpec, "a value after -D " + command + " " + identifier));
      if (identifier.equals("user-property")) {
        values.add(
            next(
                args,
                commandSpec,
                "a value after -D " + command + " user-property " + values.get(0)));
      }
      List<Entry> list = argSpec.getValue();
      List<Entry> all = list == null ? new ArrayList<>() : new ArrayList<>(list);
      all.add(new Entry(command, identifier, List.copyOf(values)));
      argSpec.setValue(all);
    }

    private static String next(Stack<String> args, CommandSpec spec, String what) {
      if (args.isEmpty()) {
        throw usage(spec, "-D needs " + what);
      }
      return args.pop();
    }
  }
}
