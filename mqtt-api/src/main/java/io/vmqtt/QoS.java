package io.vmqtt;

/** The MQTT quality of service levels. */
public enum QoS {
  /** QoS 0: fire and forget; {@code publish} returns when the packet is handed to the writer. */
  AT_MOST_ONCE(0),
  /** QoS 1: {@code publish} returns on PUBACK; the message may arrive more than once. */
  AT_LEAST_ONCE(1),
  /** QoS 2: {@code publish} returns on PUBCOMP; the message arrives exactly once. */
  EXACTLY_ONCE(2);

  private static final QoS[] BY_VALUE = values();
  private final int value;

  QoS(int value) {
    this.value = value;
  }

  /** The level as it appears on the wire: 0, 1 or 2. */
  public int value() {
    return value;
  }

  /**
   * The level for a wire value.
   *
   * @throws IllegalArgumentException when {@code value} is not 0, 1 or 2
   */
  public static QoS of(int value) {
    if (value < 0 || value > 2) {
      throw new IllegalArgumentException("qos must be 0, 1 or 2, was " + value);
    }
    return BY_VALUE[value];
  }
}
