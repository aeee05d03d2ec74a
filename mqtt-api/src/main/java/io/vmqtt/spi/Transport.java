package io.vmqtt.spi;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * An open, blocking byte stream to a broker. The engine reads from {@link #input()} on one thread
 * and writes to {@link #output()} on another; {@link #close()} may be called from any thread, at
 * any time, more than once, and must unblock both.
 */
public interface Transport extends Closeable {
  InputStream input();

  OutputStream output();

  /** A short description of the peer for logs and errors, e.g. {@code "tcp://127.0.0.1:1883"}. */
  String describe();

  /**
   * Closes at once, without a closing handshake (a TLS close_notify, a WebSocket Close frame): the
   * engine calls this instead of {@link #close()} when a write is stuck because the broker stopped
   * reading, where such a handshake would wait behind it. Like {@link #close()}: any thread, any
   * time, more than once, and it must unblock both streams. The default closes.
   *
   * @throws IOException when closing fails
   */
  default void abort() throws IOException {
    close();
  }
}
