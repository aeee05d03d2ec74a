package io.vmqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.spi.SessionStore;
import io.vmqtt.spi.SessionStore.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link MqttConfig#from(Map)} refusing what it cannot use, with the message each must give. */
class MqttConfigFromMapTest {

  private static final String KNOWN_KEYS =
      "keep_alive, ping_delay, default_qos, default_retain, auto_reconnect,"
          + " reconnect_max_interval, reconnect_retries, cleansession, will, topics, username,"
          + " password, protocol_version, max_inflight, incoming_queue_size,"
          + " incoming_queue_bytes, incoming_overflow, manual_ack,"
          + " operation_timeout, connect_timeout, max_packet_size, session_expiry_interval,"
          + " receive_maximum, topic_alias_maximum, request_response_information, outbound_topic_aliases, auth_method, reconnect_min_interval,"
          + " reconnect_jitter, restore_subscriptions, offline_qos0, max_queued_messages,"
          + " max_queued_bytes,"
          + " queue_overflow, session_dir, session_fsync, cafile, capath, cadata,"
          + " certfile, keyfile, keyfile_password, certdata, keydata, tls_version, tls_versions,"
          + " ciphers, alpn, tls_handshake_timeout, tls_provider, psk_identity, psk_key,"
          + " tls_insecure_skip_hostname_verification, check_hostname, extra_headers, proxy,"
          + " proxy_type, proxy_host, proxy_port, proxy_username, proxy_password,"
          + " proxy_from_system";

