package io.vmqtt.vthreads.internal.transport;

import io.vmqtt.spi.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;

/** A {@link Transport} over a connected socket. {@link #close()} is thread-safe and idempotent. */
public final class SocketTransport implements Transport {
  private final Socket socket;
  private final String description;
  private final InputStream input;
  private final OutputStream output;

  public SocketTransport(Socket socket, String description) {
    this.socket = socket;
    this.description = description;
    try {
      this.input = socket.getInputStream();
      this.output = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public InputStream input() {
    return input;
  }

  @Override
  public OutputStream output() {
    return output;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
