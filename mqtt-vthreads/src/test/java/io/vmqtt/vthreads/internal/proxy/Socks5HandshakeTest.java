package io.vmqtt.vthreads.internal.proxy;

import static io.vmqtt.vthreads.internal.proxy.Targets.connect;
import static io.vmqtt.vthreads.internal.proxy.Targets.readExactly;
import static io.vmqtt.vthreads.internal.proxy.Targets.through;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vmqtt.ProxyOptions;
import io.vmqtt.vthreads.internal.proxy.ProxyException.Hop;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SOCKS5 handshake (RFC 1928, RFC 1929) against scripted proxies, byte by byte. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Socks5HandshakeTest {
  /** A success reply: VER 5, REP 0, RSV, ATYP IPv4, 127.0.0.1, port 0xA67F. */
  private static final byte[] SUCCEEDED = {5, 0, 0, 1, 127, 0, 0, 1, (byte) 0xA6, 0x7F};

  @Test
  void withoutCredentialsItOffersNoAuthenticationAndSendsTheBrokersNameForTheProxyToResolve()
      throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.read(3);
              peer.send((byte) 5, (byte) 0);
              peer.read(5 + "broker.example".length() + 2);
              peer.send(concat(SUCCEEDED, bytes("BROKER-FIRST"))); // one write
              peer.echo();
            })) {
      TcpConnector.Connected c = connect(through(ProxyOptions.socks5("127.0.0.1", proxy.port())));
      try (Socket socket = c.socket()) {
        // RFC 1928 3: VER 5, NMETHODS 1, NO AUTHENTICATION REQUIRED.
        assertThat(proxy.received()).containsExactly(5, 1, 0);
        // RFC 1928 4: VER 5, CMD CONNECT, RSV, ATYP DOMAINNAME, length 14, the name, port 1883.
        assertThat(proxy.received())
            .isEqualTo(concat(new byte[] {5, 1, 0, 3, 14}, bytes("broker.example"), port(1883)));
        assertThat(readExactly(socket.getInputStream(), 12)).asString().isEqualTo("BROKER-FIRST");
        socket.getOutputStream().write(bytes("ping"));
        assertThat(readExactly(socket.getInputStream(), 4)).asString().isEqualTo("ping");
        assertThat(socket.getSoTimeout()).isZero();
        assertThat(c.via()).isEqualTo(" via SOCKS5 proxy 127.0.0.1:" + proxy.port());
      }
    }
  }

  @Test
  void withCredentialsItAuthenticatesWithUserNameAndPasswordWhenTheProxyChoosesIt()
      throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.read(4);
              peer.send((byte) 5, (byte) 2);
              peer.read(3 + "alice".length() + "pä55".getBytes(StandardCharsets.UTF_8).length);
              peer.send((byte) 1, (byte) 0);
              peer.read(5 + "broker.example".length() + 2);
              peer.send(SUCCEEDED);
            })) {
      connect(through(socks("alice", "pä55", proxy.port()))).socket().close();

      assertThat(proxy.received()).containsExactly(5, 2, 0, 2);
      // RFC 1929 2: VER 1, ULEN, UNAME, PLEN, PASSWD (UTF-8).
      assertThat(proxy.received())
          .isEqualTo(
              concat(
                  new byte[] {1, 5},
                  bytes("alice"),
                  new byte[] {5},
                  "pä55".getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void withCredentialsAProxyThatNeedsNoneIsUsedWithout() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.read(4);
              peer.send((byte) 5, (byte) 0);
              peer.read(5 + "broker.example".length() + 2);
              peer.send(SUCCEEDED);
            })) {
      connect(through(socks("alice", "secret", proxy.port()))).socket().close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"127.0.0.1, 1, 4", "10.20.30.40, 1, 4", "[::1], 4, 16", "[2001:db8::7], 4, 16"})
  void anIpAddressIsSentAsOne(String host, int addressType, int length) throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.read(3);
              peer.send((byte) 5, (byte) 0);
              peer.read(4 + length + 2);
              peer.send(SUCCEEDED);
            })) {
      connect(
              through(
                  "mqtt://" + host + ":8883",
                  ProxyOptions.socks5("127.0.0.1", proxy.port()),
                  Targets.TIMEOUT))
          .socket()
          .close();
      proxy.received();
      byte[] request = proxy.received();
      assertThat(request[3]).isEqualTo((byte) addressType);
      assertThat(request).hasSize(4 + length + 2).endsWith(port(8883));
    }
  }

  /** Dante answers with the name it was given (address type 3), even on success. */
  @Test
  void aReplyWithADomainNameIsReadToItsEnd() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.read(3);
              peer.send((byte) 5, (byte) 0);
              peer.read(5 + "broker.example".length() + 2);
              peer.send(
                  concat(
                      new byte[] {5, 0, 0, 3, 9},
                      bytes("localhost"),
                      port(1883),
                      bytes("BROKER-FIRST")));
            })) {
      try (Socket socket =
          connect(through(ProxyOptions.socks5("127.0.0.1", proxy.port()))).socket()) {
        assertThat(readExactly(socket.getInputStream(), 12)).asString().isEqualTo("BROKER-FIRST");
      }
    }
  }

  @ParameterizedTest(name = "reply {0}")
  @CsvSource({
    "1, PROXY_REFUSED, refused to connect to broker.example:1883: reply 0x01 general SOCKS server failure",
    "2, PROXY_REFUSED, refused to connect to broker.example:1883: reply 0x02 connection not allowed by ruleset",
    "3, BROKER_UNREACHABLE, could not connect to the broker broker.example:1883: reply 0x03 network unreachable",
    "4, BROKER_UNREACHABLE, could not connect to the broker broker.example:1883: reply 0x04 host unreachable",
    "5, BROKER_UNREACHABLE, could not connect to the broker broker.example:1883: reply 0x05 connection refused",
    "6, BROKER_UNREACHABLE, could not connect to the broker broker.example:1883: reply 0x06 TTL expired",
    "7, PROXY_REFUSED, refused to connect to broker.example:1883: reply 0x07 command not supported",
    "8, PROXY_REFUSED, refused to connect to broker.example:1883: reply 0x08 address type not supported",
    "9, PROXY_REFUSED, refused to connect to broker.example:1883: reply 0x09 unassigned",
  })
  void aFailedReplyNamesItsCodeAndTheHop(int reply, Hop hop, String message) throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.read(3);
              peer.send((byte) 5, (byte) 0);
              peer.read(5 + "broker.example".length() + 2);
              peer.send(
                  (byte) 5,
                  (byte) reply,
                  (byte) 0,
                  (byte) 1,
                  (byte) 0,
                  (byte) 0,
                  (byte) 0,
                  (byte) 0,
                  (byte) 0,
                  (byte) 0);
              peer.close();
            })) {
      ProxyException e =
          catchThrowableOfType(
              ProxyException.class,
              () -> connect(through(ProxyOptions.socks5("127.0.0.1", proxy.port()))));
      assertThat(e.hop()).isEqualTo(hop);
      assertThat(e.getMessage()).matches("SOCKS5 proxy 127\\.0\\.0\\.1:\\d+ \\Q" + message + "\\E");
    }
  }

  @Test
  void aRejectedPasswordNamesTheUserAndStatusButNeverThePassword() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.read(4);
              peer.send((byte) 5, (byte) 2);
              peer.read(3 + "alice".length() + "p4ssw0rd-secret".length());
              peer.send((byte) 1, (byte) 1);
              peer.close();
            })) {
      ProxyException e =
          catchThrowableOfType(
              ProxyException.class,
              () -> connect(through(socks("alice", "p4ssw0rd-secret", proxy.port()))));
      assertThat(e.hop()).isEqualTo(Hop.PROXY_AUTHENTICATION);
      assertThat(e.getMessage())
          .endsWith("rejected the user name and password of user 'alice' (RFC 1929 status 0x01)")
          .doesNotContain("p4ssw0rd-secret");
    }
  }

  @Test
  void noAcceptableMethodWithoutCredentialsSaysToSetThem() throws Exception {
    try (ScriptedProxy proxy = answering((byte) 5, (byte) 0xFF)) {
      ProxyException e =
          catchThrowableOfType(
              ProxyException.class,
              () -> connect(through(ProxyOptions.socks5("127.0.0.1", proxy.port()))));
      assertThat(e.hop()).isEqualTo(Hop.PROXY_AUTHENTICATION);
      assertThat(e.getMessage())
          .endsWith(
              "requires authentication: it does not accept connections without (reply 0xFF no"
                  + " acceptable methods); set proxy_username and proxy_password");
    }
  }

  @Test
  void noAcceptableMethodWithCredentialsSaysNeitherMethodIsAccepted() throws Exception {
    try (ScriptedProxy proxy = answering((byte) 5, (byte) 0xFF)) {
      ProxyException e =
          catchThrowableOfType(
              ProxyException.class, () -> connect(through(socks("alice", "pw", proxy.port()))));
      assertThat(e.hop()).isEqualTo(Hop.PROXY_AUTHENTICATION);
      assertThat(e.getMessage())
          .contains("accepts neither no authentication nor user name and password (RFC 1929)");
    }
  }

  @Test
  void aMethodThatWasNotOfferedIsAProtocolError() throws Exception {
    try (ScriptedProxy proxy = answering((byte) 5, (byte) 1)) {
      ProxyException e =
          catchThrowableOfType(
              ProxyException.class,
              () -> connect(through(ProxyOptions.socks5("127.0.0.1", proxy.port()))));
      assertThat(e.hop()).isEqualTo(Hop.PROXY_PROTOCOL);
      assertThat(e.getMessage())
          .endsWith("chose the authentication method 0x01, which was not offered");
    }
  }

  @Test
  void anHttpProxyAnsweringTheGreetingIsRecognised() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.read(3);
              peer.send("HTTP/1.0 400 Bad Request\r\n\r\n");
            })) {
      ProxyException e =
          catchThrowableOfType(
              ProxyException.class,
              () -> connect(through(ProxyOptions.socks5("127.0.0.1", proxy.port()))));
      assertThat(e.hop()).isEqualTo(Hop.PROXY_PROTOCOL);
      assertThat(e.getMessage())
          .endsWith(
              "answered with version 0x48 instead of 0x05: it is not a SOCKS5 proxy (an 'H' starts"
                  + " an HTTP answer: then the proxy type is http)");
    }
  }

  @Test
  void anUndefinedAddressTypeInASuccessIsAProtocolError() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.read(3);
              peer.send((byte) 5, (byte) 0);
              peer.read(5 + "broker.example".length() + 2);
              peer.send((byte) 5, (byte) 0, (byte) 0, (byte) 9);
            })) {
      ProxyException e =
          catchThrowableOfType(
              ProxyException.class,
              () -> connect(through(ProxyOptions.socks5("127.0.0.1", proxy.port()))));
      assertThat(e.getMessage())
          .endsWith("with the address type 0x09, which RFC 1928 5 does not define");
    }
  }

  @Test
  void aProxyThatClosesAfterTheGreetingSaysSo() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.read(3);
              peer.close();
            })) {
      ProxyException e =
          catchThrowableOfType(
              ProxyException.class,
              () -> connect(through(ProxyOptions.socks5("127.0.0.1", proxy.port()))));
      assertThat(e.hop()).isEqualTo(Hop.PROXY_PROTOCOL);
      assertThat(e.getMessage())
          .endsWith("closed the connection instead of sending its answer to the greeting");
    }
  }

  @Test
  void aProxyThatClosesInTheMiddleOfTheReplySaysSo() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.read(3);
              peer.send((byte) 5, (byte) 0);
              peer.read(5 + "broker.example".length() + 2);
              peer.send((byte) 5, (byte) 0, (byte) 0, (byte) 1, (byte) 127);
              peer.close();
            })) {
      ProxyException e =
          catchThrowableOfType(
              ProxyException.class,
              () -> connect(through(ProxyOptions.socks5("127.0.0.1", proxy.port()))));
      assertThat(e.getMessage())
          .endsWith(
              "closed the connection in the middle of its reply to CONNECT broker.example:1883");
    }
  }

  @Test
  void aResetDuringTheHandshakeNamesTheProxy() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.read(3);
              peer.reset();
            })) {
      ProxyException e =
          catchThrowableOfType(
              ProxyException.class,
              () -> connect(through(ProxyOptions.socks5("127.0.0.1", proxy.port()))));
      assertThat(e.getMessage())
          .contains(
              " broke the connection off during the SOCKS5 handshake for broker.example:1883: ");
    }
  }

  @Test
  void aNameTooLongForSocks5FailsBeforeConnecting() {
    String longName = "b".repeat(250) + ".example";
    assertThatThrownBy(
            () ->
                connect(
                    through(
                        "mqtt://" + longName + ":1883",
                        ProxyOptions.socks5("no-such-proxy.invalid", 1080),
                        Targets.TIMEOUT)))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(ProxyException.class)
        .hasMessageEndingWith("(RFC 1928 5)");
  }

  @Test
  void aProxyThatNeverAnswersTimesOutAtTheConnectTimeout() throws Exception {
    try (ScriptedProxy proxy = new ScriptedProxy(peer -> peer.read(3))) {
      IOException e =
          catchThrowableOfType(
              IOException.class,
              () ->
                  connect(
                      through(
                          ProxyOptions.socks5("127.0.0.1", proxy.port()), Duration.ofMillis(300))));
      assertThat(e)
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessageMatching(
              "SOCKS5 proxy 127\\.0\\.0\\.1:\\d+ did not complete the SOCKS5 handshake for"
                  + " broker\\.example:1883 within 300 ms \\(connect_timeout\\)");
    }
  }

  @Test
  void aReplyThatStopsHalfWayTimesOut() throws Exception {
    try (ScriptedProxy proxy =
        new ScriptedProxy(
            peer -> {
              peer.read(3);
              peer.send((byte) 5, (byte) 0);
              peer.read(5 + "broker.example".length() + 2);
              peer.send((byte) 5, (byte) 0, (byte) 0);
            })) {
      assertThatThrownBy(
              () ->
                  connect(
                      through(
                          ProxyOptions.socks5("127.0.0.1", proxy.port()), Duration.ofMillis(300))))
          .isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void aHostNameLongerThan255BytesCannotBeSent() {
    String longName =
        "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(70);
    assertThatThrownBy(() -> Socks5Handshake.address(longName))
        .isInstanceOf(IOException.class)
        .hasMessageEndingWith("it takes ASCII names of at most 255 bytes (RFC 1928 5)");
  }

  private static ScriptedProxy answering(byte... greetingAnswer) throws IOException {
    return new ScriptedProxy(
        peer -> {
          peer.read(peerGreetingLength(peer));
          peer.send(greetingAnswer);
        });
  }

  /** Reads VER and NMETHODS to know how many methods follow: the greeting's whole length. */
  private static int peerGreetingLength(ScriptedProxy.Peer peer) throws IOException {
    byte[] head = peer.read(2);
    return head[1];
  }

  private static ProxyOptions socks(String user, String password, int port) {
    return ProxyOptions.builder()
        .type(ProxyOptions.Type.SOCKS5)
        .host("127.0.0.1")
        .port(port)
        .credentials(user, password.toCharArray())
        .build();
  }

  private static byte[] bytes(String ascii) {
    return ascii.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] port(int port) {
    return new byte[] {(byte) (port >> 8), (byte) port};
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
