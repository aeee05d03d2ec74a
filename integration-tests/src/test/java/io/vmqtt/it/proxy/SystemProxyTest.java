package io.vmqtt.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.it.fixture.DanteProxy;
import io.vmqtt.it.fixture.RealProxy;
import io.vmqtt.testkit.MosquittoBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code proxy_from_system} end to end, in child JVMs whose environment and system properties the
 * test sets: the {@code HTTPS_PROXY}/{@code ALL_PROXY}/{@code NO_PROXY} convention, the JVM's
 * {@code https.proxyHost} and {@code socksProxyHost} (with {@code java.net.socks.username}), the
 * JVM winning over the environment, and neither counting without {@code proxy_from_system}, not
 * even the JVM-wide {@code socksProxyHost} that plain {@code java.net.Socket}s follow.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SystemProxyTest {
  private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(1);

  /** Every variable of the convention, removed from the child's environment before a test. */
  private static final List<String> PROXY_VARIABLES =
      List.of(
          "https_proxy",
          "HTTPS_PROXY",
          "http_proxy",
          "HTTP_PROXY",
          "all_proxy",
          "ALL_PROXY",
          "no_proxy",
          "NO_PROXY");

  static MosquittoBroker broker;
  static final SharedProxies proxies = new SharedProxies();

  @BeforeAll
  static void startBroker() {
    broker = MosquittoBroker.start();
  }

  @AfterAll
  static void stopAll() {
    try {
      proxies.close();
    } finally {
      broker.close();
    }
  }

  @Test
  void httpsProxyFromTheEnvironmentIsUsedWithItsCredentials() throws Exception {
    RealProxy proxy = proxies.get(ProxyKind.TINYPROXY_BASIC);
    int before = proxy.tunnelsTo(broker.port());

    Result r =
        run(
            Map.of(
                "HTTPS_PROXY",
                "http://"
                    + ProxyKind.HTTP_USER
                    + ":"
                    + ProxyKind.HTTP_PASSWORD
                    + "@127.0.0.1:"
                    + proxy.port()),
            List.of(),
            true);

    assertThat(r.connected()).as(r.output()).isTrue();
    proxy.awaitTunnelCount(broker.port(), before + 1, ProxyTransportsTest.WAIT);
  }

  @Test
  void allProxyFromTheEnvironmentCanNameASocks5Proxy() throws Exception {
    RealProxy proxy = proxies.get(ProxyKind.DANTE_USERNAME);
    int before = proxy.tunnelsTo(broker.port());

    Result r =
        run(
            Map.of(
                "ALL_PROXY",
                "socks5h://"
                    + DanteProxy.SYSTEM_USER
                    + ":"
                    + DanteProxy.SYSTEM_PASSWORD
                    + "@127.0.0.1:"
                    + proxy.port()),
            List.of(),
            true);

    assertThat(r.connected()).as(r.output()).isTrue();
    proxy.awaitTunnelCount(broker.port(), before + 1, ProxyTransportsTest.WAIT);
  }

  @Test
  void theProxyFromTheEnvironmentIsNamedWithItsSourceWhenItFails() throws Exception {
    int dead = ProxyErrorsTest.closedPort();
    Result r = run(Map.of("HTTPS_PROXY", "127.0.0.1:" + dead), List.of(), true);

    assertThat(r.failure())
        .as(r.output())
        .isEqualTo(
            "cannot connect to "
                + uri()
                + ": HTTP proxy 127.0.0.1:"
                + dead
                + " (from HTTPS_PROXY) is unreachable: Connection refused");
  }

  @Test
  void noProxyExemptsTheBroker() throws Exception {
    int dead = ProxyErrorsTest.closedPort();
    Result r =
        run(
            Map.of("HTTPS_PROXY", "http://127.0.0.1:" + dead, "NO_PROXY", "example.com,localhost"),
            List.of(),
            true);

    assertThat(r.connected()).as(r.output()).isTrue();
  }

  /**
   * The JVM's https.proxyHost wins over HTTPS_PROXY: both name dead ports, and the failure names
   * the JVM's. (The broker's name is the proxy's to resolve, so an unknown one is fine here.)
   */
  @Test
  void theJvmsHttpsProxyWinsOverTheEnvironment() throws Exception {
    int jvmPort = ProxyErrorsTest.closedPort();
    int envPort = ProxyErrorsTest.closedPort();

    Result r =
        run(
            "mqtt://broker.invalid:1883",
            Map.of("HTTPS_PROXY", "http://127.0.0.1:" + envPort),
            List.of("-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=" + jvmPort),
            true);

    assertThat(r.failure())
        .as(r.output())
        .isEqualTo(
            "cannot connect to mqtt://broker.invalid:1883: HTTP proxy 127.0.0.1:"
                + jvmPort
                + " (from the JVM's ProxySelector) is unreachable: Connection refused");
  }

  /**
   * Through danted by -DsocksProxyHost with the JDK's SOCKS credentials. The JDK's default selector
   * never proxies a loopback host ({@code localhost}, {@code 127.*}, {@code [::1]}), whatever
   * http.nonProxyHosts says; it does not take {@code [::ffff:127.0.0.1]} for one, which the client
   * sends to the SOCKS5 proxy as the IPv4 address 127.0.0.1.
   */
  @Test
  void theJvmsSocksProxyIsUsedWithTheJdksSocksCredentials() throws Exception {
    RealProxy proxy = proxies.get(ProxyKind.DANTE_USERNAME);
    int before = proxy.tunnelsTo(broker.port());

    Result r =
        run(
            "mqtt://[::ffff:127.0.0.1]:" + broker.port(),
            Map.of(),
            List.of(
                "-DsocksProxyHost=127.0.0.1",
                "-DsocksProxyPort=" + proxy.port(),
                "-Djava.net.socks.username=" + DanteProxy.SYSTEM_USER,
                "-Djava.net.socks.password=" + DanteProxy.SYSTEM_PASSWORD),
            true);

    assertThat(r.connected()).as(r.output()).isTrue();
    proxy.awaitTunnelCount(broker.port(), before + 1, ProxyTransportsTest.WAIT);
  }

  /**
   * Off by default: neither the environment nor the JVM's settings count, and the client's sockets
   * do not follow the JVM-wide socksProxyHost on their own as plain sockets would.
   */
  @Test
  void withoutProxyFromSystemTheClientConnectsDirectly() throws Exception {
    int dead = ProxyErrorsTest.closedPort();
    Result r =
        run(
            Map.of(
                "HTTPS_PROXY",
                "http://127.0.0.1:" + dead,
                "ALL_PROXY",
                "socks5://127.0.0.1:" + dead),
            List.of("-DsocksProxyHost=127.0.0.1", "-DsocksProxyPort=" + dead),
            false);

    assertThat(r.connected()).as(r.output()).isTrue();
  }

  private static String uri() {
    return "mqtt://localhost:" + broker.port();
  }

  /** What a child printed, and whether it connected. */
  private record Result(List<String> lines) {
    boolean connected() {
      return lines.contains(SystemProxyClient.CONNECTED);
    }

    String failure() {
      return lines.stream()
          .filter(l -> l.startsWith(SystemProxyClient.FAILED))
          .map(l -> l.substring(SystemProxyClient.FAILED.length()))
          .findFirst()
          .orElse(null);
    }

    String output() {
      return "child output:\n" + String.join("\n", lines);
    }
  }

  /** Runs {@link SystemProxyClient} in a child JVM with this environment and these options. */
  private static Result run(Map<String, String> env, List<String> jvmOptions, boolean fromSystem)
      throws IOException, InterruptedException {
    return run(uri(), env, jvmOptions, fromSystem);
  }

  private static Result run(
      String uri, Map<String, String> env, List<String> jvmOptions, boolean fromSystem)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-XX:TieredStopAtLevel=1");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SystemProxyClient.class.getName());
    command.add(uri);
    command.add(Boolean.toString(fromSystem));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    PROXY_VARIABLES.forEach(pb.environment()::remove);
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out;
    try {
      out = p.getInputStream().readAllBytes(); // ends when the child exits
      if (!p.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("the child JVM did not exit within " + CHILD_TIMEOUT);
      }
    } finally {
      p.destroyForcibly();
    }
    return new Result(new String(out, StandardCharsets.UTF_8).lines().toList());
  }
}
