package io.vmqtt.vthreads.internal;

import io.vmqtt.QoS;
import io.vmqtt.spi.StoredPublish;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import io.vmqtt.vthreads.internal.codec.PubrelPacket;
import io.vmqtt.vthreads.internal.codec.StoredProperties;

/**
 * One outbound exchange kept by the {@link Session} until it is done: a QoS 1 or 2 PUBLISH, a
 * SUBSCRIBE or an UNSUBSCRIBE, which hold a packet identifier until their last acknowledgement; or
 * a QoS 0 PUBLISH queued while reconnecting, done once handed to the writer. It survives lost
 * connections: on the next accepted connection it is written again, in its original order.
 *
 * <p>The caller's thread, if any, waits on {@link #result}. {@link #awaiting} is written by the
 * reader; the fields marked so are guarded by the session's lock.
 */
final class OutboundFlow {
  /** The acknowledgement the flow waits for next. */
  enum Awaiting {
    PUBACK,
    PUBREC,
    PUBCOMP,
    SUBACK,
    UNSUBACK,
    /** A QoS 0 publish: nothing; done when written. */
    NOTHING
  }

  final long sequence;

  /** When its caller stops waiting ({@link System#nanoTime()}); MAX_VALUE when nobody waits. */
  final long deadline;

  final int packetId;
  final Packet packet;
  final FlowResult result = new FlowResult();
  volatile Awaiting awaiting;

  /** The reason code of the PUBREC a QoS 2 flow got (MQTT 5; 0x10 No matching subscribers). */
  volatile int pubrecReasonCode;

  /** Written at least once, so a resend of the PUBLISH sets DUP. Guarded by the session lock. */
  boolean sent;

  /** Counted against max_inflight on the live connection. Guarded by the session lock. */
  boolean inWindow;

  OutboundFlow(long sequence, long deadline, int packetId, Packet packet, Awaiting awaiting) {
    this.sequence = sequence;
    this.deadline = deadline;
    this.packetId = packetId;
    this.packet = packet;
    this.awaiting = awaiting;
  }

  /**
   * A flow for a message a {@link io.vmqtt.spi.SessionStore} kept from an earlier session, with the
   * MQTT 5 properties it was published with.
   *
   * @throws IllegalArgumentException when the stored properties are not PUBLISH properties
   */
  static OutboundFlow restored(long sequence, StoredPublish s) {
    PublishPacket p =
        new PublishPacket(
            s.topic(),
            s.payload(),
            s.qos(),
            s.retain(),
            false,
            s.packetId(),
            StoredProperties.decode(s.properties()));
    Awaiting awaiting =
        s.released()
            ? Awaiting.PUBCOMP
            : s.qos() == QoS.AT_LEAST_ONCE ? Awaiting.PUBACK : Awaiting.PUBREC;
    OutboundFlow f = new OutboundFlow(sequence, Long.MAX_VALUE, s.packetId(), p, awaiting);
    f.sent = true; // the dead process may have sent it: a resend must say so
    return f;
  }

  /** A QoS 1/2 publish: it counts against the in-flight window and is kept by the store. */
  boolean isReliablePublish() {
    return packet instanceof PublishPacket p && p.qos() != QoS.AT_MOST_ONCE;
  }

  /** What goes on the wire now: PUBREL past PUBREC, the PUBLISH with DUP when resent. */
  Packet packetToWrite() {
    if (awaiting == Awaiting.PUBCOMP) {
      return new PubrelPacket(packetId);
    }
    return sent && packet instanceof PublishPacket p ? p.asDuplicate() : packet;
  }

  /** The message as a store keeps it, MQTT 5 properties included. */
  StoredPublish stored() {
    PublishPacket p = (PublishPacket) packet;
    return new StoredPublish(
        packetId,
        p.topic(),
        p.payload(),
        p.qos(),
        p.retain(),
        false,
        StoredProperties.encode(p.properties()));
  }
}
