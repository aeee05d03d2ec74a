package io.vmqtt.websocket.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The sent MQTT byte stream, as WebSocket binary frames: bytes written are buffered, and {@link
 * #flush()} sends them as one frame, so one flush of the engine's writer, which flushes once per
 * batch of packets, is one frame holding every packet of the batch. A buffer that fills up ({@link
 * #MAX_FRAME_PAYLOAD} bytes) is sent as a frame of its own first, so a large packet spans several
 * frames. Both are allowed: packets need not be aligned on frames [MQTT-6.0.0-2].
 *
 * <p>Not thread-safe: like a socket's output stream, it is written by one thread at a time, the
 * engine's writer.
 */
final class FrameOutputStream extends OutputStream {
  /** The largest frame payload sent, and the size of the buffer. */
  static final int MAX_FRAME_PAYLOAD = 64 * 1024;

  /** Sends one binary frame with the given bytes; they may be reused once it returns. */
  @FunctionalInterface
  interface FrameSender {
    void send(byte[] bytes, int offset, int length) throws IOException;
  }

  private final FrameSender sender;
  private final Runnable onClose;
  private final byte[] buffer;
  private int count;

  /**
   * @param sender sends one frame
   * @param onClose what {@link #close()} does: closes the transport
   */
  FrameOutputStream(FrameSender sender, Runnable onClose) {
    this(sender, onClose, MAX_FRAME_PAYLOAD);
  }

  FrameOutputStream(FrameSender sender, Runnable onClose, int maxFramePayload) {
    this.sender = Objects.requireNonNull(sender, "sender");
    this.onClose = Objects.requireNonNull(onClose, "onClose");
    this.buffer = new byte[maxFramePayload];
  }

  @Override
  public void write(int b) throws IOException {
    if (count == buffer.length) {
      sendBuffered();
    }
    buffer[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    while (len > 0) {
      if (count == buffer.length) {
        sendBuffered();
      }
      int n = Math.min(len, buffer.length - count);
      System.arraycopy(b, off, buffer, count, n);
      count += n;
      off += n;
      len -= n;
    }
  }

  /** Sends what was written since the last frame as one binary frame; nothing when empty. */
  @Override
  public void flush() throws IOException {
    sendBuffered();
  }

  private void sendBuffered() throws IOException {
    if (count > 0) {
      int n = count;
      count = 0;
      sender.send(buffer, 0, n);
    }
  }

  /** Closes the transport, as closing a socket's output stream closes the socket. */
  @Override
  public void close() {
    onClose.run();
  }
}
