package io.vmqtt.vthreads.internal.codec;

/**
 * The MQTT control packet types, with their fixed-header type value: the 14 of MQTT 3.1.1
 * [MQTT-2.2.1] and AUTH, which MQTT 5.0 adds as type 15 (section 2.1.2) and MQTT 3.1.1 reserves.
 * Which types a protocol level has is the codec's to say.
 */
public enum PacketType {
  CONNECT(1),
  CONNACK(2),
  PUBLISH(3),
  PUBACK(4),
  PUBREC(5),
  PUBREL(6),
  PUBCOMP(7),
  SUBSCRIBE(8),
  SUBACK(9),
  UNSUBSCRIBE(10),
  UNSUBACK(11),
  PINGREQ(12),
  PINGRESP(13),
  DISCONNECT(14),
  AUTH(15);

  private static final PacketType[] BY_VALUE = new PacketType[16];

  static {
    for (PacketType t : values()) {
      BY_VALUE[t.value] = t;
    }
  }

  private final int value;

  PacketType(int value) {
    this.value = value;
  }

  /** The 4-bit type in the high nibble of the first byte. */
  public int value() {
    return value;
  }

  /** The type for a 4-bit value, or null for the reserved value 0. */
  public static PacketType of(int value) {
    return BY_VALUE[value & 0x0F];
  }

  /** "a PUBACK", "an UNSUBACK": for messages. */
  String withArticle() {
    return (name().startsWith("U") ? "an " : "a ") + name();
  }
}
