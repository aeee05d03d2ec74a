package io.vmqtt.vthreads.internal;

import io.vmqtt.ProtocolException;
import io.vmqtt.spi.Transport;
import io.vmqtt.vthreads.internal.codec.ConnackPacket;
import io.vmqtt.vthreads.internal.codec.DisconnectPacket;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.PacketCodec;
import io.vmqtt.vthreads.internal.codec.PacketReader;
import io.vmqtt.vthreads.internal.codec.Properties;
import io.vmqtt.vthreads.internal.codec.ProtocolLevel;
import io.vmqtt.vthreads.internal.codec.ProtocolViolationException;
import io.vmqtt.vthreads.internal.transport.ParkableInput;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One network connection to the broker and its threads: a reader virtual thread, named {@code
 * vmqtt-<client id>-reader}, for the connection's life (over plain TCP only while bytes arrive: a
 * quiet connection parks its input and the thread ends, see {@link Reader}), and a writer virtual
 * thread, {@code -writer}, only while a backlog lasts (callers write directly when nothing is
 * queued: see {@link Writer}); once accepted, its keep-alive is a task of the JVM-wide {@link
 * Ticker}.
 *
 * <p>A connection fails once: the first cause is kept, the transport is closed (which unblocks the
 * reader and a writer stuck in a write), the writer and keep-alive stop, and the {@link Listener}
 * is told. Thread-safe.
 */
final class Connection implements Writer.Owner {
  /** What the client does with the connection's events; called on the connection's threads. */
  interface Listener {
    /**
     * CONNACK accepted; runs on the reader before it reads the next packet. Returns what is in
     * force on the connection, or null when it failed meanwhile, or was given up, and was not taken
     * into use.
     */
    ConnectionSettings onAccepted(Connection c, ConnackPacket connack);

    /** Any packet after CONNACK except PINGRESP; runs on the reader. */
    void onPacket(Connection c, Packet p) throws IOException, InterruptedException;

    /**
     * The reader has no further whole packet buffered (it is about to wait for the network), or it
     * ends; runs on the reader. What it queued for the application since is announced now.
     */
    void onEndOfRead(Connection c);

    /** The connection failed or was closed; runs once, on whichever thread saw it first. */
    void onLost(Connection c, Throwable cause);
  }

  private final String clientId;
  private final BrokerAddress address;
  private final io.vmqtt.ConnectOptions options;
  private final Transport transport;
  private final Listener listener;
  private final PacketTrace trace;
  private final PacketCodec codec;
  private final Writer writer;
  private final Reader reader;
  private final Duration pingDelay;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CompletableFuture<ConnackPacket> connack = new CompletableFuture<>();
  private final ConcurrentLinkedQueue<CompletableFuture<Void>> pings =
      new ConcurrentLinkedQueue<>();

  /**
   * The current reader thread, null while the input is parked; replaced under {@link #readerLock}.
   */
  private volatile Thread readerThread;

  private final ReentrantLock readerLock = new ReentrantLock();

  private volatile KeepAlive keepAliveTask;
  private volatile long lastReadNanos = System.nanoTime();
  private volatile boolean readerPaused;
  private volatile boolean disconnecting;
  private volatile ConnackPacket accepted;
  private final InboundDelivery.ReadBatch readBatch = new InboundDelivery.ReadBatch();

  /** The cause an MQTT 5 DISCONNECT of ours announced; the connection fails with it. */
  private volatile Throwable finalCause;

  /** The server's Topic Aliases; used by the reader only. */
  private final InboundTopicAliases topicAliases;

  /** MQTT 5 enhanced authentication, when CONNECT carried an Authentication Method; else null. */
  private final AuthChannel auth;

