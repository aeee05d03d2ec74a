package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.ProtocolException;
import io.vmqtt.QoS;

/**
 * PUBLISH [MQTT-3.3] and its acknowledgements PUBACK, PUBREC, PUBREL and PUBCOMP [MQTT-3.4] to
 * [MQTT-3.7].
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

  static void encodePublish(PublishPacket p, ByteSink out) {
    int qos = p.qos().value();
    long topicBytes = PacketEncoder.utf8Length(p.topic(), "PUBLISH topic");
    long length = 2 + topicBytes + (qos > 0 ? 2 : 0) + p.payload().length;
    int flags = (p.dup() ? DUP : 0) | (qos << QOS_SHIFT) | (p.retain() ? RETAIN : 0);
    PacketEncoder.writeFixedHeader(PacketType.PUBLISH, flags, length, out);
    out.writeUtf8(p.topic(), topicBytes);
    if (qos > 0) {
      // QoS 0 carries no packet identifier [MQTT-2.3.1-5].
      out.writeShort(p.packetId());
    }
    out.writeBytes(p.payload());
  }

  /** Writes PUBACK, PUBREC, PUBREL or PUBCOMP: the fixed header and the packet identifier. */
  static void encodeAck(PacketType type, int packetId, ByteSink out) {
    // PUBREL's flags are 0010 [MQTT-3.6.1-1]; the others' 0000 [MQTT-2.2.2-1].
    PacketEncoder.writeFixedHeader(type, type == PacketType.PUBREL ? 0b0010 : 0, 2, out);
    out.writeShort(packetId);
  }

  /**
   * Checks the PUBLISH flags of a fixed header.
   *
   * @throws ProtocolException for QoS 3 [MQTT-3.3.1-4] or DUP with QoS 0 [MQTT-3.3.1-2]
   */
  static void checkFlags(int flags) {
    int qosValue = (flags & QOS_MASK) >>> QOS_SHIFT;
    if (qosValue == 3) {
      throw new ProtocolException("Malformed PUBLISH: QoS 3 is not allowed [MQTT-3.3.1-4]");
    }
    if ((flags & DUP) != 0 && qosValue == 0) {
      throw new ProtocolException("Malformed PUBLISH: DUP must be 0 for QoS 0 [MQTT-3.3.1-2]");
    }
  }

  /** Decodes a PUBLISH whose flags {@link PacketDecoder#checkFixedHeader} has checked. */
  static PublishPacket decodePublish(int flags, byte[] body) {
    return decodePublish(flags, body, null);
  }

  /**
   * Decodes a PUBLISH read in two parts, as {@link PacketReader} reads a large one: {@code head}
   * holds exactly the topic name and, for QoS 1 and 2, the packet identifier; {@code payload} is
   * the rest of the body and becomes the packet's payload without a copy. With a {@code null}
   * payload, {@code head} is the whole body.
   */
  static PublishPacket decodePublish(int flags, byte[] head, byte[] payload) {
    int qosValue = (flags & QOS_MASK) >>> QOS_SHIFT;
    boolean dup = (flags & DUP) != 0;
    BodyReader r = new BodyReader(head, PacketType.PUBLISH);
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

  /** Decodes PUBACK, PUBREC, PUBREL or PUBCOMP, whose body is exactly a packet identifier. */
  static Packet decodeAck(PacketType type, byte[] body) {
    BodyReader r = new BodyReader(body, type);
    r.requireLength(2, citation(type));
    int packetId = r.readPacketId();
    return switch (type) {
      case PUBACK -> new PubackPacket(packetId);
      case PUBREC -> new PubrecPacket(packetId);
      case PUBREL -> new PubrelPacket(packetId);
      case PUBCOMP -> new PubcompPacket(packetId);
      default -> throw new IllegalArgumentException("not a publish acknowledgement: " + type);
    };
  }

  /** The section whose fixed header figure gives Remaining Length 2. */
  private static String citation(PacketType type) {
    return switch (type) {
      case PUBACK -> "[MQTT-3.4.1]";
      case PUBREC -> "[MQTT-3.5.1]";
      case PUBREL -> "[MQTT-3.6.1]";
      case PUBCOMP -> "[MQTT-3.7.1]";
      default -> throw new IllegalArgumentException("not a publish acknowledgement: " + type);
    };
  }
}
