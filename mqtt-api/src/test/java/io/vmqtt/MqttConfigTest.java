package io.vmqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.MqttConfig.OverflowPolicy;
import io.vmqtt.MqttConfig.TopicSettings;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link MqttConfig}: defaults, the builder, topic resolution, equality and the map's types. */
class MqttConfigTest {

  @Test
  void theDefaultsAreHbmqttsDefaultsAndOurs() {
    assertHasDefaults(MqttConfig.defaults());
  }

  @Test
  void anEmptyMapGivesTheDefaults() {
    MqttConfig config = MqttConfig.from(Map.of());

    assertHasDefaults(config);
    assertThat(config).isEqualTo(MqttConfig.defaults());
    assertThat(config).hasSameHashCodeAs(MqttConfig.defaults());
  }

  @Test
  void aBuilderLeftAloneGivesTheDefaults() {
    assertHasDefaults(MqttConfig.builder().build());
  }

  private static void assertHasDefaults(MqttConfig c) {
    // hbmqtt's documented defaults
    assertThat(c.keepAlive()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.pingDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.defaultQos()).isEqualTo(QoS.AT_MOST_ONCE);
    assertThat(c.defaultRetain()).isFalse();
    assertThat(c.autoReconnect()).isTrue();
    assertThat(c.reconnectMaxInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.reconnectRetries()).isEqualTo(2);
    assertThat(c.cleanSession()).isTrue();
    assertThat(c.will()).isEmpty();
    assertThat(c.topics()).isEmpty();
    // ours
    assertThat(c.username()).isEmpty();
    assertThat(c.password()).isEmpty();
    assertThat(c.protocolVersion()).isEqualTo(4);
    assertThat(c.maxInflight()).isEqualTo(20);
    assertThat(c.incomingQueueSize()).isEqualTo(10_000);
    assertThat(c.incomingQueueBytes()).isEqualTo(16 * 1024 * 1024);
    assertThat(c.incomingOverflow()).isEqualTo(OverflowPolicy.DROP_OLDEST);
    assertThat(c.operationTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.maxPacketSize()).isEqualTo(16 * 1024 * 1024);
    assertThat(c.sessionExpiryInterval()).isEmpty();
    assertThat(c.receiveMaximum()).isEqualTo(65_535);
    assertThat(c.topicAliasMaximum()).isZero();
  }

  @Test
  void theExampleMapOfHbmqttsDocumentationGivesItsQosAndRetainPerTopic() {
    MqttConfig config =
        MqttConfig.from(
            Map.of(
                "keep_alive", 10,
                "ping_delay", 1,
                "default_qos", 0,
                "default_retain", false,
                "auto_reconnect", true,
                "reconnect_max_interval", 5,
                "reconnect_retries", 10,
                "topics",
                    Map.of(
                        "/test", Map.of("qos", 1),
                        "/some_topic", Map.of("qos", 2, "retain", true))));

    assertThat(config.reconnectMaxInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.reconnectRetries()).isEqualTo(10);
    assertThat(config.qosFor("/test")).isEqualTo(QoS.AT_LEAST_ONCE);
    assertThat(config.retainFor("/test")).isFalse();
    assertThat(config.qosFor("/some_topic")).isEqualTo(QoS.EXACTLY_ONCE);
    assertThat(config.retainFor("/some_topic")).isTrue();
    assertThat(config.qosFor("/other")).isEqualTo(QoS.AT_MOST_ONCE);
    assertThat(config.retainFor("/other")).isFalse();
  }

