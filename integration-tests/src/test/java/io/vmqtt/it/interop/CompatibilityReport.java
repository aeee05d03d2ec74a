package io.vmqtt.it.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker × feature table, filled by the matrix tests with what each broker was seen to do,
 * after the test's assertions passed, and written as Markdown when the run ends ({@value
 * #PROPERTY}, by default {@code target/broker-compatibility.md}). The README's table is copied from
 * it. A cell a test did not fill (it failed, or did not run) reads "not verified".
 *
 * <p>Thread-safe.
 */
final class CompatibilityReport {
  static final String PROPERTY = "vmqtt.matrix.report";
  private static final Logger LOG = LoggerFactory.getLogger(CompatibilityReport.class);
  private static final Map<BrokerKind, String> VERSIONS = new ConcurrentHashMap<>();
  private static final Map<Feature, Map<BrokerKind, String>> CELLS = new ConcurrentHashMap<>();

  private CompatibilityReport() {}

  /** The rows of the table, in order. */
  enum Feature {
    CONNECT("connect: CONNACK 0, no session present"),
    MQTT_31("MQTT 3.1 (protocol level 3)"),
    EMPTY_CLIENT_ID("zero-byte client id, clean session"),
    EMPTY_CLIENT_ID_PERSISTENT("zero-byte client id, no clean session [MQTT-3.1.3-8]: code 2"),
    BAD_CREDENTIALS("wrong password or unknown user: refusal code"),
    QOS_0("QoS 0 round trip"),
    QOS_1("QoS 1 round trip"),
    QOS_2("QoS 2 publish"),
    GRANTED_QOS("SUBACK for QoS 0, 1, 2 subscriptions"),
    RETAINED("retained message for a new subscriber, retain flag"),
    RETAINED_WILDCARD("retained message for a wildcard subscription"),
    RETAINED_QOS_0("retained message published at QoS 0"),
    RETAINED_CLEAR("empty retained message clears it"),
    WILL("will on a dropped connection"),
    NO_WILL_AFTER_DISCONNECT("no will after DISCONNECT"),
    RETAINED_WILL("retained will (QoS 2) for a later QoS 2 subscriber"),
    KEEP_ALIVE("idle client kept alive by PINGREQ (keep-alive 1 s)"),
    SILENT_CLIENT("silent client (keep-alive 1 s) dropped, will sent: after"),
    PERSISTENT_SESSION("persistent session: session present, QoS 1/2 queued while away"),
    OFFLINE_QOS_0("QoS 0 message for a QoS 1 subscription queued while away"),
    QOS_0_SUBSCRIPTION("QoS 0 subscription kept in the persistent session"),
    OFFLINE_QUEUE("1,500 QoS 1 messages queued while away: delivered"),
    CLEAN_SESSION("clean session discards the session"),
    PERSISTENT_AFTER_CLEAN("persistent CONNECT right after a clean session of the same client id"),
    UNSUBSCRIBE("unsubscribe"),
    OVERLAPPING("overlapping subscriptions: copies of one message"),
    TOPIC_CHARACTERS("topic names with '.' and ' '"),
    LARGE_MESSAGE("100 KB message"),
    LOAD("200 threads × 10 publishes at QoS 2");

    final String title;

    Feature(String title) {
      this.title = title;
    }
  }

  static void version(BrokerKind kind, String version) {
    VERSIONS.put(kind, version);
  }

  /** What {@code kind} was seen to do for {@code feature}; short, Markdown-safe text. */
  static void record(BrokerKind kind, Feature feature, String observed) {
    CELLS
        .computeIfAbsent(feature, f -> new ConcurrentHashMap<>())
        .put(kind, observed.replace("|", "\\|"));
  }

  /** The table as Markdown. */
  static String markdown() {
    StringBuilder md = new StringBuilder("| feature |");
    for (BrokerKind kind : BrokerKind.values()) {
      md.append(' ').append(kind.title()).append(' ').append(VERSIONS.getOrDefault(kind, "?"));
      md.append(" |");
    }
    md.append("\n|---|");
    md.append("---|".repeat(BrokerKind.values().length)).append('\n');
    for (Feature feature : Feature.values()) {
      Map<BrokerKind, String> row = CELLS.getOrDefault(feature, new EnumMap<>(BrokerKind.class));
      md.append("| ").append(feature.title).append(" |");
      for (BrokerKind kind : BrokerKind.values()) {
        md.append(' ').append(row.getOrDefault(kind, "not verified")).append(" |");
      }
      md.append('\n');
    }
    return md.toString();
  }

  /** Writes the table; a failure to write is logged, not thrown (the tests decided already). */
  static void write() {
    if (CELLS.isEmpty()) {
      return;
    }
    Path file = Path.of(System.getProperty(PROPERTY, "target/broker-compatibility.md"));
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, markdown(), StandardCharsets.UTF_8);
      LOG.info("broker matrix: compatibility table written to {}", file.toAbsolutePath());
    } catch (IOException e) {
      LOG.warn("broker matrix: cannot write {}", file, e);
    }
  }
}
