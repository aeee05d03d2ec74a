package io.vmqtt.websocket.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;
import org.java_websocket.server.WebSocketServer;

/**
 * A WebSocket server on 127.0.0.1 and a free port, for one test: it records what the client sends
 * (the upgrade request, every binary message, Pongs, how it closed) in queues the test takes from,
 * and lets the test send frames of its choosing through {@link #connection()}.
 *
 * <pre>{@code
 * try (TestWebSocketServer server = TestWebSocketServer.running("mqtt")) {
 *   ... connect to server.uri("/mqtt") ...
 *   ClientHandshake request = server.takeHandshake();
 *   server.connection().send(new byte[] {0x20, 2, 0, 0});
 * }
 * }</pre>
 *
 * <p>Runs Java-WebSocket's server threads (a selector thread and decoders), which have nothing to
 * do with the client under test. Thread-safe.
 */
final class TestWebSocketServer extends WebSocketServer implements AutoCloseable {
  private static final long TAKE_SECONDS = 10;

  private final CountDownLatch started = new CountDownLatch(1);
  private final BlockingQueue<ClientHandshake> handshakes = new LinkedBlockingQueue<>();
  private final BlockingQueue<WebSocket> connections = new LinkedBlockingQueue<>();
  private final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
  private final BlockingQueue<Integer> pongs = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> closes = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> closeFrames = new LinkedBlockingQueue<>();
  private volatile WebSocket connection;

  private TestWebSocketServer(Draft draft) {
    super(new InetSocketAddress("127.0.0.1", 0), 1, List.of(draft));
    setConnectionLostTimeout(0);
    setReuseAddr(true);
  }

  /**
   * A started server that agrees to the first of {@code subprotocols} the client offers; with none
   * it completes every upgrade without choosing a subprotocol.
   */
  static TestWebSocketServer running(String... subprotocols) throws InterruptedException {
    List<IProtocol> protocols =
        subprotocols.length == 0
            ? List.of(new Protocol(""))
            : List.of(subprotocols).stream().map(p -> (IProtocol) new Protocol(p)).toList();
    TestWebSocketServer server = new TestWebSocketServer(new Draft_6455(List.of(), protocols));
    server.start();
    if (!server.started.await(TAKE_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the test WebSocket server did not start");
    }
    return server;
  }

  /** {@code ws://127.0.0.1:<port><pathAndQuery>}. */
  String uri(String pathAndQuery) {
    return "ws://127.0.0.1:" + getPort() + pathAndQuery;
  }

  /** The upgrade request of the next client. */
  ClientHandshake takeHandshake() throws InterruptedException {
    return take(handshakes, "upgrade request");
  }

  /** The payload of the next binary message (one frame each, from this client). */
  byte[] takeMessage() throws InterruptedException {
    return take(messages, "binary message");
  }

  /** The payload length of the next Pong. */
  int takePong() throws InterruptedException {
    return take(pongs, "Pong");
  }

  /** How the next connection closed: {@code "<code> remote=<true|false>"}. */
  String takeClose() throws InterruptedException {
    return take(closes, "close");
  }

  /**
   * The code of the next Close frame the server received ("1000 remote=true"), as it arrived:
   * unlike {@link #takeClose()}, not changed to 1006 when the client's socket is gone before the
   * server's answering Close frame is written.
   */
  String takeCloseFrame() throws InterruptedException {
    return take(closeFrames, "Close frame");
  }

  /** Whether no binary message is waiting to be taken. */
  boolean noMessageWaiting() {
    return messages.isEmpty();
  }

  /** The latest connection, waiting for the first. */
  WebSocket connection() throws InterruptedException {
    if (connection == null) {
      connection = take(connections, "connection");
    }
    return connection;
  }

  @Override
  public void onStart() {
    started.countDown();
  }

  @Override
  public void onOpen(WebSocket conn, ClientHandshake handshake) {
    handshakes.add(handshake);
    connections.add(conn);
  }

  @Override
  public void onMessage(WebSocket conn, ByteBuffer message) {
    byte[] bytes = new byte[message.remaining()];
    message.get(bytes);
    messages.add(bytes);
  }

  @Override
  public void onMessage(WebSocket conn, String message) {
    messages.add(("text:" + message).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public void onWebsocketPong(WebSocket conn, Framedata f) {
    pongs.add(f.getPayloadData().remaining());
  }

  @Override
  public void onClosing(WebSocket conn, int code, String reason, boolean remote) {
    closeFrames.add(code + " remote=" + remote);
  }

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    closes.add(code + " remote=" + remote);
  }

  @Override
  public void onError(WebSocket conn, Exception ex) {
    // A client that goes away without a Close frame is reported here too; onClose follows.
  }

  @Override
  public void close() throws InterruptedException {
    stop(1000);
  }

  private static <T> T take(BlockingQueue<T> queue, String what) throws InterruptedException {
    T t = queue.poll(TAKE_SECONDS, TimeUnit.SECONDS);
    if (t == null) {
      throw new AssertionError("no " + what + " within " + TAKE_SECONDS + " s");
    }
    return t;
  }
}