  @Test
  void aMapAndTheBuilderGiveEqualConfigurations() {
    Map<String, Object> map = new HashMap<>();
    map.put("keep_alive", 30);
    map.put("ping_delay", 2.5);
    map.put("default_qos", 1);
    map.put("default_retain", true);
    map.put("auto_reconnect", false);
    map.put("reconnect_max_interval", 7);
    map.put("reconnect_retries", -1);
    map.put("cleansession", false);
    map.put("will", Map.of("topic", "dev/7/status", "message", "gone", "qos", 1, "retain", true));
    map.put(
        "topics",
        Map.of(
            "/test", Map.of("qos", 1),
            "/some_topic", Map.of("qos", 2, "retain", true),
            "sensors/#", Map.of("retain", true)));
    map.put("username", "alice");
    map.put("password", "s3cret");
    map.put("protocol_version", 3);
    map.put("max_inflight", 100);
    map.put("incoming_queue_size", 50);
    map.put("incoming_queue_bytes", 65536);
    map.put("incoming_overflow", "drop_newest");
    map.put("operation_timeout", 0.75);
    map.put("connect_timeout", 4);
    map.put("max_packet_size", 1024);

    MqttConfig built =
        MqttConfig.builder()
            .keepAlive(Duration.ofSeconds(30))
            .pingDelay(Duration.ofMillis(2500))
            .defaultQos(QoS.AT_LEAST_ONCE)
            .defaultRetain(true)
            .autoReconnect(false)
            .reconnectMaxInterval(Duration.ofSeconds(7))
            .reconnectRetries(-1)
            .cleanSession(false)
            .will(Will.of("dev/7/status", "gone".getBytes(UTF_8), QoS.AT_LEAST_ONCE, true))
            .topic("/test", QoS.AT_LEAST_ONCE)
            .topic("/some_topic", QoS.EXACTLY_ONCE, true)
            .topic("sensors/#", TopicSettings.retain(true))
            .credentials("alice", "s3cret".getBytes(UTF_8))
            .protocolVersion(3)
            .maxInflight(100)
            .incomingQueueSize(50)
            .incomingQueueBytes(65536)
            .incomingOverflow(OverflowPolicy.DROP_NEWEST)
            .operationTimeout(Duration.ofMillis(750))
            .connectTimeout(Duration.ofSeconds(4))
            .maxPacketSize(1024)
            .build();

    MqttConfig parsed = MqttConfig.from(map);

    assertThat(parsed).isEqualTo(built);
    assertThat(parsed).hasSameHashCodeAs(built);
    assertThat(parsed.toString()).isEqualTo(built.toString());
  }

  @Test
  void configurationsDifferingInOneValueAreNotEqual() {
    MqttConfig a = MqttConfig.builder().credentials("alice", new byte[] {1, 2}).build();
    MqttConfig b = MqttConfig.builder().credentials("alice", new byte[] {1, 3}).build();
    MqttConfig c = MqttConfig.builder().credentials("alice", new byte[] {1, 2}).build();

    assertThat(a).isNotEqualTo(b);
    assertThat(a).isEqualTo(c);
    assertThat(MqttConfig.defaults()).isNotEqualTo(MqttConfig.builder().maxInflight(21).build());
    assertThat(MqttConfig.defaults())
        .isNotEqualTo(MqttConfig.builder().topic("a", QoS.AT_MOST_ONCE).build());
  }

  @Test
  void anExactTopicBeatsFiltersAndAMoreSpecificFilterBeatsALessSpecificOne() {
    MqttConfig config =
        MqttConfig.from(
            Map.of(
                "default_qos",
                0,
                "topics",
                Map.of(
                    "sensors/+/temp", Map.of("qos", 1),
                    "sensors/#", Map.of("qos", 2, "retain", true),
                    "sensors/a/temp", Map.of("qos", 0),
                    "#", Map.of("qos", 1, "retain", true))));

    assertThat(config.qosFor("sensors/a/temp")).isEqualTo(QoS.AT_MOST_ONCE);
    assertThat(config.retainFor("sensors/a/temp")).isFalse();
    assertThat(config.qosFor("sensors/b/temp")).isEqualTo(QoS.AT_LEAST_ONCE);
    assertThat(config.retainFor("sensors/b/temp")).isFalse();
    assertThat(config.qosFor("sensors/b/hum")).isEqualTo(QoS.EXACTLY_ONCE);
    assertThat(config.retainFor("sensors/b/hum")).isTrue();
    assertThat(config.qosFor("sensors")).isEqualTo(QoS.EXACTLY_ONCE);
    assertThat(config.qosFor("other/topic")).isEqualTo(QoS.AT_LEAST_ONCE);
  }

  @Test
  void aDollarTopicIsNotMatchedByAFilterStartingWithAWildcard_MQTT_4_7_2_1() {
    MqttConfig config =
        MqttConfig.from(
            Map.of(
                "default_qos",
                1,
                "topics",
                Map.of("#", Map.of("qos", 2), "+/broker/uptime", Map.of("qos", 2))));

    assertThat(config.qosFor("$SYS/broker/uptime")).isEqualTo(QoS.AT_LEAST_ONCE);
    assertThat(config.retainFor("$SYS/broker/uptime")).isFalse();
    assertThat(config.qosFor("a/broker/uptime")).isEqualTo(QoS.EXACTLY_ONCE);
  }

