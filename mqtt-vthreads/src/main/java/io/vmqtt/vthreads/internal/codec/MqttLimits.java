package io.vmqtt.vthreads.internal.codec;

/**
 * The size limits of MQTT 3.1.1 and 5.0, as named constants. Every length read from the wire is
 * checked against one of these before anything is allocated for it.
 */
public final class MqttLimits {
  /**
   * The largest value the four-byte Remaining Length field can hold (0xFF, 0xFF, 0xFF, 0x7F)
   * [MQTT-2.2.3].
   */
  public static final int MAX_REMAINING_LENGTH = 268_435_455;

  /** The largest possible packet: one type byte, four length bytes and the largest body. */
  public static final int MAX_PACKET_SIZE = 1 + 4 + MAX_REMAINING_LENGTH;

  /** The longest UTF-8 string or binary field in bytes: a 16-bit length prefix [MQTT-1.5.3]. */
  public static final int MAX_STRING_BYTES = 65_535;

  /** The largest packet identifier; 0 is not a valid identifier [MQTT-2.3.1-1]. */
  public static final int MAX_PACKET_ID = 65_535;

  /** The most bytes the Remaining Length field may take [MQTT-2.2.3]. */
  public static final int MAX_REMAINING_LENGTH_BYTES = 4;

  /**
   * The largest Variable Byte Integer of MQTT 5.0 (section 1.5.5): four bytes of 7 bits, as the
   * Remaining Length.
   */
  public static final int MAX_VARIABLE_BYTE_INTEGER = MAX_REMAINING_LENGTH;

  /** The most bytes a Variable Byte Integer may take (MQTT 5.0 section 1.5.5). */
  public static final int MAX_VARIABLE_BYTE_INTEGER_BYTES = MAX_REMAINING_LENGTH_BYTES;

  /** The largest Two Byte Integer (MQTT 5.0 section 1.5.2). */
  public static final int MAX_TWO_BYTE_INTEGER = 65_535;

  /** The largest Four Byte Integer, an unsigned 32-bit value (MQTT 5.0 section 1.5.3). */
  public static final long MAX_FOUR_BYTE_INTEGER = 0xFFFF_FFFFL;

  private MqttLimits() {}
}
