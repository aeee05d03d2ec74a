package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.ProtocolException;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.Topics;
import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE [MQTT-3.8], SUBACK [MQTT-3.9], UNSUBSCRIBE [MQTT-3.10] and UNSUBACK [MQTT-3.11].
 *
 * <p>Stateless and thread-safe.
 */
final class SubscribeCodec {
  /** SUBACK's return code for a refused subscription [MQTT-3.9.3]. */
  static final int SUBACK_FAILURE = 0x80;

  private SubscribeCodec() {}

  static void encodeSubscribe(SubscribePacket p, ByteSink out) {
    List<Subscription> subscriptions = p.subscriptions();
    long length = 2;
    for (Subscription s : subscriptions) {
      length += PacketEncoder.stringSize(s.topicFilter(), "SUBSCRIBE topic filter") + 1;
    }
    // SUBSCRIBE's flags are 0010 [MQTT-3.8.1-1].
    PacketEncoder.writeFixedHeader(PacketType.SUBSCRIBE, 0b0010, length, out);
    out.writeShort(p.packetId());
    for (Subscription s : subscriptions) {
      out.writeUtf8(s.topicFilter());
      out.writeByte(s.qos().value());
    }
  }

  static void encodeSuback(SubackPacket p, ByteSink out) {
    List<Integer> codes = p.returnCodes();
    PacketEncoder.writeFixedHeader(PacketType.SUBACK, 0, 2L + codes.size(), out);
    out.writeShort(p.packetId());
    for (int code : codes) {
      out.writeByte(PacketEncoder.checkByte(code, "SUBACK return code"));
    }
  }

  static void encodeUnsubscribe(UnsubscribePacket p, ByteSink out) {
    List<String> filters = p.topicFilters();
    long length = 2;
    for (String filter : filters) {
      length += PacketEncoder.stringSize(filter, "UNSUBSCRIBE topic filter");
    }
    // UNSUBSCRIBE's flags are 0010 [MQTT-3.10.1-1].
    PacketEncoder.writeFixedHeader(PacketType.UNSUBSCRIBE, 0b0010, length, out);
    out.writeShort(p.packetId());
    for (String filter : filters) {
      out.writeUtf8(filter);
    }
  }

  static void encodeUnsuback(UnsubackPacket p, ByteSink out) {
    PacketEncoder.writeFixedHeader(PacketType.UNSUBACK, 0, 2, out);
    out.writeShort(p.packetId());
  }

  static SubscribePacket decodeSubscribe(byte[] body) {
    BodyReader r = new BodyReader(body, PacketType.SUBSCRIBE);
    int packetId = r.readPacketId();
    if (!r.hasRemaining()) {
      throw r.malformed("no topic filter [MQTT-3.8.3-3]");
    }
    List<Subscription> subscriptions = new ArrayList<>();
    while (r.hasRemaining()) {
      // Topic filters are UTF-8 strings [MQTT-3.8.3-1].
      String filter = requireValidFilter(r.readString("topic filter"), PacketType.SUBSCRIBE);
      int requested = r.readByte("requested QoS");
      if (requested > 2) {
        // The specification prints this statement's number as "MQTT-3-8.3-4".
        throw r.malformed(
            "requested QoS byte "
                + Utf8.hex(requested)
                + " is not allowed:"
                + " reserved bits must be 0 and QoS 0, 1 or 2 [MQTT-3-8.3-4]");
      }
      subscriptions.add(Subscription.of(filter, QoS.of(requested)));
    }
    return new SubscribePacket(packetId, List.copyOf(subscriptions));
  }

  static SubackPacket decodeSuback(byte[] body) {
    BodyReader r = new BodyReader(body, PacketType.SUBACK);
    int packetId = r.readPacketId();
    if (!r.hasRemaining()) {
      // One return code per requested topic filter, and SUBSCRIBE has at least one.
      throw r.malformed("no return code [MQTT-3.8.4-5]");
    }
    Integer[] codes = new Integer[r.remaining()];
    for (int i = 0; i < codes.length; i++) {
      int code = r.readByte("return code");
      if (code > 2 && code != SUBACK_FAILURE) {
        throw r.malformed("return code " + Utf8.hex(code) + " is not allowed [MQTT-3.9.3-2]");
      }
      codes[i] = code;
    }
    return new SubackPacket(packetId, List.of(codes));
  }

  static UnsubscribePacket decodeUnsubscribe(byte[] body) {
    BodyReader r = new BodyReader(body, PacketType.UNSUBSCRIBE);
    int packetId = r.readPacketId();
    if (!r.hasRemaining()) {
      throw r.malformed("no topic filter [MQTT-3.10.3-2]");
    }
    List<String> filters = new ArrayList<>();
    while (r.hasRemaining()) {
      // Topic filters are UTF-8 strings [MQTT-3.10.3-1].
      filters.add(requireValidFilter(r.readString("topic filter"), PacketType.UNSUBSCRIBE));
    }
    return new UnsubscribePacket(packetId, List.copyOf(filters));
  }

  static UnsubackPacket decodeUnsuback(byte[] body) {
    BodyReader r = new BodyReader(body, PacketType.UNSUBACK);
    r.requireLength(2, "[MQTT-3.11.1]");
    return new UnsubackPacket(r.readPacketId());
  }

  private static String requireValidFilter(String filter, PacketType type) {
    try {
      return Topics.requireValidFilter(filter, "topic filter");
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("Malformed " + type + ": " + e.getMessage(), e);
    }
  }
}