  @Test
  void aTopicsEntryWithOnlyRetainFallsBackToDefaultQos() {
    MqttConfig config =
        MqttConfig.from(
            Map.of(
                "default_qos",
                1,
                "default_retain",
                false,
                "topics",
                Map.of("status/#", Map.of("retain", true), "/plain", Map.of())));

    assertThat(config.topics().get("status/#")).isEqualTo(TopicSettings.retain(true));
    assertThat(config.qosFor("status/x")).isEqualTo(QoS.AT_LEAST_ONCE);
    assertThat(config.retainFor("status/x")).isTrue();
    assertThat(config.qosFor("/plain")).isEqualTo(QoS.AT_LEAST_ONCE);
    assertThat(config.retainFor("/plain")).isFalse();
  }

  @Test
  void toStringRedactsThePassword() {
    MqttConfig config =
        MqttConfig.from(Map.of("username", "alice", "password", "hunter2-very-secret"));

    assertThat(config.toString())
        .doesNotContain("hunter2")
        .contains("password=<redacted>")
        .contains("username=alice");
  }

  @Test
  void toStringShowsTimesInSecondsAsTheMapWritesThem() {
    MqttConfig config = MqttConfig.from(Map.of("ping_delay", 0.5, "keep_alive", 20));

    assertThat(config.toString())
        .startsWith("MqttConfig{keep_alive=20, ping_delay=0.5, default_qos=0,")
        .contains("incoming_overflow=drop_oldest")
        .contains("password=null");
  }

  @Test
  void thePasswordAccessorReturnsACopy() {
    byte[] given = {1, 2, 3};
    MqttConfig config = MqttConfig.builder().credentials("u", given).build();
    given[0] = 9;
    config.password().orElseThrow()[1] = 9;

    assertThat(config.password()).hasValueSatisfying(p -> assertThat(p).containsExactly(1, 2, 3));
  }

  @Test
  void credentialsWithANullPasswordSetOnlyTheUsername() {
    MqttConfig config = MqttConfig.builder().credentials("u", null).build();

    assertThat(config.username()).hasValue("u");
    assertThat(config.password()).isEmpty();
  }

  @Test
  void aStringPasswordAndWillMessageAreSentAsUtf8() {
    MqttConfig config =
        MqttConfig.from(
            Map.of(
                "username", "u",
                "password", "pässwörd",
                "will", Map.of("topic", "t", "message", "bye ✓")));

    assertThat(config.password())
        .hasValueSatisfying(p -> assertThat(p).isEqualTo("pässwörd".getBytes(UTF_8)));
    Will will = config.will().orElseThrow();
    assertThat(will.payload()).isEqualTo("bye ✓".getBytes(UTF_8));
    assertThat(will.qos()).isEqualTo(QoS.AT_MOST_ONCE);
    assertThat(will.retain()).isFalse();
  }

  @Test
  void byteArrayPasswordsAndWillMessagesAreTakenAsTheyAre() {
    byte[] binary = {0, (byte) 0xff, 0x7f};
    MqttConfig config =
        MqttConfig.from(
            Map.of(
                "username",
                "u",
                "password",
                binary,
                "will",
                Map.of("topic", "t", "message", binary, "qos", 2, "retain", true)));

    assertThat(config.password()).hasValueSatisfying(p -> assertThat(p).isEqualTo(binary));
    assertThat(config.will()).hasValue(Will.of("t", binary, QoS.EXACTLY_ONCE, true));
  }

  static Stream<Arguments> timeValues() {
    return Stream.of(
        time("ping_delay", 0.5, Duration.ofMillis(500)),
        time("ping_delay", 0.1, Duration.ofMillis(100)),
        time("ping_delay", 0.25f, Duration.ofMillis(250)),
        time("ping_delay", 0, Duration.ZERO),
        time("keep_alive", 10.0, Duration.ofSeconds(10)),
        time("keep_alive", 65535L, Duration.ofSeconds(65535)),
        time("keep_alive", new BigDecimal("12.000"), Duration.ofSeconds(12)),
        time("operation_timeout", new BigDecimal("2.5"), Duration.ofMillis(2500)),
        time("operation_timeout", 0.000000001, Duration.ofNanos(1)),
        time("connect_timeout", 3L, Duration.ofSeconds(3)),
        time("connect_timeout", BigInteger.valueOf(4), Duration.ofSeconds(4)),
        time("reconnect_max_interval", new AtomicLong(7), Duration.ofSeconds(7)),
        time("reconnect_max_interval", (short) 6, Duration.ofSeconds(6)));
  }

