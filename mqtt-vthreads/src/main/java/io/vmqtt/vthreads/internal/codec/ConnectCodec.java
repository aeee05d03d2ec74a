package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.QoS;
import io.vmqtt.Topics;
import io.vmqtt.Will;

/**
 * CONNECT [MQTT-3.1] and CONNACK [MQTT-3.2], for MQTT 3.1 (protocol name {@code MQIsdp}, level 3)
 * and MQTT 3.1.1 ({@code MQTT}, level 4), and CONNACK as MQTT 5.0 has it.
 *
 * <p>Stateless and thread-safe.
 */
final class ConnectCodec {
  // Connect Flags, byte 8 of the variable header [MQTT-3.1.2.3].
  private static final int RESERVED = 0x01;
  private static final int CLEAN_SESSION = 0x02;
  private static final int WILL = 0x04;
  private static final int WILL_QOS_SHIFT = 3;
  private static final int WILL_QOS_MASK = 0x18;
  private static final int WILL_RETAIN = 0x20;
  private static final int PASSWORD = 0x40;
  private static final int USERNAME = 0x80;

  private ConnectCodec() {}

  // --- MQTT 3.1 and 3.1.1 --------------------------------------------------------------------

  /**
   * @throws IllegalArgumentException for a protocol level other than 3 or 4, or properties
   */
  static void encodeConnect3(ConnectPacket p, ByteSink out) {
    Encoding.requireNoProperties(p.type(), p.properties(), "[MQTT-3.1.2]");
    Encoding.requireNoProperties(p.type(), p.willProperties(), "[MQTT-3.1.3]");
    String protocolName = protocolName(p.protocolLevel());
    Will will = p.will();
    byte[] willMessage = will == null ? null : will.payload();
    long length = 2 + protocolName.length() + 1 + 1 + 2;
    length += Encoding.stringSize(p.clientId(), "CONNECT client identifier");
    int flags = p.cleanSession() ? CLEAN_SESSION : 0;
    if (will != null) {
      length += Encoding.stringSize(will.topic(), "CONNECT will topic");
      length += Encoding.binarySize(willMessage, "CONNECT will message");
      flags |= WILL | (will.qos().value() << WILL_QOS_SHIFT) | (will.retain() ? WILL_RETAIN : 0);
    }
    if (p.username() != null) {
      length += Encoding.stringSize(p.username(), "CONNECT user name");
      flags |= USERNAME;
    }
    if (p.password() != null) {
      length += Encoding.binarySize(p.password(), "CONNECT password");
      flags |= PASSWORD;
    }
    Encoding.writeFixedHeader(PacketType.CONNECT, 0, length, out);
    out.writeUtf8(protocolName);
    out.writeByte(p.protocolLevel());
    out.writeByte(flags);
    out.writeShort(p.keepAliveSeconds());
    out.writeUtf8(p.clientId());
    if (will != null) {
      out.writeUtf8(will.topic());
      out.writeBinary(willMessage);
    }
    if (p.username() != null) {
      out.writeUtf8(p.username());
    }
    if (p.password() != null) {
      out.writeBinary(p.password());
    }
  }

  static void encodeConnack3(ConnackPacket p, ByteSink out) {
    Encoding.requireNoProperties(p.type(), p.properties(), "[MQTT-3.2.2]");
    Encoding.writeFixedHeader(PacketType.CONNACK, 0, 2, out);
    out.writeByte(p.sessionPresent() ? 1 : 0);
    out.writeByte(Encoding.checkByte(p.returnCode(), "CONNACK return code"));
  }

