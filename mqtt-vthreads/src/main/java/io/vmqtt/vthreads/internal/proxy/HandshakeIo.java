package io.vmqtt.vthreads.internal.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Blocking reads and writes of a proxy handshake on its socket, every read bounded by what is left
 * of the connect deadline (the socket's read timeout is set to it before each read, so a proxy that
 * sends one byte at a time cannot stretch the handshake past the deadline). Bytes are read exactly
 * as many as asked, never more: what follows the proxy's answer belongs to the broker.
 *
 * <p>Used by one thread, the one that connects. Not thread-safe.
 */
final class HandshakeIo {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final long deadlineNanos;
  private final Duration timeout;
  private final String silence;

  /**
   * @param deadlineNanos the {@link System#nanoTime()} by which the handshake must be done
   * @param timeout the whole bound, for messages ({@code connect_timeout})
   * @param silence what a timeout means, e.g. {@code HTTP proxy 127.0.0.1:3128 did not answer
   *     CONNECT localhost:1883}
   */
  HandshakeIo(Socket socket, long deadlineNanos, Duration timeout, String silence)
      throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.deadlineNanos = deadlineNanos;
    this.timeout = timeout;
    this.silence = silence;
  }

  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next byte, or -1 at the end of the stream. */
  int read() throws IOException {
    socket.setSoTimeout(millisLeft());
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      throw timedOut(e);
    }
  }

  /**
   * Exactly {@code n} bytes.
   *
   * @param what what is read, for the message when the stream ends first, e.g. {@code the reply to
   *     the greeting}
   * @throws ProxyException when the stream ends first
   */
  byte[] readExactly(int n, String what, String proxy) throws IOException {
    byte[] b = new byte[n];
    int off = 0;
    while (off < n) {
      socket.setSoTimeout(millisLeft());
      int r;
      try {
        r = in.read(b, off, n - off);
      } catch (SocketTimeoutException e) {
        throw timedOut(e);
      }
      if (r < 0) {
        throw new ProxyException(
            ProxyException.Hop.PROXY_PROTOCOL,
            proxy
                + " closed the connection "
                + (off == 0 ? "instead of sending " : "in the middle of ")
                + what);
      }
      off += r;
    }
    return b;
  }

  /** The read timeout for the next read: what is left until the deadline, at least 1 ms. */
  private int millisLeft() throws SocketTimeoutException {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw timedOut(null);
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left)));
  }

  private SocketTimeoutException timedOut(SocketTimeoutException cause) {
    SocketTimeoutException e =
        new SocketTimeoutException(
            silence + " within " + timeout.toMillis() + " ms (connect_timeout)");
    e.initCause(cause);
    return e;
  }
}
