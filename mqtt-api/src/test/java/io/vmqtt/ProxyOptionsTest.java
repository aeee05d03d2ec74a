package io.vmqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ProxyOptions}: the builder, the URL, the config-map keys, checks and redaction. */
class ProxyOptionsTest {
  private static final String SECRET = "s3cret-Pa55";

  @Test
  void byDefaultThereIsNoProxy() {
    assertThat(MqttConfig.defaults().proxy()).isEqualTo(ProxyOptions.none());
    assertThat(ProxyOptions.none().type()).isEqualTo(ProxyOptions.Type.NONE);
    assertThat(ProxyOptions.none().host()).isEmpty();
    assertThat(ProxyOptions.none().port()).isEqualTo(OptionalInt.empty());
    assertThat(ProxyOptions.none().isExplicit()).isFalse();
    assertThat(ConnectOptions.defaults().proxy()).isEmpty();
    assertThat(MqttConfig.defaults().toString()).doesNotContain("proxy");
  }

  @Test
  void theKeysInPahoPythonsSpiritGiveWhatTheBuilderGives() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("proxy_type", "socks5");
    map.put("proxy_host", "proxy.corp");
    map.put("proxy_port", 1081);
    map.put("proxy_username", "alice");
    map.put("proxy_password", SECRET);

    ProxyOptions expected =
        ProxyOptions.builder()
            .type(ProxyOptions.Type.SOCKS5)
            .host("proxy.corp")
            .port(1081)
            .credentials("alice", SECRET.toCharArray())
            .build();

