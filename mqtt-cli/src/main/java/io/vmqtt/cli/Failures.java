package io.vmqtt.cli;

import io.vmqtt.ConnectException;
import io.vmqtt.ConnectOptions;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttException;
import io.vmqtt.ReasonCode;
import java.net.UnknownHostException;

/** Turns what the client throws into one line and an exit status. Stateless. */
final class Failures {
  private Failures() {}

  /**
   * Connects {@code client}, or throws a {@link CliFailure}: a refusal exits with the CONNACK code
   * (1-5), as mosquitto_pub and mosquitto_sub do; any other failure with 1.
   */
  static void connect(MqttClient client, String uri, ConnectOptions options)
      throws InterruptedException {
    try {
      client.connect(uri, options);
    } catch (ConnectException e) {
      if (e.isRefusal()) {
        throw new CliFailure(
            e.returnCode(),
            "the broker at " + uri + " refused the connection: CONNACK " + refusal(e),
            e);
      }
      // Say the URI the user gave (the engine and transport may name tcp://host:port), once.
      String reason = oneLine(e).replaceFirst("^(cannot connect to \\S+: )+", "");
      throw new CliFailure(CliFailure.ERROR, "cannot connect to " + uri + ": " + reason, e);
    }
  }

  /**
   * The refusal's code as the broker sent it and what it means, e.g. {@code "5 (not authorized)"};
   * a reserved code (6-255 in MQTT 3.1.1) is described as the {@link ReasonCode} it maps to.
   */
  static String refusal(ConnectException e) {
    return e.returnCode()
        + " ("
        + e.reasonCode().map(ReasonCode::description).orElse("no reason code")
        + ")";
  }

  /** A failure of an MQTT operation after connecting, e.g. a lost connection or a timeout. */
  static CliFailure of(MqttException e) {
    return new CliFailure(CliFailure.ERROR, oneLine(e), e);
  }

  /** The message of {@code e} and of each cause whose message it does not already contain. */
  static String oneLine(Throwable e) {
    StringBuilder text = new StringBuilder();
    int depth = 0;
    for (Throwable t = e; t != null && depth < 10; t = t.getCause(), depth++) {
      String m;
      if (t.getMessage() == null) {
        m = t.getClass().getSimpleName();
      } else if (t instanceof UnknownHostException) {
        m = "unknown host " + t.getMessage(); // its message is the bare host name
      } else {
        m = t.getMessage().strip();
      }
      if (text.indexOf(m) < 0) {
        text.append(text.isEmpty() ? "" : ": ").append(m);
      }
    }
    return text.toString().replace('\n', ' ');
  }
}