  private static Arguments time(String key, Object value, Duration expected) {
    return Arguments.of(key, value, expected, value.getClass().getSimpleName());
  }

  @ParameterizedTest(name = "{0} = {1} ({3}) is {2}")
  @MethodSource("timeValues")
  void timesAreNumbersOfSecondsOfAnyNumberType(
      String key, Object value, Duration expected, String type) {
    Map<String, Object> map = new HashMap<>(Map.of(key, value));
    if (!key.equals("keep_alive")) {
      map.put("keep_alive", 0); // so that ping_delay is not bounded by it
    }
    MqttConfig config = MqttConfig.from(map);

    Map<String, Function<MqttConfig, Duration>> accessors =
        Map.of(
            "ping_delay", MqttConfig::pingDelay,
            "keep_alive", MqttConfig::keepAlive,
            "operation_timeout", MqttConfig::operationTimeout,
            "connect_timeout", MqttConfig::connectTimeout,
            "reconnect_max_interval", MqttConfig::reconnectMaxInterval);
    assertThat(accessors.get(key).apply(config)).isEqualTo(expected);
  }

  static Stream<Arguments> boundaryValuesThatAreAccepted() {
    return Stream.of(
        Arguments.of(
            "keep_alive", 0, (Function<MqttConfig, Object>) MqttConfig::keepAlive, Duration.ZERO),
        Arguments.of("keep_alive", 65535, fn(MqttConfig::keepAlive), Duration.ofSeconds(65535)),
        Arguments.of(
            "reconnect_max_interval",
            0.001,
            fn(MqttConfig::reconnectMaxInterval),
            Duration.ofMillis(1)),
        Arguments.of(
            "reconnect_retries",
            Integer.MIN_VALUE,
            fn(MqttConfig::reconnectRetries),
            Integer.MIN_VALUE),
        Arguments.of(
            "reconnect_retries",
            Integer.MAX_VALUE,
            fn(MqttConfig::reconnectRetries),
            Integer.MAX_VALUE),
        Arguments.of("reconnect_retries", 0, fn(MqttConfig::reconnectRetries), 0),
        Arguments.of("protocol_version", 3, fn(MqttConfig::protocolVersion), 3),
        Arguments.of("protocol_version", 4L, fn(MqttConfig::protocolVersion), 4),
        Arguments.of("protocol_version", 5, fn(MqttConfig::protocolVersion), 5),
        Arguments.of(
            "session_expiry_interval",
            4_294_967_295L,
            fn(MqttConfig::sessionExpiryInterval),
            java.util.Optional.of(Duration.ofSeconds(4_294_967_295L))),
        Arguments.of(
            "session_expiry_interval",
            0,
            fn(MqttConfig::sessionExpiryInterval),
            java.util.Optional.of(Duration.ZERO)),
        Arguments.of("receive_maximum", 1, fn(MqttConfig::receiveMaximum), 1),
        Arguments.of("receive_maximum", 65535, fn(MqttConfig::receiveMaximum), 65535),
        Arguments.of("topic_alias_maximum", 0, fn(MqttConfig::topicAliasMaximum), 0),
        Arguments.of("topic_alias_maximum", 65535, fn(MqttConfig::topicAliasMaximum), 65535),
        Arguments.of("max_inflight", 1, fn(MqttConfig::maxInflight), 1),
        Arguments.of("max_inflight", 65535, fn(MqttConfig::maxInflight), 65535),
        Arguments.of("incoming_queue_size", 1, fn(MqttConfig::incomingQueueSize), 1),
        Arguments.of(
            "incoming_queue_size",
            Integer.MAX_VALUE,
            fn(MqttConfig::incomingQueueSize),
            Integer.MAX_VALUE),
        Arguments.of("incoming_queue_bytes", 1, fn(MqttConfig::incomingQueueBytes), 1),
        Arguments.of(
            "incoming_queue_bytes",
            Integer.MAX_VALUE,
            fn(MqttConfig::incomingQueueBytes),
            Integer.MAX_VALUE),
        Arguments.of(
            "operation_timeout", 0.001, fn(MqttConfig::operationTimeout), Duration.ofMillis(1)),
        Arguments.of(
            "connect_timeout", 0.001, fn(MqttConfig::connectTimeout), Duration.ofMillis(1)),
        Arguments.of("max_packet_size", 2, fn(MqttConfig::maxPacketSize), 2),
        Arguments.of("max_packet_size", 268_435_460, fn(MqttConfig::maxPacketSize), 268_435_460),
        Arguments.of("default_qos", 2, fn(MqttConfig::defaultQos), QoS.EXACTLY_ONCE),
        Arguments.of(
            "default_qos", QoS.AT_LEAST_ONCE, fn(MqttConfig::defaultQos), QoS.AT_LEAST_ONCE),
        Arguments.of("default_qos", 1L, fn(MqttConfig::defaultQos), QoS.AT_LEAST_ONCE),
        Arguments.of(
            "incoming_overflow",
            "DROP_NEWEST",
            fn(MqttConfig::incomingOverflow),
            OverflowPolicy.DROP_NEWEST),
        Arguments.of(
            "incoming_overflow",
            "Drop_Oldest",
            fn(MqttConfig::incomingOverflow),
            OverflowPolicy.DROP_OLDEST),
        Arguments.of(
            "incoming_overflow",
            OverflowPolicy.DROP_NEWEST,
            fn(MqttConfig::incomingOverflow),
            OverflowPolicy.DROP_NEWEST),
        Arguments.of("username", "", fn(c -> c.username().orElseThrow()), ""));
  }

