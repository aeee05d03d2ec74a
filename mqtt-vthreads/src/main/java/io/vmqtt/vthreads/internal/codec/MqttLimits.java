package io.vmqtt.vthreads.internal.codec;

/**
 * The size limits of MQTT 3.1.1, as named constants. Every length read from the wire is checked
 * against one of these before anything is allocated for it.
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

  private MqttLimits() {}
}
