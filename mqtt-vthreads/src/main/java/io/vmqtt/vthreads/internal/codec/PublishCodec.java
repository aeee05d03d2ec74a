package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.QoS;

/**
 * PUBLISH [MQTT-3.3], as MQTT 3.1.1 and MQTT 5.0 write it. (Its acknowledgements are {@link
 * AckCodec}'s.)
 *
 * <p>Stateless and thread-safe.
 */
final class PublishCodec {
  // PUBLISH fixed header flags [MQTT-2.2.2].
  private static final int RETAIN = 0x01;
  private static final int QOS_MASK = 0x06;
  private static final int QOS_SHIFT = 1;
  private static final int DUP = 0x08;

  private PublishCodec() {}

  /**
   * The PUBLISH of MQTT 3.1.1: topic name, packet identifier for QoS 1 and 2, payload.
   *
   * @throws IllegalArgumentException for properties, which MQTT 3.1.1 has no room for
   */
  static void encodePublish3(PublishPacket p, ByteSink out) {
    Encoding.requireNoProperties(p.type(), p.properties(), "[MQTT-3.3.2]");
    int qos = p.qos().value();
    long topicBytes = Encoding.utf8Length(p.topic(), "PUBLISH topic");
    long length = 2 + topicBytes + (qos > 0 ? 2 : 0) + p.payload().length;
    int flags = (p.dup() ? DUP : 0) | (qos << QOS_SHIFT) | (p.retain() ? RETAIN : 0);
    Encoding.writeFixedHeader(PacketType.PUBLISH, flags, length, out);
    out.writeUtf8(p.topic(), topicBytes);
    if (qos > 0) {
      // QoS 0 carries no packet identifier [MQTT-2.3.1-5].
      out.writeShort(p.packetId());
    }
    out.writeBytes(p.payload());
  }

  /**
   * Checks the PUBLISH flags of a fixed header.
   *
   * @throws ProtocolViolationException for QoS 3 [MQTT-3.3.1-4] or DUP with QoS 0 [MQTT-3.3.1-2]
   */
  static void checkFlags(int flags) {
    int qosValue = (flags & QOS_MASK) >>> QOS_SHIFT;
    if (qosValue == 3) {
      throw ProtocolViolationException.malformed(
          "Malformed PUBLISH: QoS 3 is not allowed [MQTT-3.3.1-4]");
    }
    if ((flags & DUP) != 0 && qosValue == 0) {
      throw ProtocolViolationException.malformed(
          "Malformed PUBLISH: DUP must be 0 for QoS 0 [MQTT-3.3.1-2]");
    }
  }

  /** Decodes an MQTT 3.1.1 PUBLISH whose flags {@link #checkFlags} has checked. */
  static PublishPacket decodePublish3(int flags, byte[] body) {
    return decodePublish3(flags, body, null);
  }

  /**
   * The length of an MQTT 3.1.1 PUBLISH variable header, from its first two bytes: the topic name
   * and, for QoS 1 and 2, the packet identifier [MQTT-3.3.2]; see {@link
   * PacketCodec#publishHeaderLength}.
   */
  static int publishHeaderLength3(int flags, byte[] prefix) {
    if (prefix.length < 2) {
      return -2;
    }
    int topicBytes = ((prefix[0] & 0xFF) << 8) | (prefix[1] & 0xFF);
    return 2 + topicBytes + ((flags & QOS_MASK) != 0 ? 2 : 0);
  }

  /**
   * Decodes a PUBLISH read in two parts, as {@link PacketReader} reads a large one: {@code head}
   * holds exactly the topic name and, for QoS 1 and 2, the packet identifier; {@code payload} is
   * the rest of the body and becomes the packet's payload without a copy. With a {@code null}
   * payload, {@code head} is the whole body.
   */
  static PublishPacket decodePublish3(int flags, byte[] head, byte[] payload) {
    return decodePublish3(flags, new BodyReader(head, PacketType.PUBLISH), payload);
  }

  /**
   * Decodes an MQTT 3.1.1 PUBLISH whose body lies in {@code buffer} from {@code offset}, as {@link
   * PacketReader} holds a small one: only the payload is copied out.
   */
  static PublishPacket decodePublish3(int flags, byte[] buffer, int offset, int length) {
    return decodePublish3(
        flags, new BodyReader(buffer, offset, length, PacketType.PUBLISH, Spec.MQTT_3_1_1), null);
  }

  private static PublishPacket decodePublish3(int flags, BodyReader r, byte[] payload) {
    int qosValue = (flags & QOS_MASK) >>> QOS_SHIFT;
    boolean dup = (flags & DUP) != 0;
    // The topic name comes first [MQTT-3.3.2-1].
    String topic = r.readString("topic name");
    if (topic.isEmpty()) {
      throw r.malformed("topic name must not be empty [MQTT-4.7.3-1]");
    }
    checkNoWildcard(r, topic);
    int packetId = qosValue == 0 ? 0 : r.readPacketId();
    if (payload == null) {
      payload = r.readRest();
    } else {
      r.requireEnd("packet identifier");
    }
    boolean retain = (flags & RETAIN) != 0;
    return new PublishPacket(topic, payload, QoS.of(qosValue), retain, dup, packetId);
  }

