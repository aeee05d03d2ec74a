package io.vmqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code extra_headers}, the HTTP headers of the WebSocket upgrade request: in the config map, the
 * builder and {@link ConnectOptions}, with the same checks everywhere.
 */
class ExtraHeadersTest {

  static Stream<Arguments> badMaps() {
    return Stream.of(
        bad(
            "extra_headers must be a map of header name to value, was \"X-Key: 1\" (String)",
            map("extra_headers", "X-Key: 1")),
        bad(
            "extra_headers keys must be strings, was 1 (Integer)",
            map("extra_headers", map(1, "one"))),
        bad(
            "extra_headers.X-Key must be a string, was 1 (Integer)",
            map("extra_headers", map("X-Key", 1))),
        bad("extra_headers.X-Key must not be null", map("extra_headers", map("X-Key", null))),
        bad(
            "extra_headers name \"X Key\" is not an HTTP header name (RFC 9110 5.6.2)",
            map("extra_headers", map("X Key", "1"))),
        bad(
            "extra_headers name \"\" is not an HTTP header name (RFC 9110 5.6.2)",
            map("extra_headers", map("", "1"))),
        bad(
            "extra_headers name \"X:Key\" is not an HTTP header name (RFC 9110 5.6.2)",
            map("extra_headers", map("X:Key", "1"))),
        bad(
            "extra_headers.Sec-WebSocket-Protocol is set by the WebSocket handshake itself",
            map("extra_headers", map("Sec-WebSocket-Protocol", "mqttv5"))),
        bad(
            "extra_headers.upgrade is set by the WebSocket handshake itself",
            map("extra_headers", map("upgrade", "h2c"))),
        bad(
            "extra_headers has x-key twice (header names ignore case)",
            map("extra_headers", map("X-Key", "1", "x-key", "2"))),
        // CR LF would end the header and start another one of the caller's choosing
        bad(
            "extra_headers.X-Key must be printable ASCII, found U+000D at index 1",
            map("extra_headers", map("X-Key", "1\r\nX-Evil: 2"))),
        bad(
            "extra_headers.X-Key must be printable ASCII, found U+00E9 at index 3",
            map("extra_headers", map("X-Key", "caf\u00e9"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badMaps")
  void aBadExtraHeadersEntryIsRefusedWithAMessageNamingIt(String message, Map<String, ?> config) {
    assertThatThrownBy(() -> MqttConfig.from(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void theDefaultIsNoHeaders() {
    assertThat(MqttConfig.defaults().extraHeaders()).isEmpty();
    assertThat(ConnectOptions.defaults().extraHeaders()).isEmpty();
  }

  @Test
  void aMapAndTheBuilderGiveEqualConfigurationsWithHeadersInTheGivenOrder() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Client", "sensor-7");
    headers.put("Authorization", "Basic YWxpY2U6czNjcmV0");
    headers.put("X-Empty", "");
    headers.put("X-Tabbed", "a\tb c");

    MqttConfig parsed = MqttConfig.from(Map.of("extra_headers", headers));
    MqttConfig built = MqttConfig.builder().extraHeaders(headers).build();

    assertThat(parsed).isEqualTo(built).hasSameHashCodeAs(built);
    assertThat(parsed.extraHeaders())
        .containsExactly(
            Map.entry("X-Client", "sensor-7"),
            Map.entry("Authorization", "Basic YWxpY2U6czNjcmV0"),
            Map.entry("X-Empty", ""),
            Map.entry("X-Tabbed", "a\tb c"));
  }

  @Test
  void configurationsDifferingOnlyInACredentialHeaderAreNotEqual() {
    MqttConfig a = MqttConfig.builder().extraHeaders(Map.of("Authorization", "Basic 1")).build();
    MqttConfig b = MqttConfig.builder().extraHeaders(Map.of("Authorization", "Basic 2")).build();

    assertThat(a).isNotEqualTo(b);
    assertThat(a.toString()).isEqualTo(b.toString());
  }

  @Test
  void toStringRedactsCredentialHeadersInAnyCaseAndShowsTheOthers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("authorization", "Bearer hunter2");
    headers.put("Proxy-Authorization", "Basic hunter2");
    headers.put("Cookie", "session=hunter2");
    headers.put("X-Client", "sensor-7");

    MqttConfig config = MqttConfig.builder().extraHeaders(headers).build();
    ConnectOptions options = ConnectOptions.builder().extraHeaders(headers).build();

    for (String text : new String[] {config.toString(), options.toString()}) {
      assertThat(text)
          .doesNotContain("hunter2")
          .contains(
              "{authorization=<redacted>, Proxy-Authorization=<redacted>,"
                  + " Cookie=<redacted>, X-Client=sensor-7}");
    }
  }

  @Test
  void theHeadersCannotBeModifiedThroughTheAccessorsOrTheMapGiven() {
    Map<String, String> given = new LinkedHashMap<>(Map.of("X-Key", "1"));
    MqttConfig config = MqttConfig.builder().extraHeaders(given).build();
    ConnectOptions options = ConnectOptions.builder().extraHeaders(given).build();
    given.put("X-Later", "2");

    assertThat(config.extraHeaders()).containsOnlyKeys("X-Key");
    assertThat(options.extraHeaders().orElseThrow()).containsOnlyKeys("X-Key");
    assertThatThrownBy(() -> config.extraHeaders().put("X-Other", "3"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> options.extraHeaders().orElseThrow().put("X-Other", "3"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void connectOptionsCheckHeadersAsTheConfigurationDoes() {
    assertThatThrownBy(
            () -> ConnectOptions.builder().extraHeaders(Map.of("Connection", "keep-alive")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("extra_headers.Connection is set by the WebSocket handshake itself");
    assertThatThrownBy(() -> ConnectOptions.builder().extraHeaders(Map.of("X-Key", "a\nb")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("extra_headers.X-Key must be printable ASCII, found U+000A at index 1");
  }

  @Test
  void anEmptyMapInConnectOptionsIsAnOverrideThatSendsNoHeaders() {
    ConnectOptions options = ConnectOptions.builder().extraHeaders(Map.of()).build();

    assertThat(options.extraHeaders()).contains(Map.of());
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