  private static Function<MqttConfig, Object> fn(Function<MqttConfig, Object> f) {
    return f;
  }

  @ParameterizedTest(name = "{0} = {1} is accepted")
  @MethodSource("boundaryValuesThatAreAccepted")
  void valuesAtTheEdgeOfTheirRangeAreAccepted(
      String key, Object value, Function<MqttConfig, Object> accessor, Object expected) {
    assertThat(accessor.apply(MqttConfig.from(Map.of(key, value)))).isEqualTo(expected);
  }

  @Test
  void pingDelayJustBelowKeepAliveIsAccepted() {
    MqttConfig config = MqttConfig.from(Map.of("keep_alive", 10, "ping_delay", 9.999));

    assertThat(config.pingDelay()).isEqualTo(Duration.ofMillis(9999));
  }

  @Test
  void anyPingDelayIsAcceptedWhenKeepAliveIsOff() {
    MqttConfig config = MqttConfig.from(Map.of("keep_alive", 0, "ping_delay", 100));

    assertThat(config.pingDelay()).isEqualTo(Duration.ofSeconds(100));
  }

  @Test
  void aPasswordOf65535BytesIsAccepted() {
    byte[] password = new byte[65_535];

    assertThat(MqttConfig.from(Map.of("username", "u", "password", password)).password())
        .hasValueSatisfying(p -> assertThat(p).hasSize(65_535));
  }

