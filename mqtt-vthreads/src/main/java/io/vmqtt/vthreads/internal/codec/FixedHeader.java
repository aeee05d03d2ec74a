package io.vmqtt.vthreads.internal.codec;

/**
 * The first byte of the fixed header: packet type and flags, checked against the flags table before
 * anything else of the packet is read (MQTT 3.1.1 Table 2.2 [MQTT-2.2.2-1] [MQTT-2.2.2-2], MQTT 5.0
 * Table 2-2 [MQTT-2.1.3-1]).
 *
 * <p>Stateless and thread-safe.
 */
final class FixedHeader {
  private FixedHeader() {}

  /**
   * @return the packet type
   * @throws ProtocolViolationException (Malformed Packet) when the type is reserved at {@code
   *     level} or the flags are invalid
   */
  static PacketType check(int firstByte, ProtocolLevel level) {
    int typeValue = (firstByte >>> 4) & 0x0F;
    PacketType type = PacketType.of(typeValue);
    Spec spec = level.spec();
    if (type == null || !level.has(type)) {
      // Type 0 is "Reserved, Forbidden"; so is 15 before MQTT 5, which makes it AUTH.
      throw ProtocolViolationException.malformed(
          "Malformed packet: packet type " + typeValue + " is reserved " + spec.reservedPacketType);
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
      case AUTH -> {
        expected = 0;
        citation = "[MQTT-3.15.1-1]";
      }
      default -> {
        expected = 0;
        citation = spec.reservedFlags;
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

  /** The flags that {@code type} is sent with: 0010 for PUBREL, SUBSCRIBE and UNSUBSCRIBE. */
  static int flags(PacketType type) {
    return switch (type) {
      case PUBREL, SUBSCRIBE, UNSUBSCRIBE -> 0b0010;
      default -> 0;
    };
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
