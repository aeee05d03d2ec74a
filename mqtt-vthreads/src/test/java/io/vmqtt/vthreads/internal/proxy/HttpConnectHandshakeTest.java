package io.vmqtt.vthreads.internal.proxy;

import static io.vmqtt.vthreads.internal.proxy.Targets.connect;
import static io.vmqtt.vthreads.internal.proxy.Targets.readExactly;
import static io.vmqtt.vthreads.internal.proxy.Targets.through;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vmqtt.ProxyOptions;
import io.vmqtt.vthreads.internal.proxy.ProxyException.Hop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP {@code CONNECT} handshake against scripted proxies: what a correct proxy sends, and what
 * real proxies will not do on demand.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpConnectHandshakeTest {
  private static final String OK = "HTTP/1.1 200 Connection established\r\n\r\n";

  @Test
  void aTunnelCarriesTheBrokersBytesThatArriveRightBehindTheAnswer() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.readHead();
              peer.send(OK + "BROKER-FIRST"); // one write: the answer and the broker's first bytes
              peer.echo();
            })) {
      TcpConnector.Connected c = connect(through(ProxyOptions.http("127.0.0.1", proxy.port())));
      try (Socket socket = c.socket()) {
        assertThat(proxy.receivedText())
            .isEqualTo("CONNECT broker.example:1883 HTTP/1.1\r\nHost: broker.example:1883\r\n\r\n");
        assertThat(new String(readExactly(socket.getInputStream(), 12), StandardCharsets.US_ASCII))
            .isEqualTo("BROKER-FIRST");
        socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        assertThat(readExactly(socket.getInputStream(), 4)).asString().isEqualTo("ping");
        assertThat(socket.getSoTimeout()).as("no read timeout left behind").isZero();
        assertThat(socket.getTcpNoDelay()).isTrue();
        assertThat(c.via()).isEqualTo(" via HTTP proxy 127.0.0.1:" + proxy.port());
      }
    }
  }

  @Test
  void credentialsGoInAProxyAuthorizationHeaderAsBasicWithUtf8() throws Exception {
    try (ScriptedProxy proxy = okProxy()) {
      ProxyOptions http =
          ProxyOptions.builder()
              .type(ProxyOptions.Type.HTTP)
              .host("127.0.0.1")
              .port(proxy.port())
              .credentials("jörg", "pä55:wörd".toCharArray())
              .build();
      connect(through(http)).socket().close();

      String expected =
          Base64.getEncoder().encodeToString("jörg:pä55:wörd".getBytes(StandardCharsets.UTF_8));
      assertThat(proxy.receivedText())
          .contains("\r\nProxy-Authorization: Basic " + expected + "\r\n")
          .endsWith("\r\n\r\n");
    }
  }

  @Test
  void anIpv6BrokerIsAskedForInBrackets() throws Exception {
    try (ScriptedProxy proxy = okProxy()) {
      connect(
              through(
                  "mqtt://[::1]:1883",
                  ProxyOptions.http("127.0.0.1", proxy.port()),
                  Targets.TIMEOUT))
          .socket()
          .close();
      assertThat(proxy.receivedText())
          .startsWith("CONNECT [::1]:1883 HTTP/1.1\r\nHost: [::1]:1883\r\n");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "HTTP/1.0 200 Connection established",
    "HTTP/1.1 200 OK",
    "HTTP/1.1 204 No Content",
    "HTTP/1.1 200",
  })
  void any2xxAnswerOpensTheTunnel(String statusLine) throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.readHead();
              // RFC 9110 9.3.6: Content-Length in a 2xx answer to CONNECT is ignored.
              peer.send(statusLine + "\r\nContent-Length: 5\r\nProxy-agent: x\r\n\r\n");
              peer.echo();
            })) {
      try (Socket socket =
          connect(through(ProxyOptions.http("127.0.0.1", proxy.port()))).socket()) {
        socket.getOutputStream().write(1);
        assertThat(socket.getInputStream().read()).isEqualTo(1);
      }
    }
  }

  @Test
  void interimAnswersAreSkipped() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.readHead();
              peer.send("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n");
            })) {
      connect(through(ProxyOptions.http("127.0.0.1", proxy.port()))).socket().close();
    }
  }

  @Test
  void aBareLfAnswerIsUnderstood() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.readHead();
              peer.send("HTTP/1.0 200 OK\nServer: x\n\n");
            })) {
      connect(through(ProxyOptions.http("127.0.0.1", proxy.port()))).socket().close();
    }
  }

  @Test
  void a407WithoutCredentialsSaysToSetThemAndShowsTheChallenge() throws Exception {
    ProxyException e =
        refusal(
            "HTTP/1.0 407 Proxy Authentication Required\r\n"
                + "Proxy-Authenticate: Basic realm=\"Tinyproxy\"\r\nConnection: close\r\n\r\n<html>",
            null);
    assertThat(e.hop()).isEqualTo(Hop.PROXY_AUTHENTICATION);
    assertThat(e.getMessage())
        .matches(
            "HTTP proxy 127\\.0\\.0\\.1:\\d+ requires authentication \\(HTTP 407 Proxy"
                + " Authentication Required, Proxy-Authenticate: Basic realm=\"Tinyproxy\"\\); set"
                + " proxy_username and proxy_password");
  }

  @Test
  void a407WithCredentialsNamesTheUserButNeverThePassword() throws Exception {
    ProxyException e =
        refusal("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n", "p4ssw0rd-secret");
    assertThat(e.hop()).isEqualTo(Hop.PROXY_AUTHENTICATION);
    assertThat(e.getMessage())
        .contains(
            "rejected the credentials of user 'alice' (HTTP 407 Proxy Authentication Required)")
        .doesNotContain("p4ssw0rd-secret");
  }

  /** Tinyproxy 1.11 answers wrong credentials with 401 and WWW-Authenticate, not 407. */
  @Test
  void a401AfterCredentialsIsAnAuthenticationFailureToo() throws Exception {
    ProxyException e =
        refusal(
            "HTTP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"Tinyproxy\"\r\n\r\n",
            "wrong");
    assertThat(e.hop()).isEqualTo(Hop.PROXY_AUTHENTICATION);
    assertThat(e.getMessage())
        .contains("rejected the credentials of user 'alice' (HTTP 401 Unauthorized)");
  }

  @Test
  void aProxyThatWantsOnlyNegotiateIsNamedAsSuch() throws Exception {
    ProxyException e =
        refusal(
            "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Negotiate\r\n"
                + "Proxy-Authenticate: NTLM\r\n\r\n",
            "pw");
    assertThat(e.getMessage())
        .contains("requires authentication with Negotiate, NTLM")
        .endsWith("vmqtt authenticates with Basic only");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "HTTP/1.1 403 Access violation, PROXY_REFUSED, refused to open a tunnel to broker.example:1883: HTTP 403 Access violation",
    "HTTP/1.1 405 Method Not Allowed, PROXY_REFUSED, refused to open a tunnel to broker.example:1883: HTTP 405 Method Not Allowed",
    "HTTP/1.1 401 Unauthorized, PROXY_REFUSED, refused to open a tunnel to broker.example:1883: HTTP 401 Unauthorized",
    "HTTP/1.1 500 Unable to connect, BROKER_UNREACHABLE, could not connect to the broker broker.example:1883: HTTP 500 Unable to connect",
    "HTTP/1.1 502 Bad Gateway, BROKER_UNREACHABLE, could not connect to the broker broker.example:1883: HTTP 502 Bad Gateway",
    "HTTP/1.1 503 Service Unavailable, BROKER_UNREACHABLE, could not connect to the broker broker.example:1883: HTTP 503 Service Unavailable",
    "HTTP/1.1 504, BROKER_UNREACHABLE, could not connect to the broker broker.example:1883: HTTP 504",
  })
  void aRefusalNamesTheHopWithTheStatusAndReason(String statusLine, Hop hop, String message)
      throws Exception {
    ProxyException e = refusal(statusLine + "\r\nConnection: close\r\n\r\n<html>...</html>", null);
    assertThat(e.hop()).isEqualTo(hop);
    assertThat(e.getMessage()).matches("HTTP proxy 127\\.0\\.0\\.1:\\d+ \\Q" + message + "\\E");
  }

  @Test
  void aReasonPhraseWithControlCharactersIsQuotedSafely() throws Exception {
    ProxyException e = refusal("HTTP/1.1 403 Go\u0007 away\u00ff\r\n\r\n", null);
    assertThat(e.getMessage()).endsWith("HTTP 403 Go? away?");
  }

  static Stream<Arguments> garbage() {
    return Stream.of(
        Arguments.of("SSH-2.0-OpenSSH_9.2\r\n", "with something that is not HTTP: \"S\""),
        Arguments.of("HTTX/1.1 200 OK\r\n\r\n", "with something that is not HTTP: \"HTTX\""),
        Arguments.of(
            "HTTP/1.1 2OO OK\r\n\r\n", "with a malformed status line: \"HTTP/1.1 2OO OK\""),
        Arguments.of("HTTP/1.1\r\n\r\n", "with a malformed status line: \"HTTP/1.1\""));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("garbage")
  void garbageIsAProtocolError(String answer, String message) throws Exception {
    ProxyException e = refusal(answer, null);
    assertThat(e.hop()).isEqualTo(Hop.PROXY_PROTOCOL);
    assertThat(e.getMessage()).contains("answered CONNECT broker.example:1883 " + message);
  }

  @Test
  void aSocksAnswerHintsAtTheProxyType() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.readHead();
              peer.send((byte) 5, (byte) 0xFF);
            })) {
      IOException e = failure(ProxyOptions.http("127.0.0.1", proxy.port()), Targets.TIMEOUT);
      assertThat(e).hasMessageEndingWith("(a SOCKS proxy? then the proxy type is socks5)");
    }
  }

  @Test
  void aHugeHeaderIsRefusedAfter16KiB() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.readHead();
              peer.send("HTTP/1.1 200 OK\r\n");
              String line = "X-Filler: " + "x".repeat(100) + "\r\n";
              for (int i = 0; i < 200; i++) {
                peer.send(line); // 22 KiB, no end
              }
            })) {
      ProxyException e =
          catchThrowableOfType(
              ProxyException.class,
              () -> connect(through(ProxyOptions.http("127.0.0.1", proxy.port()))));
      assertThat(e.hop()).isEqualTo(Hop.PROXY_PROTOCOL);
      assertThat(e.getMessage())
          .endsWith(
              "sent more than 16384 bytes of answer header to CONNECT broker.example:1883 without"
                  + " ending it; giving up");
    }
  }

  @Test
  void aProxyThatNeverAnswersTimesOutAtTheConnectTimeout() throws Exception {
    try (ScriptedProxy proxy = new ScriptedProxy(peer -> peer.readHead())) {
      IOException e = failure(ProxyOptions.http("127.0.0.1", proxy.port()), Duration.ofMillis(300));
      assertThat(e)
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessageMatching(
              "HTTP proxy 127\\.0\\.0\\.1:\\d+ did not answer CONNECT broker\\.example:1883"
                  + " within 300 ms \\(connect_timeout\\)");
    }
  }

  @Test
  void anAnswerThatNeverEndsTimesOutAtTheConnectTimeout() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.readHead();
              peer.send("HTTP/1.1 200 OK\r\nX-More: ");
            })) {
      IOException e = failure(ProxyOptions.http("127.0.0.1", proxy.port()), Duration.ofMillis(300));
      assertThat(e).isInstanceOf(SocketTimeoutException.class);
    }
  }

  /**
   * One byte every 50 ms never lets a single read time out; the deadline of the whole handshake
   * must end it.
   */
  @Test
  void aProxyDrippingOneByteAtATimeCannotStretchTheHandshakePastTheDeadline() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.readHead();
              peer.drip(
                  "HTTP/1.1 200 OK\r\n" + "X-Slow: drip\r\n".repeat(1000), Duration.ofMillis(50));
            })) {
      IOException e = failure(ProxyOptions.http("127.0.0.1", proxy.port()), Duration.ofMillis(500));
      assertThat(e).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void aProxyThatClosesWithoutAnsweringSaysSo() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.readHead();
              peer.close();
            })) {
      ProxyException e =
          catchThrowableOfType(
              ProxyException.class,
              () -> connect(through(ProxyOptions.http("127.0.0.1", proxy.port()))));
      assertThat(e.hop()).isEqualTo(Hop.PROXY_PROTOCOL);
      assertThat(e.getMessage())
          .endsWith("closed the connection without answering CONNECT broker.example:1883");
    }
  }

  @Test
  void aProxyThatClosesInTheMiddleOfItsAnswerQuotesWhatCame() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.readHead();
              peer.send("HTTP/1.1 200 OK\r\nX");
              peer.close();
            })) {
      IOException e = failure(ProxyOptions.http("127.0.0.1", proxy.port()), Targets.TIMEOUT);
      assertThat(e)
          .hasMessageEndingWith(
              "closed the connection in the middle of its answer to CONNECT broker.example:1883:"
                  + " \"HTTP/1.1 200 OK\\r\\nX\"");
    }
  }

  @Test
  void aResetDuringTheHandshakeNamesTheProxy() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.readHead();
              peer.reset();
            })) {
      ProxyException e =
          catchThrowableOfType(
              ProxyException.class,
              () -> connect(through(ProxyOptions.http("127.0.0.1", proxy.port()))));
      assertThat(e.hop()).isEqualTo(Hop.PROXY_PROTOCOL);
      assertThat(e.getMessage())
          .matches(
              "HTTP proxy 127\\.0\\.0\\.1:\\d+ broke the connection off during CONNECT"
                  + " broker\\.example:1883: .+");
    }
  }

  @Test
  void anUnreachableProxyIsNamedAsTheHopThatFailed() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    ProxyException e =
        catchThrowableOfType(
            ProxyException.class, () -> connect(through(ProxyOptions.http("127.0.0.1", port))));
    assertThat(e.hop()).isEqualTo(Hop.PROXY_UNREACHABLE);
    assertThat(e.getMessage()).startsWith("HTTP proxy 127.0.0.1:" + port + " is unreachable: ");
    assertThat(e.getMessage()).containsIgnoringCase("refused");
  }

  @Test
  void aProxyWithAnUnknownNameIsUnreachable() {
    ProxyException e =
        catchThrowableOfType(
            ProxyException.class,
            () -> connect(through(ProxyOptions.http("no-such-proxy.invalid", 3128))));
    assertThat(e.hop()).isEqualTo(Hop.PROXY_UNREACHABLE);
    assertThat(e.getMessage())
        .isEqualTo(
            "HTTP proxy no-such-proxy.invalid:3128 is unreachable: unknown host"
                + " no-such-proxy.invalid");
  }

  private static ScriptedProxy okProxy() throws IOException {
    return new ScriptedProxy(
        peer -> {
          peer.readHead();
          peer.send(OK);
        });
  }

  /** The failure when a proxy answers CONNECT with {@code answer}, with or without credentials. */
  private static ProxyException refusal(String answer, String password) throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.readHead();
              peer.send(answer);
            })) {
      ProxyOptions.Builder http =
          ProxyOptions.builder().type(ProxyOptions.Type.HTTP).host("127.0.0.1").port(proxy.port());
      if (password != null) {
        http.credentials("alice", password.toCharArray());
      }
      return catchThrowableOfType(ProxyException.class, () -> connect(through(http.build())));
    }
  }

  private static IOException failure(ProxyOptions proxy, Duration timeout) {
    return catchThrowableOfType(IOException.class, () -> connect(through(proxy, timeout)));
  }
}