  static Stream<Arguments> builderMisuse() {
    return Stream.of(
        misuse(
            "keep_alive must be 0..65535 seconds, was 70000",
            () -> MqttConfig.builder().keepAlive(Duration.ofSeconds(70_000))),
        misuse(
            "keep_alive must be 0..65535 seconds, was 65536",
            () -> MqttConfig.builder().keepAlive(Duration.ofSeconds(65_536))),
        misuse(
            "keep_alive must be 0..65535 seconds, was -1",
            () -> MqttConfig.builder().keepAlive(Duration.ofSeconds(-1))),
        misuse(
            "keep_alive must be a whole number of seconds, was 1.5",
            () -> MqttConfig.builder().keepAlive(Duration.ofMillis(1500))),
        misuse(
            "ping_delay must be >= 0 seconds, was -0.001",
            () -> MqttConfig.builder().pingDelay(Duration.ofMillis(-1))),
        misuse(
            "ping_delay must be less than keep_alive (5 seconds) when keep-alive is on, was 5",
            () ->
                MqttConfig.builder()
                    .keepAlive(Duration.ofSeconds(5))
                    .pingDelay(Duration.ofSeconds(5))
                    .build()),
        misuse(
            "ping_delay must be less than keep_alive (1 seconds) when keep-alive is on, was 1",
            () -> MqttConfig.builder().keepAlive(Duration.ofSeconds(1)).build()),
        misuse(
            "reconnect_max_interval must be > 0 seconds, was 0",
            () -> MqttConfig.builder().reconnectMaxInterval(Duration.ZERO)),
        misuse(
            "protocol_version must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0), was 6",
            () -> MqttConfig.builder().protocolVersion(6)),
        misuse(
            "session_expiry_interval must be a whole number of seconds 0..4294967295 (4294967295:"
                + " never expires), was 4294967296",
            () -> MqttConfig.builder().sessionExpiryInterval(Duration.ofSeconds(4_294_967_296L))),
        misuse(
            "session_expiry_interval must be a whole number of seconds 0..4294967295 (4294967295:"
                + " never expires), was 1.5",
            () -> MqttConfig.builder().sessionExpiryInterval(Duration.ofMillis(1500))),
        misuse(
            "receive_maximum must be 1..65535, was 0",
            () -> MqttConfig.builder().receiveMaximum(0)),
        misuse(
            "receive_maximum must be 1..65535, was 65536",
            () -> MqttConfig.builder().receiveMaximum(65_536)),
        misuse(
            "topic_alias_maximum must be 0..65535, was -1",
            () -> MqttConfig.builder().topicAliasMaximum(-1)),
        misuse(
            "topic_alias_maximum must be 0..65535, was 65536",
            () -> MqttConfig.builder().topicAliasMaximum(65_536)),
        misuse("max_inflight must be 1..65535, was 0", () -> MqttConfig.builder().maxInflight(0)),
        misuse(
            "max_inflight must be 1..65535, was 65536",
            () -> MqttConfig.builder().maxInflight(65_536)),
        misuse(
            "incoming_queue_size must be >= 1, was 0",
            () -> MqttConfig.builder().incomingQueueSize(0)),
        misuse(
            "incoming_queue_bytes must be >= 1, was 0",
            () -> MqttConfig.builder().incomingQueueBytes(0)),
        misuse(
            "operation_timeout must be > 0 seconds, was -1",
            () -> MqttConfig.builder().operationTimeout(Duration.ofSeconds(-1))),
        misuse(
            "connect_timeout must be > 0 seconds, was 0",
            () -> MqttConfig.builder().connectTimeout(Duration.ZERO)),
        misuse(
            "max_packet_size must be 2..268435460 bytes, was 1",
            () -> MqttConfig.builder().maxPacketSize(1)),
        misuse(
            "max_packet_size must be 2..268435460 bytes, was 268435461",
            () -> MqttConfig.builder().maxPacketSize(268_435_461)),
        misuse(
            "topics key 'a/#/b': '#' must be the last character and alone in its level"
                + " [MQTT-4.7.1-2]",
            () -> MqttConfig.builder().topic("a/#/b", QoS.AT_MOST_ONCE)),
        misuse(
            "topics key 'a/b+': '+' must occupy a whole level [MQTT-4.7.1-3]",
            () -> MqttConfig.builder().topic("a/b+", QoS.AT_MOST_ONCE, true)),
        misuse(
            "username must not contain U+0000 (at index 1) [MQTT-1.5.3-2]",
            () -> MqttConfig.builder().username("a\0")),
        misuse(
            "password must be at most 65535 bytes, was 65536",
            () -> MqttConfig.builder().credentials("u", new byte[65_536])),
        misuse(
            "password requires a username in MQTT 3.1 and 3.1.1 [MQTT-3.1.2-22]",
            () -> MqttConfig.builder().password(new byte[1]).build()));
  }

  private static Arguments misuse(String message, ThrowingCallable call) {
    return Arguments.of(message, call);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builderMisuse")
  void theBuilderRefusesValuesOutOfRangeNamingTheKey(String message, ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void theBuilderRefusesNullNamingTheKey() {
    assertThatThrownBy(() -> MqttConfig.builder().keepAlive(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("keep_alive");
    assertThatThrownBy(() -> MqttConfig.builder().defaultQos(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("default_qos");
  }

  @Test
  void theTopicsMapCannotBeModified() {
    MqttConfig config = MqttConfig.builder().topic("a", QoS.AT_LEAST_ONCE).build();

    assertThatThrownBy(() -> config.topics().put("b", TopicSettings.none()))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