    assertThat(MqttConfig.from(map).proxy()).isEqualTo(expected);
    assertThat(MqttConfig.from(map)).isEqualTo(MqttConfig.builder().proxy(expected).build());
    assertThat(expected.host()).contains("proxy.corp");
    assertThat(expected.port()).hasValue(1081);
    assertThat(expected.username()).contains("alice");
    assertThat(expected.password())
        .hasValueSatisfying(p -> assertThat(p).isEqualTo(SECRET.toCharArray()));
  }

  @Test
  void oneUrlGivesTheSame() {
    assertThat(
            MqttConfig.from(Map.of("proxy", "socks5://alice:" + SECRET + "@proxy.corp:1081"))
                .proxy())
        .isEqualTo(
            ProxyOptions.builder()
                .type(ProxyOptions.Type.SOCKS5)
                .host("proxy.corp")
                .port(1081)
                .credentials("alice", SECRET)
                .build());
    assertThat(ProxyOptions.parse("http://proxy.corp:3128"))
        .isEqualTo(ProxyOptions.http("proxy.corp", 3128));
  }

  @Test
  void aUrlWithoutCredentialsTakesThemFromTheirKeys() {
    MqttConfig config =
        MqttConfig.from(
            Map.of(
                "proxy",
                "http://proxy.corp:3128/",
                "proxy_username",
                "alice",
                "proxy_password",
                SECRET));
    assertThat(config.proxy())
        .isEqualTo(
            ProxyOptions.builder()
                .type(ProxyOptions.Type.HTTP)
                .host("proxy.corp")
                .port(3128)
                .credentials("alice", SECRET)
                .build());
  }

  @Test
  void thePortDefaultsTo8080ForHttpAnd1080ForSocks5AsInPySocks() {
    assertThat(ProxyOptions.parse("http://proxy.corp").port()).hasValue(8080);
    assertThat(ProxyOptions.parse("socks5://proxy.corp").port()).hasValue(1080);
    assertThat(MqttConfig.from(Map.of("proxy_type", "HTTP", "proxy_host", "p")).proxy().port())
        .hasValue(8080);
  }

  @Test
  void socks5hIsSocks5BecauseTheProxyAlwaysResolvesTheBrokersName() {
    assertThat(ProxyOptions.parse("SOCKS5H://p:1080")).isEqualTo(ProxyOptions.socks5("p", 1080));
  }

  @Test
  void userAndPasswordInAUrlArePercentDecoded() {
    ProxyOptions p = ProxyOptions.parse("http://d%C3%B6m%5Cal:p%40ss%3Aw+rd@p:3128");
    assertThat(p.username()).contains("döm\\al");
    assertThat(p.password())
        .hasValueSatisfying(c -> assertThat(new String(c)).isEqualTo("p@ss:w+rd"));
  }

  @Test
  void anIpv6ProxyIsKeptWithoutBrackets() {
    ProxyOptions p = ProxyOptions.parse("socks5://[::1]:1080");
    assertThat(p.host()).contains("::1");
    assertThat(p.describe()).isEqualTo("socks5://[::1]:1080");
    assertThat(ProxyOptions.socks5("[::1]", 1080)).isEqualTo(p);
  }

  @Test
  void proxyFromSystemAsksTheSystem() {
    assertThat(MqttConfig.from(Map.of("proxy_from_system", true)).proxy())
        .isEqualTo(ProxyOptions.system());
    assertThat(MqttConfig.from(Map.of("proxy_from_system", false)).proxy())
        .isEqualTo(ProxyOptions.none());
    assertThat(ProxyOptions.system()).hasToString("ProxyOptions[system]");
  }

  @Test
  void connectOptionsCarryAProxyForOneConnection() {
    ConnectOptions options = ConnectOptions.builder().proxy(ProxyOptions.http("p", 3128)).build();
    assertThat(options.proxy()).contains(ProxyOptions.http("p", 3128));
    assertThat(ConnectOptions.builder().proxy(ProxyOptions.none()).build().proxy())
        .contains(ProxyOptions.none());
  }

  @Test
  void passwordsNeverShowInToString() {
    ProxyOptions p =
        ProxyOptions.builder()
            .type(ProxyOptions.Type.HTTP)
            .host("proxy.corp")
            .port(3128)
            .credentials("alice", SECRET)
            .build();
    assertThat(p).hasToString("ProxyOptions[http://alice:<redacted>@proxy.corp:3128]");
    assertThat(MqttConfig.builder().proxy(p).build().toString())
        .contains("proxy=ProxyOptions[http://alice:<redacted>@proxy.corp:3128]")
        .doesNotContain(SECRET);
    assertThat(ConnectOptions.builder().proxy(p).build().toString())
        .contains("proxy=ProxyOptions[http://alice:<redacted>@proxy.corp:3128]")
        .doesNotContain(SECRET);
    assertThat(p.describe()).isEqualTo("http://proxy.corp:3128");
    assertThat(ProxyOptions.socks5("h", 1)).hasToString("ProxyOptions[socks5://h:1]");
  }

  @Test
  void equalOptionsCompareThePasswordByContent() {
    ProxyOptions a = ProxyOptions.parse("socks5://u:" + SECRET + "@h:1");
    ProxyOptions b =
        ProxyOptions.socks5("h", 1).toBuilder().credentials("u", SECRET.toCharArray()).build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(ProxyOptions.parse("socks5://u:other@h:1"));
  }

  @Test
  void theBuilderCopiesThePassword() {
    char[] password = SECRET.toCharArray();
    ProxyOptions p = ProxyOptions.socks5("h", 1).toBuilder().credentials("u", password).build();
    password[0] = 'X';
    p.password().orElseThrow()[1] = 'Y';
    assertThat(new String(p.password().orElseThrow())).isEqualTo(SECRET);
  }

  static Stream<Arguments> badMaps() {
    return Stream.of(
        bad(
            "proxy_type must be \"http\" or \"socks5\", was \"socks4\" (String)",
            Map.of("proxy_type", "socks4", "proxy_host", "h")),
        bad(
            "proxy_type must be \"http\" or \"socks5\", was 5 (Integer)",
            Map.of("proxy_type", 5, "proxy_host", "h")),
        bad(
            "proxy_port must be 1..65535, was 0",
            Map.of("proxy_type", "http", "proxy_host", "h", "proxy_port", 0)),
        bad(
            "proxy_port must be 1..65535, was 65536",
            Map.of("proxy_type", "http", "proxy_host", "h", "proxy_port", 65536)),
        bad(
            "proxy_port must be an integer, was \"3128\" (String)",
            Map.of("proxy_type", "http", "proxy_host", "h", "proxy_port", "3128")),
        bad("proxy_host must not be empty", Map.of("proxy_type", "http", "proxy_host", "")),
        bad(
            "proxy_host must be a host name or IP address, was \"proxy corp\"",
            Map.of("proxy_type", "http", "proxy_host", "proxy corp")),
        bad(
            "proxy_host must be a host name or IP address, was \"http://proxy\"",
            Map.of("proxy_type", "http", "proxy_host", "http://proxy")),
        bad(
            "proxy_host must be a string, was 3128 (Integer)",
            Map.of("proxy_type", "http", "proxy_host", 3128)),
        bad("proxy_type needs proxy_host", Map.of("proxy_type", "http")),
        bad(
            "proxy_host, proxy_port need proxy_type (\"http\" or \"socks5\")",
            map("proxy_host", "h", "proxy_port", 1)),
        bad(
            "proxy_password needs proxy_username",
            Map.of("proxy_type", "http", "proxy_host", "h", "proxy_password", SECRET)),
        bad(
            "proxy_password must be a string or char[], was of type byte[]",
            Map.of(
                "proxy_type",
                "http",
                "proxy_host",
                "h",
                "proxy_username",
                "u",
                "proxy_password",
                new byte[1])),
        bad(
            "proxy_from_system must be a boolean, was \"yes\" (String)",
            Map.of("proxy_from_system", "yes")),
        bad(
            "proxy_from_system asks the system which proxy to use; it excludes proxy",
            Map.of("proxy_from_system", true, "proxy", "http://h")),
        bad(
            "proxy_from_system asks the system which proxy to use; it excludes proxy_type, proxy_host",
            map("proxy_from_system", true, "proxy_type", "http", "proxy_host", "h")),
        bad("give proxy or proxy_host, not both", Map.of("proxy", "http://h", "proxy_host", "g")),
        bad(
            "the proxy URL has a user name already; give the credentials there or in"
                + " proxy_username/proxy_password, not both",
            Map.of("proxy", "http://u:p@h", "proxy_username", "v")),
        bad(
            "proxy must be a URL string such as socks5://host:1080 or http://host:3128, was of type Integer",
            Map.of("proxy", 1)),
        bad(
            "proxy 'ftp://<user>@h:21' has the unsupported scheme 'ftp'; supported: http, socks5, socks5h",
            Map.of("proxy", "ftp://u:" + SECRET + "@h:21")),
        bad(
            "proxy 'socks4://h:1080' has the unsupported scheme 'socks4'; supported: http, socks5, socks5h",
            Map.of("proxy", "socks4://h:1080")),
        bad(
            "proxy 'https://h:443': TLS to the proxy itself (https://) is not supported; use"
                + " http://, which still carries TLS to the broker end to end",
            Map.of("proxy", "https://h:443")),
        bad(
            "proxy 'proxy.corp:3128' must be a URL such as http://proxy.example:3128 or socks5://proxy.example:1080",
            Map.of("proxy", "proxy.corp:3128")),
        bad(
            "proxy 'http://<user>@h:3128/x' must have no path, query or fragment",
            Map.of("proxy", "http://u:" + SECRET + "@h:3128/x")),
        bad(
            "proxy_port must be 1..65535, was 99999",
            Map.of("proxy", "http://u:" + SECRET + "@h:99999")),
        bad(
            "proxy 'http://<user>@h :1/' is not a valid URL: Illegal character in authority at index 22",
            Map.of("proxy", "http://u:" + SECRET + "@h :1/")),
        bad("proxy must not be empty", Map.of("proxy", " ")),
        bad(
            "proxy_password is required with proxy_username for SOCKS5: RFC 1929 2 sends 1..255"
                + " bytes",
            Map.of("proxy", "socks5://alice@h")),
        bad(
            "proxy_username must be at most 255 bytes in UTF-8 for SOCKS5 (RFC 1929 2), was 256",
            Map.of(
                "proxy_type",
                "socks5",
                "proxy_host",
                "h",
                "proxy_username",
                "u".repeat(256),
                "proxy_password",
                "p")),
        bad(
            "proxy_password must be at most 255 bytes in UTF-8 for SOCKS5 (RFC 1929 2), was 256",
            Map.of(
                "proxy_type",
                "socks5",
                "proxy_host",
                "h",
                "proxy_username",
                "u",
                "proxy_password",
                "ä".repeat(128))),
        bad(
            "proxy_username must not contain ':' for an HTTP proxy (RFC 7617 2: Basic"
                + " authentication separates user name and password with it)",
            Map.of(
                "proxy_type",
                "http",
                "proxy_host",
                "h",
                "proxy_username",
                "a:b",
                "proxy_password",
                "p")),
        bad(
            "proxy_username and proxy_password must not contain control characters for an HTTP"
                + " proxy (RFC 7617 2)",
            Map.of(
                "proxy_type",
                "http",
                "proxy_host",
                "h",
                "proxy_username",
                "a",
                "proxy_password",
                "p\r\nX: y")),
        bad(
            "proxy_username must not be empty",
            Map.of("proxy_type", "http", "proxy_host", "h", "proxy_username", "")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badMaps")
  void aBadKeyIsRefusedNamingKeyAndValueButNeverThePassword(String message, Map<String, ?> map) {
    assertThatThrownBy(() -> MqttConfig.from(map))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message)
        .hasNoCause();
  }

  @Test
  void aNoneOrSystemProxyTakesNoHost() {
    assertThatThrownBy(
            () -> ProxyOptions.builder().type(ProxyOptions.Type.SYSTEM).host("h").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "proxy_host, proxy_port and proxy credentials need proxy_type http or socks5, not system");
  }

  private static Arguments bad(String message, Map<String, ?> map) {
    return Arguments.of(message, map);
  }

  /** A map that keeps its order, so messages listing keys are predictable. */
  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
