package io.vmqtt.it.fake;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A scripted MQTT 3.1.1 broker on a real socket, for the engine tests a real broker will not do on
 * demand: acks that never come or come late, dropped and stalled connections, garbage. Modelled on
 * OkHttp's MockWebServer: the test scripts answers per packet type, then takes the packets the
 * client sent with {@link #takePacket}.
 *
 * <pre>{@code
 * try (FakeBroker broker = FakeBroker.start()) {
 *   broker.on(RawPacket.PUBLISH, Action.ignore());           // a PUBACK that never comes
 *   client.connect(broker.uri());
 *   ...
 *   RawPacket publish = broker.takePacket(RawPacket.PUBLISH, Duration.ofSeconds(5));
 *   broker.sendRaw(new byte[] {0x36, 0x02, 0x00, 0x00});    // then a PUBLISH with QoS 3
 * }
 * }</pre>
 *
 * <p>Without rules it behaves like a well-behaved broker that routes nothing ({@link
 * Action#auto()}): CONNACK 0 to CONNECT, PUBACK or PUBREC to a QoS 1 or 2 PUBLISH, PUBREL to PUBREC
 * (completing {@link #publishToClient} flows), PUBCOMP to PUBREL, SUBACK granting every requested
 * QoS, UNSUBACK, PINGRESP; it closes the connection on DISCONNECT. It frames and parses with its
 * own {@link Frames}, never with the client's codec.
 *
 * <p>It accepts any number of connections one after another (a client that reconnects); the methods
 * that write ({@link #sendRaw}, {@link #publishToClient}) and {@link #closeConnection} act on the
 * latest one. Every received packet, from every connection, goes into one queue.
 *
 * <p>Threads: one virtual thread accepts; one virtual thread per connection reads and answers; a
 * delayed or held answer runs on a virtual thread of its own, so reading goes on meanwhile. Writes
 * to a socket are serialized by a lock per connection. Thread-safe.
 */
public final class FakeBroker implements AutoCloseable {
  private final ServerSocket server;
  private final LinkedBlockingQueue<RawPacket> received = new LinkedBlockingQueue<>();
  private final ReentrantLock lock = new ReentrantLock();

  /** Standing rules by packet type; guarded by {@link #lock}. */
  private final Map<Integer, Action> rules = new HashMap<>();

  /** One-shot rules by packet type, used before the standing rule; guarded by {@link #lock}. */
  private final Map<Integer, ArrayDeque<Action>> oneShots = new HashMap<>();

  /** Every accepted connection, in order; guarded by {@link #lock}. */
  private final List<FakeConnection> connections = new ArrayList<>();

  /** Guarded by {@link #lock}. */
  private boolean closed;

  private FakeBroker(ServerSocket server) {
    this.server = server;
    Thread.ofVirtual().name("fake-broker-accept-" + server.getLocalPort()).start(this::acceptLoop);
  }

  /** Starts a broker on 127.0.0.1 and a free port. */
  public static FakeBroker start() throws IOException {
    return new FakeBroker(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")));
  }

  /** The port it listens on. */
  public int port() {
    return server.getLocalPort();
  }

  /** {@code mqtt://127.0.0.1:<port>}, for {@code client.connect}. */
  public String uri() {
    return "mqtt://127.0.0.1:" + port();
  }

  /** From now on, every packet of this type gets {@code action} (unless a one-shot is queued). */
  public FakeBroker on(int type, Action action) {
    requireClientType(type);
    lock.lock();
    try {
      rules.put(type, action);
    } finally {
      lock.unlock();
    }
    return this;
  }

  /** {@link #on} for CONNECT. */
  public FakeBroker onConnect(Action action) {
    return on(RawPacket.CONNECT, action);
  }

  /**
   * The next packet of this type gets {@code action}, once; several one-shots of one type apply in
   * the order they were queued, then the standing rule applies again.
   */
  public FakeBroker enqueue(int type, Action action) {
    requireClientType(type);
    lock.lock();
    try {
      oneShots.computeIfAbsent(type, t -> new ArrayDeque<>()).add(action);
    } finally {
      lock.unlock();
    }
    return this;
  }

  /**
   * The next packet the client sent, whatever its type.
   *
   * @throws AssertionError when none arrives within {@code timeout}
   */
  public RawPacket takePacket(Duration timeout) throws InterruptedException {
    RawPacket p = received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (p == null) {
      throw new AssertionError(
          "the client sent no packet within " + timeout.toMillis() + " ms" + connectionSummary());
    }
    return p;
  }

  /**
   * The next packet of this type the client sent; packets of other types before it are taken and
   * discarded.
   *
   * @throws AssertionError when none arrives within {@code timeout}; it lists what was skipped
   */
  public RawPacket takePacket(int type, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> skipped = new ArrayList<>();
    while (true) {
      RawPacket p = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (p == null) {
        throw new AssertionError(
            "the client sent no "
                + RawPacket.typeName(type)
                + " within "
                + timeout.toMillis()
                + " ms; skipped "
                + skipped
                + connectionSummary());
      }
      if (p.type() == type) {
        return p;
      }
      skipped.add(p.toString());
    }
  }

  /** The next packet the client sent, if one arrives within {@code timeout}. */
  public Optional<RawPacket> pollPacket(Duration timeout) throws InterruptedException {
    return Optional.ofNullable(received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
  }

  /**
   * Sends a PUBLISH to the client on the latest connection. In automatic mode the broker answers
   * the client's PUBREC with PUBREL; the client's PUBACK, PUBREC and PUBCOMP are recorded for
   * {@link #takePacket}.
   *
   * @param qos 0..3 (3 is malformed [MQTT-3.3.1-4])
   * @param packetId ignored for QoS 0
   * @throws IllegalStateException when no client ever connected
   * @throws UncheckedIOException when the connection is gone
   */
  public void publishToClient(
      String topic, byte[] payload, int qos, boolean retain, boolean dup, int packetId) {
    sendRaw(Frames.publish(topic, payload, qos, retain, dup, packetId));
  }

  /**
   * Writes bytes to the client on the latest connection, as they are: frames, a header without its
   * body, garbage.
   *
   * @throws IllegalStateException when no client ever connected
   * @throws UncheckedIOException when the connection is gone
   */
  public void sendRaw(byte[] bytes) {
    try {
      latest().write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the client" + connectionSummary(), e);
    }
  }

  /** Closes the latest connection's socket, as a broker or network dropping it would. */
  public void closeConnection() {
    latest().close();
  }

  /** How many connections were accepted so far. */
  public int connectionCount() {
    lock.lock();
    try {
      return connections.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the latest connection has ended: the client closed it (the broker read the end of
   * the stream or a reset), or the broker did. A stalled connection is not read, so only the broker
   * ends it.
   *
   * @return whether it ended within {@code timeout}
   * @throws IllegalStateException when no client ever connected
   */
  public boolean awaitConnectionClosed(Duration timeout) throws InterruptedException {
    return latest().ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Closes the listening socket and every connection; ends every thread of the broker. */
  @Override
  public void close() {
    List<FakeConnection> toClose;
    lock.lock();
    try {
      closed = true;
      toClose = List.copyOf(connections);
    } finally {
      lock.unlock();
    }
    try {
      server.close();
    } catch (IOException e) {
      // Closing a listening socket fails only if it is already closed.
    }
    toClose.forEach(FakeConnection::close);
  }

  private void acceptLoop() {
    while (true) {
      Socket socket;
      try {
        socket = server.accept();
        socket.setTcpNoDelay(true);
      } catch (IOException e) {
        return; // the server socket was closed
      }
      FakeConnection c;
      lock.lock();
      try {
        if (closed) {
          FakeConnection.closeQuietly(socket);
          return;
        }
        c = new FakeConnection(connections.size() + 1, socket);
        connections.add(c);
      } catch (IOException e) {
        FakeConnection.closeQuietly(socket);
        continue;
      } finally {
        lock.unlock();
      }
      Thread.ofVirtual().name("fake-broker-" + port() + "-conn-" + c.number).start(() -> serve(c));
    }
  }

  /**
   * The reader loop of one connection: choose the action for each packet, record the packet, then
   * act. Chosen before the packet is recorded, so a test that takes a packet and then queues a
   * one-shot action ({@link #enqueue}) scripts the next packet of that type, never the one it took.
   */
  private void serve(FakeConnection c) {
    try (c) {
      InputStream in = new BufferedInputStream(c.socket.getInputStream());
      while (true) {
        RawPacket p = Frames.read(in);
        Action action = actionFor(p.type());
        received.add(p);
        if (!perform(c, p, action)) {
          return;
        }
      }
    } catch (IOException e) {
      // The client closed or reset the connection, or sent an unreadable frame: it has ended.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // a stall was ended by closing: nothing left to do
    }
  }

  /** Returns whether to keep reading this connection. */
  private boolean perform(FakeConnection c, RawPacket p, Action action)
      throws IOException, InterruptedException {
    return switch (action) {
      case Action.Auto a -> answer(c, p);
      case Action.Ignore i -> true;
      case Action.Reply r -> {
        c.write(r.answer().apply(p));
        yield !r.thenClose();
      }
      case Action.CloseSocket s -> false;
      case Action.Choose choose -> perform(c, p, choose.chooser().apply(p));
      case Action.Stall s -> {
        c.ended.await(); // not reading any more; the broker or the test closes the socket
        yield false;
      }
      case Action.ReplyThenStall r -> {
        c.write(r.bytes());
        c.ended.await();
        yield false;
      }
      case Action.Delay d -> {
        answerLater(c, p, () -> !c.ended.await(d.delay().toNanos(), TimeUnit.NANOSECONDS));
        yield true;
      }
      case Action.Hold h -> {
        answerLater(
            c,
            p,
            () -> {
              h.release().await(); // interrupted when the connection closes
              return true;
            });
        yield true;
      }
    };
  }

  /** A condition a delayed answer waits for; false means: do not answer. */
  private interface Wait {
    boolean await() throws InterruptedException;
  }

  private void answerLater(FakeConnection c, RawPacket p, Wait wait) {
    Thread.ofVirtual()
        .name("fake-broker-" + port() + "-conn-" + c.number + "-later-" + p.typeName())
        .start(
            () -> {
              c.helpers.add(Thread.currentThread());
              try {
                if (!c.isEnded() && wait.await() && !c.isEnded() && !answer(c, p)) {
                  c.close();
                }
              } catch (IOException | InterruptedException e) {
                // The connection ended while the answer waited.
              } finally {
                c.helpers.remove(Thread.currentThread());
              }
            });
  }

  /** Writes the well-behaved answer; returns false when the connection should end (DISCONNECT). */
  private static boolean answer(FakeConnection c, RawPacket p) throws IOException {
    switch (p.type()) {
      case RawPacket.CONNECT -> c.write(Frames.connack(false, 0));
      case RawPacket.PUBLISH -> {
        if (p.qos() == 1) {
          c.write(Frames.puback(p.packetId()));
        } else if (p.qos() == 2) {
          c.write(Frames.pubrec(p.packetId()));
        }
      }
      case RawPacket.PUBREC -> c.write(Frames.pubrel(p.packetId()));
      case RawPacket.PUBREL -> c.write(Frames.pubcomp(p.packetId()));
      case RawPacket.SUBSCRIBE ->
          c.write(
              Frames.suback(
                  p.packetId(),
                  p.asSubscribe().stream().mapToInt(Frames.TopicRequest::qos).toArray()));
      case RawPacket.UNSUBSCRIBE -> c.write(Frames.unsuback(p.packetId()));
      case RawPacket.PINGREQ -> c.write(Frames.pingresp());
      case RawPacket.DISCONNECT -> {
        return false;
      }
      default -> {
        // PUBACK, PUBCOMP and anything a broker does not answer.
      }
    }
    return true;
  }

  private Action actionFor(int type) {
    lock.lock();
    try {
      ArrayDeque<Action> queued = oneShots.get(type);
      if (queued != null && !queued.isEmpty()) {
        return queued.poll();
      }
      return rules.getOrDefault(type, Action.auto());
    } finally {
      lock.unlock();
    }
  }

  private FakeConnection latest() {
    lock.lock();
    try {
      if (connections.isEmpty()) {
        throw new IllegalStateException("no client has connected to " + uri());
      }
      return connections.getLast();
    } finally {
      lock.unlock();
    }
  }

  private String connectionSummary() {
    lock.lock();
    try {
      if (connections.isEmpty()) {
        return " (no client connected)";
      }
      return " ("
          + connections.size()
          + " connection(s); the latest "
          + (connections.getLast().isEnded() ? "has ended" : "is open")
          + ")";
    } finally {
      lock.unlock();
    }
  }

  private static void requireClientType(int type) {
    if (type < RawPacket.CONNECT || type > RawPacket.AUTH) {
      throw new IllegalArgumentException("not a packet type a client sends: " + type);
    }
  }
}
