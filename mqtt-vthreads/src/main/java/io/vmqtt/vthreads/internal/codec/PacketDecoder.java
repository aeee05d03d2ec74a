package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.ProtocolException;

/**
 * Decodes one packet from its first byte and its body (the bytes after the Remaining Length),
 * checking everything the specification asks a receiver to check. Every failure is a {@link
 * ProtocolException} whose message names the packet, the values found and the normative statement,
 * e.g. {@code Malformed PUBLISH: QoS 3 is not allowed [MQTT-3.3.1-4]}. Where the specification has
 * no numbered statement the message cites the section instead, e.g. {@code [MQTT-3.4.1]}.
 *
 * <p>MQTT 3.1 (protocol level 3) and 3.1.1 (level 4) decode alike, except CONNECT, which carries
 * its own protocol name and level. The level is a parameter so that MQTT 5 can branch here.
 *
 * <p>Stateless and thread-safe; pure functions, run by the reader thread.
 */
public final class PacketDecoder {
  private PacketDecoder() {}

  /**
   * Decodes one packet.
   *
   * <pre>{@code
   * Packet p = PacketDecoder.decode(0x40, new byte[] {0x00, 0x07}, 4); // PubackPacket[packetId=7]
   * }</pre>
   *
   * @param firstByte the first byte of the fixed header: type and flags
   * @param body the packet after the Remaining Length; its length is the Remaining Length
   * @param protocolLevel 3 (MQTT 3.1) or 4 (MQTT 3.1.1)
   * @throws ProtocolException when the bytes break the specification
   * @throws IllegalArgumentException when {@code protocolLevel} is not 3 or 4
   */
  public static Packet decode(int firstByte, byte[] body, int protocolLevel) {
    if (protocolLevel != ConnectCodec.MQTT_3_1 && protocolLevel != ConnectCodec.MQTT_3_1_1) {
      throw new IllegalArgumentException(
          "protocol level must be 3 (MQTT 3.1) or 4 (MQTT 3.1.1), was " + protocolLevel);
    }
    PacketType type = checkFixedHeader(firstByte);
    return switch (type) {
      case CONNECT -> ConnectCodec.decodeConnect(body);
      case CONNACK -> ConnectCodec.decodeConnack(body);
      case PUBLISH -> PublishCodec.decodePublish(firstByte & 0x0F, body);
      case PUBACK, PUBREC, PUBREL, PUBCOMP -> PublishCodec.decodeAck(type, body);
      case SUBSCRIBE -> SubscribeCodec.decodeSubscribe(body);
      case SUBACK -> SubscribeCodec.decodeSuback(body);
      case UNSUBSCRIBE -> SubscribeCodec.decodeUnsubscribe(body);
      case UNSUBACK -> SubscribeCodec.decodeUnsuback(body);
      case PINGREQ -> empty(type, body, "[MQTT-3.12.1]", PingreqPacket.INSTANCE);
      case PINGRESP -> empty(type, body, "[MQTT-3.13.1]", PingrespPacket.INSTANCE);
      case DISCONNECT -> empty(type, body, "[MQTT-3.14.1]", DisconnectPacket.INSTANCE);
      case AUTH -> throw new AssertionError("checkFixedHeader refuses type 15 in MQTT 3.1.1");
    };
  }

  /**
   * Checks the first byte of a fixed header: the type is not reserved and the flags are those Table
   * 2.2 prescribes [MQTT-2.2.2-1] [MQTT-2.2.2-2]. The reader calls this before it reads the body.
   *
   * @return the packet type
   * @throws ProtocolException when the type is reserved or the flags are invalid
   */
  static PacketType checkFixedHeader(int firstByte) {
    int typeValue = (firstByte >>> 4) & 0x0F;
    PacketType type = PacketType.of(typeValue);
    if (type == null || type == PacketType.AUTH) {
      // Types 0 and 15 are "Reserved, Forbidden" in Table 2.1.
      throw ProtocolViolationException.malformed(
          "Malformed packet: packet type " + typeValue + " is reserved [MQTT-2.2.1]");
    }
    int flags = firstByte & 0x0F;
    if (type == PacketType.PUBLISH) {
      PublishCodec.checkFlags(flags);
      return type;
    }
    int expected;
    String citation;
    switch (type) {
      case PUBREL -> {
        expected = 0b0010;
        citation = "[MQTT-3.6.1-1]";
      }
      case SUBSCRIBE -> {
        expected = 0b0010;
        citation = "[MQTT-3.8.1-1]";
      }
      case UNSUBSCRIBE -> {
        expected = 0b0010;
        citation = "[MQTT-3.10.1-1]";
      }
      case DISCONNECT -> {
        expected = 0;
        citation = "[MQTT-3.14.1-1]";
      }
      default -> {
        expected = 0;
        citation = "[MQTT-2.2.2-1]";
      }
    }
    if (flags != expected) {
      throw ProtocolViolationException.malformed(
          "Malformed "
              + type
              + ": fixed header flags must be "
              + bits(expected)
              + ", were "
              + bits(flags)
              + " "
              + citation);
    }
    return type;
  }

  private static Packet empty(PacketType type, byte[] body, String citation, Packet packet) {
    if (body.length != 0) {
      new BodyReader(body, type).requireLength(0, citation);
    }
    return packet;
  }

  /** Four flag bits, as the specification writes them: "0010". */
  private static String bits(int flags) {
    return new String(
        new char[] {
          (flags & 8) != 0 ? '1' : '0',
          (flags & 4) != 0 ? '1' : '0',
          (flags & 2) != 0 ? '1' : '0',
          (flags & 1) != 0 ? '1' : '0'
        });
  }
}
