package io.vmqtt.vthreads.internal;

import io.vmqtt.ListenerRegistration;
import io.vmqtt.Message;
import io.vmqtt.MessageListener;
import io.vmqtt.MessageSelector;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.vthreads.internal.codec.Properties;
import io.vmqtt.vthreads.internal.codec.ProtocolViolationException;
import io.vmqtt.vthreads.internal.codec.PubackPacket;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import io.vmqtt.vthreads.internal.codec.PubrecPacket;
import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Received messages on their way to the application: what a PUBLISH from the broker becomes (queued
 * once, a QoS 2 redelivery answered again, a broker's misuse of a packet id logged); where it goes
 * ({@link MessageRouter}: the lanes of the listeners and streams that select it, else the {@link
 * IncomingQueue} of {@code deliverMessage} and {@code pollMessage}); the one {@link InboundBudget}
 * in bytes that all those queues share, past which the reader stops (TCP back-pressure); and when
 * each QoS 1/2 message is acknowledged, always in arrival order ({@link AckSequencer}).
 *
 * <p>The acknowledgement policies: a message taken with {@code deliverMessage} or {@code
 * pollMessage} is handled when it is taken; one that went to listeners (or streams), when the last
 * of them has returned from it (or thrown); with {@code manual_ack}, when the application calls
 * {@code ack}. A handled message's acknowledgement goes out when those of the messages before it
 * have, on the connection live then, unless the broker session it arrived in has ended (its epoch
 * tells). With {@code manual_ack}, a message handed over and not acknowledged when its connection
 * ends is given up: its {@code ack} does nothing, and the broker resends it (DUP) if it kept the
 * session.
 *
 * <p>Thread-safe. {@link #onPublish} and {@link #endOfRead} run on the reader; lanes deliver on
 * their threads; the rest on application threads.
 */
final class InboundDelivery implements AckSequencer.Sender {
  private static final Logger LOG = LoggerFactory.getLogger(InboundDelivery.class);

  /** A QoS 1/2 message with its receipt, as it is queued. */
  record Delivered(Message message, InboundReceipt receipt) {}

  private final String clientId;
  private final Session session;
  private final Dispatcher dispatcher;
  private final int qos0Bound;
  private final boolean dropOldest;
  private final boolean manual;
  private final InboundBudget budget;
  private final IncomingQueue queue;
  private final MessageRouter router;
  private final AckSequencer sequencer;
  private final AtomicLong dropped = new AtomicLong();
  private final Lane.Drops drops = this::recordDrop;
  private final InvalidPayload invalidPayload;

  /** {@code receive_maximum}, for the message when the broker exceeds it. */
  private final int receiveMaximum;

  /**
   * Receipts of the messages handed over and awaiting {@code ack} (with {@code manual_ack}), by
   * identity; a message finds its receipt itself ({@link InboundReceipt#of}).
   */
  private final Set<InboundReceipt> awaitingAck =
      Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>(2)));

  /** The connection acknowledgements go on; null between connections. */
  private volatile Connection live;

  private volatile boolean everTaken;
  private volatile boolean warnedUnread;

  InboundDelivery(String clientId, MqttConfig config, Session session, Dispatcher dispatcher) {
    this.clientId = clientId;
    this.session = session;
    this.dispatcher = dispatcher;
    this.qos0Bound = config.incomingQueueSize();
    this.dropOldest = config.incomingOverflow() == MqttConfig.OverflowPolicy.DROP_OLDEST;
    this.manual = config.manualAck();
    this.budget = new InboundBudget(config.incomingQueueBytes());
    this.queue = new IncomingQueue(clientId, qos0Bound, dropOldest, budget);
    this.router = new MessageRouter(clientId);
    this.sequencer = new AckSequencer(clientId, this);
    this.invalidPayload = new InvalidPayload(clientId);
    this.receiveMaximum = config.receiveMaximum();
  }

  // The reader.

  /**
   * A PUBLISH arrived on {@code from}; runs on its reader, which may wait here for room.
   *
   * @throws ProtocolViolationException (0x93 Receive Maximum exceeded) for a new QoS 1/2 message
   *     beyond our Receive Maximum [MQTT-3.3.4-9]: the connection ends with DISCONNECT 0x93
   */
  void onPublish(Connection from, PublishPacket p) throws InterruptedException {
    ReadBatch batch = from.readBatch();
    boolean payloadInvalid = InvalidPayload.isDeclaredUtf8ButNot(p);
    if (p.qos() == QoS.AT_MOST_ONCE) {
      if (payloadInvalid) {
        invalidPayload.dropped(p);
      } else {
        deliverQos0(batch, InboundReceipt.message(p, null));
      }
      return;
    }
    switch (session.onInboundPublish(p.qos(), p.packetId())) {
      case DELIVER -> {
        if (payloadInvalid) {
          refuse(p, InvalidPayload.PAYLOAD_FORMAT_INVALID);
          invalidPayload.refused(p);
        } else {
          deliverReliable(from, batch, p);
        }
      }
      case REPEAT_PUBREC -> {
        InboundReceipt again =
            new InboundReceipt(this, p.packetId(), QoS.EXACTLY_ONCE, session.epoch(), true, 0);
        again.due = true; // not yet shared
        sequencer.arrived(again, true);
      }
      case ALREADY_QUEUED -> alreadyQueued(p);
      case RECEIVE_MAXIMUM_EXCEEDED ->
          throw new ProtocolViolationException(
              ProtocolViolationException.RECEIVE_MAXIMUM_EXCEEDED,
              "Protocol violation: the broker sent QoS "
                  + p.qos().value()
                  + " PUBLISH packet id "
                  + p.packetId()
                  + " to '"
                  + p.topic()
                  + "' while "
                  + receiveMaximum
                  + " of its QoS 1/2 messages await our PUBACK or PUBCOMP, our Receive Maximum"
                  + " (receive_maximum) [MQTT-3.3.4-9]: Receive Maximum exceeded (0x93)");
    }
  }

  /**
   * A new QoS 1/2 message that is not delivered: its acknowledgement, with {@code reasonCode},
   * takes its place in the order of acknowledgements [MQTT-4.6.0-2] and ends its flow (no PUBREL
   * follows an error PUBREC, section 4.3.3).
   */
  private void refuse(PublishPacket p, int reasonCode) {
    InboundReceipt r = new InboundReceipt(this, p.packetId(), p.qos(), session.epoch(), false, 0);
    r.reasonCode = reasonCode;
    r.due = true; // not yet shared
    sequencer.arrived(r, p.dup());
  }

  private void deliverQos0(ReadBatch batch, Message m) {
    long cost = InboundBudget.cost(m.topic(), m.payload().length);
    int n = router.route(m, batch.lanes);
    if (n == 0) {
      if (queue.offerQos0(m, cost, drops) == Lane.Offered.WAKE) {
        batch.wakeQueue = true;
      }
      return;
    }
    Lane[] lanes = batch.lanes.lanes;
    for (int i = 0; i < n; i++) {
      if (lanes[i].offerQos0(m, cost, budget, qos0Bound, dropOldest, drops) == Lane.Offered.WAKE) {
        batch.add(lanes[i]);
      }
    }
  }

  private void deliverReliable(Connection from, ReadBatch batch, PublishPacket p)
      throws InterruptedException {
    long epoch = session.epoch();
    // Not shared before sequencer.arrived, but the message carries it from the start: pending
    // is set once routing has counted the consumers.
    InboundReceipt r = new InboundReceipt(this, p.packetId(), p.qos(), epoch, false, 0);
    Message m = InboundReceipt.message(p, r);
    int n = router.route(m, batch.lanes);
    int consumers = Math.max(n, 1);
    long cost = InboundBudget.cost(m.topic(), m.payload().length);
    if (!budget.reserve(cost * consumers, from, () -> batch.flush(queue))) {
      session.onInboundSettled(epoch, p.packetId()); // its connection failed: sent again
      return;
    }
    r.pending = consumers;
    Delivered item = new Delivered(m, r);
    sequencer.arrived(r, p.dup());
    if (n == 0) {
      warnIfUnread(m);
      if (queue.offer(item)) {
        batch.wakeQueue = true;
      }
      return;
    }
    Lane[] lanes = batch.lanes.lanes;
    for (int i = 0; i < n; i++) {
      if (lanes[i].offer(item)) {
        batch.add(lanes[i]);
      }
    }
  }

  /**
   * A QoS 1/2 PUBLISH whose packet id belongs to a message whose acknowledgement is still owed:
   * with DUP, the broker's resend of it (after a reconnection), whose acknowledgement takes its
   * place in the order of this connection; without, a broker reusing an id it must not reuse yet
   * [MQTT-2.3.1-2], whose message cannot be acknowledged apart from the first and is dropped.
   */
  private void alreadyQueued(PublishPacket p) {
    if (p.dup()) {
      LOG.debug(
          "client {}: PUBLISH packet id {} to '{}' with DUP: a resend of a message not yet"
              + " acknowledged",
          clientId,
          p.packetId(),
          p.topic());
      sequencer.redelivered(p.packetId());
      return;
    }
    LOG.warn(
        "client {}: the broker reused packet id {} for a QoS {} PUBLISH to '{}' while the message"
            + " it sent with that id still awaits our acknowledgement [MQTT-2.3.1-2]; the new"
            + " message is dropped",
        clientId,
        p.packetId(),
        p.qos().value(),
        p.topic());
  }

  /** The reader has no further packet at hand: the consumers it queued for learn of it now. */
  void endOfRead(Connection from) {
    from.readBatch().flush(queue);
  }

  private void warnIfUnread(Message m) {
    if (!everTaken && !warnedUnread && !router.isEmpty()) {
      warnedUnread = true;
      LOG.warn(
          "client {}: a QoS {} message to '{}' matches no message listener; it waits for"
              + " deliverMessage() or pollMessage(), which this client has not called yet, and its"
              + " acknowledgement, and those of the messages after it, wait with it"
              + " [MQTT-4.6.0-2]: add a listener for it, or take it",
          clientId,
          m.qos().value(),
          m.topic());
    }
  }

  // Consumers.

  /**
   * Takes the next message no listener took, waiting at most {@code timeoutNanos} (negative:
   * without limit).
   *
   * @see IncomingQueue#take
   */
  Message take(long timeoutNanos) throws InterruptedException, TimeoutException {
    everTaken = true;
    return handOverTaken(queue.take(timeoutNanos));
  }

  /** Takes the next message no listener took, if there is one. */
  Optional<Message> poll() {
    everTaken = true;
    Object item = queue.poll();
    return item == null ? Optional.empty() : Optional.of(handOverTaken(item));
  }

  private Message handOverTaken(Object item) {
    Message m = messageOf(item);
    InboundReceipt r = receiptOf(item);
    if (r != null) {
      handingOver(m, r);
    }
    done(m, r);
    return m;
  }

  private static Message messageOf(Object item) {
    return item instanceof Delivered d ? d.message() : (Message) item;
  }

  private static InboundReceipt receiptOf(Object item) {
    return item instanceof Delivered d ? d.receipt() : null;
  }

  /** With {@code manual_ack}: {@code m} is about to reach application code. */
  private void handingOver(Message m, InboundReceipt r) {
    if (manual) {
      awaitingAck.add(r);
      sequencer.handedOver(r);
    }
  }

  /**
   * A consumer is done with {@code m}: its bytes go back to the budget; once every consumer is, a
   * QoS 1/2 message is handled, or with {@code manual_ack} left to {@code ack} (or, when no
   * consumer handed it over, given up).
   */
  private void done(Message m, InboundReceipt r) {
    budget.release(InboundBudget.cost(m.topic(), m.payload().length));
    if (r == null || !sequencer.consumed(r)) {
      return;
    }
    if (!manual) {
      handled(r);
    } else if (!r.handedOver) {
      giveUp(r);
    }
  }

  /** {@code r} was handled: its acknowledgement is due, in its turn. */
  private void handled(InboundReceipt r) {
    if (sequencer.isSettled(r)) {
      return;
    }
    boolean due;
    try {
      due = session.onInboundHandled(r.qos, r.packetId, r.epoch);
    } catch (IOException e) {
      // Without the record, a redelivery could be handed over twice: let the broker resend.
      LOG.error(
          "client {}: could not store inbound QoS 2 packet id {}; not acknowledged: {}",
          clientId,
          r.packetId,
          e.toString());
      due = false;
    }
    sequencer.due(r, due);
    if (!due) {
      session.onInboundSettled(r.epoch, r.packetId);
    }
  }

  /** Nobody saw {@code r}'s message (manual_ack): no acknowledgement; the broker sends it again. */
  private void giveUp(InboundReceipt r) {
    if (sequencer.due(r, false)) {
      session.onInboundSettled(r.epoch, r.packetId);
    }
  }

  /** Sends the acknowledgement of a released receipt: called in arrival order. */
  @Override
  public void send(InboundReceipt r) {
    if (!r.repeat) {
      session.onInboundSettled(r.epoch, r.packetId);
    }
    Connection c = live;
    if (c == null || r.epoch != session.epoch()) {
      LOG.debug(
          "client {}: acknowledgement of {} not sent: no connection of its session", clientId, r);
      return;
    }
    if (r.reasonCode != 0) {
      Properties why = InvalidPayload.REASON; // 0x99 is the only refusal made here
      c.writer()
          .sendAck(
              r.qos == QoS.AT_LEAST_ONCE
                  ? new PubackPacket(r.packetId, r.reasonCode, why)
                  : new PubrecPacket(r.packetId, r.reasonCode, why));
      return;
    }
    c.writer()
        .sendAck(
            r.qos == QoS.AT_LEAST_ONCE
                ? new PubackPacket(r.packetId)
                : new PubrecPacket(r.packetId));
  }

  /**
   * The application acknowledges {@code m} ({@code manual_ack}).
   *
   * @throws IllegalArgumentException when it is a QoS 1/2 message this client did not receive
   */
  void ack(Message m) {
    Objects.requireNonNull(m, "message");
    if (m.qos() == QoS.AT_MOST_ONCE) {
      return;
    }
    InboundReceipt r = InboundReceipt.of(m);
    if (r == null || r.owner != this) {
      throw new IllegalArgumentException(
          "client "
              + clientId
              + " cannot acknowledge "
              + m
              + ": it was not received by this client"
              + (r == null ? " (a message made with Message.of or Message.builder)" : ""));
    }
    if (!manual) {
      return;
    }
    if (!awaitingAck.remove(r)) {
      LOG.debug(
          "client {}: ack of {} ignored: already acknowledged, or it arrived on a connection that"
              + " has ended (the broker sends it again when it kept the session)",
          clientId,
          m);
      return;
    }
    if (sequencer.isSettled(r)) {
      LOG.debug(
          "client {}: ack of {} not sent: it arrived on a connection that has ended (the broker"
              + " sends it again when it kept the session)",
          clientId,
          m);
      return;
    }
    handled(r);
  }

  // Listeners and streams.

  /**
   * Adds a listener: its lane (shared with its other registrations, and with its connection events)
   * and a route to it.
   *
   * @throws IllegalStateException when the client is closed
   */
  ListenerRegistration addListener(MessageSelector selector, MessageListener listener) {
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(listener, "listener");
    Lane lane = dispatcher.acquire(listener, "listener");
    lane.target(new ListenerTarget(listener));
    return router.add(selector, listener, lane, () -> dispatcher.release(lane));
  }

  /** Removes every registration of {@code listener}. */
  boolean removeListener(MessageListener listener) {
    boolean any = false;
    for (MessageRouter.Route r : router.routesOf(listener)) {
      any |= r.isActive();
      r.remove();
    }
    return any;
  }

  /** A stream of what {@code selector} selects. */
  Flow.Publisher<Message> publisher(MessageSelector selector) {
    Objects.requireNonNull(selector, "selector");
    return subscriber -> subscribe(selector, subscriber);
  }

  private void subscribe(MessageSelector selector, Flow.Subscriber<? super Message> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber"); // Reactive Streams 1.9
    StreamSubscription sub = new StreamSubscription(subscriber);
    Lane lane;
    try {
      lane = dispatcher.acquire(sub, "stream");
    } catch (IllegalStateException closed) {
      subscriber.onSubscribe(sub);
      subscriber.onComplete();
      return;
    }
    sub.lane = lane;
    lane.limitDemand();
    lane.target(sub);
    lane.submit(() -> subscriber.onSubscribe(sub)); // the lane's first item: before any message
    sub.route(router.add(selector, sub, lane, () -> dispatcher.release(lane)));
  }

  /** Delivers a lane's messages to a {@link MessageListener}. */
  private final class ListenerTarget implements Lane.Target {
    private final MessageListener listener;

    ListenerTarget(MessageListener listener) {
      this.listener = listener;
    }

    @Override
    public void deliver(Object item) {
      Message m = messageOf(item);
      InboundReceipt r = receiptOf(item);
      if (r != null) {
        handingOver(m, r);
      }
      try {
        listener.onMessage(m);
      } catch (Throwable e) {
        LOG.warn(
            "client {}: message listener {} threw on a QoS {} message to '{}'{}; the message"
                + " counts as handled",
            clientId,
            listener,
            m.qos().value(),
            m.topic(),
            r == null ? "" : " (packet id " + r.packetId + ")",
            e);
      } finally {
        done(m, r);
      }
    }

    @Override
    public void discard(Object item) {
      done(messageOf(item), receiptOf(item));
    }

    @Override
    public void closed() {}
  }

  /**
   * One subscriber of a stream: its {@link Flow.Subscription}, and the target of its lane, which
   * delivers within its demand (Reactive Streams: signals in order, one at a time, never more
   * {@code onNext} than requested; {@code request(n <= 0)} is an error, 3.9; cancel is idempotent,
   * 3.5; a throwing {@code onNext} cancels, 2.13).
   */
  private final class StreamSubscription implements Flow.Subscription, Lane.Target {
    private final Flow.Subscriber<? super Message> subscriber;
    private volatile Lane lane;
    private volatile MessageRouter.Route route;
    private volatile boolean cancelled;

    StreamSubscription(Flow.Subscriber<? super Message> subscriber) {
      this.subscriber = subscriber;
    }

    void route(MessageRouter.Route r) {
      route = r;
      if (cancelled) {
        r.remove();
      }
    }

    @Override
    public void request(long n) {
      Lane l = lane;
      if (cancelled || l == null) {
        return;
      }
      if (n <= 0) {
        l.submit(
            () ->
                subscriber.onError(
                    new IllegalArgumentException(
                        "request(" + n + "): demand must be positive (Reactive Streams 3.9)")));
        cancel();
        return;
      }
      l.request(n);
    }

    @Override
    public void cancel() {
      if (cancelled) {
        return;
      }
      cancelled = true;
      MessageRouter.Route r = route;
      if (r != null) {
        r.remove();
      }
      Lane l = lane;
      if (l != null) {
        l.cancel();
      }
    }

    @Override
    public void deliver(Object item) {
      Message m = messageOf(item);
      InboundReceipt r = receiptOf(item);
      try {
        if (cancelled) {
          return;
        }
        if (r != null) {
          handingOver(m, r);
        }
        subscriber.onNext(m);
      } catch (Throwable e) {
        LOG.warn(
            "client {}: stream subscriber {} threw from onNext on a message to '{}'; the"
                + " subscription is cancelled (Reactive Streams 2.13)",
            clientId,
            subscriber,
            m.topic(),
            e);
        cancel();
      } finally {
        done(m, r);
      }
    }

    @Override
    public void discard(Object item) {
      done(messageOf(item), receiptOf(item));
    }

    @Override
    public void closed() {
      if (!cancelled) {
        cancelled = true;
        subscriber.onComplete();
      }
    }

    @Override
    public String toString() {
      return "StreamSubscription[" + subscriber + "]";
    }
  }

  // The connection's life.

  /** A connection was accepted; under the lifecycle's lock, on the reader. */
  void onConnected(Connection c) {
    live = c;
    queue.onConnected();
  }

  /**
   * After {@link #onConnected}, outside the lifecycle's lock, on the reader before it reads on:
   * acknowledgements of a session the broker did not keep are dropped; those due meanwhile go out.
   */
  void afterConnected(boolean sessionPresent) {
    sequencer.connected(sessionPresent);
  }

  /** See {@link IncomingQueue#onConnectionLost}; also ends the connection's acknowledgements. */
  void onConnectionLost(Throwable cause, boolean reconnecting) {
    live = null;
    sequencer.disconnected();
    if (manual) {
      for (InboundReceipt r : sequencer.abandonHandedOver()) {
        session.onInboundSettled(r.epoch, r.packetId);
        awaitingAck.remove(r);
      }
    }
    queue.onConnectionLost(cause, reconnecting);
    budget.wakeReader(); // a reader paused for room looks again whether its connection is open
  }

  /** QoS 0 messages discarded by the overflow policy so far. */
  long dropped() {
    return dropped.get();
  }

  private void recordDrop(Message m) {
    long n = dropped.incrementAndGet();
    if (n == 1 || n % 10_000 == 0) {
      LOG.warn(
          "client {}: incoming queues full ({} of {} bytes, incoming_queue_bytes; at most {} QoS 0"
              + " messages per queue, incoming_queue_size); discarding a QoS 0 message to {} ({});"
              + " {} dropped so far",
          clientId,
          budget.used(),
          budget.limit(),
          qos0Bound,
          m.topic(),
          dropOldest ? "drop_oldest" : "drop_newest",
          n);
    }
  }

  /** What one reader has queued during a read without waking the consumers yet. Reader-confined. */
  static final class ReadBatch {
    final MessageRouter.Lanes lanes = new MessageRouter.Lanes();
    private Lane[] toWake = NO_LANES; // made when a listener's lane is first woken
    private int n;
    boolean wakeQueue;

    private static final Lane[] NO_LANES = new Lane[0];

    void add(Lane lane) {
      if (n == toWake.length) {
        toWake = java.util.Arrays.copyOf(toWake, Math.max(4, n * 2));
      }
      toWake[n++] = lane;
    }

    void flush(IncomingQueue queue) {
      for (int i = 0; i < n; i++) {
        toWake[i].wake();
        toWake[i] = null;
      }
      n = 0;
      if (wakeQueue) {
        wakeQueue = false;
        queue.wake();
      }
    }
  }
}
