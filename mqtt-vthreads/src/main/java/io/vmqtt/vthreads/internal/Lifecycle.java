package io.vmqtt.vthreads.internal;

import io.vmqtt.Connack;
import io.vmqtt.ConnectException;
import io.vmqtt.ConnectOptions;
import io.vmqtt.ConnectionState;
import io.vmqtt.DisconnectOptions;
import io.vmqtt.DisconnectedByBrokerException;
import io.vmqtt.MqttConfig;
import io.vmqtt.MqttException;
import io.vmqtt.NotConnectedException;
import io.vmqtt.OperationTimeoutException;
import io.vmqtt.vthreads.internal.codec.ConnackPacket;
import io.vmqtt.vthreads.internal.codec.DisconnectPacket;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.Properties;
import io.vmqtt.vthreads.internal.codec.ProtocolLevel;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a client's connection stands, and every change of it: connect, accept, loss, automatic and
 * manual reconnection, disconnect and close. One lock guards one sealed {@link State}; the
 * connection's callbacks ({@link Connection.Listener}) and the application's calls both go through
 * it, so a loss right after an accept, a disconnect during a handshake or a close during a
 * reconnection each find one well-defined state. The lock is never held across a wait for the
 * network: an attempt records its connection in the state before starting it, and its CONNACK,
 * arriving on the reader, finds it there.
 *
 * <p>What a change does elsewhere is done here, in order, under the lock: the {@link Session}
 * attaches or detaches the connection and fails or keeps waiting calls, {@link InboundDelivery}
 * lets takers wait or wakes them, listeners hear the event (queued on {@link Dispatcher}, so never
 * run here). Lock order: this lock, then the session's; nothing the session or the delivery calls
 * comes back here.
 *
 * <p>Thread-safe.
 */
