package io.vmqtt.vthreads.internal.transport;

import io.vmqtt.spi.Transport;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.function.Function;

/**
 * A {@link Transport} over a TLS connection: the TLS layer's streams (an {@code SSLSocket}'s, or
 * BouncyCastle's {@code TlsClientProtocol}'s for TLS-PSK) over a connected socket. A failure the
 * first reads meet can be translated (with TLS 1.3 a broker refuses a client certificate after
 * the handshake has returned, see {@link TlsFailures#afterHandshake}).
 *
 * <p>{@link #close()} closes the TLS layer (which sends close_notify) and then the socket; it is
 * thread-safe and idempotent.
 */
final class TlsTransport implements Transport {
  private final Socket socket;
  private final Closeable tls;
  private final InputStream input;
  private final OutputStream output;
  private final String description;

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
    this.input = new TranslatingInput(input, translate);
    this.output = output;
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

  /** Passes reads through and translates their failures. Used by the reader thread only. */
  private static final class TranslatingInput extends FilterInputStream {
    private final Function<IOException, IOException> translate;

    TranslatingInput(InputStream in, Function<IOException, IOException> translate) {
      super(in);
      this.translate = translate;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw translated(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw translated(e);
      }
    }

    private IOException translated(IOException e) {
      IOException t = translate.apply(e);
      return t == null ? e : t;
    }
  }
}
