package io.vmqtt.websocket.internal;

import io.vmqtt.spi.Transport;
import io.vmqtt.spi.TransportTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.HandshakeImpl1Client;
import org.java_websocket.protocols.Protocol;

/**
 * MQTT over one WebSocket connection (RFC 6455; MQTT 3.1.1 section 6), for {@code ws} and {@code
 * wss}.
 *
 * <p>Java-WebSocket's protocol engine ({@link WebSocketImpl} with {@link Draft_6455}) builds and
 * checks the handshake, frames, masks, reassembles fragments and answers Ping and Close. This class
 * drives it over a blocking socket, in place of the library's {@code WebSocketClient}, which would
 * start a platform thread to read, another to write from an unbounded queue, and a timer:
 *
 * <ul>
 *   <li>{@link #open} connects (over TLS for {@code wss}, through the engine's TLS code, so with
 *       the same options and errors as {@code mqtts}) and runs the upgrade in the caller's thread,
 *       all within {@code connect_timeout};
 *   <li>one virtual thread, {@code vmqtt-ws-<host>:<port>} ({@code vmqtt-wss-...}), reads the
 *       socket and feeds the engine, which puts the payload of every binary message into the
 *       bounded {@link InboundPipe} that {@link #input()} reads: when the pipe is full, the thread
 *       waits, and TCP holds the broker back;
 *   <li>{@link #output()} turns each flush into one binary frame, and the thread that flushes (the
 *       engine's writer) writes it to the socket itself, so a slow network slows the writer as it
 *       does over TCP;
 *   <li>{@link #close()} sends a Close frame (code 1000) from a short-lived virtual thread, {@code
 *       vmqtt-ws-<host>:<port>-close}, waiting for it at most {@link #CLOSE_FRAME_WAIT}, then
 *       closes the socket and waits, at most {@link #READ_THREAD_EXIT_WAIT}, for both threads to
 *       end.
 * </ul>
 *
 * <p>Thread-safe as {@link Transport} requires: one thread reads, one writes, any closes.
 */
public final class WebSocketTransport implements Transport {
  /** Bytes read from the socket per call. */
  static final int READ_BUFFER_BYTES = 16 * 1024;

  /** Received bytes held for the engine's reader before the read thread waits. */
  static final int INBOUND_BUFFER_BYTES = 128 * 1024;

  /**
   * The smallest bound on one received WebSocket message; the bound is {@code max_packet_size} when
   * that is larger. The engine checks a frame's length against it before allocating.
   */
  static final int MIN_MESSAGE_LIMIT = 1024 * 1024;

  /** How long {@link #close()} waits for the Close frame to be written. */
  static final Duration CLOSE_FRAME_WAIT = Duration.ofSeconds(1);

  /** How long {@link #close()} waits for its threads to end once the socket is closed. */
  static final Duration READ_THREAD_EXIT_WAIT = Duration.ofSeconds(2);

  private final Socket socket;
  private final Socket tcp;
  private final Function<IOException, IOException> readFailure;
  private final String target;
  private final String threadName;
  private final String subprotocol;
  private final WebSocketImpl engine;
  private final EngineEvents events;
  private final InboundPipe inbound;
  private final FrameOutputStream output;
  private final SocketWriter writer;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Thread readThread;

  private WebSocketTransport(
      Connector.Connected connected, TransportTarget t, String scheme, String target)
      throws IOException {
    this.socket = connected.socket();
    this.tcp = connected.tcp();
    this.readFailure = connected.readFailure();
    this.target = target;
    this.threadName = "vmqtt-" + scheme + "-" + t.host() + ":" + t.port();
    this.subprotocol = subprotocol(t.config().protocolVersion());
    this.inbound = new InboundPipe(INBOUND_BUFFER_BYTES, this::closeQuietly);
    this.events = new EngineEvents(inbound, connected.socket(), target);
    int maxMessage = Math.max(t.config().maxPacketSize(), MIN_MESSAGE_LIMIT);
    this.engine =
        new WebSocketImpl(
            events, new Draft_6455(List.of(), List.of(new Protocol(subprotocol)), maxMessage));
    this.writer = new SocketWriter(engine.outQueue, connected.socket().getOutputStream());
    this.output = new FrameOutputStream(this::sendFrame, this::closeQuietly);
  }