  Connection(
      String clientId,
      BrokerAddress address,
      io.vmqtt.ConnectOptions options,
      Transport transport,
      Listener listener,
      PacketTrace trace,
      PacketCodec codec,
      int topicAliasMaximum,
      AuthChannel auth,
      Duration pingDelay,
      Duration operationTimeout) {
    this.clientId = clientId;
    this.address = address;
    this.options = options;
    this.transport = transport;
    this.listener = listener;
    this.trace = trace;
    this.pingDelay = pingDelay;
    this.codec = codec;
    this.topicAliases = new InboundTopicAliases(topicAliasMaximum);
    this.auth = auth;
    this.writer =
        new Writer(transport.output(), codec, trace, this, operationTimeout, Ticker.INSTANCE);
    this.reader =
        new Reader(
            new PacketReader(new ProgressInput(transport.input()), codec),
            this,
            trace,
            transport instanceof ParkableInput p ? p : null);
    this.readerThread = ClientThreads.unstarted(readerThreadName(), reader);
  }

  /** Starts the reader thread and queues CONNECT, which starts a writer thread. */
  void start(Packet connect) {
    writer.sendUrgent(connect);
    readerThread.start();
  }

  private String readerThreadName() {
    return "vmqtt-" + clientId + "-reader";
  }

  /**
   * The parked input is readable again (or a write needs the socket back, or it closed): a new
   * reader thread reads on, unless the connection has failed. Runs on the idle selector's thread.
   */
  void resumeReader() {
    // The lock orders this against awaitThreads: after a failure, no thread starts unseen.
    readerLock.lock();
    try {
      if (isOpen()) {
        readerThread = ClientThreads.start(readerThreadName(), reader::resume);
      }
    } finally {
      readerLock.unlock();
    }
  }

  /**
   * The reader parked the input and its thread ends: the connection lets go of the thread (a dead
   * virtual thread still holds its name and continuation) unless a new reader already started.
   */
  void readerParked() {
    readerLock.lock();
    try {
      if (readerThread == Thread.currentThread()) {
        readerThread = null;
      }
    } finally {
      readerLock.unlock();
    }
  }

  @Override
  public String writerThreadName() {
    return "vmqtt-" + clientId + "-writer";
  }

  /**
   * The CONNACK this connection was taken into use with, or null: set even if the connection failed
   * right after, before {@link #connack()} could complete.
   */
  ConnackPacket accepted() {
    return accepted;
  }

  /** The CONNACK, completed by the reader, or exceptionally when the connection fails first. */
  CompletableFuture<ConnackPacket> connack() {
    return connack;
  }

  /** Where this connection goes: what a reconnection after its loss goes to again. */
  BrokerAddress address() {
    return address;
  }

  /** The options it was opened with, used again by a reconnection after its loss. */
  io.vmqtt.ConnectOptions options() {
    return options;
  }

  Writer writer() {
    return writer;
  }

  /** The protocol level this connection speaks. */
  ProtocolLevel level() {
    return codec.level();
  }

  /** The server's Topic Aliases on this connection; for the reader thread only. */
  InboundTopicAliases topicAliases() {
    return topicAliases;
  }

  String describe() {
    return transport.describe();
  }

  /** The enhanced authentication of this connection, or null when CONNECT had no method. */
  AuthChannel auth() {
    return auth;
  }

  /**
   * An AUTH from the server, before or after CONNACK; runs on the reader, hands it to the thread
   * that authenticates.
   *
   * @throws ProtocolViolationException 0x82 when CONNECT had no Authentication Method
   *     [MQTT-4.12.0-6], and as {@link AuthChannel#onAuth}
   */
  void onAuth(io.vmqtt.vthreads.internal.codec.AuthPacket p) {
    if (auth == null) {
      throw new ProtocolViolationException(
          ProtocolViolationException.PROTOCOL_ERROR,
          "Protocol violation: the server sent AUTH to a client whose CONNECT had no"
              + " Authentication Method [MQTT-4.12.0-6]");
    }
    auth.onAuth(p);
  }

  String clientId() {
    return clientId;
  }

  boolean isOpen() {
    return failure.get() == null;
  }

  /** The cause the connection failed with, or null while it is open. */
  Throwable failure() {
    return failure.get();
  }

  /** Bytes were read other than through the reader's input (a keep-alive answer while parked). */
  void bytesArrived() {
    lastReadNanos = System.nanoTime();
  }

