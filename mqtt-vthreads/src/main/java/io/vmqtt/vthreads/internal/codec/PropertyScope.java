package io.vmqtt.vthreads.internal.codec;

/**
 * Where a set of MQTT 5 properties appears: the 13 packets whose variable header ends with
 * properties, and the Will Properties in the CONNECT payload (MQTT 5.0 section 2.2.2). The {@link
 * Property} table says which property each scope allows.
 */
public enum PropertyScope {
  CONNECT(PacketType.CONNECT, "CONNECT", "3.1.2.11.1"),
  /** The Will Properties in the CONNECT payload (section 3.1.3.2). */
  WILL(PacketType.CONNECT, "the Will Properties", "3.1.3.2.1"),
  CONNACK(PacketType.CONNACK, "CONNACK", "3.2.2.3.1"),
  PUBLISH(PacketType.PUBLISH, "PUBLISH", "3.3.2.3.1"),
  PUBACK(PacketType.PUBACK, "PUBACK", "3.4.2.2.1"),
  PUBREC(PacketType.PUBREC, "PUBREC", "3.5.2.2.1"),
  PUBREL(PacketType.PUBREL, "PUBREL", "3.6.2.2.1"),
  PUBCOMP(PacketType.PUBCOMP, "PUBCOMP", "3.7.2.2.1"),
  SUBSCRIBE(PacketType.SUBSCRIBE, "SUBSCRIBE", "3.8.2.1.1"),
  SUBACK(PacketType.SUBACK, "SUBACK", "3.9.2.1.1"),
  UNSUBSCRIBE(PacketType.UNSUBSCRIBE, "UNSUBSCRIBE", "3.10.2.1.1"),
  UNSUBACK(PacketType.UNSUBACK, "UNSUBACK", "3.11.2.1.1"),
  DISCONNECT(PacketType.DISCONNECT, "DISCONNECT", "3.14.2.2.1"),
  AUTH(PacketType.AUTH, "AUTH", "3.15.2.2.1");

  private static final PropertyScope[] BY_PACKET = new PropertyScope[16];

  static {
    for (PropertyScope s : values()) {
      if (s != WILL) {
        BY_PACKET[s.packet.value()] = s;
      }
    }
  }

  private final PacketType packet;
  private final String label;
  private final String propertyLengthSection;

  PropertyScope(PacketType packet, String label, String propertyLengthSection) {
    this.packet = packet;
    this.label = label;
    this.propertyLengthSection = propertyLengthSection;
  }

  /** The packet the properties are in: CONNECT for the Will Properties. */
  public PacketType packet() {
    return packet;
  }

  /** How messages name it: "PUBACK", "the Will Properties". */
  public String label() {
    return label;
  }

  /** The section that defines this scope's Property Length, e.g. "3.4.2.2.1". */
  String propertyLengthSection() {
    return propertyLengthSection;
  }

  /**
   * The properties of a packet's variable header.
   *
   * @throws IllegalArgumentException for PINGREQ and PINGRESP, which have no properties
   */
  public static PropertyScope of(PacketType packet) {
    PropertyScope s = BY_PACKET[packet.value()];
    if (s == null) {
      throw new IllegalArgumentException(packet + " has no properties");
    }
    return s;
  }
}
