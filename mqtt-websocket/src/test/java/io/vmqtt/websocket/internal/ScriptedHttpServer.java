package io.vmqtt.websocket.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * A server on 127.0.0.1 and a free port that answers one upgrade request with whatever the test
 * scripts, byte for byte: a 401, a 101 with a wrong key, no answer at all. Its one virtual thread
 * accepts, reads the request head, writes the answer and then keeps the connection open until
 * {@link #close()}.
 */
final class ScriptedHttpServer implements AutoCloseable {
  private final ServerSocket server;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread thread;

  /**
   * @param answer the bytes to send, from the request's header fields by lower-case name; null
   *     sends nothing
   */
  ScriptedHttpServer(Function<Map<String, String>, String> answer) throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    thread = Thread.ofVirtual().name("scripted-http-server").start(() -> serve(answer));
  }

  /** {@code ws://127.0.0.1:<port><path>}. */
  String uri(String path) {
    return "ws://127.0.0.1:" + server.getLocalPort() + path;
  }

  /** A 101 answer as RFC 6455 4.2.2 has it, plus the given header lines. */
  static String switchingProtocols(Map<String, String> request, String... extraLines) {
    StringBuilder s =
        new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n")
            .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
            .append("Sec-WebSocket-Accept: ")
            .append(UpgradeResponse.expectedAccept(request.get("sec-websocket-key")))
            .append("\r\n");
    for (String line : extraLines) {
      s.append(line).append("\r\n");
    }
    return s.append("\r\n").toString();
  }

  private void serve(Function<Map<String, String>, String> answer) {
    try (Socket socket = server.accept()) {
      Map<String, String> request = readHead(socket.getInputStream());
      String response = answer.apply(request);
      if (response != null) {
        socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
      }
      closed.await();
    } catch (IOException | InterruptedException e) {
      // closed by the test, or the client went away: the test asserts on the client's side
    }
  }

  private static Map<String, String> readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      head.write(b);
      String text = head.toString(StandardCharsets.ISO_8859_1);
      if (text.endsWith("\r\n\r\n")) {
        break;
      }
    }
    Map<String, String> fields = new LinkedHashMap<>();
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    fields.put(":request-line", lines[0]);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        fields.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    return fields;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    closed.countDown();
    server.close();
    thread.join(java.time.Duration.ofSeconds(5));
  }
}
