package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.Topics;
import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE [MQTT-3.8], SUBACK [MQTT-3.9], UNSUBSCRIBE [MQTT-3.10] and UNSUBACK [MQTT-3.11]: as
 * MQTT 3.1.1 has them, and SUBACK and UNSUBACK as MQTT 5.0 has them (properties and reason codes).
 *
 * <p>Stateless and thread-safe.
 */
final class SubscribeCodec {
  /** SUBACK's return code for a refused subscription [MQTT-3.9.3]. */
  static final int SUBACK_FAILURE = 0x80;

  private SubscribeCodec() {}

  // --- MQTT 3.1.1 ----------------------------------------------------------------------------

  /**
   * @throws IllegalArgumentException for properties or subscription options beyond the QoS, which
   *     MQTT 3.1.1 does not have
   */
  static void encodeSubscribe3(SubscribePacket p, ByteSink out) {
    Encoding.requireNoProperties(p.type(), p.properties(), "[MQTT-3.8.2]");
    for (SubscriptionOptions o : p.options()) {
      if (!o.isDefault()) {
        throw new IllegalArgumentException(
            "MQTT 3.1.1 cannot send a SUBSCRIBE with "
                + o
                + ": its requested QoS byte holds the QoS only [MQTT-3.8.3]");
      }
    }
    List<Subscription> subscriptions = p.subscriptions();
    long length = 2;
    for (Subscription s : subscriptions) {
      length += Encoding.stringSize(s.topicFilter(), "SUBSCRIBE topic filter") + 1;
    }
    // SUBSCRIBE's flags are 0010 [MQTT-3.8.1-1].
    Encoding.writeFixedHeader(PacketType.SUBSCRIBE, 0b0010, length, out);
    out.writeShort(p.packetId());
    for (Subscription s : subscriptions) {
      out.writeUtf8(s.topicFilter());
      out.writeByte(s.qos().value());
    }
  }

  /** SUBACK's return codes are written as given: a forbidden one is for tests to send. */
  static void encodeSuback3(SubackPacket p, ByteSink out) {
    Encoding.requireNoProperties(p.type(), p.properties(), "[MQTT-3.9.2]");
    List<Integer> codes = p.returnCodes();
    Encoding.writeFixedHeader(PacketType.SUBACK, 0, 2L + codes.size(), out);
    out.writeShort(p.packetId());
    for (int code : codes) {
      out.writeByte(Encoding.checkByte(code, "SUBACK return code"));
    }
  }

  static void encodeUnsubscribe3(UnsubscribePacket p, ByteSink out) {
    Encoding.requireNoProperties(p.type(), p.properties(), "[MQTT-3.10.2]");
    List<String> filters = p.topicFilters();
    long length = 2;
    for (String filter : filters) {
      length += Encoding.stringSize(filter, "UNSUBSCRIBE topic filter");
    }
    // UNSUBSCRIBE's flags are 0010 [MQTT-3.10.1-1].
    Encoding.writeFixedHeader(PacketType.UNSUBSCRIBE, 0b0010, length, out);
    out.writeShort(p.packetId());
    for (String filter : filters) {
      out.writeUtf8(filter);
    }
  }

  /**
   * @throws IllegalArgumentException for reason codes or properties, which MQTT 3.1.1's UNSUBACK, a
   *     packet identifier only, does not have
   */
  static void encodeUnsuback3(UnsubackPacket p, ByteSink out) {
    Encoding.requireNoProperties(p.type(), p.properties(), "[MQTT-3.11.2]");
    if (!p.reasonCodes().isEmpty()) {
      throw new IllegalArgumentException(
          "MQTT 3.1.1 cannot send an UNSUBACK with reason codes: it has no payload [MQTT-3.11.3]");
    }
    Encoding.writeFixedHeader(PacketType.UNSUBACK, 0, 2, out);
    out.writeShort(p.packetId());
  }

