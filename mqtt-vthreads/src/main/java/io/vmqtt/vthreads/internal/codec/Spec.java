package io.vmqtt.vthreads.internal.codec;

/**
 * The specification a message cites. MQTT 3.1.1 and MQTT 5.0 state many of the same rules under
 * different numbers (UTF-8 is section 1.5.3 in one and 1.5.4 in the other), so code shared by both
 * asks the edition in force for the citation. MQTT 3.1 (protocol level 3) is cited as 3.1.1, which
 * the project's 3.1 support follows.
 *
 * <p>Where a rule has no numbered statement the citation is its section, e.g. {@code [MQTT-2.2.1]},
 * as everywhere in the codec.
 */
enum Spec {
  MQTT_3_1_1(
      "[MQTT-1.5.3-1]",
      "[MQTT-1.5.3-2]",
      "[MQTT-2.3.1-1]",
      "[MQTT-2.2.3]",
      "[MQTT-2.2.1]",
      "[MQTT-2.2.2-1]",
      false),
  MQTT_5_0(
      "[MQTT-1.5.4-1]",
      "[MQTT-1.5.4-2]",
      "[MQTT-2.2.1]",
      "[MQTT-1.5.5]",
      "[MQTT-2.1.2]",
      "[MQTT-2.1.3-1]",
      true);

  /** Well-formed UTF-8, no surrogates. */
  final String utf8WellFormed;

  /** No U+0000 in a UTF-8 string. */
  final String utf8NoNull;

  /** A packet identifier is not 0. */
  final String packetIdNotZero;

  /** At most four bytes of Variable Byte Integer (the Remaining Length in 3.1.1). */
  final String variableByteIntegerBytes;

  /** Packet types 0 and (in 3.1.1) 15 are reserved. */
  final String reservedPacketType;

  /** Reserved fixed-header flags have the values of the flags table. */
  final String reservedFlags;

  /**
   * Whether a Variable Byte Integer, the Remaining Length included, must take the fewest bytes
   * [MQTT-1.5.5-1]. MQTT 3.1.1 states no such rule for the Remaining Length (section 2.2.3), and
   * this client keeps accepting the longer forms there, as it always has.
   */
  final boolean minimalVariableByteIntegers;

  Spec(
      String utf8WellFormed,
      String utf8NoNull,
      String packetIdNotZero,
      String variableByteIntegerBytes,
      String reservedPacketType,
      String reservedFlags,
      boolean minimalVariableByteIntegers) {
    this.utf8WellFormed = utf8WellFormed;
    this.utf8NoNull = utf8NoNull;
    this.packetIdNotZero = packetIdNotZero;
    this.variableByteIntegerBytes = variableByteIntegerBytes;
    this.reservedPacketType = reservedPacketType;
    this.reservedFlags = reservedFlags;
    this.minimalVariableByteIntegers = minimalVariableByteIntegers;
  }
}