  /**
   * Decodes a CONNECT body. The protocol name and level come from the packet itself (a server
   * learns the client's level from its CONNECT), so MQTT 3.1 and 3.1.1 are both accepted here.
   */
  static ConnectPacket decodeConnect3(byte[] body) {
    BodyReader r = new BodyReader(body, PacketType.CONNECT);
    String protocolName = r.readString("protocol name");
    int level = r.readByte("protocol level");
    boolean known =
        ProtocolLevel.MQTT_3_1_1.protocolName().equals(protocolName)
            || ProtocolLevel.MQTT_3_1.protocolName().equals(protocolName);
    if (!known) {
      throw r.malformed(
          "protocol name '"
              + protocolName
              + "' is neither 'MQTT' nor 'MQIsdp'"
              + " [MQTT-3.1.2-1]");
    }
    ProtocolLevel found = ProtocolLevel.find(level);
    if (found == null || found.spec() != Spec.MQTT_3_1_1) {
      throw r.malformed(
          "protocol level "
              + level
              + " is not supported, only "
              + ProtocolLevel.describe("and", Spec.MQTT_3_1_1)
              + " [MQTT-3.1.2-2]");
    }
    if (!protocolName.equals(protocolName(level))) {
      throw r.malformed(
          "protocol name '"
              + protocolName
              + "' does not match protocol level "
              + level
              + " [MQTT-3.1.2-1]");
    }
    int flags = r.readByte("connect flags");
    checkFlags(r, flags);
    int keepAlive = r.readShort("keep alive");
    // The fields come in this order [MQTT-3.1.3-1]; the client identifier first [MQTT-3.1.3-3].
    String clientId = r.readString("client identifier");
    String last = "client identifier";
    Will will = null;
    if ((flags & WILL) != 0) {
      String willTopic = r.readString("will topic");
      byte[] willMessage = r.readBinary("will message");
      try {
        Topics.requireValidName(willTopic, "will topic");
      } catch (IllegalArgumentException e) {
        throw new ProtocolViolationException(
            ProtocolViolationException.MALFORMED_PACKET, "Malformed CONNECT: " + e.getMessage(), e);
      }
      QoS willQos = QoS.of((flags & WILL_QOS_MASK) >>> WILL_QOS_SHIFT);
      will = Will.of(willTopic, willMessage, willQos, (flags & WILL_RETAIN) != 0);
      last = "will message";
    }
    String username = null;
    if ((flags & USERNAME) != 0) {
      username = r.readString("user name");
      last = "user name";
    }
    byte[] password = null;
    if ((flags & PASSWORD) != 0) {
      password = r.readBinary("password");
      last = "password";
    }
    r.requireEnd(last);
    return new ConnectPacket(
        level, clientId, (flags & CLEAN_SESSION) != 0, keepAlive, will, username, password);
  }

  private static void checkFlags(BodyReader r, int flags) {
    if ((flags & RESERVED) != 0) {
      throw r.malformed("reserved connect flag (bit 0) must be 0 [MQTT-3.1.2-3]");
    }
    int willQos = (flags & WILL_QOS_MASK) >>> WILL_QOS_SHIFT;
    if ((flags & WILL) == 0) {
      if (willQos != 0) {
        throw r.malformed(
            "will QoS must be 0 without the will flag, was " + willQos + " [MQTT-3.1.2-13]");
      }
      if ((flags & WILL_RETAIN) != 0) {
        throw r.malformed("will retain must be 0 without the will flag [MQTT-3.1.2-15]");
      }
    } else if (willQos == 3) {
      throw r.malformed("will QoS 3 is not allowed [MQTT-3.1.2-14]");
    }
    if ((flags & USERNAME) == 0 && (flags & PASSWORD) != 0) {
      throw r.malformed("password flag set without the user name flag [MQTT-3.1.2-22]");
    }
  }

  static ConnackPacket decodeConnack3(byte[] body) {
    BodyReader r = new BodyReader(body, PacketType.CONNACK);
    r.requireLength(2, "[MQTT-3.2.1]");
    int ackFlags = r.readByte("acknowledge flags");
    if ((ackFlags & 0xFE) != 0) {
      // Section 3.2.2.1 has no numbered statement for these bits.
      throw r.malformed(
          "acknowledge flags bits 7-1 are reserved and must be 0, were "
              + Utf8.hex(ackFlags)
              + " [MQTT-3.2.2.1]");
    }
    int returnCode = r.readByte("return code");
    return new ConnackPacket((ackFlags & 1) != 0, returnCode);
  }

  /**
   * @throws IllegalArgumentException for a level this client does not speak
   */
  private static String protocolName(int level) {
    ProtocolLevel found = ProtocolLevel.find(level);
    if (found == null || found.spec() != Spec.MQTT_3_1_1) {
      throw new IllegalArgumentException(
          "protocol level must be "
              + ProtocolLevel.describe("or", Spec.MQTT_3_1_1)
              + ", was "
              + level);
    }
    return found.protocolName();
  }

