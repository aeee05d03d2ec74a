package io.vmqtt.vthreads.internal.codec;

/**
 * Encodes packets to bytes: fixed header, Remaining Length, variable header and payload [MQTT-2.1].
 * The length of the whole packet is computed before anything is written, so a packet that cannot be
 * encoded leaves the sink as it was.
 *
 * <p>Validation is the API's job; the encoder refuses only what has no encoding: a Remaining Length
 * above 268,435,455, a string or binary field above 65,535 bytes, a 16-bit field outside 0..65535,
 * a string with an unpaired surrogate, a protocol level other than 3 or 4. It does write other
 * malformed packets (packet identifier 0, a wildcard in a PUBLISH topic), so that tests can send
 * them.
 *
 * <p>Stateless and thread-safe; the writer thread calls it with its own {@link ByteSink}.
 */
public final class PacketEncoder {
  private PacketEncoder() {}

  /**
   * Writes the complete packet to {@code out}.
   *
   * <pre>{@code
   * PacketEncoder.encode(new PubackPacket(7), sink); // 0x40, 0x02, 0x00, 0x07
   * }</pre>
   *
   * @throws IllegalArgumentException when the packet cannot be encoded (see the class comment);
   *     nothing has been written then
   */
  public static void encode(Packet packet, ByteSink out) {
    int start = out.size();
    try {
      encodeUnchecked(packet, out);
    } catch (IllegalArgumentException e) {
      out.truncate(start);
      throw e;
    }
  }

  private static void encodeUnchecked(Packet packet, ByteSink out) {
    switch (packet) {
      case ConnectPacket p -> ConnectCodec.encodeConnect(p, out);
      case ConnackPacket p -> ConnectCodec.encodeConnack(p, out);
      case PublishPacket p -> PublishCodec.encodePublish(p, out);
      case PubackPacket p -> PublishCodec.encodeAck(PacketType.PUBACK, p.packetId(), out);
      case PubrecPacket p -> PublishCodec.encodeAck(PacketType.PUBREC, p.packetId(), out);
      case PubrelPacket p -> PublishCodec.encodeAck(PacketType.PUBREL, p.packetId(), out);
      case PubcompPacket p -> PublishCodec.encodeAck(PacketType.PUBCOMP, p.packetId(), out);
      case SubscribePacket p -> SubscribeCodec.encodeSubscribe(p, out);
      case SubackPacket p -> SubscribeCodec.encodeSuback(p, out);
      case UnsubscribePacket p -> SubscribeCodec.encodeUnsubscribe(p, out);
      case UnsubackPacket p -> SubscribeCodec.encodeUnsuback(p, out);
      // No variable header, no payload [MQTT-3.12], [MQTT-3.13], [MQTT-3.14].
      case PingreqPacket p -> writeFixedHeader(PacketType.PINGREQ, 0, 0, out);
      case PingrespPacket p -> writeFixedHeader(PacketType.PINGRESP, 0, 0, out);
      case DisconnectPacket p -> writeFixedHeader(PacketType.DISCONNECT, 0, 0, out);
    }
  }

  /**
   * The complete packet as a new array.
   *
   * @throws IllegalArgumentException when the packet cannot be encoded
   */
  public static byte[] encode(Packet packet) {
    ByteSink sink = new ByteSink(64);
    encode(packet, sink);
    return sink.toByteArray();
  }

  /**
   * Writes the first byte (type and flags) and the Remaining Length [MQTT-2.2].
   *
   * @throws IllegalArgumentException when {@code remainingLength} exceeds 268,435,455
   */
  static void writeFixedHeader(PacketType type, int flags, long remainingLength, ByteSink out) {
    if (remainingLength > MqttLimits.MAX_REMAINING_LENGTH) {
      throw new IllegalArgumentException(
          type
              + " remaining length "
              + remainingLength
              + " exceeds the maximum "
              + MqttLimits.MAX_REMAINING_LENGTH);
    }
    out.writeByte(type.value() << 4 | flags);
    out.writeRemainingLength((int) remainingLength);
  }

  /**
   * The UTF-8 length of a string field, checked.
   *
   * @throws IllegalArgumentException naming {@code field} when the string has an unpaired surrogate
   *     or takes more than 65,535 bytes
   */
  static long utf8Length(String s, String field) {
    long n;
    try {
      n = Utf8.encodedLength(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
    if (n > MqttLimits.MAX_STRING_BYTES) {
      throw new IllegalArgumentException(
          field
              + " is "
              + n
              + " bytes in UTF-8; at most "
              + MqttLimits.MAX_STRING_BYTES
              + " allowed");
    }
    return n;
  }

  /**
   * Checks a value for a one-byte field.
   *
   * @throws IllegalArgumentException naming {@code field} when it is not in 0..255
   */
  static int checkByte(int value, String field) {
    if ((value & ~0xFF) != 0) {
      throw new IllegalArgumentException(field + " must be in 0..255, was " + value);
    }
    return value;
  }

  /** The bytes a string field takes with its length prefix; see {@link #utf8Length}. */
  static long stringSize(String s, String field) {
    return 2 + utf8Length(s, field);
  }

  /**
   * The bytes a binary field takes with its length prefix.
   *
   * @throws IllegalArgumentException naming {@code field} when it is longer than 65,535 bytes
   */
  static long binarySize(byte[] data, String field) {
    if (data.length > MqttLimits.MAX_STRING_BYTES) {
      throw new IllegalArgumentException(
          field
              + " is "
              + data.length
              + " bytes; at most "
              + MqttLimits.MAX_STRING_BYTES
              + " allowed");
    }
    return 2 + data.length;
  }
}
