package io.vmqtt.vthreads.internal.codec;

/**
 * PUBACK, PUBREC, PUBREL and PUBCOMP [MQTT-3.4] to [MQTT-3.7], as MQTT 3.1.1 and MQTT 5.0 write
 * them.
 *
 * <p>MQTT 3.1.1: a packet identifier, nothing else; the Remaining Length is 2 (the fixed header
 * figures of sections 3.4.1 to 3.7.1). MQTT 5.0: the packet identifier, then a reason code and
 * properties, both left out when the code is 0x00 Success and there are no properties ("The Reason
 * Code and Property Length can be omitted ..."), the properties alone left out when there are none
 * ("If the Remaining Length is less than 4 there is no Property Length and the value of 0 is
 * used"), sections 3.4.2 to 3.7.2. The encoder writes the shortest of these forms.
 *
 * <p>Stateless and thread-safe.
 */
final class AckCodec {
  private AckCodec() {}

  /** The packet with these fields. */
  static AckPacket create(PacketType type, int packetId, int reasonCode, Properties properties) {
    return switch (type) {
      case PUBACK -> new PubackPacket(packetId, reasonCode, properties);
      case PUBREC -> new PubrecPacket(packetId, reasonCode, properties);
      case PUBREL -> new PubrelPacket(packetId, reasonCode, properties);
      case PUBCOMP -> new PubcompPacket(packetId, reasonCode, properties);
      default -> throw new IllegalArgumentException("not a publish acknowledgement: " + type);
    };
  }

  /** "PubackPacket[packetId=7]", or with "reasonCode=0x10" and the properties, when not plain. */
  static String describe(AckPacket p) {
    String name = p.getClass().getSimpleName() + "[packetId=" + p.packetId();
    if (p.isPlain()) {
      return name + "]";
    }
    return name
        + ", reasonCode="
        + Utf8.hex(p.reasonCode())
        + (p.properties().isEmpty() ? "" : ", " + p.properties())
        + "]";
  }

  // --- MQTT 3.1.1 ----------------------------------------------------------------------------

  /**
   * Writes the fixed header and the packet identifier.
   *
   * @throws IllegalArgumentException for a reason code other than 0 or properties, which MQTT 3.1.1
   *     has no room for
   */
  static void encode3(AckPacket p, ByteSink out) {
    if (!p.isPlain()) {
      throw new IllegalArgumentException(
          "MQTT 3.1.1 cannot send a "
              + p.type()
              + " with "
              + (p.reasonCode() != 0 ? "reason code " + Utf8.hex(p.reasonCode()) : "properties")
              + ": its "
              + p.type()
              + " is a packet identifier only "
              + citation(p.type()));
    }
    // PUBREL's flags are 0010 [MQTT-3.6.1-1]; the others' 0000 [MQTT-2.2.2-1].
    Encoding.writeFixedHeader(p.type(), FixedHeader.flags(p.type()), 2, out);
    out.writeShort(p.packetId());
  }

  /** Decodes a body that is exactly a packet identifier. */
  static AckPacket decode3(PacketType type, byte[] body) {
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

  /** The section whose fixed header figure gives Remaining Length 2 in MQTT 3.1.1. */
  private static String citation(PacketType type) {
    return switch (type) {
      case PUBACK -> "[MQTT-3.4.1]";
      case PUBREC -> "[MQTT-3.5.1]";
      case PUBREL -> "[MQTT-3.6.1]";
      case PUBCOMP -> "[MQTT-3.7.1]";
      default -> throw new IllegalArgumentException("not a publish acknowledgement: " + type);
    };
  }

  // --- MQTT 5.0 ------------------------------------------------------------------------------

  /** Writes the shortest form: identifier; identifier and code; identifier, code, properties. */
  static void encode5(AckPacket p, ByteSink out) {
    PacketType type = p.type();
    Encoding.checkByte(p.reasonCode(), type + " reason code");
    Properties properties = p.properties();
    long length;
    if (properties.isEmpty()) {
      length = p.reasonCode() == 0 ? 2 : 3;
    } else {
      length = 3 + PropertiesCodec.size(properties);
    }
    Encoding.writeFixedHeader(type, FixedHeader.flags(type), length, out);
    out.writeShort(p.packetId());
    if (length > 2) {
      out.writeByte(p.reasonCode());
    }
    if (length > 3) {
      PropertiesCodec.write(properties, out);
    }
  }

  /**
   * Decodes an acknowledgement of 2 or more bytes.
   *
   * @throws ProtocolViolationException for a missing or zero packet identifier, a reason code the
   *     packet does not have ([MQTT-3.4.2-1] ...), properties the packet does not have, or bytes
   *     after the properties
   */
  static AckPacket decode5(PacketType type, byte[] body) {
    BodyReader r = new BodyReader(body, type, Spec.MQTT_5_0);
    int packetId = r.readPacketId();
    int reasonCode = 0;
    Properties properties = Properties.EMPTY;
    if (r.hasRemaining()) {
      reasonCode = ReasonCodes.read(r, "reason code");
      if (r.hasRemaining()) {
        properties = PropertiesCodec.read(r, PropertyScope.of(type));
        r.requireEnd("properties");
      }
    }
    return create(type, packetId, reasonCode, properties);
  }
}
