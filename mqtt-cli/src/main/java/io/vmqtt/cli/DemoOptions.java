package io.vmqtt.cli;

import java.util.Optional;

/**
 * The demo's command line: {@code [--url <uri>] [--count <n>] [--help]}. Both {@code --url <uri>}
 * and {@code --url=<uri>} are accepted; an empty value means the default, so that Maven can pass
 * {@code --url=${demo.url}} whether the property is set or not.
 *
 * <pre>{@code
 * DemoOptions.parse(new String[] {"--url", "mqtt://localhost:1883"}).brokerUrl()
 *     // Optional[mqtt://localhost:1883]
 * }</pre>
 *
 * @param url the broker URI, or empty for an embedded broker
 * @param count the number of messages on the demo topic the subscriber waits for
 * @param help whether {@code --help} was given
 */
record DemoOptions(String url, int count, boolean help) {

  /** What the two publishers send: QoS 0, 1 and 2 each. */
  static final int DEFAULT_COUNT = 6;

  static final String USAGE =
      """
      Usage: Demo [--url <uri>] [--count <n>] [--help]

      Runs hbmqtt's three MQTTClient examples with vmqtt's blocking API: a subscriber on its own
      virtual thread, a sequential publisher and a concurrent publisher. Every MQTT packet is
      logged on the io.vmqtt.trace logger (-out-> sent, <-in-- received).

        --url <uri>   the broker, e.g. mqtt://localhost:1883 (default: start an embedded Moquette
                      broker on 127.0.0.1 and a free port)
        --count <n>   the messages on a/b the subscriber waits for before it unsubscribes
                      (default: %d, what the two publishers send)
        --help        print this help

      From the repository root, through Maven:
        ./mvnw -q -pl mqtt-cli -am compile -Pdemo [-Ddemo.url=<uri>] [-Ddemo.count=<n>]
      """
          .formatted(DEFAULT_COUNT);

  DemoOptions {
    if (url == null) {
      throw new NullPointerException("url");
    }
    if (count < 1) {
      throw new IllegalArgumentException("--count must be at least 1, was " + count);
    }
  }

  /** The broker URI given with {@code --url}, or empty when the embedded broker is to be used. */
  Optional<String> brokerUrl() {
    return url.isEmpty() ? Optional.empty() : Optional.of(url);
  }

  /**
   * Parses the command line.
   *
   * @throws IllegalArgumentException naming the offending argument when an option is unknown, lacks
   *     its value, or {@code --count} is not a positive integer
   */
  static DemoOptions parse(String[] args) {
    String url = "";
    int count = DEFAULT_COUNT;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      switch (name) {
        case "--help", "-h" -> help = true;
        case "--url" -> url = value(args, i, arg).strip();
        case "--count" -> {
          String text = value(args, i, arg).strip();
          count = text.isEmpty() ? DEFAULT_COUNT : parseCount(text);
        }
        default -> throw new IllegalArgumentException("unknown option: " + arg);
      }
      if (!arg.contains("=") && !name.equals("--help") && !name.equals("-h")) {
        i++; // the value was the next argument
      }
    }
    return new DemoOptions(url, count, help);
  }

  private static String value(String[] args, int i, String arg) {
    int eq = arg.indexOf('=');
    if (eq >= 0) {
      return arg.substring(eq + 1);
    }
    if (i + 1 >= args.length) {
      throw new IllegalArgumentException(arg + " needs a value");
    }
    return args[i + 1];
  }

  private static int parseCount(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--count must be a positive integer, was '" + text + "'");
    }
  }
}