  static Stream<Arguments> badMaps() {
    return Stream.of(
        // resilience keys
        bad(
            "reconnect_min_interval must be > 0 seconds, was 0",
            Map.of("reconnect_min_interval", 0)),
        bad("reconnect_jitter must be 0..1, was 1.5", Map.of("reconnect_jitter", 1.5)),
        bad(
            "reconnect_jitter must be a number 0..1, was \"half\" (String)",
            Map.of("reconnect_jitter", "half")),
        bad(
            "restore_subscriptions must be a boolean, was \"yes\" (String)",
            Map.of("restore_subscriptions", "yes")),
        bad(
            "offline_qos0 must be \"queue\" or \"fail\", was \"drop\" (String)",
            Map.of("offline_qos0", "drop")),
        bad("max_queued_messages must be 1..65535, was 0", Map.of("max_queued_messages", 0)),
        bad(
            "max_queued_messages must be 1..65535, was 65536",
            Map.of("max_queued_messages", 65536)),
        bad("max_queued_bytes must be >= 1, was 0", Map.of("max_queued_bytes", 0)),
        bad(
            "queue_overflow must be \"block\" or \"fail\", was 1 (Integer)",
            Map.of("queue_overflow", 1)),
        // durable-session keys
        bad(
            "session_dir must be a directory (a string or Path), was 1 (Integer)",
            map("session_dir", 1)),
        bad("session_dir must not be empty", map("session_dir", "")),
        bad("session_dir must not be null", map("session_dir", null)),
        bad(
            "session_fsync must be \"always\", \"interval\" or \"never\", was \"sometimes\""
                + " (String)",
            map("session_dir", "/tmp/s", "session_fsync", "sometimes")),
        bad(
            "session_fsync must be \"always\", \"interval\" or \"never\", was true (Boolean)",
            map("session_fsync", true, "session_dir", "/tmp/s")),
        bad(
            "session_fsync needs session_dir: it is the fsync policy of a file session store",
            map("session_fsync", "never")),
        // unknown keys, at every level
        bad("unknown config key \"keepalive\"; known keys: " + KNOWN_KEYS, map("keepalive", 10)),
        bad(
            "unknown config key \"uri\"; known keys: " + KNOWN_KEYS,
            map("keep_alive", 10, "uri", "mqtt://localhost")),
        bad(
            "unknown config key \"will.payload\"; known keys: topic, message, qos, retain,"
                + " delay_interval, message_expiry_interval, content_type, response_topic,"
                + " correlation_data, payload_utf8, user_properties",
            map("will", map("topic", "t", "payload", "x"))),
        bad(
            "unknown config key \"topics./a.retained\"; known keys: qos, retain",
            map("topics", map("/a", map("qos", 1, "retained", true)))),
        // keys that are not strings
        bad("config keys must be strings, was 1 (Integer)", map(1, 10)),
        bad("config keys must be strings, was null", map(null, 10)),
        bad("topics keys must be strings, was 7 (Integer)", map("topics", map(7, map()))),
        bad("will keys must be strings, was true (Boolean)", map("will", map(true, "t"))),
        // wrong types
        bad("default_qos must be an integer 0..2, was \"1\" (String)", map("default_qos", "1")),
        bad("default_qos must be an integer 0..2, was 1.5 (Double)", map("default_qos", 1.5)),
        bad("default_qos must be an integer 0..2, was true (Boolean)", map("default_qos", true)),
        bad(
            "default_retain must be a boolean, was \"true\" (String)",
            map("default_retain", "true")),
        bad("auto_reconnect must be a boolean, was 1 (Integer)", map("auto_reconnect", 1)),
        bad("cleansession must be a boolean, was \"False\" (String)", map("cleansession", "False")),
        bad("keep_alive must be a number of seconds, was \"10\" (String)", map("keep_alive", "10")),
        bad(
            "keep_alive must be a number of seconds, was NaN (Double)",
            map("keep_alive", Double.NaN)),
        bad(
            "ping_delay must be a number of seconds, was Infinity (Double)",
            map("ping_delay", Double.POSITIVE_INFINITY)),
        bad(
            "connect_timeout must be a number of seconds, was PT10S (Duration)",
            map("connect_timeout", java.time.Duration.ofSeconds(10))),
        bad(
            "operation_timeout must be a number of seconds that fits a Duration,"
                + " was 1E+30 (BigDecimal)",
            map("operation_timeout", new java.math.BigDecimal("1E+30"))),
        bad(
            "reconnect_retries must be an integer, was 2.5 (Double)",
            map("reconnect_retries", 2.5)),
        bad(
            "reconnect_retries must be an integer, was \"forever\" (String)",
            map("reconnect_retries", "forever")),
        bad(
            "reconnect_retries must be an integer -2147483648..2147483647, was 3000000000 (Long)",
            map("reconnect_retries", 3_000_000_000L)),
        bad(
            "max_inflight must be an integer -2147483648..2147483647, was 2147483648 (Long)",
            map("max_inflight", 2_147_483_648L)),
        bad(
            "protocol_version must be an integer, was \"4\" (String)",
            map("protocol_version", "4")),
        bad("username must be a string, was 42 (Integer)", map("username", 42)),
        bad(
            "password must be a string or byte[], was of type Integer",
            map("username", "u", "password", 1234)),
        bad(
            "password must be a string or byte[], was of type char[]",
            map("username", "u", "password", "secret".toCharArray())),
        bad(
            "password contains an unpaired surrogate, so it has no UTF-8 form",
            map("username", "u", "password", "a\uD800b")),
        bad(
            "incoming_overflow must be \"drop_oldest\" or \"drop_newest\", was \"drop\" (String)",
            map("incoming_overflow", "drop")),
        bad(
            "incoming_overflow must be \"drop_oldest\" or \"drop_newest\", was 1 (Integer)",
            map("incoming_overflow", 1)),
        bad(
            "will must be a map with topic, message, qos, retain and MQTT 5's will properties, was"
                + " \"t\" (String)",
            map("will", "t")),
        bad(
            "will.message must be a string or byte[], was 42 (Integer)",
            map("will", map("topic", "t", "message", 42))),
        bad(
            "will.qos must be an integer 0..2, was 3 (Integer)",
            map("will", map("topic", "t", "message", "m", "qos", 3))),
        bad(
            "will.retain must be a boolean, was 1 (Integer)",
            map("will", map("topic", "t", "message", "m", "retain", 1))),
        bad(
            "will.topic must be a string, was 1 (Integer)",
            map("will", map("topic", 1, "message", "m"))),
        bad(
            "topics must be a map of topic or filter to {qos, retain}, was [/a] (List)",
            map("topics", List.of("/a"))),
        bad(
            "topics./a must be a map with qos and/or retain, was 1 (Integer)",
            map("topics", map("/a", 1))),
        bad(
            "topics./a.qos must be an integer 0..2, was \"1\" (String)",
            map("topics", map("/a", map("qos", "1")))),
        bad(
            "topics./a.retain must be a boolean, was \"yes\" (String)",
            map("topics", map("/a", map("retain", "yes")))),
        // null values
        bad("keep_alive must not be null", map("keep_alive", null)),
        bad("will must not be null", map("will", null)),
        bad("will.topic must not be null", map("will", map("topic", null, "message", "m"))),
        bad("topics./a must not be null", map("topics", map("/a", null))),
        bad("topics./a.qos must not be null", map("topics", map("/a", map("qos", null)))),
        // out of range, each boundary from both sides (the accepted side in MqttConfigTest)
        bad("keep_alive must be 0..65535 seconds, was 70000", map("keep_alive", 70_000)),
        bad("keep_alive must be 0..65535 seconds, was 65536", map("keep_alive", 65_536)),
        bad("keep_alive must be 0..65535 seconds, was -1", map("keep_alive", -1)),
        bad("keep_alive must be a whole number of seconds, was 1.5", map("keep_alive", 1.5)),
        bad("keep_alive must be a whole number of seconds, was 0.001", map("keep_alive", 0.001)),
        bad("ping_delay must be >= 0 seconds, was -1", map("ping_delay", -1)),
        bad("ping_delay must be >= 0 seconds, was -0.001", map("ping_delay", -0.001)),
        bad(
            "ping_delay must be less than keep_alive (10 seconds) when keep-alive is on, was 10",
            map("keep_alive", 10, "ping_delay", 10)),
        bad(
            "ping_delay must be less than keep_alive (1 seconds) when keep-alive is on, was 1",
            map("keep_alive", 1)),
        bad("reconnect_max_interval must be > 0 seconds, was 0", map("reconnect_max_interval", 0)),
        bad(
            "reconnect_max_interval must be > 0 seconds, was -5",
            map("reconnect_max_interval", -5)),
        bad(
            "protocol_version must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0), was 2",
            map("protocol_version", 2)),
        bad(
            "protocol_version must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0), was 6",
            map("protocol_version", 6)),
        bad(
            "session_expiry_interval must be a whole number of seconds 0..4294967295 (4294967295:"
                + " never expires), was -1",
            map("session_expiry_interval", -1)),
        bad("receive_maximum must be 1..65535, was 0", map("receive_maximum", 0)),
        bad("topic_alias_maximum must be 0..65535, was 70000", map("topic_alias_maximum", 70_000)),
        bad("max_inflight must be 1..65535, was 0", map("max_inflight", 0)),
        bad("max_inflight must be 1..65535, was 65536", map("max_inflight", 65_536)),
        bad("incoming_queue_size must be >= 1, was 0", map("incoming_queue_size", 0)),
        bad("incoming_queue_bytes must be >= 1, was 0", map("incoming_queue_bytes", 0)),
        bad("incoming_queue_size must be >= 1, was -1", map("incoming_queue_size", -1)),
        bad("operation_timeout must be > 0 seconds, was 0", map("operation_timeout", 0)),
        bad("operation_timeout must be > 0 seconds, was -0.5", map("operation_timeout", -0.5)),
        bad("connect_timeout must be > 0 seconds, was 0", map("connect_timeout", 0.0)),
        bad("max_packet_size must be 2..268435460 bytes, was 1", map("max_packet_size", 1)),
        bad(
            "max_packet_size must be 2..268435460 bytes, was 268435461",
            map("max_packet_size", 268_435_461)),
        bad("default_qos must be an integer 0..2, was 3 (Integer)", map("default_qos", 3)),
        bad("default_qos must be an integer 0..2, was -1 (Integer)", map("default_qos", -1)),
        bad(
            "topics./a.qos must be an integer 0..2, was 3 (Integer)",
            map("topics", map("/a", map("qos", 3)))),
        // credentials
        bad("username must not contain U+0000 (at index 1) [MQTT-1.5.3-2]", map("username", "a\0")),
        bad(
            "username contains an unpaired surrogate at index 0 [MQTT-1.5.3-1]",
            map("username", "\uDC00")),
        bad(
            "username is 65536 bytes in UTF-8; at most 65535 allowed",
            map("username", "u".repeat(65_536))),
        bad(
            "password must be at most 65535 bytes, was 65536",
            map("username", "u", "password", new byte[65_536])),
        bad(
            "password must be at most 65535 bytes, was 65536",
            map("username", "u", "password", "p".repeat(65_536))),
        bad(
            "password requires a username in MQTT 3.1 and 3.1.1 [MQTT-3.1.2-22]",
            map("password", "secret")),
        // topics keys that are not topic names or filters
        bad(
            "topics key 'a/#/b': '#' must be the last character and alone in its level"
                + " [MQTT-4.7.1-2]",
            map("topics", map("a/#/b", map("qos", 1)))),
        bad(
            "topics key 'a#': '#' must be the last character and alone in its level"
                + " [MQTT-4.7.1-2]",
            map("topics", map("a#", map("qos", 1)))),
        bad(
            "topics key 'a/b+': '+' must occupy a whole level [MQTT-4.7.1-3]",
            map("topics", map("a/b+", map("qos", 1)))),
        bad("topics key must not be empty [MQTT-4.7.3-1]", map("topics", map("", map("qos", 1)))),
        // will
        bad("will.topic is required", map("will", map("message", "m", "qos", 1))),
        bad("will.message is required", map("will", map("topic", "t"))),
        bad("will.topic is required", map("will", map())),
        bad(
            "will.topic 'a/#' must not contain wildcard '#' [MQTT-3.3.2-2]",
            map("will", map("topic", "a/#", "message", "m"))),
        bad(
            "will.topic 'a/+/c' must not contain wildcard '+' [MQTT-3.3.2-2]",
            map("will", map("topic", "a/+/c", "message", "m"))),
        bad(
            "will.topic must not be empty [MQTT-4.7.3-1]",
            map("will", map("topic", "", "message", "m"))),
        bad(
            "will.message must be at most 65535 bytes, was 65536",
            map("will", map("topic", "t", "message", new byte[65_536]))),
        bad(
            "will.delay_interval: delayInterval must be whole seconds 0..4294967295, was PT1.5S",
            map("will", map("topic", "t", "message", "m", "delay_interval", 1.5))),
        bad(
            "will.message_expiry_interval must be a number of seconds, was \"1h\" (String)",
            map("will", map("topic", "t", "message", "m", "message_expiry_interval", "1h"))),
        bad(
            "will.response_topic: responseTopic 'r/#' must not contain wildcard '#'"
                + " [MQTT-3.3.2-2]",
            map("will", map("topic", "t", "message", "m", "response_topic", "r/#"))),
        bad(
            "will.user_properties must be a map of user property name to value (or list of"
                + " values), was \"a=b\" (String)",
            map("will", map("topic", "t", "message", "m", "user_properties", "a=b"))),
        bad(
            "will.user_properties.a must be a string, was 1 (Integer)",
            map("will", map("topic", "t", "message", "m", "user_properties", map("a", 1)))),
        bad(
            "will.payload_utf8 must be a boolean, was 1 (Integer)",
            map("will", map("topic", "t", "message", "m", "payload_utf8", 1))));
  }

