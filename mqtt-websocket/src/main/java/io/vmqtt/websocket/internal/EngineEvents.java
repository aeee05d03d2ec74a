package io.vmqtt.websocket.internal;

import io.vmqtt.ProtocolException;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.Handshakedata;

/**
 * What Java-WebSocket's engine reports, turned into the received byte stream: binary messages go
 * into the {@link InboundPipe}; a text message, a Close frame or a frame the engine refuses ends it
 * with the reason. Pings are answered by {@link WebSocketAdapter} (the Pong is queued and the read
 * loop writes it).
 *
 * <p>Called on the thread that calls the engine: the one opening the transport during the upgrade,
 * then the read loop; {@link #closingByClient()} from the closing thread. Thread-safe.
 */
final class EngineEvents extends WebSocketAdapter {
  private final InboundPipe inbound;
  private final Socket socket;
  private final String target;
  private volatile Exception lastError;
  private volatile boolean closingByClient;
  private volatile String closeReason;

  EngineEvents(InboundPipe inbound, Socket socket, String target) {
    this.inbound = inbound;
    this.socket = socket;
    this.target = target;
  }

  /** The client is closing: the Close frame that follows is ours, not a failure. */
  void closingByClient() {
    closingByClient = true;
  }

  /** The last error the engine reported, or null. */
  Exception lastError() {
    return lastError;
  }

  /** The code and reason of the close the engine started or received, or null. */
  String closeReason() {
    return closeReason;
  }

  @Override
  public void onWebsocketMessage(WebSocket conn, ByteBuffer message) {
    inbound.write(message);
  }

  /** [MQTT-6.0.0-1]: MQTT travels in binary frames; any other data frame closes the connection. */
  @Override
  public void onWebsocketMessage(WebSocket conn, String message) {
    inbound.end(
        new ProtocolException(
            "Protocol violation: "
                + target
                + " sent a WebSocket text frame; MQTT control packets travel in binary frames"
                + " only [MQTT-6.0.0-1]"));
    conn.close(CloseFrame.REFUSE, "MQTT needs binary frames");
  }

  @Override
  public void onWebsocketOpen(WebSocket conn, Handshakedata handshake) {
    // The transport checks conn.isOpen() after the upgrade; nothing to do here.
  }

  /**
   * The engine sent or received a Close frame: after it no data frame may follow, so the stream
   * ends here with the reason, unless the client is the one closing.
   */
  @Override
  public void onWebsocketClosing(WebSocket conn, int code, String reason, boolean remote) {
    closeReason = describe(code, reason);
    if (remote) {
      inbound.end(new EOFException(target + " closed the WebSocket: " + closeReason));
    } else if (!closingByClient) {
      IOException failure =
          new IOException("the WebSocket to " + target + " failed: " + closeReason, lastError);
      inbound.end(failure);
    }
  }

  @Override
  public void onWebsocketClose(WebSocket conn, int code, String reason, boolean remote) {
    if (closeReason == null) {
      closeReason = describe(code, reason);
    }
  }

  @Override
  public void onWebsocketCloseInitiated(WebSocket conn, int code, String reason) {
    // The Close frame goes out with the rest of the queue; onWebsocketClosing follows.
  }

  @Override
  public void onWebsocketError(WebSocket conn, Exception ex) {
    lastError = ex;
  }

  /**
   * Called under the engine's monitor whenever it queues bytes. Writing here would block inside
   * {@code synchronized}; the code that made the engine queue writes afterwards (see {@link
   * SocketWriter}).
   */
  @Override
  public void onWriteDemand(WebSocket conn) {
    // SocketWriter writes the queue, outside the engine's monitor.
  }

  @Override
  public InetSocketAddress getLocalSocketAddress(WebSocket conn) {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  @Override
  public InetSocketAddress getRemoteSocketAddress(WebSocket conn) {
    return (InetSocketAddress) socket.getRemoteSocketAddress();
  }

  private static String describe(int code, String reason) {
    String text = "close code " + code;
    return reason == null || reason.isEmpty()
        ? text
        : text + " (" + UpgradeResponse.shorten(reason) + ")";
  }
}