  /**
   * CONNECT (section 3.1): protocol name "MQTT", level 5, Connect Flags, Keep Alive, properties;
   * then the Client Identifier, the will (Will Properties, Will Topic, Will Payload), User Name and
   * Password [MQTT-3.1.3-1]. MQTT 5 allows a password without a user name (section 3.1.2.9).
   *
   * @throws IllegalArgumentException for a protocol level other than 5, or Will Properties without
   *     a will
   */
  static void encodeConnect5(ConnectPacket p, ByteSink out) {
    if (p.protocolLevel() != ProtocolLevel.MQTT_5.value()) {
      throw new IllegalArgumentException(
          "an MQTT 5.0 connection sends CONNECT with protocol level 5, was " + p.protocolLevel());
    }
    Will will = p.will();
    if (will == null && !p.willProperties().isEmpty()) {
      throw new IllegalArgumentException("CONNECT has Will Properties but no will");
    }
    String protocolName = ProtocolLevel.MQTT_5.protocolName();
    byte[] willMessage = will == null ? null : will.payload();
    long length = 2 + protocolName.length() + 1 + 1 + 2 + PropertiesCodec.size(p.properties());
    length += Encoding.stringSize(p.clientId(), "CONNECT client identifier");
    int flags = p.cleanSession() ? CLEAN_SESSION : 0;
    if (will != null) {
      length += PropertiesCodec.size(p.willProperties());
      length += Encoding.stringSize(will.topic(), "CONNECT will topic");
      length += Encoding.binarySize(willMessage, "CONNECT will payload");
      flags |= WILL | (will.qos().value() << WILL_QOS_SHIFT) | (will.retain() ? WILL_RETAIN : 0);
    }
    if (p.username() != null) {
      length += Encoding.stringSize(p.username(), "CONNECT user name");
      flags |= USERNAME;
    }
    if (p.password() != null) {
      length += Encoding.binarySize(p.password(), "CONNECT password");
      flags |= PASSWORD;
    }
    Encoding.writeFixedHeader(PacketType.CONNECT, 0, length, out);
    out.writeUtf8(protocolName);
    out.writeByte(ProtocolLevel.MQTT_5.value());
    out.writeByte(flags);
    out.writeShort(p.keepAliveSeconds());
    PropertiesCodec.write(p.properties(), out);
    out.writeUtf8(p.clientId());
    if (will != null) {
      PropertiesCodec.write(p.willProperties(), out);
      out.writeUtf8(will.topic());
      out.writeBinary(willMessage);
    }
    if (p.username() != null) {
      out.writeUtf8(p.username());
    }
    if (p.password() != null) {
      out.writeBinary(p.password());
    }
  }