  @Test
  void theWillsMqtt5PropertiesAreReadFromTheWillMap() {
    Map<String, Object> users = new LinkedHashMap<>();
    users.put("site", "hall-2");
    users.put("tag", List.of("a", "b"));
    MqttConfig config =
        MqttConfig.from(
            map(
                "will",
                map(
                    "topic",
                    "dev/7/status",
                    "message",
                    "{}",
                    "qos",
                    1,
                    "delay_interval",
                    30,
                    "message_expiry_interval",
                    3600,
                    "content_type",
                    "application/json",
                    "response_topic",
                    "dev/7/ack",
                    "correlation_data",
                    "c-1",
                    "payload_utf8",
                    true,
                    "user_properties",
                    users)));

    assertThat(config.will())
        .contains(
            Will.builder("dev/7/status")
                .payload("{}")
                .qos(QoS.AT_LEAST_ONCE)
                .delayInterval(Duration.ofSeconds(30))
                .messageExpiryInterval(Duration.ofHours(1))
                .contentType("application/json")
                .responseTopic("dev/7/ack")
                .correlationData("c-1".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .payloadUtf8(true)
                .userProperty("site", "hall-2")
                .userProperty("tag", "a")
                .userProperty("tag", "b")
                .build());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badMaps")
  void aBadMapIsRefusedWithAMessageNamingTheKeyAndTheValue(String message, Map<String, ?> config) {
    assertThatThrownBy(() -> MqttConfig.from(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void aNullMapIsRefused() {
    assertThatThrownBy(() -> MqttConfig.from(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("map");
  }

  @Test
  void aLongStringIsCutShortInTheMessage() {
    String value = "x".repeat(100);

    assertThatThrownBy(() -> MqttConfig.from(map("keep_alive", value)))
        .hasMessage(
            "keep_alive must be a number of seconds, was \"" + "x".repeat(64) + "\"... (String)");
  }

  @Test
  void aWillMessageOf65535BytesIsAccepted() {
    MqttConfig config =
        MqttConfig.from(map("will", map("topic", "t", "message", new byte[65_535])));

    assertThat(config.will().orElseThrow().payload()).hasSize(65_535);
  }

  @Test
  void sessionDirMakesAFileStoreThatForcesEveryChangeUnlessSessionFsyncSaysOtherwise() {
    MqttConfig always = MqttConfig.from(map("session_dir", "/var/lib/app/mqtt"));
    MqttConfig never =
        MqttConfig.from(map("session_dir", Path.of("/var/lib/app/mqtt"), "session_fsync", "NEVER"));

    assertThat(always.sessionStore())
        .contains(SessionStore.file(Path.of("/var/lib/app/mqtt"), FsyncPolicy.ALWAYS));
    assertThat(never.sessionStore())
        .contains(SessionStore.file(Path.of("/var/lib/app/mqtt"), FsyncPolicy.NEVER));
    assertThat(always.toString())
        .contains("session_store=SessionStore.file(/var/lib/app/mqtt, ALWAYS)");
  }

  @Test
  void configurationsReadFromTheSameSessionDirAreEqual() {
    Map<String, Object> config = map("session_dir", "s", "session_fsync", "interval");

    assertThat(MqttConfig.from(config))
        .isEqualTo(MqttConfig.from(config))
        .isEqualTo(
            MqttConfig.builder()
                .sessionStore(SessionStore.file(Path.of("s"), FsyncPolicy.INTERVAL))
                .build());
  }

  @Test
  void aSessionDirThatIsNoPathIsRefused() {
    assertThatThrownBy(() -> MqttConfig.from(map("session_dir", "a\0b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("session_dir is not a valid path: ");
  }

  private static Arguments bad(String message, Map<String, Object> config) {
    return Arguments.of(message, config);
  }

  /** A map in the order given, which may hold nulls and (unchecked) keys of any type. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object... keysAndValues) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return (Map<String, Object>) (Map<?, ?>) m;
  }
}
