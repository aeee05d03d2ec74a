package io.vmqtt.vthreads.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.ConnectOptions;
import io.vmqtt.MqttConfig;
import io.vmqtt.ProxyOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which proxy a connection takes: its options over the configuration, and for {@link
 * ProxyOptions#system()} the JVM's selector before the environment, with {@code NO_PROXY}.
 */
class SystemProxiesTest {
  private final Map<String, String> env = new HashMap<>();
  private final Map<String, String> props = new HashMap<>();
  private final List<URI> asked = new ArrayList<>();
  private List<Proxy> selected = List.of(Proxy.NO_PROXY);
  private boolean hasSelector = true;

  private final ProxySelector selector =
      new ProxySelector() {
        @Override
        public List<Proxy> select(URI uri) {
          asked.add(uri);
          return selected;
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
      };

  private final SystemProxies system =
      new SystemProxies(() -> hasSelector ? selector : null, env::get, props::get);

  @Test
  void theConnectionsOptionsWinOverTheConfiguration() throws IOException {
    MqttConfig config = MqttConfig.builder().proxy(ProxyOptions.http("configured", 3128)).build();
    ConnectOptions options =
        ConnectOptions.builder().proxy(ProxyOptions.socks5("per-connection", 1080)).build();

    assertThat(route(config, options))
        .contains(new ProxyRoute(ProxyOptions.socks5("per-connection", 1080), ""));
    assertThat(route(config, ConnectOptions.defaults()))
        .contains(new ProxyRoute(ProxyOptions.http("configured", 3128), ""));
    assertThat(route(config, ConnectOptions.builder().proxy(ProxyOptions.none()).build()))
        .isEmpty();
    assertThat(route(MqttConfig.defaults(), ConnectOptions.defaults())).isEmpty();
  }

  @Test
  void withoutProxyFromSystemNeitherTheJvmNorTheEnvironmentIsAsked() throws IOException {
    selected = List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("jvm", 3128)));
    env.put("HTTPS_PROXY", "http://env:3128");

    assertThat(route(MqttConfig.defaults(), ConnectOptions.defaults())).isEmpty();
    assertThat(asked).isEmpty();
  }

  @Test
  void theJvmsSelectorIsAskedForHttpsOfTheBrokerAndItsHttpProxyTaken() throws IOException {
    selected = List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("jvm", 3128)));
    env.put("HTTPS_PROXY", "socks5://env:1080");

    Optional<ProxyRoute> route = system.find("broker.example", 8883);

    assertThat(asked).containsExactly(URI.create("https://broker.example:8883"));
    assertThat(route)
        .contains(new ProxyRoute(ProxyOptions.http("jvm", 3128), "the JVM's ProxySelector"));
    assertThat(route.orElseThrow().name())
        .isEqualTo("HTTP proxy jvm:3128 (from the JVM's ProxySelector)");
  }

  @Test
  void anIpv6BrokerIsAskedForInBrackets() throws IOException {
    system.find("::1", 1883);
    assertThat(asked).containsExactly(URI.create("https://[::1]:1883"));
  }

  @Test
  void aSocksProxyFromTheJvmTakesTheJdksSocksCredentials() throws IOException {
    selected = List.of(new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", 1080)));
    props.put("java.net.socks.username", "alice");
    props.put("java.net.socks.password", "s3cret");

    ProxyOptions expected =
        ProxyOptions.socks5("127.0.0.1", 1080).toBuilder().credentials("alice", "s3cret").build();
    assertThat(system.find("broker", 1883))
        .contains(new ProxyRoute(expected, "the JVM's ProxySelector"));
  }

  @Test
  void aSocks4ProxyFromTheJvmIsRefusedByName() {
    selected =
        List.of(new Proxy(Proxy.Type.SOCKS, InetSocketAddress.createUnresolved("old", 1080)));
    props.put("socksProxyVersion", "4");

    assertThatThrownBy(() -> system.find("broker", 1883))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "the JVM's ProxySelector named the SOCKS4 proxy old:1080 (socksProxyVersion=4); vmqtt"
                + " speaks SOCKS5 only");
  }

  @Test
  void aFailingSelectorIsReportedAsSuch() {
    ProxySelector failing =
        new ProxySelector() {
          @Override
          public List<Proxy> select(URI uri) {
            throw new IllegalStateException("PAC script broken");
          }

          @Override
          public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        };
    SystemProxies s = new SystemProxies(() -> failing, env::get, props::get);
    assertThatThrownBy(() -> s.find("broker", 1883))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("the JVM's ProxySelector failed for https://broker:1883: ")
        .hasMessageContaining("PAC script broken");
  }

  @Test
  void whenTheJvmNamesNoneTheEnvironmentIsAsked() throws IOException {
    env.put("HTTPS_PROXY", "http://alice:pw@env-proxy:3128");

    assertThat(system.find("broker", 1883))
        .contains(
            new ProxyRoute(
                ProxyOptions.http("env-proxy", 3128).toBuilder().credentials("alice", "pw").build(),
                "HTTPS_PROXY"));
  }

  @Test
  void withoutASelectorTheEnvironmentIsAsked() throws IOException {
    hasSelector = false;
    env.put("ALL_PROXY", "socks5h://env:1081");
    assertThat(system.find("broker", 1883))
        .contains(new ProxyRoute(ProxyOptions.socks5("env", 1081), "ALL_PROXY"));
  }

  @Test
  void lowerCaseVariablesComeFirstAndHttpsProxyBeforeAllProxy() throws IOException {
    env.put("https_proxy", "http://lower:1");
    env.put("HTTPS_PROXY", "http://upper:2");
    env.put("all_proxy", "http://all:3");
    assertThat(system.find("b", 1).orElseThrow().proxy()).isEqualTo(ProxyOptions.http("lower", 1));

    env.remove("https_proxy");
    assertThat(system.find("b", 1).orElseThrow().proxy()).isEqualTo(ProxyOptions.http("upper", 2));

    env.remove("HTTPS_PROXY");
    assertThat(system.find("b", 1).orElseThrow().source()).isEqualTo("all_proxy");

    env.put("HTTPS_PROXY", "  ");
    assertThat(system.find("b", 1).orElseThrow().source())
        .as("blank is unset")
        .isEqualTo("all_proxy");
  }

  @Test
  void aValueWithoutSchemeIsAnHttpProxy() throws IOException {
    env.put("HTTPS_PROXY", "proxy.corp:3128");
    assertThat(system.find("b", 1).orElseThrow().proxy())
        .isEqualTo(ProxyOptions.http("proxy.corp", 3128));
  }

  @Test
  void noProxyExemptsTheBrokerFromTheEnvironmentsProxy() throws IOException {
    env.put("HTTPS_PROXY", "http://env:3128");
    env.put("NO_PROXY", "localhost, .internal.example, 10.0.0.0/8");

    assertThat(system.find("localhost", 1883)).isEmpty();
    assertThat(system.find("broker.internal.example", 1883)).isEmpty();
    assertThat(system.find("10.1.2.3", 8883)).isEmpty();
    assertThat(system.find("broker.example", 1883)).isPresent();

    env.put("no_proxy", "other.example");
    assertThat(system.find("localhost", 1883)).as("no_proxy wins over NO_PROXY").isPresent();
  }

  @Test
  void anUnusableVariableFailsNamingItButNotItsPassword() {
    env.put("HTTPS_PROXY", "socks4://alice:s3cret@old:1080");
    assertThatThrownBy(() -> system.find("b", 1))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "HTTPS_PROXY names no proxy vmqtt can use: proxy 'socks4://<user>@old:1080' has the"
                + " unsupported scheme 'socks4'; supported: http, socks5, socks5h");
  }

  @Test
  void theSystemsProxyIsLookedUpForProxyOptionsSystem() throws IOException {
    env.put("HTTPS_PROXY", "http://env:3128");
    MqttConfig config = MqttConfig.builder().proxy(ProxyOptions.system()).build();
    assertThat(route(config, ConnectOptions.defaults()).orElseThrow().source())
        .isEqualTo("HTTPS_PROXY");
    env.clear();
    assertThat(route(config, ConnectOptions.defaults())).isEmpty();
  }

  private Optional<ProxyRoute> route(MqttConfig config, ConnectOptions options) throws IOException {
    return TcpConnector.route(Targets.target("mqtt://[::1]:1883", config, options), "::1", system);
  }
}
