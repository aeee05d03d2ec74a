package io.vmqtt.it.fake;

import io.vmqtt.spi.Transport;
import io.vmqtt.spi.TransportProvider;
import io.vmqtt.spi.TransportTarget;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test transport, scheme {@code faulty}, over a plain socket whose streams throw what a test
 * plants: a bug's exception inside the engine's own threads (an unchecked exception or an error
 * from a read or a write), which no network failure produces; or a write that blocks until the
 * transport is closed, as a socket whose peer stopped reading does once its buffers are full. Found
 * by the engine through {@code META-INF/services}, as real transports are.
 *
 * <pre>{@code
 * client.connect("faulty://127.0.0.1:" + broker.port());
 * FaultyTransportProvider.failNextRead(new IllegalStateException("planted"));
 * }</pre>
 *
 * <p>Thread-safe. The planted fault is JVM-wide and taken by the first read (or write) after it.
 */
public final class FaultyTransportProvider implements TransportProvider {
  private static final AtomicReference<Throwable> READ_FAULT = new AtomicReference<>();
  private static final AtomicReference<Throwable> WRITE_FAULT = new AtomicReference<>();
  private static final AtomicBoolean BLOCK_NEXT_WRITE = new AtomicBoolean();

  /** The next read of any faulty transport that returns data throws {@code fault} instead. */
  public static void failNextRead(Throwable fault) {
    READ_FAULT.set(fault);
  }

  /** The next write of any faulty transport throws {@code fault}. */
  public static void failNextWrite(Throwable fault) {
    WRITE_FAULT.set(fault);
  }

  /**
   * The next write of any faulty transport blocks until that transport is closed (or aborted), then
   * fails as a write on a closed socket does.
   */
  public static void blockNextWrite() {
    BLOCK_NEXT_WRITE.set(true);
  }

  /** Takes back whatever was planted and not yet taken. */
  public static void reset() {
    READ_FAULT.set(null);
    WRITE_FAULT.set(null);
    BLOCK_NEXT_WRITE.set(false);
  }

  @Override
  public Set<String> schemes() {
    return Set.of("faulty");
  }

  @Override
  public int defaultPort(String scheme) {
    return 1883;
  }

  @Override
  public Transport open(TransportTarget target) throws IOException {
    Socket socket = new Socket();
    CountDownLatch closed = new CountDownLatch(1);
    socket.connect(
        new InetSocketAddress(target.host(), target.port()),
        (int) target.connectTimeout().toMillis());
    InputStream in =
        new FilterInputStream(socket.getInputStream()) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            throwPlanted(READ_FAULT);
            return n;
          }
        };
    OutputStream out =
        new FilterOutputStream(socket.getOutputStream()) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            throwPlanted(WRITE_FAULT);
            if (BLOCK_NEXT_WRITE.getAndSet(false)) {
              awaitUninterruptibly(closed);
              throw new SocketException("Socket closed (under a write that was blocked)");
            }
            out.write(b, off, len);
          }
        };
    return new Transport() {
      @Override
      public InputStream input() {
        return in;
      }

      @Override
      public OutputStream output() {
        return out;
      }

      @Override
      public String describe() {
        return "faulty://" + target.host() + ":" + target.port();
      }

      @Override
      public void close() throws IOException {
        closed.countDown();
        socket.close();
      }
    };
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void throwPlanted(AtomicReference<Throwable> planted) {
    Throwable fault = planted.getAndSet(null);
    if (fault instanceof RuntimeException e) {
      throw e;
    }
    if (fault instanceof Error e) {
      throw e;
    }
  }
}
