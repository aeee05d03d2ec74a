package io.vmqtt.vthreads.internal;

import io.vmqtt.ConnectionLostException;
import io.vmqtt.MqttConfig;
import io.vmqtt.MqttConfig.QueueOverflow;
import io.vmqtt.MqttException;
import io.vmqtt.NotConnectedException;
import io.vmqtt.OperationTimeoutException;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.spi.PersistentSession;
import io.vmqtt.spi.StoredPublish;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.SubscribePacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * The MQTT session of one client, which outlives its connections: the outbound flows in their
 * original order and the packet ids they hold, the queue of what waits to be written, the in-flight
 * window, inbound QoS 1/2 state, the subscriptions, and which connection is live.
 *
 * <p>A flow is stored (for QoS 1/2 publishes) before it is written, written while the window
 * ({@code max_inflight}) has room, and kept until its last acknowledgement, across lost
 * connections: when the next connection is accepted, every flow is written again in its original
 * order—PUBLISH with DUP, or PUBREL past PUBREC—before any new one.
 *
 * <p>Thread-safe: every field below {@link #lock} is guarded by it. The lock is held only for
 * bookkeeping and queueing to the writer, never across store I/O or a wait for the network.
 */
final class Session {
  private static final int MAX_PACKET_ID = 65_535;

  private final String clientId;
  private final int maxInflight;
  private final int maxQueued;
  private final long maxQueuedBytes;
  private final QueueOverflow overflow;
  private final PersistentSession store;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final LinkedHashMap<Integer, OutboundFlow> flows = new LinkedHashMap<>();
  private final UnsentQueue unsent = new UnsentQueue();
  private final LinkedHashMap<String, QoS> subscriptions = new LinkedHashMap<>();
  private final InboundState inbound;
  private int windowUsed;
  private int nextPacketId = 1;
  private long nextSequence;
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
  private volatile Connection live;

  Session(String clientId, MqttConfig config, PersistentSession store) {
    this.clientId = clientId;
    this.maxInflight = config.maxInflight();
    this.maxQueued = config.maxQueuedMessages();
    this.maxQueuedBytes = config.maxQueuedBytes();
    this.overflow = config.queueOverflow();
    this.store = store;
    this.inbound = new InboundState(store.inboundAwaitingRelease());
    for (StoredPublish s : store.outbound()) {
      OutboundFlow f = OutboundFlow.restored(nextSequence++, s);
      flows.put(f.packetId, f);
      unsent.add(f);
      nextPacketId = s.packetId() == MAX_PACKET_ID ? 1 : s.packetId() + 1;
    }
  }

  /** The accepted connection, or null. */
  Connection live() {
    return live;
  }

  /** Whether nothing waits to be written, so a QoS 0 publish may go straight to the writer. */
  boolean nothingQueued() {
    return unsent.size() == 0;
  }

  /** The live connection, waiting for a reconnection to finish by {@code deadline}. */
  Connection awaitLive(What what, long deadline, Duration timeout) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (live == null && reconnecting) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new OperationTimeoutException(
              what.describe() + " waited for the reconnection", timeout);
        }
        changed.awaitNanos(left);
      }
      return requireAccepting(what);
    } finally {
      lock.unlock();
    }
  }

  private Connection requireAccepting(What what) {
    if (live == null && !reconnecting) {
      throw new NotConnectedException(
          what.describe() + " failed: client " + clientId + " is not connected");
    }
    return live;
  }

  /**
   * Adds a flow at the end of the queue—allocating a packet id unless {@code qos0}, and storing a
   * QoS 1/2 publish before anything is written—and writes it when the window allows.
   *
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
      int id = awaiting == OutboundFlow.Awaiting.NOTHING ? 0 : freePacketId(what);
      flow = new OutboundFlow(nextSequence++, deadline, id, packetFor.apply(id), awaiting);
      startTicking();
      if (id != 0) {
        flows.put(id, flow);
      }
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
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new OperationTimeoutException(
            what.describe() + " waited for room: " + full + ")", timeout);
      }
      changed.awaitNanos(left);
      requireAccepting(what);
    }
  }

  private void store(OutboundFlow flow, What what) {
    if (store == NoStore.INSTANCE) {
      return;
    }
    try {
      store.outboundAdded(flow.stored());
    } catch (java.io.IOException | RuntimeException e) {
      lock.lock();
      try {
        flows.remove(flow.packetId, flow);
      } finally {
        lock.unlock();
      }
      throw new MqttException(
          what.describe() + " failed: the session store could not keep it: " + e, e);
    }
  }

  private void queue(OutboundFlow flow) {
    unsent.add(flow);
    pump();
  }

  private int freePacketId(What what) {
    for (int i = 0; i < MAX_PACKET_ID; i++) {
      int id = nextPacketId;
      nextPacketId = id == MAX_PACKET_ID ? 1 : id + 1;
      if (!flows.containsKey(id)) {
        return id;
      }
    }
    throw new MqttException(what.describe() + " failed: all 65535 packet identifiers are in use");
  }

  /** Writes queued flows, in order, while there is a live connection and the window has room. */
  private void pump() {
    Connection c = live;
    while (c != null && !unsent.isEmpty()) {
      OutboundFlow f = unsent.peek();
      if (f.isReliablePublish() && windowUsed >= maxInflight) {
        break;
      }
      unsent.poll();
      Packet p = f.packetToWrite();
      f.sent = true;
      if (f.isReliablePublish()) {
        f.inWindow = true;
        windowUsed++;
      }
      if (!c.writer().sendQueued(p)) {
        break; // the connection is failing; the next accepted one requeues every flow
      }
      if (f.awaiting == OutboundFlow.Awaiting.NOTHING) {
        f.result.complete(p);
      }
    }
    changed.signalAll();
  }

  private void startTicking() {
    if (!ticking) {
      ticking = true;
      Ticker.INSTANCE.register(expiry);
    }
  }

  /**
   * Ends the wait of every caller whose deadline has passed, with {@link FlowTimedOut}; the flows
   * themselves stay, to be sent and completed. Runs on the {@link Ticker}, so that waiting callers
   * park without a timer of their own. Stops ticking when nothing is left to watch.
   */
  private void expireWaiters(long now) {
    List<OutboundFlow> expired = new ArrayList<>();
    lock.lock();
    try {
      for (OutboundFlow f : flows.values()) {
        if (now - f.deadline >= 0 && !f.result.isDone()) {
          expired.add(f);
        }
      }
      for (OutboundFlow f : unsent) {
        if (f.packetId == 0 && now - f.deadline >= 0 && !f.result.isDone()) {
          expired.add(f);
        }
      }
      if (expired.isEmpty() && flows.isEmpty() && unsent.isEmpty()) {
        ticking = false;
        Ticker.INSTANCE.unregister(expiry);
      }
    } finally {
      lock.unlock();
    }
    expired.forEach(f -> f.result.completeExceptionally(new FlowTimedOut()));
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
      flows.values().stream().filter(f -> !f.result.isDone()).forEach(waiting::add);
      unsent.stream().filter(f -> f.packetId == 0 && !f.result.isDone()).forEach(waiting::add);
    } finally {
      lock.unlock();
    }
    waiting.forEach(f -> f.result.completeExceptionally(cause));
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
   * reused while the store still holds it), then its id and window slot are freed and its caller
   * woken.
   */
  void complete(OutboundFlow flow, Packet ack) throws java.io.IOException {
    if (flow.isReliablePublish()) {
      store.outboundRemoved(flow.packetId);
    }
    lock.lock();
    try {
      if (!flows.remove(flow.packetId, flow)) {
        return;
      }
      leaveWindow(flow);
      recordSubscriptions(flow, ack);
      pump();
    } finally {
      lock.unlock();
    }
    flow.result.complete(ack);
  }

  private void leaveWindow(OutboundFlow flow) {
    if (flow.inWindow) {
      flow.inWindow = false;
      windowUsed--;
    }
  }

  private void recordSubscriptions(OutboundFlow flow, Packet ack) {
    if (flow.packet instanceof SubscribePacket sub
        && ack instanceof io.vmqtt.vthreads.internal.codec.SubackPacket suback) {
      List<Subscription> requested = sub.subscriptions();
      for (int i = 0; i < requested.size(); i++) {
        if (suback.returnCodes().get(i) != 0x80) {
          subscriptions.put(requested.get(i).topicFilter(), requested.get(i).qos());
        }
      }
    } else if (flow.packet instanceof io.vmqtt.vthreads.internal.codec.UnsubscribePacket unsub) {
      unsub.topicFilters().forEach(subscriptions::remove);
    }
  }

  /** PUBREC arrived: the store learns it first, then PUBREL is what the flow sends. */
  void released(OutboundFlow flow) throws java.io.IOException {
    store.outboundReleased(flow.packetId);
    flow.awaiting = OutboundFlow.Awaiting.PUBCOMP;
  }

  /**
   * Makes {@code c} the live connection and queues every kept flow on it again, in original order.
   * When the broker kept no session: inbound state is forgotten, the subscriptions are restored
   * first, and QoS 2 flows past PUBREC end with an error: the broker had the message but dropped
   * its session before PUBREL, and brokers differ on whether it was routed (mosquitto routes on
   * PUBREL, so it was not), so neither "delivered" nor a resend would be honest.
   *
   * <p>{@code onAttach} runs under the lock once the connection is known to be open, before
   * anything is written on it; it must only record and queue. Returns false, doing nothing, when
   * the connection already failed.
   */
  boolean onAccepted(
      Connection c, boolean sessionPresent, boolean restoreSubscriptions, Runnable onAttach)
      throws java.io.IOException {
    List<OutboundFlow> done = new ArrayList<>();
    List<Integer> forgotten = List.of();
    lock.lock();
    try {
      // Under the lock detach() takes: a connection that failed before this point is never made
      // live (its handshake then fails), and one failing after it is detached.
      if (!c.isOpen()) {
        return false;
      }
      onAttach.run();
      live = c;
      reconnecting = false;
      windowUsed = 0;
      requeueAll();
      if (!sessionPresent) {
        forgotten = inbound.reset();
        for (OutboundFlow f : flows.values()) {
          if (f.awaiting == OutboundFlow.Awaiting.PUBCOMP) {
            done.add(f);
          }
        }
        done.forEach(
            f -> {
              flows.remove(f.packetId);
              unsent.remove(f);
            });
        if (restoreSubscriptions && !subscriptions.isEmpty()) {
          resubscribe();
        }
      }
      pump();
    } finally {
      lock.unlock();
    }
    for (int id : forgotten) {
      store.inboundReleased(id);
    }
    finishWithoutSession(done);
    return true;
  }

  private void finishWithoutSession(List<OutboundFlow> done) throws java.io.IOException {
    for (OutboundFlow f : done) {
      store.outboundRemoved(f.packetId);
      f.result.completeExceptionally(
          new ConnectionLostException(
              "the broker's session ended between PUBREC and PUBCOMP of packet id "
                  + f.packetId
                  + ": whether the message was delivered is unknown (cleansession=false makes"
                  + " QoS 2 exactly-once across reconnections)",
              null));
    }
  }

  /** Puts every flow not yet done back in the queue, in original order. */
  private void requeueAll() {
    List<OutboundFlow> all = new ArrayList<>(flows.values());
    for (OutboundFlow f : unsent) {
      if (f.packetId == 0) {
        all.add(f);
      }
    }
    all.sort(Comparator.comparingLong(f -> f.sequence));
    all.forEach(f -> f.inWindow = false);
    unsent.clear();
    unsent.addAll(all);
  }

  private void resubscribe() {
    List<Subscription> subs = new ArrayList<>();
    subscriptions.forEach((filter, qos) -> subs.add(new Subscription(filter, qos)));
    int id = freePacketId(() -> "restoring subscriptions");
    OutboundFlow f =
        new OutboundFlow(
            -1,
            Long.MAX_VALUE,
            id,
            new SubscribePacket(id, List.copyOf(subs)),
            OutboundFlow.Awaiting.SUBACK);
    flows.put(id, f);
    unsent.addFirst(f);
  }

  /**
   * Forgets {@code c} if it was live, and returns whether it was. Flows stay; with {@code
   * reconnecting}, new calls are still accepted and queued for the next connection. Callers that
   * are not to go on waiting are failed afterwards with {@link #stopWaiting}.
   */
  boolean detach(Connection c, boolean reconnecting) {
    lock.lock();
    try {
      if (live != c) {
        return false;
      }
      live = null;
      this.reconnecting = reconnecting;
      windowUsed = 0;
      flows.values().forEach(f -> f.inWindow = false);
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * No connection follows for now: waiting callers fail with {@code cause}. When {@code discard},
   * the flows are dropped too (nothing can resume them); else they are kept for the next connect.
   */
  void stopWaiting(Throwable cause, boolean discard) throws java.io.IOException {
    List<OutboundFlow> failed = new ArrayList<>();
    List<OutboundFlow> dropped = new ArrayList<>();
    lock.lock();
    try {
      reconnecting = false;
      failed.addAll(flows.values());
      for (OutboundFlow f : unsent) {
        if (f.packetId == 0) {
          failed.add(f);
          dropped.add(f);
        }
      }
      unsent.removeIf(f -> f.packetId == 0);
      if (discard) {
        dropped.addAll(flows.values());
        flows.clear();
        unsent.clear();
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
    failed.forEach(f -> f.result.completeExceptionally(cause));
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

  /** A QoS 1/2 message that {@link #onInboundPublish} let through was not queued after all. */
  void onInboundDropped(QoS qos, int packetId) {
    lock.lock();
    try {
      inbound.onDropped(qos, packetId);
    } finally {
      lock.unlock();
    }
  }

  /** Changes only on the reader thread (on accept), which is where it is read without the lock. */
  long epoch() {
    return inbound.epoch();
  }

  /**
   * The application took a QoS 1/2 message; a QoS 2 one is stored as received before PUBREC is
   * sent. Returns whether an acknowledgement is due.
   */
  boolean onTaken(QoS qos, int packetId, long messageEpoch) throws java.io.IOException {
    boolean due;
    lock.lock();
    try {
      due = inbound.onTaken(qos, packetId, messageEpoch);
    } finally {
      lock.unlock();
    }
    if (due && qos == QoS.EXACTLY_ONCE) {
      store.inboundReceived(packetId);
    }
    return due;
  }

  /** PUBREL arrived: stored before PUBCOMP is sent. */
  void onRelease(int packetId) throws java.io.IOException {
    store.inboundReleased(packetId);
    lock.lock();
    try {
      inbound.onRelease(packetId);
    } finally {
      lock.unlock();
    }
  }

  /** Closes the store; called once, when the client closes. */
  void close() throws java.io.IOException {
    lock.lock();
    try {
      ticking = false;
      Ticker.INSTANCE.unregister(expiry);
    } finally {
      lock.unlock();
    }
    store.close();
  }

  static long deadline(Duration timeout) {
    long nanos =
        timeout.compareTo(Duration.ofDays(365)) > 0
            ? TimeUnit.DAYS.toNanos(365)
            : timeout.toNanos();
    return System.nanoTime() + nanos;
  }
}
