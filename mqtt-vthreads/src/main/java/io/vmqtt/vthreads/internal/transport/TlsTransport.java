package io.vmqtt.vthreads.internal.transport;

import io.vmqtt.spi.Transport;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.function.Function;

/**
 * A {@link Transport} over a TLS connection: the TLS layer's streams (an {@code SSLSocket}'s, or
 * BouncyCastle's {@code TlsClientProtocol}'s for TLS-PSK) over a connected socket. Failures of
 * reads and writes before the first data arrives can be translated (with TLS 1.3 a broker refuses a
 * client certificate after the handshake has returned, see {@link TlsFailures#afterHandshake}).
 *
 * <p>{@link #close()} closes the TLS layer (which sends close_notify) and then the socket; {@link
 * #abort()} only the socket. Both are thread-safe and idempotent.
 */
final class TlsTransport implements Transport {
  private final Socket socket;
  private final Closeable tls;
  private final InputStream input;
  private final OutputStream output;
  private final String description;
  private final Function<IOException, IOException> translate;

  /** Whether a read returned data: from then on failures are passed on as they are. */
  private volatile boolean established;

  /**
   * @param socket the TCP socket under the TLS layer
   * @param tls closes the TLS layer
   * @param input the TLS layer's decrypted input
   * @param output the TLS layer's output
   * @param translate maps a read failure to a clearer one, or to null to keep it
   * @param description e.g. {@code mqtts://127.0.0.1:8883 (TLSv1.3)}
   */
  TlsTransport(
      Socket socket,
      Closeable tls,
      InputStream input,
      OutputStream output,
      Function<IOException, IOException> translate,
      String description) {
    this.socket = socket;
    this.tls = tls;
    this.translate = translate;
    this.input = new TranslatingInput(input);
    this.output = new TranslatingOutput(output);
    this.description = description;
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
    try {
      tls.close();
    } catch (IOException ignored) {
      // The connection is going away; close_notify is a courtesy.
    } finally {
      socket.close();
    }
  }

  /** Closes the socket under the TLS layer: no close_notify, which would wait behind a write. */
  @Override
  public void abort() throws IOException {
    socket.close();
  }

  private IOException translated(IOException e) {
    if (established) {
      return e;
    }
    IOException t = translate.apply(e);
    return t == null ? e : t;
  }

  /** Passes reads through and translates failures until data came. Used by the reader thread. */
  private final class TranslatingInput extends FilterInputStream {
    TranslatingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        int b = super.read();
        established |= b >= 0;
        return b;
      } catch (IOException e) {
        throw translated(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int n = super.read(b, off, len);
        established |= n > 0;
        return n;
      } catch (IOException e) {
        throw translated(e);
      }
    }
  }

  /** Passes writes through and translates failures until data came. Used by the writer thread. */
  private final class TranslatingOutput extends FilterOutputStream {
    TranslatingOutput(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        throw translated(e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw translated(e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        throw translated(e);
      }
    }
  }
}
