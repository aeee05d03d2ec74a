package io.vmqtt.vthreads.internal;

import io.vmqtt.Message;
import io.vmqtt.QoS;
import io.vmqtt.internal.api.ApiAccess;
import io.vmqtt.vthreads.internal.codec.Properties;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import java.time.Duration;

/**
 * What the engine keeps about one received QoS 1/2 message until it is acknowledged, and what it
 * needs to acknowledge it: the packet identifier, the session epoch it arrived in (an
 * acknowledgement into a later broker session would be a wrong one) and where it stands. The {@link
 * Message} carries it (through {@link ApiAccess}), so {@code client.ack(message)} finds it; it is
 * never shown to the application, and is no part of the message's equality.
 *
 * <p>The fields below the final ones are guarded by the {@link AckSequencer}'s lock.
 */
final class InboundReceipt {
  private static final ApiAccess.MessageAccess MESSAGES = ApiAccess.messages();

  final InboundDelivery owner;
  final int packetId;
  final QoS qos;
  final long epoch;

  /** A PUBREC answering a redelivery of a QoS 2 message already handled: nothing is owed. */
  final boolean repeat;

  /**
   * The reason code its acknowledgement carries: 0x00 Success, or (MQTT 5) an error for a message
   * refused without being delivered, e.g. 0x99 Payload format invalid. Set before it is shared.
   */
  int reasonCode;

  /** Consumers (queues it went to) not yet done with it; it is handled when none is left. */
  int pending;

  /** Given to application code at least once (with {@code manual_ack}, it awaits {@code ack}). */
  boolean handedOver;

  /** Handled: its acknowledgement goes out when those before it have. */
  boolean due;

  /** Out of the sequence: its acknowledgement was released for sending, or given up. */
  boolean settled;

  /**
   * It arrived on an earlier connection of the session, whose broker is about to send it again
   * (DUP): its acknowledgement waits for that resend, so that it cannot reach the broker after the
   * broker has completed the flow and reused the packet id.
   */
  boolean awaitingResend;

  InboundReceipt(
      InboundDelivery owner, int packetId, QoS qos, long epoch, boolean repeat, int pending) {
    this.owner = owner;
    this.packetId = packetId;
    this.qos = qos;
    this.epoch = epoch;
    this.repeat = repeat;
    this.pending = pending;
  }

  /**
   * The message a PUBLISH delivers, carrying {@code receipt} (null for QoS 0). The payload is
   * handed over without a copy. Runs on the reader thread.
   */
  static Message message(PublishPacket p, InboundReceipt receipt) {
    Properties props = p.properties();
    if (props.isEmpty()) {
      return MESSAGES.newMessage(p.topic(), p.payload(), p.qos(), p.retain(), p.dup(), receipt);
    }
    // MQTT 5: the properties the application sees (the Topic Alias was resolved by the reader).
    Message.Builder b = Message.builder(p.topic()).qos(p.qos()).retain(p.retain()).dup(p.dup());
    props.messageExpiryInterval().ifPresent(s -> b.messageExpiryInterval(Duration.ofSeconds(s)));
    props.contentType().ifPresent(b::contentType);
    props.responseTopic().ifPresent(b::responseTopic);
    props.correlationData().ifPresent(b::correlationData);
    props.userProperties().forEach(u -> b.userProperty(u.name(), u.value()));
    props.payloadFormatIndicator().ifPresent(i -> b.payloadUtf8(i == 1));
    props.subscriptionIdentifiers().forEach(b::subscriptionIdentifier);
    return MESSAGES.newMessage(b, p.payload(), receipt);
  }

  /** The receipt {@code m} carries; null when it has none (QoS 0, or made by the API). */
  static InboundReceipt of(Message m) {
    return MESSAGES.receipt(m) instanceof InboundReceipt r ? r : null;
  }

  @Override
  public String toString() {
    return "InboundReceipt[packetId="
        + packetId
        + ", qos="
        + qos.value()
        + ", epoch="
        + epoch
        + "]";
  }
}
