package io.vmqtt.vthreads.internal.codec;

/**
 * The packets without a packet identifier or payload: PINGREQ [MQTT-3.12], PINGRESP [MQTT-3.13],
 * DISCONNECT [MQTT-3.14] and, in MQTT 5.0 only, AUTH (section 3.15).
 *
 * <p>Stateless and thread-safe.
 */
final class ControlCodec {
  private ControlCodec() {}

  // --- MQTT 3.1.1: no variable header, no payload [MQTT-3.12], [MQTT-3.13], [MQTT-3.14] --------

  static void encodeEmpty(PacketType type, ByteSink out) {
    Encoding.writeFixedHeader(type, 0, 0, out);
  }

  /** A packet whose Remaining Length must be 0, as the section of its fixed header says. */
  static Packet decodeEmpty(PacketType type, byte[] body, String citation, Packet packet) {
    if (body.length != 0) {
      new BodyReader(body, type).requireLength(0, citation);
    }
    return packet;
  }

  /**
   * The DISCONNECT of MQTT 3.1.1.
   *
   * @throws IllegalArgumentException for a reason code other than 0 or properties
   */
  static void encodeDisconnect3(DisconnectPacket p, ByteSink out) {
    if (p.reasonCode() != 0 || !p.properties().isEmpty()) {
      throw new IllegalArgumentException(
          "MQTT 3.1.1 cannot send a DISCONNECT with "
              + (p.reasonCode() != 0 ? "reason code " + Utf8.hex(p.reasonCode()) : "properties")
              + ": its DISCONNECT has no variable header [MQTT-3.14.2]");
    }
    encodeEmpty(PacketType.DISCONNECT, out);
  }

  // --- MQTT 5.0: a reason code and properties, left out when 0x00 and none
  // ------------------------

  /** DISCONNECT (section 3.14.2) in its shortest form. */
  static void encodeDisconnect5(DisconnectPacket p, ByteSink out) {
    encodeReasonAndProperties(PacketType.DISCONNECT, p.reasonCode(), p.properties(), out);
  }

  /**
   * DISCONNECT (section 3.14.2): "If the Remaining Length is less than 1 the value of 0x00 (Normal
   * disconnection) is used"; "If the Remaining Length is less than 2, a value of 0 is used" for the
   * Property Length.
   */
  static DisconnectPacket decodeDisconnect5(byte[] body) {
    if (body.length == 0) {
      return DisconnectPacket.INSTANCE;
    }
    BodyReader r = new BodyReader(body, PacketType.DISCONNECT, Spec.MQTT_5_0);
    int reasonCode = ReasonCodes.read(r, "reason code");
    Properties properties = Properties.EMPTY;
    if (r.hasRemaining()) {
      properties = PropertiesCodec.read(r, PropertyScope.DISCONNECT);
      r.requireEnd("properties");
    }
    return new DisconnectPacket(reasonCode, properties);
  }

  /** AUTH (section 3.15.2) in its shortest form. */
  static void encodeAuth(AuthPacket p, ByteSink out) {
    encodeReasonAndProperties(PacketType.AUTH, p.reasonCode(), p.properties(), out);
  }

  /**
   * AUTH (section 3.15.2). The section lets the reason code and properties be left out for 0x00
   * Success, yet calls it "a Protocol Error to omit the Authentication Method" (3.15.2.2.2), which
   * every AUTH carries [MQTT-4.12.0-5]: so an AUTH without one, short or not, is refused.
   */
  static AuthPacket decodeAuth(byte[] body) {
    BodyReader r = new BodyReader(body, PacketType.AUTH, Spec.MQTT_5_0);
    int reasonCode = 0;
    Properties properties = Properties.EMPTY;
    if (r.hasRemaining()) {
      reasonCode = ReasonCodes.read(r, "reason code");
      if (r.hasRemaining()) {
        properties = PropertiesCodec.read(r, PropertyScope.AUTH);
        r.requireEnd("properties");
      }
    }
    if (properties.authenticationMethod().isEmpty()) {
      throw r.protocolError("no Authentication Method (0x15) [MQTT-3.15.2.2.2]");
    }
    return new AuthPacket(reasonCode, properties);
  }

  private static void encodeReasonAndProperties(
      PacketType type, int reasonCode, Properties properties, ByteSink out) {
    Encoding.checkByte(reasonCode, type + " reason code");
    long length;
    if (properties.isEmpty()) {
      length = reasonCode == 0 ? 0 : 1;
    } else {
      length = 1 + PropertiesCodec.size(properties);
    }
    Encoding.writeFixedHeader(type, 0, length, out);
    if (length > 0) {
      out.writeByte(reasonCode);
    }
    if (length > 1) {
      PropertiesCodec.write(properties, out);
    }
  }
}
