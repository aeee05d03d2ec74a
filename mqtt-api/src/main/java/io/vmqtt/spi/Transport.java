package io.vmqtt.spi;

import java.io.Closeable;
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
}