  private static void checkNoWildcard(BodyReader r, String topic) {
    int plus = topic.indexOf('+');
    int hash = topic.indexOf('#');
    if (plus >= 0 || hash >= 0) {
      char wildcard = hash < 0 || (plus >= 0 && plus < hash) ? '+' : '#';
      throw r.malformed(
          "topic name '" + topic + "' must not contain wildcard '" + wildcard + "' [MQTT-3.3.2-2]");
    }
  }

  // --- MQTT 5.0 ------------------------------------------------------------------------------

  /**
   * PUBLISH (section 3.3.2): topic name, packet identifier for QoS 1 and 2, properties, payload.
   */
  static void encodePublish5(PublishPacket p, ByteSink out) {
    int qos = p.qos().value();
    long topicBytes = Encoding.utf8Length(p.topic(), "PUBLISH topic");
    long length =
        2
            + topicBytes
            + (qos > 0 ? 2 : 0)
            + PropertiesCodec.size(p.properties())
            + p.payload().length;
    int flags = (p.dup() ? DUP : 0) | (qos << QOS_SHIFT) | (p.retain() ? RETAIN : 0);
    Encoding.writeFixedHeader(PacketType.PUBLISH, flags, length, out);
    out.writeUtf8(p.topic(), topicBytes);
    if (qos > 0) {
      // QoS 0 carries no packet identifier [MQTT-2.2.1-2].
      out.writeShort(p.packetId());
    }
    PropertiesCodec.write(p.properties(), out);
    out.writeBytes(p.payload());
  }

  /**
   * The length of an MQTT 5 PUBLISH variable header: the topic name, the packet identifier for QoS
   * 1 and 2, then the Property Length, a Variable Byte Integer of 1 to 4 bytes, and the properties;
   * see {@link PacketCodec#publishHeaderLength}. A Property Length that is not a valid Variable
   * Byte Integer gives {@link Integer#MAX_VALUE}, so that the body is read whole and refused by the
   * decoder with its message.
   */
  static int publishHeaderLength5(int flags, byte[] prefix) {
    if (prefix.length < 2) {
      return -2;
    }
    int topicBytes = ((prefix[0] & 0xFF) << 8) | (prefix[1] & 0xFF);
    int at = 2 + topicBytes + ((flags & QOS_MASK) != 0 ? 2 : 0);
    int value = 0;
    for (int i = 0; i < MqttLimits.MAX_VARIABLE_BYTE_INTEGER_BYTES; i++) {
      if (prefix.length <= at + i) {
        return -(at + i + 1);
      }
      int digit = prefix[at + i] & 0xFF;
      value |= (digit & 0x7F) << (7 * i);
      if ((digit & 0x80) == 0) {
        return digit == 0 && i > 0 ? Integer.MAX_VALUE : at + i + 1 + value;
      }
    }
    return Integer.MAX_VALUE;
  }

  /**
   * Decodes an MQTT 5 PUBLISH whose flags {@link #checkFlags} has checked; as {@link
   * #decodePublish3}, {@code payload} may come apart from the variable header ({@code head}).
   *
   * <p>The topic name may be empty when a Topic Alias stands for it (section 3.3.2.1); resolving
   * the alias is the connection's (its aliases live no longer than it [MQTT-3.3.2-7]).
   *
   * @throws ProtocolViolationException as the 3.1.1 decoder, and for properties (section 2.2.2), an
   *     empty topic name without a Topic Alias (a Protocol Error)
   */
  static PublishPacket decodePublish5(int flags, byte[] head, byte[] payload) {
    return decodePublish5(flags, new BodyReader(head, PacketType.PUBLISH, Spec.MQTT_5_0), payload);
  }

  /** As {@link #decodePublish3(int, byte[], int, int)}, for MQTT 5. */
  static PublishPacket decodePublish5(int flags, byte[] buffer, int offset, int length) {
    return decodePublish5(
        flags, new BodyReader(buffer, offset, length, PacketType.PUBLISH, Spec.MQTT_5_0), null);
  }

  private static PublishPacket decodePublish5(int flags, BodyReader r, byte[] payload) {
    int qosValue = (flags & QOS_MASK) >>> QOS_SHIFT;
    boolean dup = (flags & DUP) != 0;
    // The topic name comes first [MQTT-3.3.2-1].
    String topic = r.readString("topic name");
    checkNoWildcard(r, topic);
    int packetId = qosValue == 0 ? 0 : r.readPacketId();
    Properties properties = PropertiesCodec.read(r, PropertyScope.PUBLISH);
    if (topic.isEmpty() && properties.topicAlias().isEmpty()) {
      throw r.protocolError("topic name is empty and there is no Topic Alias [MQTT-3.3.2.1]");
    }
    if (payload == null) {
      payload = r.readRest();
    } else {
      r.requireEnd("properties");
    }
    boolean retain = (flags & RETAIN) != 0;
    return new PublishPacket(topic, payload, QoS.of(qosValue), retain, dup, packetId, properties);
  }
}