  static SubscribePacket decodeSubscribe3(byte[] body) {
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

  static SubackPacket decodeSuback3(byte[] body) {
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

  static UnsubscribePacket decodeUnsubscribe3(byte[] body) {
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

  static UnsubackPacket decodeUnsuback3(byte[] body) {
    BodyReader r = new BodyReader(body, PacketType.UNSUBACK);
    r.requireLength(2, "[MQTT-3.11.1]");
    return new UnsubackPacket(r.readPacketId());
  }

  // --- MQTT 5.0 ------------------------------------------------------------------------------

  /**
   * SUBSCRIBE (section 3.8): packet identifier, properties, then each filter with its Subscription
   * Options byte: QoS in bits 0 and 1, No Local, Retain As Published, Retain Handling above.
   */
  static void encodeSubscribe5(SubscribePacket p, ByteSink out) {
    List<Subscription> subscriptions = p.subscriptions();
    long length = 2 + PropertiesCodec.size(p.properties());
    for (Subscription s : subscriptions) {
      length += Encoding.stringSize(s.topicFilter(), "SUBSCRIBE topic filter") + 1;
    }
    // SUBSCRIBE's flags are 0010 [MQTT-3.8.1-1].
    Encoding.writeFixedHeader(PacketType.SUBSCRIBE, 0b0010, length, out);
    out.writeShort(p.packetId());
    PropertiesCodec.write(p.properties(), out);
    List<SubscriptionOptions> options = p.options();
    for (int i = 0; i < subscriptions.size(); i++) {
      Subscription s = subscriptions.get(i);
      out.writeUtf8(s.topicFilter());
      out.writeByte(s.qos().value() | options.get(i).bits());
    }
  }

  /**
   * @throws ProtocolViolationException for no filter (a Protocol Error [MQTT-3.8.3-2]), reserved
   *     option bits (malformed [MQTT-3.8.3-5]), a Maximum QoS or Retain Handling of 3 or No Local
   *     on a shared subscription (Protocol Errors, section 3.8.3.1, [MQTT-3.8.3-4])
   */
  static SubscribePacket decodeSubscribe5(byte[] body) {
    BodyReader r = new BodyReader(body, PacketType.SUBSCRIBE, Spec.MQTT_5_0);
    int packetId = r.readPacketId();
    Properties properties = PropertiesCodec.read(r, PropertyScope.SUBSCRIBE);
    if (!r.hasRemaining()) {
      throw r.protocolError("no topic filter [MQTT-3.8.3-2]");
    }
    List<Subscription> subscriptions = new ArrayList<>();
    List<SubscriptionOptions> options = new ArrayList<>();
    while (r.hasRemaining()) {
      // Topic filters are UTF-8 strings [MQTT-3.8.3-1].
      String filter = requireValidFilter(r.readString("topic filter"), PacketType.SUBSCRIBE);
      int optionsByte = r.readByte("subscription options");
      String what = "subscription options " + Utf8.hex(optionsByte) + " of '" + filter + "'";
      if ((optionsByte & 0xC0) != 0) {
        throw r.malformed(what + ": reserved bits 7 and 6 must be 0 [MQTT-3.8.3-5]");
      }
      int qos = optionsByte & 0x03;
      if (qos == 3) {
        throw r.protocolError(what + ": Maximum QoS 3 [MQTT-3.8.3.1]");
      }
      SubscriptionOptions o = SubscriptionOptions.of(optionsByte);
      if (o.retainHandling() == 3) {
        throw r.protocolError(what + ": Retain Handling 3 [MQTT-3.8.3.1]");
      }
      if (o.noLocal() && filter.startsWith("$share/")) {
        throw r.protocolError(what + ": No Local on a shared subscription [MQTT-3.8.3-4]");
      }
      subscriptions.add(Subscription.of(filter, QoS.of(qos)));
      options.add(o);
    }
    return new SubscribePacket(
        packetId, List.copyOf(subscriptions), List.copyOf(options), properties);
  }

  /** UNSUBSCRIBE (section 3.10): packet identifier, properties, the filters. */
  static void encodeUnsubscribe5(UnsubscribePacket p, ByteSink out) {
    List<String> filters = p.topicFilters();
    long length = 2 + PropertiesCodec.size(p.properties());
    for (String filter : filters) {
      length += Encoding.stringSize(filter, "UNSUBSCRIBE topic filter");
    }
    // UNSUBSCRIBE's flags are 0010 [MQTT-3.10.1-1].
    Encoding.writeFixedHeader(PacketType.UNSUBSCRIBE, 0b0010, length, out);
    out.writeShort(p.packetId());
    PropertiesCodec.write(p.properties(), out);
    for (String filter : filters) {
      out.writeUtf8(filter);
    }
  }

  /**
   * @throws ProtocolViolationException for no filter, a Protocol Error [MQTT-3.10.3-2]
   */
  static UnsubscribePacket decodeUnsubscribe5(byte[] body) {
    BodyReader r = new BodyReader(body, PacketType.UNSUBSCRIBE, Spec.MQTT_5_0);
    int packetId = r.readPacketId();
    Properties properties = PropertiesCodec.read(r, PropertyScope.UNSUBSCRIBE);
    if (!r.hasRemaining()) {
      throw r.protocolError("no topic filter [MQTT-3.10.3-2]");
    }
    List<String> filters = new ArrayList<>();
    while (r.hasRemaining()) {
      // Topic filters are UTF-8 strings [MQTT-3.10.3-1].
      filters.add(requireValidFilter(r.readString("topic filter"), PacketType.UNSUBSCRIBE));
    }
    return new UnsubscribePacket(packetId, List.copyOf(filters), properties);
  }

  /** SUBACK (section 3.9): packet identifier, properties, one reason code per filter. */
  static void encodeSuback5(SubackPacket p, ByteSink out) {
    List<Integer> codes = p.returnCodes();
    long length = 2L + PropertiesCodec.size(p.properties()) + codes.size();
    Encoding.writeFixedHeader(PacketType.SUBACK, 0, length, out);
    out.writeShort(p.packetId());
    PropertiesCodec.write(p.properties(), out);
    for (int code : codes) {
      out.writeByte(Encoding.checkByte(code, "SUBACK reason code"));
    }
  }

  /**
   * @throws ProtocolViolationException without a reason code [MQTT-3.8.4-6], or for one that is not
   *     a Subscribe Reason Code [MQTT-3.9.3-2]
   */
  static SubackPacket decodeSuback5(byte[] body) {
    BodyReader r = new BodyReader(body, PacketType.SUBACK, Spec.MQTT_5_0);
    int packetId = r.readPacketId();
    Properties properties = PropertiesCodec.read(r, PropertyScope.SUBACK);
    return new SubackPacket(packetId, readReasonCodes(r, "[MQTT-3.8.4-6]"), properties);
  }

  /** UNSUBACK (section 3.11): packet identifier, properties, one reason code per filter. */
  static void encodeUnsuback5(UnsubackPacket p, ByteSink out) {
    List<Integer> codes = p.reasonCodes();
    long length = 2L + PropertiesCodec.size(p.properties()) + codes.size();
    Encoding.writeFixedHeader(PacketType.UNSUBACK, 0, length, out);
    out.writeShort(p.packetId());
    PropertiesCodec.write(p.properties(), out);
    for (int code : codes) {
      out.writeByte(Encoding.checkByte(code, "UNSUBACK reason code"));
    }
  }

  /**
   * @throws ProtocolViolationException without a reason code (one per filter of UNSUBSCRIBE, which
   *     has at least one [MQTT-3.10.3-2]), or for one that is not an Unsubscribe Reason Code
   *     [MQTT-3.11.3-2]
   */
  static UnsubackPacket decodeUnsuback5(byte[] body) {
    BodyReader r = new BodyReader(body, PacketType.UNSUBACK, Spec.MQTT_5_0);
    int packetId = r.readPacketId();
    Properties properties = PropertiesCodec.read(r, PropertyScope.UNSUBACK);
    return new UnsubackPacket(packetId, readReasonCodes(r, "[MQTT-3.11.3-1]"), properties);
  }

  /** The rest of the body: at least one reason code, each one of the packet's. */
  private static List<Integer> readReasonCodes(BodyReader r, String oneEach) {
    if (!r.hasRemaining()) {
      throw r.malformed("no reason code " + oneEach);
    }
    Integer[] codes = new Integer[r.remaining()];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = ReasonCodes.read(r, "reason code");
    }
    return List.of(codes);
  }

  private static String requireValidFilter(String filter, PacketType type) {
    try {
      return Topics.requireValidFilter(filter, "topic filter");
    } catch (IllegalArgumentException e) {
      throw new ProtocolViolationException(
          ProtocolViolationException.MALFORMED_PACKET,
          "Malformed " + type + ": " + e.getMessage(),
          e);
    }
  }
}