  /** When bytes last arrived, in {@link System#nanoTime()} terms; any byte is a sign of life. */
  long lastReadNanos() {
    return lastReadNanos;
  }

  /** Whether the reader waits, on purpose, for the application to take messages. */
  boolean readerPaused() {
    return readerPaused;
  }

  void readerPaused(boolean paused) {
    readerPaused = paused;
  }

  /** Called by the reader for the first packet. */
  void onConnack(ConnackPacket p) throws InterruptedException {
    // What CONNACK negotiates for the codec (MQTT 5: the server's maximum packet size) is in force
    // before the session sends anything under it.
    codec.context().onConnack(p);
    if (auth != null && !auth.approve(p)) {
      // The authenticator refused the server's data, or the connection failed meanwhile: the
      // handshake has failed it (with DISCONNECT) and says why. Nothing more is read.
      fail(failureOr("the authentication of the connection was not accepted in time"));
      return;
    }
    if (p.returnCode() != 0) {
      connack.complete(p); // a refusal: the handshake says so
      return;
    }
    ConnectionSettings settings = listener.onAccepted(this, p);
    if (settings == null) {
      // Failed meanwhile, or given up by disconnect() or close(): the connect did not succeed.
      connack.completeExceptionally(
          failureOr("the connection was given up as its CONNACK arrived"));
      return;
    }
    accepted = p;
    startKeepAlive(settings.keepAlive());
    connack.complete(p);
  }

  void onPacket(Packet p) throws IOException, InterruptedException {
    listener.onPacket(this, p);
  }

  /**
   * See {@link Listener#onEndOfRead}; the reader's. The answers it queued in the burst leave now
   * ({@link Writer#endOfRead}).
   */
  void onEndOfRead() {
    writer.endOfRead();
    listener.onEndOfRead(this);
  }

  /** What the reader queued for the application and has not announced yet; reader-confined. */
  InboundDelivery.ReadBatch readBatch() {
    return readBatch;
  }

  private void startKeepAlive(Duration keepAlive) {
    if (!isOpen()) {
      return;
    }
    KeepAlive task = new KeepAlive(this, keepAlive, pingDelay);
    keepAliveTask = task;
    task.start();
  }

