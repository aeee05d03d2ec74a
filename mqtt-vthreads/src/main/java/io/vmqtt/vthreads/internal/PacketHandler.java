package io.vmqtt.vthreads.internal;

import io.vmqtt.ProtocolException;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.PubackPacket;
import io.vmqtt.vthreads.internal.codec.PubcompPacket;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import io.vmqtt.vthreads.internal.codec.PubrecPacket;
import io.vmqtt.vthreads.internal.codec.PubrelPacket;
import io.vmqtt.vthreads.internal.codec.SubackPacket;
import io.vmqtt.vthreads.internal.codec.SubscribePacket;
import io.vmqtt.vthreads.internal.codec.UnsubackPacket;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the reader does with each packet after CONNACK: acknowledgements end or advance outbound
 * flows, PUBLISH goes to {@link InboundDelivery}, PUBREL is answered. Runs on the reader thread; it
 * never waits for the application's code, and waits for room only where memory is at stake (answers
 * to the broker, the incoming queue). Thread-safe (stateless).
 */
final class PacketHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PacketHandler.class);

  private final String clientId;
  private final Session session;
  private final InboundDelivery delivery;

  PacketHandler(String clientId, Session session, InboundDelivery delivery) {
    this.clientId = clientId;
    this.session = session;
    this.delivery = delivery;
  }

  void handle(Connection c, Packet p) throws IOException, InterruptedException {
    switch (p) {
      case PublishPacket pub -> delivery.onPublish(c, pub);
      case PubackPacket ack -> complete(ack.packetId(), OutboundFlow.Awaiting.PUBACK, ack);
      case PubrecPacket rec -> onPubrec(c, rec.packetId());
      case PubrelPacket rel -> {
        session.onRelease(rel.packetId());
        c.writer().sendAnswer(new PubcompPacket(rel.packetId()));
      }
      case PubcompPacket comp -> complete(comp.packetId(), OutboundFlow.Awaiting.PUBCOMP, comp);
      case SubackPacket ack -> onSuback(ack);
      case UnsubackPacket ack -> complete(ack.packetId(), OutboundFlow.Awaiting.UNSUBACK, ack);
      default ->
          throw new ProtocolException(
              "Protocol violation: the server sent " + p.type() + ", which only a client sends");
    }
  }

  private void onPubrec(Connection c, int packetId) throws IOException {
    OutboundFlow flow = session.flow(packetId);
    if (flow != null && flow.awaiting == OutboundFlow.Awaiting.PUBREC) {
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
    c.writer().sendAnswer(new PubrelPacket(packetId));
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
    OutboundFlow flow = session.flow(packetId);
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
