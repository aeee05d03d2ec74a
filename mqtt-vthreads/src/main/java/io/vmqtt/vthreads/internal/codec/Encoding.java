package io.vmqtt.vthreads.internal.codec;

/**
 * What the per-family codecs share when they encode: the fixed header, and the sizes of fields,
 * checked against their limits before anything is written.
 *
 * <p>Stateless and thread-safe.
 */
final class Encoding {
  private Encoding() {}

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

  /**
   * Refuses properties where the protocol level has none.
   *
   * @param citation the section of the packet's variable header, which has no properties
   * @throws IllegalArgumentException when {@code properties} is not empty
   */
  static void requireNoProperties(PacketType type, Properties properties, String citation) {
    if (!properties.isEmpty()) {
      throw new IllegalArgumentException(
          "MQTT 3.1.1 cannot send "
              + type.withArticle()
              + " with properties: it has none "
              + citation
              + "; was "
              + properties);
    }
  }
}