final class Lifecycle implements Connection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);
  private static final Duration THREAD_EXIT_WAIT = Duration.ofSeconds(2);

  /** Where the connection stands. */
  sealed interface State {}

  /** No connection, and nobody opening one. */
  record Disconnected() implements State {}

  /** The application is connecting (or reconnecting by hand); {@code attempt} may be null. */
  record Connecting(Connection attempt) implements Attempting {
    @Override
    public Attempting with(Connection c) {
      return new Connecting(c);
    }
  }

  /** Connected: {@code connection} was accepted with {@code settings}. */
  record Connected(Connection connection, ConnectionSettings settings) implements State {}

  /** Automatic reconnection number {@code loop} runs; {@code attempt} may be null. */
  record Reconnecting(long loop, Connection attempt) implements Attempting {
    @Override
    public Attempting with(Connection c) {
      return new Reconnecting(loop, c);
    }
  }

  /** Closed for good. */
  record Closed() implements State {}

  /** A state in which a connection attempt may be under way. */
  sealed interface Attempting extends State permits Connecting, Reconnecting {
    /** The connection being opened, or null between attempts. */
    Connection attempt();

    /** The same state with {@code c} as its attempt. */
    Attempting with(Connection c);
  }

  private final String clientId;
  private final MqttConfig config;
  private final PacketTrace trace;
  private final Session session;
  private final InboundDelivery delivery;
  private final PacketHandler handler;
  private final Reconnector reconnector;
  private final Dispatcher events;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  /** Guarded by {@link #lock} for writes; read without it (a snapshot). */
  private volatile State state = new Disconnected();

  /** Where the last accepted connection went, with which options and answer. Guarded. */
  private BrokerAddress lastAddress;

  private ConnectOptions lastOptions;
  private Connack lastConnack;
  private boolean lastCleanSession;
  private long loops;
  private volatile Thread reconnectThread;

  /**
   * What the last accepted connection settled; null before the first. Written under the lock, read
   * without it: publishes check against it while reconnecting too.
   */
  private volatile ConnectionSettings lastSettings;

  /**
   * The client identifier an MQTT 5 broker assigned to the empty one (section 3.2.2.3.7), used by
   * every later CONNECT so that the session it keeps is resumed; null when none was. Guarded.
   */
  private String assignedClientId;

  Lifecycle(
      String clientId,
      MqttConfig config,
      PacketTrace trace,
      Session session,
      InboundDelivery delivery,
      Dispatcher events) {
    this.clientId = clientId;
    this.config = config;
    this.trace = trace;
    this.session = session;
    this.delivery = delivery;
    this.events = events;
    this.handler = new PacketHandler(clientId, session, delivery);
    this.reconnector = new Reconnector(config);
    this.lastCleanSession = config.cleanSession();
  }

  /** The live connection, or null when there is none. */
  Connection connection() {
    return state instanceof Connected c ? c.connection() : null;
  }

  /**
   * What the live connection settled, or while there is none the last accepted one's; null before
   * the first connection was accepted.
   */
  ConnectionSettings settings() {
    return state instanceof Connected c ? c.settings() : lastSettings;
  }

  /** The CONNACK of the last accepted connection; null before the first. */
  Connack connack() {
    lock.lock();
    try {
      return lastConnack;
    } finally {
      lock.unlock();
    }
  }

  /** The state as the API names it. */
  ConnectionState publicState() {
    return switch (state) {
      case Disconnected d -> ConnectionState.DISCONNECTED;
      case Connecting c -> ConnectionState.CONNECTING;
      case Connected c -> ConnectionState.CONNECTED;
      case Reconnecting r -> ConnectionState.CONNECTING;
      case Closed c -> ConnectionState.CLOSED;
    };
  }

  /**
   * Connects to {@code address}: the application's {@code connect}.
   *
   * @throws IllegalStateException when already connected, connecting or reconnecting, or closed
   * @throws ConnectException when the attempt fails or is refused
   */
  Connack connect(BrokerAddress address, ConnectOptions options) throws InterruptedException {
    Connecting connecting = new Connecting(null);
    lock.lockInterruptibly();
    try {
      requireDisconnected("connect");
      state = connecting;
    } finally {
      lock.unlock();
    }
    try {
      return attempt(connecting, address, options);
    } catch (RuntimeException | InterruptedException e) {
      endAttempts(connecting);
      throw e;
    }
  }

  private void requireDisconnected(String what) {
    switch (state) {
      case Disconnected d -> {}
      case Closed c -> throw closed();
      case Connected c ->
          throw new IllegalStateException(
              "client "
                  + clientId
                  + " is already connected to "
                  + lastAddress
                  + "; call disconnect() first");
      case Connecting c ->
          throw new IllegalStateException(
              "client "
                  + clientId
                  + " is already connecting (another call's connect or reconnect); "
                  + what
                  + " after it, or disconnect() first");
      case Reconnecting r ->
          throw new IllegalStateException(
              "client "
                  + clientId
                  + " is already reconnecting to "
                  + lastAddress
                  + "; call disconnect() first");
    }
  }

  private IllegalStateException closed() {
    return new IllegalStateException("client " + clientId + " is closed");
  }

  /**
   * Connects again to where the last accepted connection went, retrying as {@code
   * reconnect_retries} says: the application's {@code reconnect()}.
   *
   * @throws IllegalStateException when no connection was ever accepted, the client reconnects by
   *     itself or is closed
   */
  Connack reconnect() throws InterruptedException {
    Connecting connecting = new Connecting(null);
    BrokerAddress address;
    ConnectOptions options;
    lock.lockInterruptibly();
    try {
      if (state instanceof Closed) {
        throw closed();
      }
      if (lastAddress == null) {
        throw new IllegalStateException(
            "reconnect() of client " + clientId + " needs an earlier successful connect(uri)");
      }
      if (state instanceof Reconnecting) {
        throw new IllegalStateException(
            "client "
                + clientId
                + " is reconnecting by itself (auto_reconnect); disconnect()"
                + " first to reconnect by hand");
      }
      if (state instanceof Connected) {
        LOG.warn("client {}: reconnect() called while connected; nothing to do", clientId);
        return lastConnack;
      }
      requireDisconnected("reconnect");
      state = connecting;
      address = lastAddress;
      options = lastOptions;
    } finally {
      lock.unlock();
    }
    try {
      return reconnector.run(
          () -> attempt(connecting, address, options), address.toString(), false, null);
    } catch (RuntimeException | InterruptedException e) {
      endAttempts(connecting);
      throw e;
    }
  }

  /**
   * The attempts under {@code during} are over without success: disconnected, unless something else
   * happened meanwhile (accepted and lost, disconnected, closed). A failed attempt always leaves
   * {@code during} itself as the state.
   */
  private void endAttempts(Attempting during) {
    lock.lock();
    try {
      if (state == during) {
        state = new Disconnected();
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * One connection attempt while in {@code during}: opens the transport, records the connection in
   * the state (so its CONNACK finds it), starts it and waits for CONNACK. A failed attempt leaves
   * the state as {@code during} was, for the next attempt.
   *
   * @throws ConnectException when it fails, is refused, or {@code during} ended meanwhile
   */
  private Connack attempt(Attempting during, BrokerAddress address, ConnectOptions options)
      throws InterruptedException {
    String id;
    lock.lock();
    try {
      id = assignedClientId != null ? assignedClientId : clientId;
    } finally {
      lock.unlock();
    }
    Handshake handshake = new Handshake(id, config, trace, this);
    Connection c = handshake.open(address, options);
    Attempting registered = during.with(c);
    lock.lock();
    try {
      if (state != during) {
        c.fail(new ClosedByClient("stopped by the application"));
        throw new ConnectException(
            "connection of client " + clientId + " to " + address + " stopped",
            new ClosedByClient("stopped by the application"));
      }
      state = registered;
    } finally {
      lock.unlock();
    }
    handshake.start(c);
    try {
      Connack ack = handshake.await(c, address);
      LOG.debug(
          "client {} connected to {} (session present: {})",
          clientId,
          address,
          ack.sessionPresent());
      return ack;
    } catch (RuntimeException | InterruptedException e) {
      lock.lock();
      try {
        if (state == registered) {
          state = during; // for the next attempt, if any
        }
      } finally {
        lock.unlock();
      }
      throw e;
    }
  }

  /**
   * Waits, until {@code deadline}, while the client reconnects by itself; returns the live
   * connection.
   *
   * @throws NotConnectedException when neither connected nor reconnecting
   * @throws OperationTimeoutException when the reconnection does not finish in time
   */
  Connection awaitConnection(What what, long deadline, Duration timeout)
      throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (state instanceof Reconnecting) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new OperationTimeoutException(
              what.describe() + " waited for the reconnection", timeout);
        }
        changed.awaitNanos(left);
      }
      if (state instanceof Connected c) {
        return c.connection();
      }
      throw new NotConnectedException(
          what.describe() + " failed: client " + clientId + " is not connected");
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the connection with DISCONNECT as {@code options} say, or stops connecting or
   * reconnecting. The session's subscriptions are forgotten: the application ended them.
   *
   * @throws MqttException when the live connection cannot send that DISCONNECT; nothing changes
   */
  void disconnect(DisconnectOptions options) throws InterruptedException {
    Connection c;
    DisconnectPacket packet;
    lock.lockInterruptibly();
    try {
      if (state instanceof Connected connected) {
        packet = disconnectPacket(options, connected.settings());
      } else {
        packet = DisconnectPacket.INSTANCE;
      }
      session.forgetSubscriptions();
      switch (state) {
        case Connected connected -> c = connected.connection();
        case Reconnecting r -> {
          state = new Disconnected();
          changed.signalAll();
          stopReconnecting(new ClosedByClient("disconnected by the application"));
          return;
        }
        case Connecting connecting -> {
          // Stops the retries of a reconnect() and fails the handshake under way.
          state = new Disconnected();
          changed.signalAll();
          reconnector.cancel();
          if (connecting.attempt() != null) {
            connecting.attempt().fail(new ClosedByClient("disconnected by the application"));
          }
          return;
        }
        case Disconnected d -> {
          return;
        }
        case Closed closed -> {
          return;
        }
      }
    } finally {
      lock.unlock();
    }
    if (c.disconnect(packet) && !c.awaitWriter(config.operationTimeout())) {
      LOG.warn(
          "client {}: DISCONNECT not written within {} ms; closing",
          clientId,
          config.operationTimeout().toMillis());
    }
    c.fail(new ClosedByClient("disconnected by the application"));
    c.awaitThreads(THREAD_EXIT_WAIT);
  }

  /**
   * The DISCONNECT that {@code options} ask for on a connection with {@code settings}: MQTT 3.1.1
   * has only the plain one; with MQTT 5 a Session Expiry Interval may not turn a session that was
   * to end with the connection (CONNECT's interval 0) into one that outlives it (section
   * 3.14.2.2.2: "it is a Protocol Error to set a non-zero Session Expiry Interval in the DISCONNECT
   * packet sent by the Client" then).
   *
   * @throws MqttException when the connection cannot send it
   */
  private DisconnectPacket disconnectPacket(
      DisconnectOptions options, ConnectionSettings settings) {
    if (!options.hasMqtt5Properties()) {
      return DisconnectPacket.INSTANCE;
    }
    if (settings.level() != ProtocolLevel.MQTT_5) {
      throw new MqttException(
          "disconnect with "
              + options
              + " failed before sending: that needs protocol_version 5; the connection speaks "
              + settings.level()
              + ", whose DISCONNECT says nothing");
    }
    Properties.Builder p = Properties.builder();
    if (options.sessionExpiryInterval().isPresent()) {
      long seconds = options.sessionExpiryInterval().get().toSeconds();
      if (seconds != 0 && settings.sessionExpiryInterval() == 0) {
        throw new MqttException(
            "disconnect with "
                + options
                + " failed before sending: CONNECT's Session Expiry Interval was 0, and raising it"
                + " in DISCONNECT is a Protocol Error (section 3.14.2.2.2); connect with a"
                + " session_expiry_interval (or cleansession false) to keep the session");
      }
      p.sessionExpiryInterval(seconds);
    }
    options.reasonString().ifPresent(p::reasonString);
    options.userProperties().forEach(u -> p.userProperty(u.name(), u.value()));
    return new DisconnectPacket(options.reasonCode().value(), p.build());
  }

  /**
   * Closes for good: the connection without DISCONNECT (so the broker publishes the will), every
   * waiting call fails, every thread ends (waited for, bounded), the session store closes.
   * Idempotent.
   */
  void close() {
    State before;
    ClosedByClient cause = new ClosedByClient("client closed");
    lock.lock();
    try {
      before = state;
      if (before instanceof Closed) {
        return;
      }
      state = new Closed();
      changed.signalAll();
      reconnector.close();
      if (before instanceof Connected || before instanceof Reconnecting) {
        session.detach(false);
        failWaiters(cause, lastCleanSession);
      }
      delivery.onConnectionLost(null, false);
    } finally {
      lock.unlock();
    }
    Connection c =
        switch (before) {
          case Connected connected -> connected.connection();
          case Attempting attempting -> attempting.attempt();
          default -> null;
        };
    try {
      if (c != null) {
        c.fail(cause);
        c.awaitThreads(THREAD_EXIT_WAIT);
      }
      Thread r = reconnectThread;
      if (r != null) {
        r.join(THREAD_EXIT_WAIT);
      }
      events.close(THREAD_EXIT_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      session.close();
    } catch (IOException e) {
      LOG.warn("client {}: closing the session store failed: {}", clientId, e.toString());
    }
  }

  // Connection.Listener: these run on the connection's threads.

  @Override
  public ConnectionSettings onAccepted(Connection c, ConnackPacket connack) {
    Connack ack = ReceivedProperties.connack(connack, c.level());
    ConnectionSettings settings = ConnectionSettings.of(c.level(), config, c.options(), connack);
    IOException storeFailure = null;
    lock.lock();
    try {
      if (!(state instanceof Attempting a) || a.attempt() != c || !c.isOpen()) {
        return null; // given up by disconnect() or close(), or failed meanwhile
      }
      boolean automatic = state instanceof Reconnecting;
      try {
        session.attach(
            c.writer(), settings, connack.sessionPresent(), config.restoreSubscriptions());
      } catch (IOException e) {
        storeFailure = e; // attached all the same; the connection fails below, as a loss
      }
      delivery.onConnected(c);
      lastAddress = c.address();
      lastOptions = c.options();
      lastConnack = ack;
      lastCleanSession = settings.cleanSession();
      lastSettings = settings;
      if (!settings.assignedClientId().isEmpty()) {
        assignedClientId = settings.assignedClientId();
        LOG.debug("client {}: the broker assigned client id {}", clientId, assignedClientId);
      }
      state = new Connected(c, settings);
      changed.signalAll();
      if (automatic) {
        events.fire(l -> l.reconnected(ack));
      } else {
        events.fire(l -> l.connected(ack));
      }
    } finally {
      lock.unlock();
    }
    delivery.afterConnected(connack.sessionPresent());
    if (storeFailure != null) {
      c.fail(storeFailure);
    }
    return settings;
  }

  @Override
  public void onPacket(Connection c, Packet p) throws IOException, InterruptedException {
    handler.handle(c, p);
  }

  @Override
  public void onEndOfRead(Connection c) {
    delivery.endOfRead(c);
  }

  @Override
  public void onLost(Connection c, Throwable cause) {
    boolean deliberate = cause instanceof ClosedByClient;
    boolean reconnecting;
    lock.lock();
    try {
      if (!(state instanceof Connected connected) || connected.connection() != c) {
        return; // an attempt never accepted: its handshake reports the failure
      }
      // A broker's DISCONNECT with a permanent reason (0x8E Session taken over, 0x9C Use another
      // server...) stops automatic reconnection: the same attempt would be refused or cut again.
      boolean permanent = cause instanceof DisconnectedByBrokerException d && d.isPermanent();
      reconnecting = !deliberate && !permanent && config.autoReconnect();
      session.detach(reconnecting);
      if (reconnecting) {
        long loop = ++loops;
        state = new Reconnecting(loop, null);
        delivery.onConnectionLost(cause, true);
        reconnectThread =
            ClientThreads.start(
                "vmqtt-" + clientId + "-reconnect", () -> reconnectLoop(loop, c.address()));
      } else {
        state = new Disconnected();
        failWaiters(cause, lastCleanSession);
        delivery.onConnectionLost(deliberate ? null : cause, false);
      }
      changed.signalAll();
      if (!deliberate) {
        events.fire(l -> l.connectionLost(cause));
      }
    } finally {
      lock.unlock();
    }
    logLoss(c, cause, deliberate, reconnecting);
  }

  private void logLoss(Connection c, Throwable cause, boolean deliberate, boolean reconnecting) {
    String then =
        reconnecting
            ? "; reconnecting"
            : config.autoReconnect() && cause instanceof DisconnectedByBrokerException
                ? "; not reconnecting: a permanent reason"
                : "";
    if (deliberate) {
      LOG.debug(
          "client {}: connection to {} closed ({})", clientId, c.describe(), cause.getMessage());
    } else if (isUnexpected(cause)) {
      LOG.error(
          "client {}: connection to {} failed unexpectedly{}", clientId, c.describe(), then, cause);
    } else {
      LOG.warn("client {}: connection to {} lost: {}{}", clientId, c.describe(), cause, then);
    }
  }

  /**
   * Neither the network nor the broker: a bug on one of the client's threads. Logged with its stack
   * trace, where a network failure gets one line.
   */
  private static boolean isUnexpected(Throwable cause) {
    return !(cause instanceof IOException || cause instanceof MqttException);
  }

  /**
   * Runs on the reconnect thread until a reconnection is accepted, or it gives up. Anything else it
   * meets (a bug) ends automatic reconnection too, so the client never stays "connecting" with
   * nobody reconnecting: waiting calls fail with it as the cause, and it is logged once.
   */
  private void reconnectLoop(long loop, BrokerAddress lost) {
    try {
      reconnector.run(
          () -> reconnectAttempt(loop),
          lost.toString(),
          true,
          (cause, attempt, wait) -> events.fire(l -> l.reconnectFailed(cause, false)));
    } catch (ConnectException e) {
      giveUp(loop, e);
    } catch (InterruptedException e) {
      giveUp(loop, new ConnectException("reconnection of client " + clientId + " interrupted", e));
    } catch (RuntimeException | Error e) {
      LOG.error("client {}: automatic reconnection to {} failed unexpectedly", clientId, lost, e);
      giveUp(
          loop,
          new ConnectException(
              "automatic reconnection of client " + clientId + " to " + lost + " failed: " + e, e));
    }
  }

  private Connack reconnectAttempt(long loop) throws InterruptedException {
    Reconnecting during;
    BrokerAddress address;
    ConnectOptions options;
    lock.lockInterruptibly();
    try {
      if (!(state instanceof Reconnecting r) || r.loop() != loop) {
        throw new ConnectException(
            "reconnection of client " + clientId + " stopped",
            new ClosedByClient("stopped by the application"));
      }
      during = r;
      address = lastAddress;
      options = lastOptions;
    } finally {
      lock.unlock();
    }
    // The state becomes Connected, and listeners hear it, when the reader accepts the CONNACK.
    return attempt(during, address, options);
  }

  /** Automatic reconnection gave up: waiting calls fail, unless the application stopped it. */
  private void giveUp(long loop, ConnectException e) {
    lock.lock();
    try {
      if (!(state instanceof Reconnecting r) || r.loop() != loop) {
        return; // stopped by disconnect() or close(), or accepted after all
      }
      // The state first: a caller woken by the failure must not still see CONNECTING.
      state = new Disconnected();
      changed.signalAll();
      stopReconnecting(e);
      events.fire(l -> l.reconnectFailed(e, true));
    } finally {
      lock.unlock();
    }
    LOG.warn("client {}: gave up reconnecting: {}", clientId, e.getMessage());
  }

  /** Ends automatic reconnection; waiting calls fail with {@code cause}. Under the lock. */
  private void stopReconnecting(Throwable cause) {
    reconnector.cancel();
    failWaiters(cause, lastCleanSession);
    delivery.onConnectionLost(cause instanceof ClosedByClient ? null : cause, false);
  }

  /** Waiting calls fail; a clean session's flows are dropped, a persistent one's kept. */
  private void failWaiters(Throwable cause, boolean discard) {
    try {
      session.stopWaiting(cause, discard);
    } catch (IOException e) {
      LOG.error("client {}: the session store failed: {}", clientId, e.toString());
    }
  }
}
