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
import io.vmqtt.OperationTimeoutException;
import io.vmqtt.ProtocolException;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.Topics;
import io.vmqtt.spi.Transport;
import io.vmqtt.spi.TransportTarget;
import io.vmqtt.vthreads.internal.codec.ConnackPacket;
import io.vmqtt.vthreads.internal.codec.ConnectPacket;
import io.vmqtt.vthreads.internal.codec.MqttLimits;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.PubackPacket;
import io.vmqtt.vthreads.internal.codec.PubcompPacket;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import io.vmqtt.vthreads.internal.codec.PubrecPacket;
import io.vmqtt.vthreads.internal.codec.PubrelPacket;
import io.vmqtt.vthreads.internal.codec.SubackPacket;
import io.vmqtt.vthreads.internal.codec.SubscribePacket;
import io.vmqtt.vthreads.internal.codec.UnsubackPacket;
import io.vmqtt.vthreads.internal.codec.UnsubscribePacket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * for its acknowledgement; the connection's reader, writer and keep-alive threads only queue and
 * complete. Thread-safe: connect, disconnect and reconnect are serialised by {@link #connectLock};
 * everything else runs concurrently.
 */
public final class DefaultMqttClient implements MqttClient, Connection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultMqttClient.class);
  private static final Duration THREAD_EXIT_WAIT = Duration.ofSeconds(2);

  private final String clientId;
  private final MqttConfig config;
  private final PacketTrace trace;
  private final Session session;
  private final IncomingQueue incoming;
  private final Reconnector reconnector;
  private final EventDispatcher events;
  private volatile ConnectionState state = ConnectionState.DISCONNECTED;
  private final ReentrantLock connectLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** The connection being opened or open; written under {@link #connectLock}. */
  private volatile Connection connection;

  /** Where the last successful connect went, for {@link #reconnect()}; guarded by connectLock. */
  private BrokerAddress lastAddress;

  private ConnectOptions lastOptions;
  private volatile Connack lastConnack;

  public DefaultMqttClient(String clientId, MqttConfig config) {
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.config = Objects.requireNonNull(config, "config");
    this.trace = new PacketTrace(clientId.isEmpty() ? "<empty client id>" : clientId);
    this.session = new Session(config.maxInflight());
    this.incoming =
        new IncomingQueue(clientId, config.incomingQueueSize(), config.incomingOverflow());
    this.reconnector = new Reconnector(config);
    this.events = new EventDispatcher(clientId);
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
    connectLock.lockInterruptibly();
    try {
      requireOpen();
      if (session.live() != null) {
        throw new IllegalStateException(
            "client " + clientId + " is already connected to " + connection.describe()
                + "; call disconnect() first");
      }
      Connack ack = open(address, options);
      lastAddress = address;
      lastOptions = options;
      events.fire(l -> l.connected(ack));
      return ack;
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
      if (session.live() != null) {
        LOG.warn("client {}: reconnect() called while connected; nothing to do", clientId);
        return lastConnack;
      }
      Connack ack = reconnector.run(() -> open(lastAddress, lastOptions), lastAddress.toString());
      events.fire(l -> l.connected(ack));
      return ack;
    } finally {
      connectLock.unlock();
    }
  }

  /** Opens a transport, sends CONNECT and waits for CONNACK, all within connect_timeout. */
  private Connack open(BrokerAddress address, ConnectOptions options)
      throws InterruptedException {
    state = ConnectionState.CONNECTING;
    try {
      Connack ack = handshake(address, options);
      state = session.live() != null ? ConnectionState.CONNECTED : ConnectionState.DISCONNECTED;
      return ack;
    } catch (RuntimeException | InterruptedException | Error e) {
      if (!closed.get()) {
        state = ConnectionState.DISCONNECTED;
      }
      throw e;
    }
  }

  private Connack handshake(BrokerAddress address, ConnectOptions options)
      throws InterruptedException {
    Duration timeout = config.connectTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    Transport transport;
    try {
      transport =
          address
              .provider()
              .open(
                  new TransportTarget(
                      address.uri(), address.host(), address.port(), timeout, options, config));
    } catch (IOException | RuntimeException e) {
      throw new ConnectException("cannot connect to " + address + ": " + e.getMessage(), e);
    }
    Connection c =
        new Connection(
            clientId,
            transport,
            this,
            trace,
            config.maxPacketSize(),
            config.protocolVersion(),
            config.keepAlive(),
            config.pingDelay());
    connection = c;
    c.start(connectPacket(address, options));
    ConnackPacket ack = awaitConnack(c, address, deadline, timeout);
    if (ack.returnCode() != Connack.ACCEPTED) {
      c.fail(new ClosedByClient("CONNACK refused"));
      throw new ConnectException(
          "broker "
              + address
              + " refused the connection of client '"
              + clientId
              + "': return code "
              + Connack.describe(ack.returnCode()),
          ack.returnCode());
    }
    Connack result = new Connack(ack.returnCode(), ack.sessionPresent());
    lastConnack = result;
    LOG.debug("client {} connected to {} (session present: {})", clientId, address,
        ack.sessionPresent());
    return result;
  }

  private ConnackPacket awaitConnack(
      Connection c, BrokerAddress address, long deadline, Duration timeout)
      throws InterruptedException {
    try {
      return c.connack().get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      ConnectException failure =
          new ConnectException(
              "no CONNACK from " + address + " within " + timeout.toMillis()
                  + " ms (connect_timeout)",
              e);
      c.fail(failure);
      throw failure;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new ConnectException(
          "connection to " + address + " failed before CONNACK: " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      c.fail(new ClosedByClient("connect interrupted"));
      throw e;
    }
  }

  private ConnectPacket connectPacket(BrokerAddress address, ConnectOptions options) {
    String username = config.username().orElse(null);
    byte[] password = config.password().orElse(null);
    if (address.username() != null) {
      username = address.username();
      password =
          address.password() == null ? null : address.password().getBytes(StandardCharsets.UTF_8);
    }
    if (options.username().isPresent()) {
      username = options.username().get();
      password = options.password().orElse(null);
    }
    return new ConnectPacket(
        config.protocolVersion(),
        clientId,
        options.cleanSession().orElse(config.cleanSession()),
        (int) config.keepAlive().toSeconds(),
        config.will().orElse(null),
        username,
        password);
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
    String what = "publish to '" + topic + "' at QoS " + qos.value();
    Duration timeout = config.operationTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    if (qos == QoS.AT_MOST_ONCE) {
      Connection c = session.requireLive(what, clientId);
      c.writer().send(new PublishPacket(topic, payload, qos, retain, false, 0), what, deadline,
          timeout);
      return new PublishResult(qos, 0);
    }
    if (!session.inflightSlots().tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
      throw new OperationTimeoutException(
          what + " waited for one of the " + config.maxInflight() + " in-flight slots (max_inflight)",
          timeout);
    }
    OutboundFlow flow;
    try {
      flow =
          session.register(
              id -> new PublishPacket(topic, payload, qos, retain, false, id),
              qos == QoS.AT_LEAST_ONCE ? OutboundFlow.Awaiting.PUBACK : OutboundFlow.Awaiting.PUBREC,
              true,
              what,
              clientId);
    } catch (RuntimeException e) {
      session.inflightSlots().release();
      throw e;
    }
    sendAndAwait(flow, what, deadline, timeout);
    return new PublishResult(qos, flow.packetId);
  }

  private static void requireFits(String topic, byte[] payload) {
    long room = MqttLimits.MAX_REMAINING_LENGTH - 4L - topic.length() * 3L;
    if (payload.length > room) {
      throw new IllegalArgumentException(
          "payload of " + payload.length + " bytes does not fit in one PUBLISH to '" + topic
              + "' (remaining length at most " + MqttLimits.MAX_REMAINING_LENGTH + ")");
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
    String what = "subscribe to " + copy.stream().map(Subscription::topicFilter).toList();
    Duration timeout = config.operationTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    OutboundFlow flow =
        session.register(
            id -> new SubscribePacket(id, copy), OutboundFlow.Awaiting.SUBACK, false, what,
            clientId);
    SubackPacket ack = (SubackPacket) sendAndAwait(flow, what, deadline, timeout);
    return ack.returnCodes();
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
    String what = "unsubscribe from " + copy;
    Duration timeout = config.operationTimeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    OutboundFlow flow =
        session.register(
            id -> new UnsubscribePacket(id, copy), OutboundFlow.Awaiting.UNSUBACK, false, what,
            clientId);
    sendAndAwait(flow, what, deadline, timeout);
  }

  /**
   * Queues a flow's packet and waits for its last acknowledgement. A flow whose packet was queued
   * stays in the session when the wait times out or is interrupted: its packet id stays taken
   * until the acknowledgement arrives or the connection ends, so it is never reused early.
   */
  private Packet sendAndAwait(OutboundFlow flow, String what, long deadline, Duration timeout)
      throws InterruptedException {
    try {
      flow.connection.writer().send(flow.packet, what, deadline, timeout);
    } catch (OperationTimeoutException | InterruptedException e) {
      session.abandon(flow);
      throw e;
    } catch (ConnectionLostException e) {
      // The connection failed; its failure ends this flow too, which the wait below reports.
    }
    try {
      return flow.result.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new OperationTimeoutException(
          what + " (packet id " + flow.packetId + ", still in flight: it completes if the"
              + " acknowledgement arrives later)",
          timeout);
    } catch (ExecutionException e) {
      throw connectionLost(what, e.getCause());
    }
  }

  @Override
  public void ping() throws InterruptedException {
    requireOpen();
    Duration timeout = config.operationTimeout();
    CompletableFuture<Void> pong = session.requireLive("ping", clientId).ping();
    try {
      pong.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
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
      Connection c = connection;
      if (c == null || !c.isOpen()) {
        return;
      }
      if (c.disconnect()
          && !c.awaitWriter(config.operationTimeout())) {
        LOG.warn("client {}: DISCONNECT not written within {} ms; closing", clientId,
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
    Packet ack = session.onTaken(e.message(), e.epoch());
    Connection c = session.live();
    if (ack != null && c != null) {
      c.writer().sendUrgent(ack);
    }
    return e.message();
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
    reconnector.cancel();
    Connection c = connection;
    if (c != null) {
      c.fail(new ClosedByClient("client closed"));
      try {
        c.awaitThreads(THREAD_EXIT_WAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    incoming.onConnectionLost(null);
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("client " + clientId + " is closed");
    }
  }

  // Connection.Listener: these run on the connection's threads.

  @Override
  public void onAccepted(Connection c, ConnackPacket connack) {
    session.onAccepted(c, connack.sessionPresent());
    incoming.onConnected();
  }

  @Override
  public void onPacket(Connection c, Packet p) throws IOException {
    switch (p) {
      case PublishPacket pub -> onPublish(c, pub);
      case PubackPacket ack -> complete(ack.packetId(), OutboundFlow.Awaiting.PUBACK, ack);
      case PubrecPacket rec -> onPubrec(c, rec.packetId());
      case PubrelPacket rel -> {
        session.onRelease(rel.packetId());
        c.writer().sendUrgent(new PubcompPacket(rel.packetId()));
      }
      case PubcompPacket comp -> complete(comp.packetId(), OutboundFlow.Awaiting.PUBCOMP, comp);
      case SubackPacket ack -> onSuback(ack);
      case UnsubackPacket ack -> complete(ack.packetId(), OutboundFlow.Awaiting.UNSUBACK, ack);
      default ->
          throw new ProtocolException(
              "Protocol violation: the server sent " + p.type() + ", which only a client sends");
    }
  }

  private void onPublish(Connection c, PublishPacket p) {
    switch (session.onInboundPublish(p)) {
      case DELIVER ->
          incoming.offer(
              new Message(p.topic(), p.payload(), p.qos(), p.retain(), p.dup(), p.packetId()),
              session.epoch());
      case REPEAT_PUBREC -> c.writer().sendUrgent(new PubrecPacket(p.packetId()));
      case ALREADY_QUEUED -> {
        // Acknowledged when the application takes the queued copy.
      }
    }
  }

  private void onPubrec(Connection c, int packetId) {
    OutboundFlow flow = session.flow(packetId);
    if (flow != null && flow.awaiting == OutboundFlow.Awaiting.PUBREC) {
      flow.awaiting = OutboundFlow.Awaiting.PUBCOMP;
    } else if (flow != null) {
      LOG.warn("client {}: PUBREC for packet id {} which awaits {}; ignored", clientId, packetId,
          flow.awaiting);
      return;
    }
    // [MQTT-4.3.3-2]: PUBREL answers PUBREC, also for an id this session no longer knows.
    c.writer().sendUrgent(new PubrelPacket(packetId));
  }

  private void onSuback(SubackPacket ack) {
    OutboundFlow flow = session.flow(ack.packetId());
    if (flow != null && flow.packet instanceof SubscribePacket sub
        && sub.subscriptions().size() != ack.returnCodes().size()) {
      throw new ProtocolException(
          "Protocol violation: SUBACK for packet id " + ack.packetId() + " has "
              + ack.returnCodes().size() + " return codes for " + sub.subscriptions().size()
              + " topic filters [MQTT-3.8.4-5]");
    }
    complete(ack.packetId(), OutboundFlow.Awaiting.SUBACK, ack);
  }

  private void complete(int packetId, OutboundFlow.Awaiting expected, Packet ack) {
    OutboundFlow flow = session.flow(packetId);
    if (flow == null || flow.awaiting != expected) {
      LOG.warn("client {}: {} for packet id {} which {}; ignored", clientId, ack.type(), packetId,
          flow == null ? "is not in flight" : "awaits " + flow.awaiting);
      return;
    }
    session.complete(flow, ack);
  }

  @Override
  public void onLost(Connection c, Throwable cause) {
    boolean wasLive = session.live() == c;
    session.onConnectionLost(c, cause);
    if (!wasLive) {
      return;
    }
    if (!closed.get()) {
      state = ConnectionState.DISCONNECTED;
    }
    if (cause instanceof ClosedByClient) {
      incoming.onConnectionLost(null);
      LOG.debug("client {}: connection to {} closed ({})", clientId, c.describe(),
          cause.getMessage());
    } else {
      incoming.onConnectionLost(cause);
      events.fire(l -> l.connectionLost(cause));
      LOG.warn("client {}: connection to {} lost: {}", clientId, c.describe(), cause.toString());
    }
  }

  @Override
  public String toString() {
    return "MqttClient[" + clientId + (isConnected() ? ", connected" : "") + "]";
  }
}