  /** Registers a waiter for the next PINGRESP and sends PINGREQ. */
  CompletableFuture<Void> ping() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    pings.add(f);
    if (!writer.sendUrgent(io.vmqtt.vthreads.internal.codec.PingreqPacket.INSTANCE)) {
      pings.remove(f);
      f.completeExceptionally(failureOr("the connection is closing"));
    }
    return f;
  }

  /** PINGRESP arrived: every outstanding ping is answered. */
  void onPingresp() {
    KeepAlive k = keepAliveTask;
    if (k != null) {
      k.onPingresp();
    }
    for (CompletableFuture<Void> f; (f = pings.poll()) != null; ) {
      f.complete(null);
    }
  }

  /**
   * Queues {@code packet} (DISCONNECT) as the last packet. From now on a failure—the broker closing
   * the socket first, say—is the end the application asked for, not a lost connection.
   */
  boolean disconnect(DisconnectPacket packet) {
    disconnecting = true;
    return writer.sendLast(packet);
  }

  /** The writer wrote the final packet (DISCONNECT). */
  @Override
  public void writerFinished() {
    Throwable cause = finalCause;
    fail(cause != null ? cause : new ClosedByClient("disconnected by the application"));
  }

  /**
   * The broker broke the protocol (a malformed packet, a protocol error): with MQTT 5, once the
   * connection was accepted, DISCONNECT with the reason code of the violation (0x81 Malformed
   * Packet, 0x82 Protocol Error, 0x94 Topic Alias invalid, 0x95 Packet too large...) and its
   * message as Reason String goes out first (section 4.13.1), instead of what waits to be written;
   * then the connection fails with {@code cause}. With MQTT 3.1.1 it just fails. Runs on the
   * reader, which waits for the writer at most the write timeout.
   */
  void failWithDisconnect(ProtocolException cause) {
    failWithDisconnect(
        cause instanceof ProtocolViolationException v
            ? v.reasonCode()
            : ProtocolViolationException.PROTOCOL_ERROR,
        cause);
  }

  /**
   * As {@link #failWithDisconnect(ProtocolException)}, with reason code {@code code}: also before
   * CONNACK once the server took part in an enhanced authentication (it speaks MQTT 5), where a
   * refused exchange ends with DISCONNECT [MQTT-4.12.1-2]. Any thread; waits for the writer at most
   * the write timeout.
   */
  void failWithDisconnect(int code, Throwable cause) {
    boolean spoken = accepted != null || (auth != null && auth.received());
    if (codec.level() != ProtocolLevel.MQTT_5 || !spoken || !isOpen()) {
      fail(cause);
      return;
    }
    String reason = String.valueOf(cause.getMessage());
    if (reason.length() > MAX_REASON_STRING) {
      reason = reason.substring(0, MAX_REASON_STRING - 3) + "...";
    }
    finalCause = cause;
    if (writer.sendFinal(
        new DisconnectPacket(code, Properties.builder().reasonString(reason).build()))) {
      try {
        writer.awaitEnd(writer.writeTimeout());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    fail(cause);
  }

  /** The longest Reason String of a DISCONNECT of ours, in characters. */
  private static final int MAX_REASON_STRING = 200;

  /** Fails the connection with {@code cause} unless it already failed. Idempotent. */
  @Override
  public void fail(Throwable failureCause) {
    Throwable cause = failureCause;
    Throwable announced = finalCause;
    if (announced != null && cause != announced) {
      announced.addSuppressed(cause); // writing the DISCONNECT failed: the violation is the cause
      cause = announced;
    }
    if (disconnecting && !(cause instanceof ClosedByClient)) {
      ClosedByClient closed = new ClosedByClient("disconnected by the application");
      closed.addSuppressed(cause);
      cause = closed;
    }
    if (!failure.compareAndSet(null, cause)) {
      return;
    }
    try {
      if (writer.stalledSince() != 0) {
        transport.abort(); // a closing handshake would wait behind the stuck write
      } else {
        transport.close();
      }
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
    }
    writer.fail(cause);
    KeepAlive k = keepAliveTask;
    if (k != null) {
      k.stop();
    }
    connack.completeExceptionally(cause);
    for (CompletableFuture<Void> f; (f = pings.poll()) != null; ) {
      f.completeExceptionally(cause);
    }
    listener.onLost(this, cause);
    if (auth != null) {
      // After the client knows it is lost: a re-authentication that wakes finds it disconnected.
      auth.fail(cause);
    }
  }

  /**
   * {@link #fail} on a thread of its own, for the ticker's tasks, which must never block: closing a
   * transport may (a TLS close_notify).
   */
  void failInBackground(Throwable cause, String why) {
    ClientThreads.start("vmqtt-" + clientId + "-" + why, () -> fail(cause));
  }

  private Throwable failureOr(String message) {
    Throwable t = failure.get();
    return t != null ? t : new IOException(message);
  }

  /** The transport's input, noting when bytes arrive: {@link #lastReadNanos()}. */
  private final class ProgressInput extends java.io.FilterInputStream {
    ProgressInput(java.io.InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        lastReadNanos = System.nanoTime();
      }
      return n;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        lastReadNanos = System.nanoTime();
      }
      return b;
    }
  }

  /**
   * Waits, bounded, for the writer to finish writing what was queued before DISCONNECT (the
   * connection then ends) and for its thread to end.
   */
  boolean awaitWriter(Duration timeout) throws InterruptedException {
    return writer.awaitEnd(timeout);
  }

  /** Waits, bounded, until every thread of this connection has ended; after {@link #fail}. */
  void awaitThreads(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout.toMillis());
    Thread current;
    readerLock.lock();
    try {
      current = readerThread;
    } finally {
      readerLock.unlock();
    }
    if (current != null && current.isAlive()) {
      current.join(timeout);
    }
    long left = deadline - System.nanoTime();
    if (left > 0) {
      writer.awaitEnd(Duration.ofNanos(left));
    }
  }
}
