package io.vmqtt.vthreads.internal;

import io.vmqtt.Connack;
import io.vmqtt.ConnectException;
import io.vmqtt.ConnectOptions;
import io.vmqtt.ConnectionListener;
import io.vmqtt.ConnectionLostException;
import io.vmqtt.ConnectionState;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.MqttException;
import io.vmqtt.NotConnectedException;
import io.vmqtt.OperationTimeoutException;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.Topics;
import io.vmqtt.spi.SessionStore;
import io.vmqtt.vthreads.internal.codec.ConnackPacket;
import io.vmqtt.vthreads.internal.codec.MqttLimits;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.PubackPacket;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import io.vmqtt.vthreads.internal.codec.PubrecPacket;
import io.vmqtt.vthreads.internal.codec.SubackPacket;
import io.vmqtt.vthreads.internal.codec.SubscribePacket;
import io.vmqtt.vthreads.internal.codec.UnsubscribePacket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MqttClient} on virtual threads. Each call runs in the caller's thread and waits there
 * for its acknowledgement; the connection's reader and writer threads (and the JVM-wide ticker)
 * only queue and complete. With {@code auto_reconnect}, a lost connection is reopened by a
 * reconnect thread while waiting calls go on waiting; the {@link Session} resends what was in
 * flight.
 *
 * <p>Thread-safe: connect, disconnect and reconnection attempts are serialised by {@link
 * #connectLock}; everything else runs concurrently.
 */
public final class DefaultMqttClient implements MqttClient, Connection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultMqttClient.class);
  private static final Duration THREAD_EXIT_WAIT = Duration.ofSeconds(2);

  private final String clientId;
  private final MqttConfig config;
  private final PacketTrace trace;
  private final Session session;
  private final IncomingQueue incoming;
  private final PacketHandler handler;
  private final Reconnector reconnector;
  private final EventDispatcher events;
  private final ReentrantLock connectLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final InsecureTlsWarning insecureTls;

  private volatile ConnectionState state = ConnectionState.DISCONNECTED;

  /** The connection being opened or open; written under {@link #connectLock}. */
  private volatile Connection connection;

  /**
   * Where the last accepted connection went, and with which options: what {@code reconnect()} and
   * automatic reconnection use. Written when a connection is accepted, before it can be lost.
   */
  private volatile BrokerAddress lastAddress;

  private volatile ConnectOptions lastOptions;
  private volatile Connack lastConnack;
  private volatile boolean cleanSession;
  private volatile boolean autoReconnecting;
  private volatile Thread reconnectThread;

  /** Which reconnect loop is the current one; older loops stop. Written under connectLock. */
  private volatile long reconnectLoop;

  public DefaultMqttClient(String clientId, MqttConfig config) {
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.config = Objects.requireNonNull(config, "config");
    this.trace = new PacketTrace(clientId.isEmpty() ? "<empty client id>" : clientId);
    this.session = new Session(clientId, config, openStore(clientId, config));
    this.incoming =
        new IncomingQueue(
            clientId,
            config.incomingQueueSize(),
            config.incomingQueueBytes(),
            config.incomingOverflow());
    this.handler = new PacketHandler(clientId, session, incoming);
    this.reconnector = new Reconnector(config);
    this.events = new EventDispatcher(clientId);
    this.cleanSession = config.cleanSession();
    this.insecureTls = new InsecureTlsWarning(clientId);
  }

  private static io.vmqtt.spi.PersistentSession openStore(String clientId, MqttConfig config) {
    if (config.sessionStore().isEmpty()) {
      return NoStore.INSTANCE;
    }
    SessionStore store = config.sessionStore().get();
    try {
      return store.open(clientId);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the session of client '" + clientId + "' in " + store + ": " + e, e);
    }
  }

  @Override
  public String clientId() {
    return clientId;
  }

  @Override
  public MqttConfig config() {
    return config;
  }

  @Override
  public Connack connect(String uri, ConnectOptions options) throws InterruptedException {
    Objects.requireNonNull(options, "options");
    BrokerAddress address = BrokerAddress.parse(uri);
    insecureTls.check(options.tls().orElse(config.tls()));
    connectLock.lockInterruptibly();
    try {
      requireOpen();
      if (session.live() != null || autoReconnecting) {
        throw new IllegalStateException(
            "client "
                + clientId
                + " is already "
                + (autoReconnecting ? "reconnecting to " : "connected to ")
                + lastAddress
                + "; call disconnect() first");
      }
      state = ConnectionState.CONNECTING;
      try {
        return open(address, options);
      } catch (RuntimeException | InterruptedException e) {
        stateAfterFailedConnect();
        throw e;
      }
    } finally {
      connectLock.unlock();
    }
  }

  @Override
  public Connack reconnect() throws InterruptedException {
    connectLock.lockInterruptibly();
    try {
      requireOpen();
      if (lastAddress == null) {
        throw new IllegalStateException(
            "reconnect() of client " + clientId + " needs an earlier successful connect(uri)");
      }
      if (autoReconnecting) {
        throw new IllegalStateException(
            "client "
                + clientId
                + " is reconnecting by itself (auto_reconnect); disconnect()"
                + " first to reconnect by hand");
      }
      if (session.live() != null) {
        LOG.warn("client {}: reconnect() called while connected; nothing to do", clientId);
        return lastConnack;
      }
      state = ConnectionState.CONNECTING;
      try {
        return reconnector.run(
            () -> open(lastAddress, lastOptions), lastAddress.toString(), false, null);
      } catch (RuntimeException | InterruptedException e) {
        stateAfterFailedConnect();
        throw e;
      }
    } finally {
      connectLock.unlock();
    }
  }

  private void stateAfterFailedConnect() {
    if (!closed.get()) {
      state = session.live() != null ? ConnectionState.CONNECTED : ConnectionState.DISCONNECTED;
    }
  }

  /**
   * Opens a transport, sends CONNECT and waits for CONNACK, all within connect_timeout. Called with
   * {@link #connectLock} held.
   */
  private Connack open(BrokerAddress address, ConnectOptions options) throws InterruptedException {
    requireOpen();
    Handshake handshake = new Handshake(clientId, config, trace, this);
    Connection c = handshake.start(address, options);
    connection = c;
    Connack ack = handshake.await(c, address);
    LOG.debug(
        "client {} connected to {} (session present: {})", clientId, address, ack.sessionPresent());
    return ack;
  }

  @Override
  public PublishResult publish(String topic, byte[] payload) throws InterruptedException {
    Topics.requireValidName(topic, "topic");
    return publish(topic, payload, config.qosFor(topic), config.retainFor(topic));
  }

  @Override
  public PublishResult publish(String topic, byte[] payload, QoS qos, boolean retain)
      throws InterruptedException {
    Topics.requireValidName(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(qos, "qos");
    requireFits(topic, payload);
    requireOpen();
    What what = () -> "publish to '" + topic + "' at QoS " + qos.value();
    Duration timeout = config.operationTimeout();
    long deadline = Session.deadline(timeout);
    if (qos == QoS.AT_MOST_ONCE) {
      publishQos0(
          new PublishPacket(topic, payload, qos, retain, false, 0), what, deadline, timeout);
      return new PublishResult(qos, 0);
    }
    OutboundFlow flow =
        session.enqueue(
            id -> new PublishPacket(topic, payload, qos, retain, false, id),
            UnsentQueue.bytes(topic, payload.length),
            qos == QoS.AT_LEAST_ONCE ? OutboundFlow.Awaiting.PUBACK : OutboundFlow.Awaiting.PUBREC,
            what,
            deadline,
            timeout);
    Packet ack = await(flow, what, timeout);
    // A broker without QoS 2 may acknowledge a QoS 2 publish with PUBACK (see PacketHandler).
    return new PublishResult(ack instanceof PubackPacket ? QoS.AT_LEAST_ONCE : qos, flow.packetId);
  }

  /** Straight to the writer when connected and nothing waits; else queued or refused offline. */
  private void publishQos0(PublishPacket p, What what, long deadline, Duration timeout)
      throws InterruptedException {
    Connection c = session.live();
    if (c != null && session.nothingQueued()) {
      try {
        c.writer().send(p, what, deadline, timeout);
        return;
      } catch (ConnectionLostException e) {
        if (!autoReconnecting && !config.autoReconnect()) {
          throw e;
        }
        // The connection just failed: treat this publish as made while reconnecting.
      }
    }
    if (session.live() == null && config.offlineQos0() == MqttConfig.OfflinePolicy.FAIL) {
      throw new NotConnectedException(
          what.describe()
              + " failed: client "
              + clientId
              + " is not connected (offline_qos0 fail)");
    }
    session.enqueue(
        i -> p,
        UnsentQueue.bytes(p.topic(), p.payload().length),
        OutboundFlow.Awaiting.NOTHING,
        what,
        deadline,
        timeout);
  }

  private static void requireFits(String topic, byte[] payload) {
    long room = MqttLimits.MAX_REMAINING_LENGTH - 4L - topic.length() * 3L;
    if (payload.length > room) {
      throw new IllegalArgumentException(
          "payload of "
              + payload.length
              + " bytes does not fit in one PUBLISH to '"
              + topic
              + "' (remaining length at most "
              + MqttLimits.MAX_REMAINING_LENGTH
              + ")");
    }
  }

  @Override
  public List<Integer> subscribe(List<Subscription> subscriptions) throws InterruptedException {
    Objects.requireNonNull(subscriptions, "subscriptions");
    if (subscriptions.isEmpty()) {
      throw new IllegalArgumentException(
          "subscriptions must not be empty: SUBSCRIBE needs at least one topic filter"
              + " [MQTT-3.8.3-3]");
    }
    List<Subscription> copy = List.copyOf(subscriptions);
    requireOpen();
    What what = () -> "subscribe to " + copy.stream().map(Subscription::topicFilter).toList();
    Duration timeout = config.operationTimeout();
    long deadline = Session.deadline(timeout);
    OutboundFlow flow =
        session.enqueue(
            id -> new SubscribePacket(id, copy),
            0,
            OutboundFlow.Awaiting.SUBACK,
            what,
            deadline,
            timeout);
    return ((SubackPacket) await(flow, what, timeout)).returnCodes();
  }

  @Override
  public void unsubscribe(List<String> topicFilters) throws InterruptedException {
    Objects.requireNonNull(topicFilters, "topicFilters");
    if (topicFilters.isEmpty()) {
      throw new IllegalArgumentException(
          "topicFilters must not be empty: UNSUBSCRIBE needs at least one topic filter"
              + " [MQTT-3.10.3-2]");
    }
    for (int i = 0; i < topicFilters.size(); i++) {
      Topics.requireValidFilter(topicFilters.get(i), "topicFilters[" + i + "]");
    }
    List<String> copy = List.copyOf(topicFilters);
    requireOpen();
    What what = () -> "unsubscribe from " + copy;
    Duration timeout = config.operationTimeout();
    long deadline = Session.deadline(timeout);
    OutboundFlow flow =
        session.enqueue(
            id -> new UnsubscribePacket(id, copy),
            0,
            OutboundFlow.Awaiting.UNSUBACK,
            what,
            deadline,
            timeout);
    await(flow, what, timeout);
  }

  /**
   * Waits for a flow's last acknowledgement. A flow stays in the session when the wait times out or
   * is interrupted: it is still sent, resent and completed, and its packet id stays taken until
   * then, so it is never reused early.
   */
  private Packet await(OutboundFlow flow, What what, Duration timeout) throws InterruptedException {
    try {
      // Untimed: the Ticker ends the wait at the flow's deadline (see Session.expireWaiters).
      return flow.result.get();
    } catch (InterruptedException e) {
      InterruptedException stays =
          new InterruptedException(
              what.describe()
                  + " interrupted (packet id "
                  + flow.packetId
                  + ", still in the"
                  + " session: it is sent and completed when the connection allows)");
      stays.initCause(e);
      throw stays;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof FlowTimedOut) {
        throw new OperationTimeoutException(
            what.describe()
                + " (packet id "
                + flow.packetId
                + ", still in the session: it is"
                + " sent and completed when the connection allows)",
            timeout);
      }
      throw connectionLost(what.describe(), e.getCause());
    }
  }

  @Override
  public void ping() throws InterruptedException {
    requireOpen();
    Duration timeout = config.operationTimeout();
    long deadline = Session.deadline(timeout);
    Connection c = session.awaitLive(() -> "ping", deadline, timeout);
    CompletableFuture<Void> pong = c.ping();
    try {
      pong.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new OperationTimeoutException("ping (no PINGRESP)", timeout);
    } catch (ExecutionException e) {
      throw connectionLost("ping", e.getCause());
    }
  }

  private MqttException connectionLost(String what, Throwable cause) {
    if (cause instanceof ClosedByClient) {
      return new ConnectionLostException(
          what + " failed: the client disconnected (" + cause.getMessage() + ")", cause);
    }
    return new ConnectionLostException(
        what + " failed: the connection of client " + clientId + " was lost: " + cause, cause);
  }

  @Override
  public void disconnect() throws InterruptedException {
    connectLock.lockInterruptibly();
    try {
      session.forgetSubscriptions();
      if (autoReconnecting) {
        state = ConnectionState.DISCONNECTED;
        stopReconnecting(new ClosedByClient("disconnected by the application"));
        return;
      }
      Connection c = connection;
      if (c == null || !c.isOpen()) {
        return;
      }
      if (c.disconnect() && !c.awaitWriter(config.operationTimeout())) {
        LOG.warn(
            "client {}: DISCONNECT not written within {} ms; closing",
            clientId,
            config.operationTimeout().toMillis());
      }
      c.fail(new ClosedByClient("disconnected by the application"));
      c.awaitThreads(THREAD_EXIT_WAIT);
    } finally {
      connectLock.unlock();
    }
  }

  @Override
  public Message deliverMessage() throws InterruptedException {
    try {
      return take(-1);
    } catch (TimeoutException e) {
      throw new IllegalStateException("an unbounded wait timed out", e);
    }
  }

  @Override
  public Message deliverMessage(Duration timeout) throws InterruptedException, TimeoutException {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
    }
    return take(timeout.toNanos());
  }

  /** Takes the next message and acknowledges it to the broker: the application now has it. */
  private Message take(long timeoutNanos) throws InterruptedException, TimeoutException {
    IncomingQueue.Entry e = incoming.take(timeoutNanos);
    Message m = e.message();
    if (m.qos() != QoS.AT_MOST_ONCE && ackDue(m, e.epoch())) {
      Connection c = session.live();
      if (c != null) {
        c.writer()
            .sendAck(
                m.qos() == QoS.AT_LEAST_ONCE
                    ? new PubackPacket(m.packetId())
                    : new PubrecPacket(m.packetId()));
      }
    }
    return m;
  }

  private boolean ackDue(Message m, long epoch) {
    try {
      return session.onTaken(m.qos(), m.packetId(), epoch);
    } catch (IOException ex) {
      // Without the record, a redelivery could be handed over twice: let the broker resend.
      LOG.error(
          "client {}: could not store inbound QoS 2 packet id {}; not acknowledged: {}",
          clientId,
          m.packetId(),
          ex.toString());
      return false;
    }
  }

  @Override
  public boolean isConnected() {
    return session.live() != null;
  }

  @Override
  public ConnectionState state() {
    return state;
  }

  @Override
  public void addConnectionListener(ConnectionListener listener) {
    events.add(listener);
  }

  @Override
  public void removeConnectionListener(ConnectionListener listener) {
    events.remove(listener);
  }

  @Override
  public long droppedMessages() {
    return incoming.dropped();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    state = ConnectionState.CLOSED;
    reconnector.close();
    Connection c = connection;
    if (c != null) {
      c.fail(new ClosedByClient("client closed"));
    }
    if (autoReconnecting) {
      stopReconnecting(new ClosedByClient("client closed"));
    }
    incoming.onConnectionLost(null, false);
    try {
      if (c != null) {
        c.awaitThreads(THREAD_EXIT_WAIT);
      }
      Thread r = reconnectThread;
      if (r != null) {
        r.join(THREAD_EXIT_WAIT);
      }
      events.awaitIdle(THREAD_EXIT_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      session.close();
    } catch (IOException e) {
      LOG.warn("client {}: closing the session store failed: {}", clientId, e.toString());
    }
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("client " + clientId + " is closed");
    }
  }

  // Connection.Listener: these run on the connection's threads.

  @Override
  public boolean onAccepted(Connection c, ConnackPacket connack) {
    Connack ack = new Connack(connack.returnCode(), connack.sessionPresent());
    boolean accepted;
    try {
      accepted =
          session.onAccepted(
              c, connack.sessionPresent(), config.restoreSubscriptions(), () -> attached(c, ack));
    } catch (IOException e) {
      c.fail(e);
      return true; // it was attached; its loss is being handled
    }
    if (accepted) {
      incoming.onConnected();
    }
    return accepted;
  }

  /**
   * What an accept changes, run by the session before anything is written on the connection and
   * atomically with respect to its loss: so a loss right after CONNACK always comes after it, in
   * state and in the events listeners hear. Only records and queues.
   */
  private void attached(Connection c, Connack ack) {
    lastAddress = c.address();
    lastOptions = c.options();
    lastConnack = ack;
    cleanSession = c.options().cleanSession().orElse(config.cleanSession());
    boolean automatic = autoReconnecting;
    autoReconnecting = false;
    if (!closed.get()) {
      state = ConnectionState.CONNECTED;
    }
    if (automatic) {
      events.fire(l -> l.reconnected(ack));
    } else {
      events.fire(l -> l.connected(ack));
    }
  }

  @Override
  public void onPacket(Connection c, Packet p) throws IOException, InterruptedException {
    handler.handle(c, p);
  }

  @Override
  public void onLost(Connection c, Throwable cause) {
    boolean deliberate = cause instanceof ClosedByClient;
    boolean keepWaiting = !deliberate && config.autoReconnect() && !closed.get();
    if (!session.detach(c, keepWaiting)) {
      return;
    }
    if (keepWaiting) {
      autoReconnecting = true;
      state = ConnectionState.CONNECTING;
      incoming.onConnectionLost(cause, true);
      long loop = ++reconnectLoop;
      reconnectThread =
          ClientThreads.start(
              "vmqtt-" + clientId + "-reconnect", () -> reconnectLoop(loop, c.address()));
    } else {
      if (!closed.get()) {
        state = ConnectionState.DISCONNECTED; // before waiters wake, so they see it
      }
      failWaiters(cause, cleanSession);
      incoming.onConnectionLost(deliberate ? null : cause, false);
    }
    if (deliberate) {
      LOG.debug(
          "client {}: connection to {} closed ({})", clientId, c.describe(), cause.getMessage());
    } else if (isUnexpected(cause)) {
      events.fire(l -> l.connectionLost(cause));
      LOG.error(
          "client {}: connection to {} failed unexpectedly{}",
          clientId,
          c.describe(),
          keepWaiting ? "; reconnecting" : "",
          cause);
    } else {
      events.fire(l -> l.connectionLost(cause));
      LOG.warn(
          "client {}: connection to {} lost: {}{}",
          clientId,
          c.describe(),
          cause,
          keepWaiting ? "; reconnecting" : "");
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
          () -> attemptReconnect(loop),
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

  private Connack attemptReconnect(long loop) throws InterruptedException {
    connectLock.lockInterruptibly();
    try {
      if (closed.get() || !autoReconnecting || loop != reconnectLoop) {
        throw new ConnectException(
            "reconnection of client " + clientId + " stopped",
            new ClosedByClient("stopped by the application"));
      }
      // State, autoReconnecting and the event are set by onAccepted, on the reader.
      return open(lastAddress, lastOptions);
    } finally {
      connectLock.unlock();
    }
  }

  /** Automatic reconnection gave up: waiting calls fail, unless the application stopped it. */
  private void giveUp(long loop, ConnectException e) {
    connectLock.lock();
    try {
      if (!autoReconnecting || closed.get() || loop != reconnectLoop) {
        return; // stopped by disconnect() or close(), or a newer loop has taken over
      }
      // The state first: a caller woken by the failure must not still see CONNECTING.
      state = ConnectionState.DISCONNECTED;
      stopReconnecting(e);
    } finally {
      connectLock.unlock();
    }
    LOG.warn("client {}: gave up reconnecting: {}", clientId, e.getMessage());
    events.fire(l -> l.reconnectFailed(e, true));
  }

  /** Ends automatic reconnection; waiting calls fail with {@code cause}. */
  private void stopReconnecting(Throwable cause) {
    autoReconnecting = false;
    reconnector.cancel();
    failWaiters(cause, cleanSession);
    incoming.onConnectionLost(cause instanceof ClosedByClient ? null : cause, false);
  }

  /** Waiting calls fail; a clean session's flows are dropped, a persistent one's kept. */
  private void failWaiters(Throwable cause, boolean discard) {
    try {
      session.stopWaiting(cause, discard);
    } catch (IOException e) {
      LOG.error("client {}: the session store failed: {}", clientId, e.toString());
    }
  }

  @Override
  public String toString() {
    return "MqttClient[" + clientId + ", " + state + "]";
  }
}
