package io.vmqtt.vthreads.internal;

import io.vmqtt.DisconnectedByBrokerException;
import io.vmqtt.ProtocolException;
import io.vmqtt.PublishRefusedException;
import io.vmqtt.vthreads.internal.codec.AckPacket;
import io.vmqtt.vthreads.internal.codec.AuthPacket;
import io.vmqtt.vthreads.internal.codec.DisconnectPacket;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.PacketType;
import io.vmqtt.vthreads.internal.codec.Properties;
import io.vmqtt.vthreads.internal.codec.ProtocolLevel;
import io.vmqtt.vthreads.internal.codec.PubackPacket;
import io.vmqtt.vthreads.internal.codec.PubcompPacket;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import io.vmqtt.vthreads.internal.codec.PubrecPacket;
import io.vmqtt.vthreads.internal.codec.PubrelPacket;
import io.vmqtt.vthreads.internal.codec.ReasonCodes;
import io.vmqtt.vthreads.internal.codec.SubackPacket;
import io.vmqtt.vthreads.internal.codec.SubscribePacket;
import io.vmqtt.vthreads.internal.codec.UnsubackPacket;
import io.vmqtt.vthreads.internal.codec.UnsubscribePacket;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the reader does with each packet after CONNACK: acknowledgements end or advance outbound
 * flows, PUBLISH goes to {@link InboundDelivery}, PUBREL is answered. Runs on the reader thread; it
 * never waits for the application's code, and waits for room only where memory is at stake (answers
 * to the broker, the incoming queue). Thread-safe (its one flag only limits a warning to once per
 * client).
 */
