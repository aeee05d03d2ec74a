package io.vmqtt.vthreads.internal;

import io.vmqtt.Message;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.PubackPacket;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import io.vmqtt.vthreads.internal.codec.PubrecPacket;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Received messages on their way to the application: what a PUBLISH from the broker becomes (queued
 * once, a QoS 2 redelivery answered again, a broker's misuse of a packet id logged), the {@link
 * IncomingQueue} that holds them, and when each is acknowledged. The policy today is {@link
 * AckPolicy#ON_TAKE}: a QoS 1/2 message is acknowledged when the application takes it, not when it
 * arrives, so the broker redelivers what a crashed application never saw; the acknowledgement of a
 * message that arrived in a session the broker has since discarded is not sent (its epoch tells).
 *
 * <p>Thread-safe. {@link #onPublish} runs on the reader; {@link #take} on application threads.
 */
final class InboundDelivery {
  /** When a received QoS 1/2 message is acknowledged. */
  enum AckPolicy {
    /** When the application takes it ({@code deliverMessage}). */
    ON_TAKE
  }

  private static final Logger LOG = LoggerFactory.getLogger(InboundDelivery.class);

  private final String clientId;
  private final Session session;
  private final IncomingQueue queue;

  InboundDelivery(String clientId, MqttConfig config, Session session) {
    this.clientId = clientId;
    this.session = session;
    this.queue =
        new IncomingQueue(
            clientId,
            config.incomingQueueSize(),
            config.incomingQueueBytes(),
            config.incomingOverflow());
  }

  /** A PUBLISH arrived on {@code from}; runs on its reader, which may wait here for room. */
  void onPublish(Connection from, PublishPacket p) throws InterruptedException {
    switch (session.onInboundPublish(p.qos(), p.packetId())) {
      case DELIVER -> {
        Message m = InboundReceipt.message(p, session.epoch());
        if (!queue.offer(m, from)) {
          session.onInboundDropped(p.qos(), p.packetId()); // the broker sends it again
        }
      }
      case REPEAT_PUBREC -> from.writer().sendAnswer(new PubrecPacket(p.packetId()));
      case ALREADY_QUEUED -> alreadyQueued(p);
    }
  }

  /**
   * A QoS 1/2 PUBLISH whose packet id belongs to a message still queued for the application (so not
   * yet acknowledged): with DUP, the broker's resend of it, acknowledged when the queued copy is
   * taken; without, a broker reusing an id it must not reuse yet [MQTT-2.3.1-2], whose message
   * cannot be acknowledged apart from the first and is dropped.
   */
  private void alreadyQueued(PublishPacket p) {
    if (p.dup()) {
      LOG.debug(
          "client {}: PUBLISH packet id {} to '{}' with DUP: a resend of a message still queued",
          clientId,
          p.packetId(),
          p.topic());
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

  /**
   * Takes the next message, waiting at most {@code timeoutNanos} (negative: without limit), and
   * acknowledges it to the broker: the application now has it.
   *
   * @param live the connection the acknowledgement goes on, when there is one by then
   * @see IncomingQueue#take
   */
  Message take(long timeoutNanos, Supplier<Connection> live)
      throws InterruptedException, TimeoutException {
    Message m = queue.take(timeoutNanos);
    if (m.qos() != QoS.AT_MOST_ONCE) {
      InboundReceipt receipt = InboundReceipt.of(m);
      if (ackDue(m.qos(), receipt)) {
        Connection c = live.get();
        if (c != null) {
          c.writer().sendAck(ackOf(m.qos(), receipt));
        }
      }
    }
    return m;
  }

  private static Packet ackOf(QoS qos, InboundReceipt receipt) {
    return qos == QoS.AT_LEAST_ONCE
        ? new PubackPacket(receipt.packetId())
        : new PubrecPacket(receipt.packetId());
  }

  private boolean ackDue(QoS qos, InboundReceipt receipt) {
    try {
      return session.onTaken(qos, receipt.packetId(), receipt.epoch());
    } catch (IOException ex) {
      // Without the record, a redelivery could be handed over twice: let the broker resend.
      LOG.error(
          "client {}: could not store inbound QoS 2 packet id {}; not acknowledged: {}",
          clientId,
          receipt.packetId(),
          ex.toString());
      return false;
    }
  }

  /** A connection was accepted: takers may wait for messages. */
  void onConnected() {
    queue.onConnected();
  }

  /** See {@link IncomingQueue#onConnectionLost}. */
  void onConnectionLost(Throwable cause, boolean reconnecting) {
    queue.onConnectionLost(cause, reconnecting);
  }

  /** QoS 0 messages discarded by the overflow policy so far. */
  long dropped() {
    return queue.dropped();
  }
}
