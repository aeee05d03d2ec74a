package io.vmqtt.vthreads.internal.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A proxy that answers one connection as the test scripts it, byte for byte: what real proxies will
 * not do on demand (garbage, an answer that never ends, a huge header, a stall, one byte at a
 * time). It listens on 127.0.0.1 and a free port; one virtual thread accepts one connection and
 * runs the script, then keeps the connection open until {@link #close()}. What the client sent is
 * recorded by the script's reads ({@link #received()}).
 */
final class ScriptedProxy implements AutoCloseable {
  /** What the proxy does with the one connection. */
  @FunctionalInterface
  interface Script {
    void run(Peer peer) throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final Thread thread;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
  private volatile Throwable failure;

  ScriptedProxy(Script script) throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    thread = Thread.ofVirtual().name("scripted-proxy").start(() -> serve(script));
  }

  int port() {
    return server.getLocalPort();
  }

  /** The next thing a script read from the client, waiting at most 5 s. */
  byte[] received() throws InterruptedException {
    byte[] b = received.poll(5, TimeUnit.SECONDS);
    if (b == null) {
      throw new AssertionError("the proxy received nothing within 5 s; script failure: " + failure);
    }
    return b;
  }

  /** {@link #received()} as ISO-8859-1 text. */
  String receivedText() throws InterruptedException {
    return new String(received(), StandardCharsets.ISO_8859_1);
  }

  private void serve(Script script) {
    try (Socket socket = server.accept()) {
      script.run(new Peer(socket));
      closed.await();
    } catch (IOException | InterruptedException | RuntimeException e) {
      failure = e; // the client went away, or the test closed the proxy
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    closed.countDown();
    server.close();
    thread.join(Duration.ofSeconds(5));
  }

  /** The accepted connection, as the script sees it. */
  final class Peer {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Peer(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    /** Exactly {@code n} bytes from the client, recorded. */
    byte[] read(int n) throws IOException {
      byte[] b = in.readNBytes(n);
      received.add(b);
      if (b.length < n) {
        throw new IOException("the client closed after " + b.length + " of " + n + " bytes");
      }
      return b;
    }

    /** An HTTP request head up to its empty line, recorded. */
    String readHead() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != -1) {
        head.write(b);
        if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
          break;
        }
      }
      received.add(head.toByteArray());
      return head.toString(StandardCharsets.ISO_8859_1);
    }

    void send(byte... bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    void send(String text) throws IOException {
      send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends {@code text} one byte at a time, {@code pause} apart, until the client goes away. */
    void drip(String text, Duration pause) throws IOException, InterruptedException {
      for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
        send(b);
        if (closed.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    }

    /** Sends back whatever the client sends, until it closes. */
    void echo() throws IOException {
      in.transferTo(out);
    }

    /** Closes the connection now. */
    void close() throws IOException {
      socket.close();
    }

    /** Closes the connection with an RST ({@code SO_LINGER} 0), as a dying proxy may. */
    void reset() throws IOException {
      socket.setSoLinger(true, 0);
      socket.close();
    }
  }
}