  /**
   * Decodes an MQTT 5 CONNECT.
   *
   * @throws ProtocolViolationException for another protocol name [MQTT-3.1.2-1] or level
   *     [MQTT-3.1.2-2], invalid Connect Flags, Authentication Data without an Authentication Method
   *     (a Protocol Error, section 3.1.2.11.10), a will topic that is not a topic name, properties
   *     CONNECT or the Will Properties do not have, or bytes after the last field
   */
  static ConnectPacket decodeConnect5(byte[] body) {
    BodyReader r = new BodyReader(body, PacketType.CONNECT, Spec.MQTT_5_0);
    String protocolName = r.readString("protocol name");
    int level = r.readByte("protocol level");
    if (!ProtocolLevel.MQTT_5.protocolName().equals(protocolName)) {
      throw r.malformed("protocol name '" + protocolName + "' is not 'MQTT' [MQTT-3.1.2-1]");
    }
    if (level != ProtocolLevel.MQTT_5.value()) {
      throw r.malformed("protocol level " + level + " is not 5 (MQTT 5.0) [MQTT-3.1.2-2]");
    }
    int flags = r.readByte("connect flags");
    checkFlags5(r, flags);
    int keepAlive = r.readShort("keep alive");
    Properties properties = PropertiesCodec.read(r, PropertyScope.CONNECT);
    if (properties.authenticationData().isPresent()
        && properties.authenticationMethod().isEmpty()) {
      throw r.protocolError(
          "Authentication Data (0x16) without Authentication Method (0x15) [MQTT-3.1.2.11.10]");
    }
    // The fields come in this order [MQTT-3.1.3-1]; the client identifier first [MQTT-3.1.3-3].
    String clientId = r.readString("client identifier");
    String last = "client identifier";
    Will will = null;
    Properties willProperties = Properties.EMPTY;
    if ((flags & WILL) != 0) {
      willProperties = PropertiesCodec.read(r, PropertyScope.WILL);
      String willTopic = r.readString("will topic");
      byte[] willMessage = r.readBinary("will payload");
      try {
        Topics.requireValidName(willTopic, "will topic");
      } catch (IllegalArgumentException e) {
        throw new ProtocolViolationException(
            ProtocolViolationException.MALFORMED_PACKET, "Malformed CONNECT: " + e.getMessage(), e);
      }
      QoS willQos = QoS.of((flags & WILL_QOS_MASK) >>> WILL_QOS_SHIFT);
      will = Will.of(willTopic, willMessage, willQos, (flags & WILL_RETAIN) != 0);
      last = "will payload";
    }
    String username = null;
    if ((flags & USERNAME) != 0) {
      username = r.readString("user name");
      last = "user name";
    }
    byte[] password = null;
    if ((flags & PASSWORD) != 0) {
      password = r.readBinary("password");
      last = "password";
    }
    r.requireEnd(last);
    return new ConnectPacket(
        level,
        clientId,
        (flags & CLEAN_SESSION) != 0,
        keepAlive,
        will,
        username,
        password,
        properties,
        willProperties);
  }

  /** The Connect Flags of MQTT 5.0 (section 3.1.2.3), with its statement numbers. */
  private static void checkFlags5(BodyReader r, int flags) {
    if ((flags & RESERVED) != 0) {
      throw r.malformed("reserved connect flag (bit 0) must be 0 [MQTT-3.1.2-3]");
    }
    int willQos = (flags & WILL_QOS_MASK) >>> WILL_QOS_SHIFT;
    if ((flags & WILL) == 0) {
      if (willQos != 0) {
        throw r.malformed(
            "will QoS must be 0 without the will flag, was " + willQos + " [MQTT-3.1.2-11]");
      }
      if ((flags & WILL_RETAIN) != 0) {
        throw r.malformed("will retain must be 0 without the will flag [MQTT-3.1.2-13]");
      }
    } else if (willQos == 3) {
      throw r.malformed("will QoS 3 is not allowed [MQTT-3.1.2-12]");
    }
  }

  // --- MQTT 5.0 ------------------------------------------------------------------------------

  /** CONNACK (section 3.2.2): acknowledge flags, Connect Reason Code, properties. */
  static void encodeConnack5(ConnackPacket p, ByteSink out) {
    Encoding.checkByte(p.returnCode(), "CONNACK reason code");
    long length = 2L + PropertiesCodec.size(p.properties());
    Encoding.writeFixedHeader(PacketType.CONNACK, 0, length, out);
    out.writeByte(p.sessionPresent() ? 1 : 0);
    out.writeByte(p.returnCode());
    PropertiesCodec.write(p.properties(), out);
  }

  /**
   * @throws ProtocolViolationException for reserved acknowledge flags [MQTT-3.2.2-1], a code that
   *     is not a Connect Reason Code [MQTT-3.2.2-8], or properties CONNACK does not have
   */
  static ConnackPacket decodeConnack5(byte[] body) {
    BodyReader r = new BodyReader(body, PacketType.CONNACK, Spec.MQTT_5_0);
    int ackFlags = r.readByte("acknowledge flags");
    if ((ackFlags & 0xFE) != 0) {
      throw r.malformed(
          "acknowledge flags bits 7-1 are reserved and must be 0, were "
              + Utf8.hex(ackFlags)
              + " [MQTT-3.2.2-1]");
    }
    int reasonCode = ReasonCodes.read(r, "reason code");
    Properties properties = PropertiesCodec.read(r, PropertyScope.CONNACK);
    r.requireEnd("properties");
    return new ConnackPacket((ackFlags & 1) != 0, reasonCode, properties);
  }
}