  /**
   * Connects to {@code target} with {@code connector} (TCP, or TLS over TCP) and upgrades the
   * connection to a WebSocket with the subprotocol {@code mqtt} ({@code mqttv3.1} for protocol
   * level 3) [MQTT-6.0.0-3], the URI's path and query, and the extra headers of the options or else
   * of the configuration. All of it within {@link TransportTarget#connectTimeout()}.
   *
   * @throws IOException when the connection, TLS or the upgrade fails; the message names the target
   *     and, for a refused upgrade, the HTTP status, or the subprotocol the server did not agree to
   */
  public static WebSocketTransport open(TransportTarget t, Connector connector) throws IOException {
    long deadline = System.nanoTime() + t.connectTimeout().toNanos();
    String scheme = t.uri().getScheme().toLowerCase(Locale.ROOT);
    String target = describe(t);
    Connector.Connected connected = connector.connect(t);
    try {
      WebSocketTransport transport = new WebSocketTransport(connected, t, scheme, target);
      transport.upgrade(t, deadline);
      transport.startReading();
      return transport;
    } catch (IOException | RuntimeException e) {
      try {
        connected.socket().close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private void upgrade(TransportTarget t, long deadline) throws IOException {
    HandshakeImpl1Client request = new HandshakeImpl1Client();
    request.setResourceDescriptor(resource(t.uri()));
    request.put("Host", hostHeader(t));
    Map<String, String> headers = t.options().extraHeaders().orElse(t.config().extraHeaders());
    headers.forEach(request::put);
    try {
      engine.startHandshake(request);
    } catch (InvalidHandshakeException e) {
      throw new IOException("cannot build the WebSocket upgrade request for " + target, e);
    }
    UpgradeResponse response;
    try {
      writer.drain();
      socket.setSoTimeout(millisLeft(deadline, t, target, "the WebSocket upgrade"));
      response = UpgradeResponse.read(socket.getInputStream(), target);
    } catch (SocketTimeoutException e) {
      throw timeout(t, target, "the WebSocket upgrade", e);
    } catch (SocketException e) {
      throw upgradeFailed(e); // a reset or a broken pipe, which says nothing of the upgrade
    } catch (IOException e) {
      throw clearer(e);
    }
    if (response.status() != 101) {
      throw new IOException(
          "WebSocket upgrade refused by " + target + ": HTTP " + response.describeStatus());
    }
    engine.decode(ByteBuffer.wrap(response.bytes()));
    if (!engine.isOpen()) {
      throw new IOException(explainRefusal(request, response));
    }
    writer.drainIfIdle();
    socket.setSoTimeout(0);
  }

  /** Why the engine refused a 101 answer, in the order RFC 6455 4.2.2 checks it. */
  private String explainRefusal(HandshakeImpl1Client request, UpgradeResponse response) {
    String upgrade = response.header("Upgrade");
    String connection = response.header("Connection");
    if (upgrade == null
        || !upgrade.equalsIgnoreCase("websocket")
        || connection == null
        || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
      return target
          + " answered the WebSocket upgrade with 101 but without the headers"
          + " Upgrade: websocket and Connection: Upgrade (RFC 6455 4.2.2)";
    }
    String accept = response.header("Sec-WebSocket-Accept");
    String expected = UpgradeResponse.expectedAccept(request.getFieldValue("Sec-WebSocket-Key"));
    if (accept == null || !accept.equals(expected)) {
      return target
          + " answered the WebSocket upgrade with a wrong Sec-WebSocket-Accept ("
          + (accept == null ? "none" : UpgradeResponse.shorten(accept))
          + ") (RFC 6455 4.2.2)";
    }
    String chosen = response.header("Sec-WebSocket-Protocol");
    if (chosen == null) {
      return target
          + " accepted the WebSocket upgrade without agreeing to the subprotocol '"
          + subprotocol
          + "' it was offered (no Sec-WebSocket-Protocol in its answer): it does"
          + " not speak MQTT over WebSocket, or not at this path [MQTT-6.0.0-4]";
    }
    if (!chosen.equals(subprotocol)) {
      return target
          + " chose the WebSocket subprotocol '"
          + UpgradeResponse.shorten(chosen)
          + "' instead of '"
          + subprotocol
          + "' that it was offered [MQTT-6.0.0-4]";
    }
    String reason = events.closeReason();
    return "the WebSocket upgrade with "
        + target
        + " failed"
        + (reason == null ? "" : ": " + reason);
  }

  private void startReading() {
    readThread = Thread.ofVirtual().name(threadName).start(this::readLoop);
  }

  /** The read thread: socket bytes into the engine, until the socket or the WebSocket ends. */
  private void readLoop() {
    Throwable end = null;
    try {
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[READ_BUFFER_BYTES];
      int n;
      while (!inbound.isEnded() && (n = in.read(buf)) != -1) {
        engine.decode(ByteBuffer.wrap(buf, 0, n));
        writer.drainIfIdle(); // a Pong, or the answer to a Close frame
      }
    } catch (IOException e) {
      end = clearer(e);
    } catch (RuntimeException e) {
      end = e;
    } finally {
      inbound.end(end);
    }
  }

  /** Sends one binary frame and writes it to the socket; the engine's writer calls this. */
  private void sendFrame(byte[] bytes, int offset, int length) throws IOException {
    if (closed.get()) {
      throw new IOException("the WebSocket to " + target + " is closed");
    }
    try {
      engine.send(ByteBuffer.wrap(bytes, offset, length));
    } catch (WebsocketNotConnectedException e) {
      String reason = events.closeReason();
      throw new IOException(
          "the WebSocket to " + target + " is closed" + (reason == null ? "" : ": " + reason), e);
    }
    writer.drain();
  }

  @Override
  public InputStream input() {
    return inbound;
  }

  @Override
  public OutputStream output() {
    return output;
  }

  @Override
  public String describe() {
    return target;
  }

  /**
   * Ends the received stream, sends a Close frame (1000) unless a write is under way or the
   * WebSocket is no longer open, closes the socket and waits for the read thread to end. Bounded:
   * at most {@link #CLOSE_FRAME_WAIT} for the Close frame and {@link #READ_THREAD_EXIT_WAIT} for
   * the threads. Idempotent; a thread interrupted meanwhile keeps its interrupt flag.
   */
  @Override
  public void close() throws IOException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    inbound.end(new IOException("the WebSocket to " + target + " was closed by the client"));
    Thread closer = null;
    try {
      closer = sendCloseFrame();
    } finally {
      socket.close();
      awaitEnd(closer, readThread);
    }
  }

  /**
   * Closes the TCP socket at once, without a Close frame or TLS close_notify: the engine's answer
   * to a broker that stopped reading, where either would wait behind the stuck write. Bounded as
   * {@link #close()} is; idempotent with it.
   */
  @Override
  public void abort() throws IOException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    inbound.end(new IOException("the WebSocket to " + target + " was aborted by the client"));
    try {
      tcp.close();
    } finally {
      awaitEnd(readThread);
    }
  }

  /** Starts writing a Close frame and waits for it, bounded; returns the writing thread. */
  private Thread sendCloseFrame() {
    if (!engine.isOpen()) {
      return null;
    }
    events.closingByClient();
    engine.close(CloseFrame.NORMAL);
    // Writing can block when the broker reads nothing; the socket is closed after the wait.
    Thread closer =
        Thread.ofVirtual()
            .name(threadName + "-close")
            .start(
                () -> {
                  try {
                    writer.drainIfIdle();
                  } catch (IOException ignored) {
                    // The socket failed or was closed: the Close frame was a courtesy.
                  }
                });
    try {
      closer.join(CLOSE_FRAME_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return closer;
  }

  /** Waits, at most {@link #READ_THREAD_EXIT_WAIT} in all, for the threads to end. */
  private static void awaitEnd(Thread... threads) {
    long deadline = System.nanoTime() + READ_THREAD_EXIT_WAIT.toNanos();
    for (Thread t : threads) {
      if (t == null || t == Thread.currentThread()) {
        continue;
      }
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !t.join(Duration.ofNanos(left))) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException ignored) {
      // Closing a socket that is already broken: nothing left to release.
    }
  }

  // --- helpers ----------------------------------------------------------------------------------

  /** A read failure as the connector explains it, e.g. a client certificate refused. */
  /** The upgrade's connection failed under it: say so, unless TLS has a clearer word for it. */
  private IOException upgradeFailed(SocketException e) {
    IOException mapped = readFailure.apply(e);
    return mapped != null
        ? mapped
        : new IOException("the WebSocket upgrade with " + target + " failed: " + e.getMessage(), e);
  }

  private IOException clearer(IOException e) {
    IOException mapped = readFailure.apply(e);
    return mapped == null ? e : mapped;
  }

  /** [MQTT-6.0.0-3]: the client offers "mqtt"; for MQTT 3.1 brokers expect "mqttv3.1". */
  static String subprotocol(int protocolVersion) {
    return protocolVersion == 3 ? "mqttv3.1" : "mqtt";
  }

  /** The request target of the upgrade: the URI's raw path, "/" when empty, and its query. */
  static String resource(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  /** {@code ws://host:port/path}: the target without user info or query, safe to log. */
  static String describe(TransportTarget t) {
    String path = t.uri().getRawPath() == null ? "" : t.uri().getRawPath();
    return t.uri().getScheme().toLowerCase(Locale.ROOT) + "://" + t.host() + ":" + t.port() + path;
  }

  /** RFC 9112 3.2: the host and, unless it is the scheme's default, the port. */
  private static String hostHeader(TransportTarget t) {
    int defaultPort = "wss".equalsIgnoreCase(t.uri().getScheme()) ? 443 : 80;
    return t.port() == defaultPort ? t.host() : t.host() + ":" + t.port();
  }

  private static int millisLeft(long deadline, TransportTarget t, String target, String step)
      throws SocketTimeoutException {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (left <= 0) {
      throw timeout(t, target, step, null);
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  private static SocketTimeoutException timeout(
      TransportTarget t, String target, String step, Throwable cause) {
    SocketTimeoutException e =
        new SocketTimeoutException(
            step
                + " with "
                + target
                + " did not complete within "
                + t.connectTimeout().toMillis()
                + " ms (connect_timeout)");
    e.initCause(cause);
    return e;
  }
}
