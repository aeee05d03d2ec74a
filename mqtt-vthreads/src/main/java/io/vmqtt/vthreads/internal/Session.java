package io.vmqtt.vthreads.internal;

import io.vmqtt.ConnectionLostException;
import io.vmqtt.MqttConfig;
import io.vmqtt.MqttConfig.QueueOverflow;
import io.vmqtt.MqttException;
import io.vmqtt.NotConnectedException;
import io.vmqtt.OperationTimeoutException;
import io.vmqtt.QoS;
import io.vmqtt.spi.PersistentSession;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.ProtocolLevel;
import io.vmqtt.vthreads.internal.codec.SubackPacket;
import io.vmqtt.vthreads.internal.codec.SubscribePacket;
import io.vmqtt.vthreads.internal.codec.UnsubscribePacket;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The MQTT session of one client, which outlives its connections. Its parts, each guarded by the
 * session's lock: the outbound flows and their packet ids ({@link OutboundFlows}), the in-flight
 * window that paces them ({@link Pump}), the granted subscriptions ({@link SubscriptionRegistry})
 * and the inbound QoS 1/2 state ({@link InboundState}); plus the store that keeps them across
 * processes, and where flows are written now ({@link PacketSink}, none while no connection is
 * live).
 *
 * <p>A flow is stored (for QoS 1/2 publishes) before it is written, written while the window has
 * room, and kept until its last acknowledgement, across lost connections: when the next connection
 * is accepted, every flow is written again in its original order—PUBLISH with DUP, or PUBREL past
 * PUBREC—before any new one. Deadlines of waiting callers are watched by a task of the {@link
 * TickSource}, against the injected clock, so that the session is tested without sockets or time.
 *
 * <p>Thread-safe: every field below {@link #lock} is guarded by it. The lock is held only for
 * bookkeeping and queueing to the sink, never across store I/O or a wait for the network.
 */
final class Session {
  private final String clientId;
  private final int maxQueued;
  private final long maxQueuedBytes;
  private final QueueOverflow overflow;

  /**
   * Where the session is kept. Set once more at most, by {@link #adoptStore}, when the broker
   * assigned the client id; read without the lock (store I/O never holds it).
   */
  private volatile PersistentSession store;

  private final TickSource ticks;
  private final LongSupplier clock;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final OutboundFlows flows = new OutboundFlows();
  private final Pump pump = new Pump();
  private final SubscriptionRegistry subscriptions = new SubscriptionRegistry();
  private final InboundState inbound;

  /** {@code receive_maximum}: what an MQTT 5 connection announces in CONNECT. */
  private final int receiveMaximum;

  private PacketSink sink;
  private boolean reconnecting;
  private boolean ticking;

  private final Ticker.Task expiry =
      new Ticker.Task() {
        @Override
        public void tick(long nowNanos) {
          expireWaiters(nowNanos);
        }

        @Override
        public void failed(Throwable cause) {
          failWaiters(cause);
        }
      };

  /**
   * @param ticks runs the task that ends callers' waits at their deadlines
   * @param clock the time deadlines are measured in, as {@link System#nanoTime()}
   */
  Session(
      String clientId,
      MqttConfig config,
      PersistentSession store,
      TickSource ticks,
      LongSupplier clock) {
    this.clientId = clientId;
    this.maxQueued = config.maxQueuedMessages();
    this.maxQueuedBytes = config.maxQueuedBytes();
    this.overflow = config.queueOverflow();
    this.receiveMaximum = config.receiveMaximum();
    this.store = store;
    this.ticks = ticks;
    this.clock = clock;
    this.inbound = new InboundState(store.inboundAwaitingRelease());
    flows.restore(store.outbound());
  }

  /**
   * Keeps the session in {@code opened} from now on: the store of the client id the broker assigned
   * to the empty one (section 3.2.2.3.7), which only then exists. It is called for the first
   * CONNACK that assigns one, before {@link #attach}; no flow is held by then (publishing needs a
   * connection that was accepted once), so what {@code opened} holds from an earlier process with
   * that id is taken as the constructor takes it.
   *
   * @throws IllegalStateException when the session has a store already
   */
  void adoptStore(PersistentSession opened) {
    lock.lock();
    try {
      if (store != NoStore.INSTANCE) {
        throw new IllegalStateException("the session of client " + clientId + " has a store");
      }
      store = opened;
      inbound.restore(opened.inboundAwaitingRelease());
      flows.restore(opened.outbound());
    } finally {
      lock.unlock();
    }
  }

  /** Whether nothing waits to be written, so a QoS 0 publish may go straight to the writer. */
  boolean nothingQueued() {
    return flows.unsent().size() == 0;
  }

  /**
   * Adds a flow at the end of the queue—allocating a packet id unless it awaits nothing, and
   * storing a QoS 1/2 publish before anything is written—and writes it when the window allows.
   *
   * @param bytes what the flow holds, against {@code max_queued_bytes}
   * @throws NotConnectedException when the client is neither connected nor reconnecting
   * @throws OperationTimeoutException when the queue stays full until the deadline
   * @throws MqttException when the queue is full and {@code queue_overflow} is {@code fail}, or the
   *     store fails
   */
  OutboundFlow enqueue(
      IntFunction<Packet> packetFor,
      long bytes,
      OutboundFlow.Awaiting awaiting,
      What what,
      long deadline,
      Duration timeout)
      throws InterruptedException {
    OutboundFlow flow;
    lock.lockInterruptibly();
    try {
      awaitRoom(bytes, what, deadline, timeout);
      flow = flows.create(packetFor, awaiting, what, deadline);
      startTicking();
      if (!flow.isReliablePublish()) {
        queue(flow);
        return flow;
      }
    } finally {
      lock.unlock();
    }
    store(flow, what);
    lock.lock();
    try {
      queue(flow);
    } finally {
      lock.unlock();
    }
    return flow;
  }

  /**
   * Waits while the queue of what waits to be written has no room for {@code bytes} more: {@code
   * max_queued_messages} flows or {@code max_queued_bytes} bytes; a flow larger than the whole byte
   * bound has room when the queue is empty.
   */
  private void awaitRoom(long bytes, What what, long deadline, Duration timeout)
      throws InterruptedException {
    requireAccepting(what);
    UnsentQueue unsent = flows.unsent();
    while (unsent.size() >= maxQueued
        || !unsent.isEmpty() && unsent.bytes() + bytes > maxQueuedBytes) {
      String full =
          unsent.size()
              + " messages of "
              + unsent.bytes()
              + " bytes already wait to be sent (max_queued_messages "
              + maxQueued
              + ", max_queued_bytes "
              + maxQueuedBytes;
      if (overflow == QueueOverflow.FAIL) {
        throw new MqttException(what.describe() + " failed: " + full + ", queue_overflow fail)");
      }
      long left = deadline - clock.getAsLong();
      if (left <= 0) {
        throw new OperationTimeoutException(
            what.describe() + " waited for room: " + full + ")", timeout);
      }
      changed.awaitNanos(left);
      requireAccepting(what);
    }
  }

  private void requireAccepting(What what) {
    if (sink == null && !reconnecting) {
      throw new NotConnectedException(
          what.describe() + " failed: client " + clientId + " is not connected");
    }
  }

  private void store(OutboundFlow flow, What what) {
    if (store == NoStore.INSTANCE) {
      return;
    }
    try {
      store.outboundAdded(flow.stored());
    } catch (IOException | RuntimeException e) {
      lock.lock();
      try {
        flows.release(flow);
      } finally {
        lock.unlock();
      }
      throw new MqttException(
          what.describe() + " failed: the session store could not keep it: " + e, e);
    }
  }

  private void queue(OutboundFlow flow) {
    flows.unsent().add(flow);
    pumpAndSignal();
  }

  private void pumpAndSignal() {
    pump.pump(flows.unsent(), sink);
    changed.signalAll();
  }

  private void startTicking() {
    if (!ticking) {
      ticking = true;
      ticks.register(expiry);
    }
  }

  /**
   * Ends the wait of every caller whose deadline has passed, with {@link FlowTimedOut}; the flows
   * themselves stay, to be sent and completed. Runs on the tick source, so that waiting callers
   * park without a timer of their own. Stops ticking when nothing is left to watch.
   */
  void expireWaiters(long now) {
    List<OutboundFlow> expired = new ArrayList<>();
    lock.lock();
    try {
      for (OutboundFlow f : flows.held()) {
        if (now - f.deadline >= 0 && !f.result.isDone()) {
          expired.add(f);
        }
      }
      for (OutboundFlow f : flows.unsent()) {
        if (f.packetId == 0 && now - f.deadline >= 0 && !f.result.isDone()) {
          expired.add(f);
        }
      }
      if (expired.isEmpty() && flows.isEmpty()) {
        ticking = false;
        ticks.unregister(expiry);
      }
    } finally {
      lock.unlock();
    }
    expired.forEach(f -> f.result.fail(new FlowTimedOut()));
  }

  /**
   * Watching deadlines failed (a bug): every caller still waiting wakes with {@code cause} rather
   * than waiting for a timeout that would never come. The flows themselves stay.
   */
  private void failWaiters(Throwable cause) {
    List<OutboundFlow> waiting = new ArrayList<>();
    lock.lock();
    try {
      ticking = false;
      flows.held().stream().filter(f -> !f.result.isDone()).forEach(waiting::add);
      flows.unsent().stream()
          .filter(f -> f.packetId == 0 && !f.result.isDone())
          .forEach(waiting::add);
    } finally {
      lock.unlock();
    }
    waiting.forEach(f -> f.result.fail(cause));
  }

  /** The flow holding this packet identifier, or null. */
  OutboundFlow flow(int packetId) {
    lock.lock();
    try {
      return flows.get(packetId);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The last acknowledgement of a flow arrived: the store forgets it first (so its id is never
   * reused while the store still holds it), then its id and window slot are freed, a granted
   * subscription is recorded, and its caller woken.
   */
  void complete(OutboundFlow flow, Packet ack) throws IOException {
    if (end(flow, ack)) {
      flow.result.complete(ack);
    }
  }

  /**
   * The broker refused a publish (MQTT 5: PUBACK or PUBREC with an error reason code): the flow
   * ends as {@link #complete} ends it—forgotten by the store, its id and window slot freed—and its
   * caller wakes with {@code refusal}.
   */
  void refuse(OutboundFlow flow, Packet ack, RuntimeException refusal) throws IOException {
    if (end(flow, ack)) {
      flow.result.fail(refusal);
    }
  }

  /** Ends a flow on its last acknowledgement; false when it had ended already. */
  private boolean end(OutboundFlow flow, Packet ack) throws IOException {
    if (flow.isReliablePublish()) {
      store.outboundRemoved(flow.packetId);
    }
    lock.lock();
    try {
      if (!flows.release(flow)) {
        return false;
      }
      pump.leave(flow);
      if (flow.packet instanceof SubscribePacket sub && ack instanceof SubackPacket suback) {
        subscriptions.subscribed(sub, suback);
      } else if (flow.packet instanceof UnsubscribePacket unsub) {
        subscriptions.unsubscribed(unsub);
      }
      pumpAndSignal();
    } finally {
      lock.unlock();
    }
    return true;
  }

  /** PUBREC arrived: the store learns it first, then PUBREL is what the flow sends. */
  void released(OutboundFlow flow) throws IOException {
    store.outboundReleased(flow.packetId);
    flow.awaiting = OutboundFlow.Awaiting.PUBCOMP;
  }

  /**
   * A connection was accepted: flows go to {@code to} from now on, within the window its settings
   * allow, every kept flow written again in original order. When the broker kept no session,
   * inbound state is forgotten, the subscriptions are restored first, and QoS 2 flows past PUBREC
   * end with an error: the broker had the message but dropped its session before PUBREL, and
   * brokers differ on whether it was routed (mosquitto routes on PUBREL, so it was not), so neither
   * "delivered" nor a resend would be honest.
   *
   * @throws IOException when the store cannot record what the lost broker session ended
   */
  void attach(
      PacketSink to,
      ConnectionSettings settings,
      boolean sessionPresent,
      boolean restoreSubscriptions)
      throws IOException {
    List<OutboundFlow> unfinished = List.of();
    List<Integer> forgotten = List.of();
    lock.lock();
    try {
      sink = to;
      reconnecting = false;
      inbound.receiveMaximum(
          settings.level() == ProtocolLevel.MQTT_5 ? receiveMaximum : Integer.MAX_VALUE);
      pump.reset(settings.inflightWindow(), flows.held());
      flows.requeueAll();
      if (!sessionPresent) {
        forgotten = inbound.reset();
        unfinished = flows.removeReleased();
        if (restoreSubscriptions && !subscriptions.isEmpty()) {
          // createFirst puts each before the others: the last group goes in first.
          List<List<io.vmqtt.Subscription>> groups =
              subscriptions.all(settings.level() == ProtocolLevel.MQTT_5);
          for (List<io.vmqtt.Subscription> group : groups.reversed()) {
            flows.createFirst(id -> new SubscribePacket(id, group), OutboundFlow.Awaiting.SUBACK);
          }
        }
      }
      pumpAndSignal();
    } finally {
      lock.unlock();
    }
    for (int id : forgotten) {
      store.inboundReleased(id);
    }
    for (OutboundFlow f : unfinished) {
      store.outboundRemoved(f.packetId);
      f.result.fail(
          new ConnectionLostException(
              "the broker's session ended between PUBREC and PUBCOMP of packet id "
                  + f.packetId
                  + ": whether the message was delivered is unknown (cleansession=false makes"
                  + " QoS 2 exactly-once across reconnections)",
              null));
    }
  }

  /**
   * The live connection is gone. Flows stay; with {@code reconnecting}, new calls are still
   * accepted and queued for the next connection. Callers that are not to go on waiting are failed
   * afterwards with {@link #stopWaiting}.
   */
  void detach(boolean reconnecting) {
    lock.lock();
    try {
      sink = null;
      this.reconnecting = reconnecting;
      pump.reset(0, flows.held());
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * No connection follows for now: waiting callers fail with {@code cause}. When {@code discard},
   * the flows are dropped too (nothing can resume them); else they are kept for the next connect.
   */
  void stopWaiting(Throwable cause, boolean discard) throws IOException {
    List<OutboundFlow> failed = new ArrayList<>();
    List<OutboundFlow> dropped = new ArrayList<>();
    lock.lock();
    try {
      reconnecting = false;
      failed.addAll(flows.held());
      List<OutboundFlow> qos0 = flows.removeUnsentQos0();
      failed.addAll(qos0);
      dropped.addAll(qos0);
      if (discard) {
        dropped.addAll(flows.removeAll());
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (OutboundFlow f : dropped) {
      if (f.isReliablePublish()) {
        store.outboundRemoved(f.packetId);
      }
    }
    failed.forEach(f -> f.result.fail(cause));
  }

  /** The application ended the session (disconnect): its subscriptions are not restored. */
  void forgetSubscriptions() {
    lock.lock();
    try {
      subscriptions.clear();
    } finally {
      lock.unlock();
    }
  }

  // Inbound.

  InboundState.Verdict onInboundPublish(QoS qos, int packetId) {
    lock.lock();
    try {
      return inbound.onPublish(qos, packetId);
    } finally {
      lock.unlock();
    }
  }

  /** Changes only on the reader thread (on accept), which is where it is read without the lock. */
  long epoch() {
    return inbound.epoch();
  }

  /**
   * The application has handled a QoS 1/2 message; a QoS 2 one is stored as received before its
   * PUBREC may be sent. Returns whether an acknowledgement is due (false for a message of a session
   * the broker has since discarded).
   */
  boolean onInboundHandled(QoS qos, int packetId, long messageEpoch) throws IOException {
    boolean due;
    lock.lock();
    try {
      due = inbound.onHandled(qos, packetId, messageEpoch);
    } finally {
      lock.unlock();
    }
    if (due && qos == QoS.EXACTLY_ONCE) {
      store.inboundReceived(packetId);
    }
    return due;
  }

  /** See {@link InboundState#onSettled}. */
  void onInboundSettled(long messageEpoch, int packetId) {
    lock.lock();
    try {
      inbound.onSettled(messageEpoch, packetId);
    } finally {
      lock.unlock();
    }
  }

  /** PUBREL arrived: stored before PUBCOMP is sent. */
  void onRelease(int packetId) throws IOException {
    store.inboundReleased(packetId);
    lock.lock();
    try {
      inbound.onRelease(packetId);
    } finally {
      lock.unlock();
    }
  }

  /** Closes the store; called once, when the client closes. */
  void close() throws IOException {
    lock.lock();
    try {
      ticking = false;
      ticks.unregister(expiry);
    } finally {
      lock.unlock();
    }
    store.close();
  }

  /** The {@link System#nanoTime()} by which a call with this timeout must end. */
  static long deadline(Duration timeout) {
    long nanos =
        timeout.compareTo(Duration.ofDays(365)) > 0
            ? TimeUnit.DAYS.toNanos(365)
            : timeout.toNanos();
    return System.nanoTime() + nanos;
  }
}