final class PacketHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PacketHandler.class);

  /** MQTT 5 reason codes from this value on are errors (section 2.4). */
  private static final int ERROR = 0x80;

  private final String clientId;
  private final Session session;
  private final InboundDelivery delivery;
  private volatile boolean qos2DowngradeLogged;

  PacketHandler(String clientId, Session session, InboundDelivery delivery) {
    this.clientId = clientId;
    this.session = session;
    this.delivery = delivery;
  }

  void handle(Connection c, Packet p) throws IOException, InterruptedException {
    switch (p) {
      case PublishPacket pub -> delivery.onPublish(c, c.topicAliases().resolve(pub));
      case PubackPacket ack -> {
        if (ack.reasonCode() >= ERROR) {
          refuse(ack);
        } else {
          onPuback(ack);
        }
      }
      case PubrecPacket rec -> {
        if (rec.reasonCode() >= ERROR) {
          refuse(rec); // the flow ends here: no PUBREL answers an error PUBREC (section 4.3.3)
        } else {
          onPubrec(c, rec);
        }
      }
      case PubrelPacket rel -> {
        session.onRelease(rel.packetId());
        c.writer().answerLater(new PubcompPacket(rel.packetId()));
      }
      case PubcompPacket comp -> complete(comp.packetId(), OutboundFlow.Awaiting.PUBCOMP, comp);
      case SubackPacket ack -> onSuback(ack);
      case UnsubackPacket ack -> onUnsuback(ack);
      case AuthPacket auth -> c.onAuth(auth); // a step of a re-authentication (section 4.12.1)
      case DisconnectPacket d when c.level() == ProtocolLevel.MQTT_5 ->
          throw disconnectedByBroker(c, d);
      default ->
          throw new ProtocolException(
              "Protocol violation: the server sent " + p.type() + ", which only a client sends");
    }
  }

  /**
   * PUBACK ends a QoS 1 flow. A broker without QoS 2 may answer a QoS 2 PUBLISH with PUBACK instead
   * of PUBREC (RabbitMQ 3.x, whose MQTT plugin downgrades QoS 2 to 1): it took the message at QoS 1
   * and never sends PUBREC. That flow ends here too, so its publish returns (with QoS 1 in its
   * result) and its packet id is free; waiting for PUBREC would hold the id and an in-flight slot
   * until the operation timeout and resend the message on every reconnect.
   */
  private void onPuback(PubackPacket ack) throws IOException {
    OutboundFlow flow = session.flow(ack.packetId());
    if (flow != null && flow.awaiting == OutboundFlow.Awaiting.PUBREC) {
      if (!qos2DowngradeLogged) {
        qos2DowngradeLogged = true;
        LOG.warn(
            "client {}: the broker answered a QoS 2 PUBLISH (packet id {}) with PUBACK: it does not"
                + " support QoS 2 and took the message at QoS 1; such publishes return with QoS 1",
            clientId,
            ack.packetId());
      }
      session.complete(flow, ack);
      return;
    }
    complete(flow, ack.packetId(), OutboundFlow.Awaiting.PUBACK, ack);
  }

  /**
   * MQTT 5: an error reason code (0x80 or above) in PUBACK or PUBREC ends the flow with {@link
   * PublishRefusedException}; 0x10 (No matching subscribers) is a success.
   */
  private void refuse(AckPacket ack) throws IOException {
    OutboundFlow.Awaiting expected =
        ack instanceof PubackPacket ? OutboundFlow.Awaiting.PUBACK : OutboundFlow.Awaiting.PUBREC;
    OutboundFlow flow = session.flow(ack.packetId());
    if (flow == null || flow.awaiting != expected) {
      LOG.warn(
          "client {}: {} for packet id {} which {}; ignored",
          clientId,
          ack,
          ack.packetId(),
          flow == null ? "is not in flight" : "awaits " + flow.awaiting);
      return;
    }
    Properties p = ack.properties();
    session.refuse(
        flow,
        ack,
        new PublishRefusedException(
            ack.type()
                + " for packet id "
                + ack.packetId()
                + " has reason code "
                + ReasonCodes.describe(ack.type(), ack.reasonCode())
                + p.reasonString().map(r -> ": " + r).orElse(""),
            ack.reasonCode(),
            p.reasonString().orElse(null),
            ReceivedProperties.userProperties(p)));
  }

  /** MQTT 5: the server's DISCONNECT (section 3.14), the cause the connection fails with. */
  private DisconnectedByBrokerException disconnectedByBroker(Connection c, DisconnectPacket d) {
    Properties p = d.properties();
    return new DisconnectedByBrokerException(
        "the broker "
            + c.describe()
            + " disconnected with reason code "
            + ReasonCodes.describe(PacketType.DISCONNECT, d.reasonCode())
            + p.reasonString().map(r -> ": " + r).orElse("")
            + p.serverReference().map(r -> " (server reference: " + r + ")").orElse(""),
        d.reasonCode(),
        p.reasonString().orElse(null),
        p.serverReference().orElse(null),
        ReceivedProperties.userProperties(p));
  }

  private void onUnsuback(UnsubackPacket ack) throws IOException {
    OutboundFlow flow = session.flow(ack.packetId());
    if (!ack.reasonCodes().isEmpty()
        && flow != null
        && flow.packet instanceof UnsubscribePacket unsub
        && unsub.topicFilters().size() != ack.reasonCodes().size()) {
      throw new ProtocolException(
          "Protocol violation: UNSUBACK for packet id "
              + ack.packetId()
              + " has "
              + ack.reasonCodes().size()
              + " reason codes for "
              + unsub.topicFilters().size()
              + " topic filters [MQTT-3.11.3-2]");
    }
    complete(ack.packetId(), OutboundFlow.Awaiting.UNSUBACK, ack);
  }

  private void onPubrec(Connection c, PubrecPacket rec) throws IOException {
    int packetId = rec.packetId();
    OutboundFlow flow = session.flow(packetId);
    if (flow != null && flow.awaiting == OutboundFlow.Awaiting.PUBREC) {
      flow.pubrecReasonCode = rec.reasonCode();
      session.released(flow);
    } else if (flow != null && flow.awaiting != OutboundFlow.Awaiting.PUBCOMP) {
      LOG.warn(
          "client {}: PUBREC for packet id {} which awaits {}; ignored",
          clientId,
          packetId,
          flow.awaiting);
      return;
    }
    // [MQTT-4.3.3-2]: PUBREL answers PUBREC, also a repeated one or one for an id this session
    // no longer knows.
    c.writer().answerLater(new PubrelPacket(packetId));
  }

  private void onSuback(SubackPacket ack) throws IOException {
    OutboundFlow flow = session.flow(ack.packetId());
    if (flow != null
        && flow.packet instanceof SubscribePacket sub
        && sub.subscriptions().size() != ack.returnCodes().size()) {
      throw new ProtocolException(
          "Protocol violation: SUBACK for packet id "
              + ack.packetId()
              + " has "
              + ack.returnCodes().size()
              + " return codes for "
              + sub.subscriptions().size()
              + " topic filters [MQTT-3.8.4-5]");
    }
    complete(ack.packetId(), OutboundFlow.Awaiting.SUBACK, ack);
  }

  private void complete(int packetId, OutboundFlow.Awaiting expected, Packet ack)
      throws IOException {
    complete(session.flow(packetId), packetId, expected, ack);
  }

  /** {@link #complete(int, OutboundFlow.Awaiting, Packet)} with the flow already looked up. */
  private void complete(OutboundFlow flow, int packetId, OutboundFlow.Awaiting expected, Packet ack)
      throws IOException {
    if (flow == null || flow.awaiting != expected) {
      LOG.warn(
          "client {}: {} for packet id {} which {}; ignored",
          clientId,
          ack.type(),
          packetId,
          flow == null ? "is not in flight" : "awaits " + flow.awaiting);
      return;
    }
    session.complete(flow, ack);
  }
}
