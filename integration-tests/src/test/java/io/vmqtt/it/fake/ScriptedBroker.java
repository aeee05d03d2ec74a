package io.vmqtt.it.fake;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The broker of the engine fuzz target: it reads the client's packets and answers each with the
 * next answer of a {@link BrokerScript}, then, once the answers are used up, does what the script
 * says (answer well, answer nothing, close, stop reading). It accepts any number of connections one
 * after another, and the answers go on across them, so a reconnecting client meets the rest of the
 * script. It frames what it reads with {@link Frames}, never with the client's codec.
 *
 * <p>Threads: one virtual thread accepts, one per connection reads and answers (a pause in an
 * answer holds the reading too, as a slow broker would). A failure of the broker itself (not of the
 * connection) is kept for {@link #failures()}. Thread-safe.
 */
final class ScriptedBroker implements AutoCloseable {
  private static final Duration JOIN_WAIT = Duration.ofSeconds(5);

  private final ServerSocket server;
  private final BrokerScript script;
  private final ReentrantLock lock = new ReentrantLock();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
  private final Thread acceptor;

  /** Guarded by {@link #lock}. */
  private final List<Socket> sockets = new ArrayList<>();

  /** Guarded by {@link #lock}. */
  private final List<Thread> threads = new ArrayList<>();

  /** The index of the next answer; guarded by {@link #lock}. */
  private int next;

  /** Guarded by {@link #lock}. */
  private boolean closed;

  private ScriptedBroker(ServerSocket server, BrokerScript script) {
    this.server = server;
    this.script = script;
    this.acceptor =
        Thread.ofVirtual().name("fuzz-broker-accept-" + server.getLocalPort()).start(this::accept);
  }

  /** Starts a broker on 127.0.0.1 and a free port. */
  static ScriptedBroker start(BrokerScript script) throws IOException {
    return new ScriptedBroker(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")), script);
  }

  String uri() {
    return "mqtt://127.0.0.1:" + server.getLocalPort();
  }

  /** How many connections were accepted. */
  int connections() {
    lock.lock();
    try {
      return sockets.size();
    } finally {
      lock.unlock();
    }
  }

  /** What failed in the broker itself (a bug of the fixture, or a frame it could not parse). */
  List<Throwable> failures() {
    return List.copyOf(failures);
  }

  /** Closes the listening socket and every connection, and waits for its threads to end. */
  @Override
  public void close() throws InterruptedException {
    List<Socket> toClose;
    List<Thread> toJoin;
    lock.lock();
    try {
      closed = true;
      toClose = List.copyOf(sockets);
      toJoin = List.copyOf(threads);
    } finally {
      lock.unlock();
    }
    closing.countDown();
    closeQuietly(server);
    toClose.forEach(ScriptedBroker::closeQuietly);
    acceptor.join(JOIN_WAIT);
    for (Thread t : toJoin) {
      if (!t.join(JOIN_WAIT)) {
        failures.add(new AssertionError("broker thread " + t.getName() + " did not end"));
      }
    }
  }

  private void accept() {
    while (true) {
      Socket socket;
      try {
        socket = server.accept();
        socket.setTcpNoDelay(true);
      } catch (IOException e) {
        return; // closed
      }
      lock.lock();
      try {
        if (closed) {
          closeQuietly(socket);
          return;
        }
        sockets.add(socket);
        threads.add(
            Thread.ofVirtual()
                .name("fuzz-broker-" + server.getLocalPort() + "-conn-" + sockets.size())
                .start(() -> serve(socket)));
      } finally {
        lock.unlock();
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (true) {
        RawPacket p = Frames.read(in);
        if (p.type() == RawPacket.CONNECT && script.connackFirst()) {
          write(out, Frames.connack(false, 0));
        }
        List<BrokerScript.Step> answer = nextAnswer();
        if (answer != null) {
          for (BrokerScript.Step step : answer) {
            switch (step) {
              case BrokerScript.Write w -> write(out, w.bytes());
              case BrokerScript.Pause pause -> {
                if (closing.await(pause.duration().toNanos(), TimeUnit.NANOSECONDS)) {
                  return; // closed during the pause
                }
              }
            }
          }
          continue;
        }
        switch (script.after()) {
          case AUTO -> {
            if (!answerWell(out, p)) {
              return;
            }
          }
          case SILENT -> {}
          case CLOSE -> {
            return;
          }
          case STALL -> {
            closing.await(); // reads nothing more until the broker closes
            return;
          }
        }
      }
    } catch (IOException e) {
      // The client closed or reset the connection, or the broker was closed: it has ended.
    } catch (InterruptedException e) {
      failures.add(e); // nothing interrupts the broker's threads
    } catch (RuntimeException e) {
      failures.add(e);
    }
  }

  private List<BrokerScript.Step> nextAnswer() {
    lock.lock();
    try {
      return next < script.answers().size() ? script.answers().get(next++) : null;
    } finally {
      lock.unlock();
    }
  }

  private void write(OutputStream out, byte[] bytes) throws IOException {
    if (script.byteByByte()) {
      for (byte b : bytes) {
        out.write(b);
        out.flush();
      }
    } else {
      out.write(bytes);
      out.flush();
    }
  }

  /** A well-behaved broker's answer; false when the connection should end (DISCONNECT). */
  private boolean answerWell(OutputStream out, RawPacket p) throws IOException {
    switch (p.type()) {
      case RawPacket.CONNECT -> {
        if (!script.connackFirst()) {
          write(out, Frames.connack(false, 0));
        }
      }
      case RawPacket.PUBLISH -> {
        if (p.qos() == 1) {
          write(out, Frames.puback(p.packetId()));
        } else if (p.qos() == 2) {
          write(out, Frames.pubrec(p.packetId()));
        }
      }
      case RawPacket.PUBREC -> write(out, Frames.pubrel(p.packetId()));
      case RawPacket.PUBREL -> write(out, Frames.pubcomp(p.packetId()));
      case RawPacket.SUBSCRIBE ->
          write(
              out,
              Frames.suback(
                  p.packetId(),
                  p.asSubscribe().stream().mapToInt(Frames.TopicRequest::qos).toArray()));
      case RawPacket.UNSUBSCRIBE -> write(out, Frames.unsuback(p.packetId()));
      case RawPacket.PINGREQ -> write(out, Frames.pingresp());
      case RawPacket.DISCONNECT -> {
        return false;
      }
      default -> {
        // PUBACK, PUBCOMP: nothing to answer.
      }
    }
    return true;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // Closed either way.
    }
  }
}
