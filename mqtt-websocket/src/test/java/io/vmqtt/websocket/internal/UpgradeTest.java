package io.vmqtt.websocket.internal;

import static io.vmqtt.websocket.internal.Targets.connectTimeout;
import static io.vmqtt.websocket.internal.Targets.open;
import static io.vmqtt.websocket.internal.Targets.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.ConnectOptions;
import io.vmqtt.MqttConfig;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.java_websocket.handshake.ClientHandshake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The upgrade request (RFC 6455 4.1) and every way its answer can be refused, each with the message
 * it must give.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UpgradeTest {

  @Test
  void theRequestCarriesThePathAndQuerySubprotocolHostAndExtraHeaders() throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Client", "sensor-7");
    headers.put("Authorization", "Bearer abc.def");
    MqttConfig config = MqttConfig.builder().extraHeaders(headers).build();
    try (TestWebSocketServer server = TestWebSocketServer.running("mqtt");
        WebSocketTransport t = open(server.uri("/mqtt?token=a%20b"), config)) {
      ClientHandshake request = server.takeHandshake();

      assertThat(request.getResourceDescriptor()).isEqualTo("/mqtt?token=a%20b");
      // [MQTT-6.0.0-3]
      assertThat(request.getFieldValue("Sec-WebSocket-Protocol")).isEqualTo("mqtt");
      assertThat(request.getFieldValue("Host")).isEqualTo("127.0.0.1:" + server.getPort());
      assertThat(request.getFieldValue("X-Client")).isEqualTo("sensor-7");
      assertThat(request.getFieldValue("Authorization")).isEqualTo("Bearer abc.def");
      assertThat(t.describe()).isEqualTo("ws://127.0.0.1:" + server.getPort() + "/mqtt");
    }
  }

  @Test
  void headersOfTheConnectOptionsReplaceThoseOfTheConfiguration() throws Exception {
    MqttConfig config = MqttConfig.builder().extraHeaders(Map.of("X-From-Config", "1")).build();
    ConnectOptions options =
        ConnectOptions.builder().extraHeaders(Map.of("X-From-Options", "2")).build();
    try (TestWebSocketServer server = TestWebSocketServer.running("mqtt");
        WebSocketTransport t = open(server.uri("/mqtt"), config, options)) {
      ClientHandshake request = server.takeHandshake();

      assertThat(request.getFieldValue("X-From-Options")).isEqualTo("2");
      assertThat(request.hasFieldValue("X-From-Config")).isFalse();
    }
  }

  @Test
  void aUriWithoutAPathUpgradesAtTheRoot() throws Exception {
    try (TestWebSocketServer server = TestWebSocketServer.running("mqtt");
        WebSocketTransport t = open(server.uri(""))) {
      assertThat(server.takeHandshake().getResourceDescriptor()).isEqualTo("/");
    }
  }

  @Test
  void protocolLevel3OffersTheSubprotocolMqttv31() throws Exception {
    MqttConfig config = MqttConfig.builder().protocolVersion(3).build();
    try (TestWebSocketServer server = TestWebSocketServer.running("mqtt", "mqttv3.1");
        WebSocketTransport t = open(server.uri("/"), config)) {
      assertThat(server.takeHandshake().getFieldValue("Sec-WebSocket-Protocol"))
          .isEqualTo("mqttv3.1");
    }
  }

  @Test
  void anUpgradeRefusedWith401NamesTheStatus() throws Exception {
    try (ScriptedHttpServer server =
        new ScriptedHttpServer(
            request ->
                "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"mqtt\"\r\n"
                    + "Content-Length: 0\r\n\r\n")) {
      assertThatThrownBy(() -> open(server.uri("/mqtt")))
          .isInstanceOf(IOException.class)
          .hasMessage(
              "WebSocket upgrade refused by " + server.uri("/mqtt") + ": HTTP 401 Unauthorized");
    }
  }

  @Test
  void anUpgradeRefusedWith404NamesTheStatus() throws Exception {
    try (ScriptedHttpServer server =
        new ScriptedHttpServer(
            request -> "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot here!")) {
      assertThatThrownBy(() -> open(server.uri("/wrong")))
          .isInstanceOf(IOException.class)
          .hasMessage(
              "WebSocket upgrade refused by " + server.uri("/wrong") + ": HTTP 404 Not Found");
    }
  }

  @Test
  void aRedirectNamesWhereTo() throws Exception {
    try (ScriptedHttpServer server =
        new ScriptedHttpServer(
            request ->
                "HTTP/1.1 301 Moved Permanently\r\nLocation: wss://example.com/mqtt\r\n\r\n")) {
      assertThatThrownBy(() -> open(server.uri("/mqtt")))
          .hasMessage(
              "WebSocket upgrade refused by "
                  + server.uri("/mqtt")
                  + ": HTTP 301 Moved Permanently (Location: wss://example.com/mqtt)");
    }
  }

  @Test
  void anUpgradeCompletedWithoutTheSubprotocolIsRefused() throws Exception {
    try (TestWebSocketServer server = TestWebSocketServer.running()) {
      assertThatThrownBy(() -> open(server.uri("/mqtt")))
          .isInstanceOf(IOException.class)
          .hasMessage(
              server.uri("/mqtt")
                  + " accepted the WebSocket upgrade without agreeing to the subprotocol 'mqtt'"
                  + " it was offered (no Sec-WebSocket-Protocol in its answer): it does not speak"
                  + " MQTT over WebSocket, or not at this path [MQTT-6.0.0-4]");
    }
  }

  @Test
  void anUpgradeCompletedWithAnotherSubprotocolIsRefused() throws Exception {
    try (ScriptedHttpServer server =
        new ScriptedHttpServer(
            request ->
                ScriptedHttpServer.switchingProtocols(request, "Sec-WebSocket-Protocol: mqttv5"))) {
      assertThatThrownBy(() -> open(server.uri("/mqtt")))
          .hasMessage(
              server.uri("/mqtt")
                  + " chose the WebSocket subprotocol 'mqttv5' instead of 'mqtt' that it was"
                  + " offered [MQTT-6.0.0-4]");
    }
  }

  @Test
  void a101WithAWrongAcceptKeyIsRefused() throws Exception {
    try (ScriptedHttpServer server =
        new ScriptedHttpServer(
            request ->
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk=\r\n"
                    + "Sec-WebSocket-Protocol: mqtt\r\n\r\n")) {
      assertThatThrownBy(() -> open(server.uri("/mqtt")))
          .hasMessage(
              server.uri("/mqtt")
                  + " answered the WebSocket upgrade with a wrong Sec-WebSocket-Accept"
                  + " (bm90IHRoZSByaWdodCBrZXk=) (RFC 6455 4.2.2)");
    }
  }

  @Test
  void anAnswerThatIsNotHttpIsRefused() throws Exception {
    try (ScriptedHttpServer server =
        new ScriptedHttpServer(request -> "SSH-2.0-OpenSSH_9.2\r\n\r\n")) {
      assertThatThrownBy(() -> open(server.uri("/")))
          .hasMessage(
              server.uri("/")
                  + " did not answer the WebSocket upgrade with HTTP: SSH-2.0-OpenSSH_9.2");
    }
  }

  @Test
  void anAnswerWithHeadersOverTheLimitIsRefusedWithoutReadingOn() throws Exception {
    String huge = "X-Filler: " + "x".repeat(UpgradeResponse.MAX_HEAD_BYTES) + "\r\n";
    try (ScriptedHttpServer server =
        new ScriptedHttpServer(request -> "HTTP/1.1 101 Switching Protocols\r\n" + huge + "\r\n")) {
      assertThatThrownBy(() -> open(server.uri("/")))
          .hasMessage(
              "the answer of "
                  + server.uri("/")
                  + " to the WebSocket upgrade has more than 16384 bytes of headers");
    }
  }

  @Test
  void aServerThatClosesWithoutAnsweringIsReportedAsSuch() throws Exception {
    ServerSocket closing = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread acceptor =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (var socket = closing.accept()) {
                    socket.getInputStream().read(new byte[64]);
                  } catch (IOException ignored) {
                    // the client side is what the test looks at
                  }
                });
    try (closing) {
      String uri = "ws://127.0.0.1:" + closing.getLocalPort() + "/mqtt";
      assertThatThrownBy(() -> open(uri))
          .isInstanceOf(EOFException.class)
          .hasMessage(uri + " closed the connection without answering the WebSocket upgrade");
    } finally {
      acceptor.join(Duration.ofSeconds(5));
    }
  }

  @Test
  void aServerThatNeverAnswersFailsWithinConnectTimeout() throws Exception {
    try (ScriptedHttpServer server = new ScriptedHttpServer(request -> null)) {
      long start = System.nanoTime();
      assertThatThrownBy(
              () ->
                  WebSocketTransport.open(
                      target(server.uri("/mqtt"), connectTimeout(Duration.ofMillis(300))),
                      Connector.TCP))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessage(
              "the WebSocket upgrade with "
                  + server.uri("/mqtt")
                  + " did not complete within 300 ms (connect_timeout)");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("bounded by connect_timeout, not by the server")
          .isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void aClosedPortIsReportedWithTheTarget() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    String uri = "ws://127.0.0.1:" + port + "/mqtt";
    assertThatThrownBy(() -> open(uri))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot connect to " + uri + ": ")
        .hasMessageContaining("refused");
  }
}
