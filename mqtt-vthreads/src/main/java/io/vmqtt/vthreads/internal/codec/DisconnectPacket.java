package io.vmqtt.vthreads.internal.codec;

import java.util.Objects;

/**
 * DISCONNECT [MQTT-3.14]. In MQTT 3.1.1 it has no variable header and only a client sends it; in
 * MQTT 5.0 either side sends it, with a Disconnect Reason Code (Table 3-10) and properties (Session
 * Expiry Interval, Reason String, User Property, Server Reference), both left out for 0x00 Normal
 * disconnection without properties (section 3.14.2.1).
 *
 * @param reasonCode 0x00 Normal disconnection, always in MQTT 3.1.1
 * @param properties {@link Properties#EMPTY} in MQTT 3.1.1
 */
public record DisconnectPacket(int reasonCode, Properties properties) implements Packet {
  /** Normal disconnection, no properties: the DISCONNECT of MQTT 3.1.1. */
  public static final DisconnectPacket INSTANCE = new DisconnectPacket(0, Properties.EMPTY);

  public DisconnectPacket {
    Objects.requireNonNull(properties, "properties");
  }

  /** "DisconnectPacket[]", or with the reason code and properties when there are any. */
  @Override
  public String toString() {
    if (reasonCode == 0 && properties.isEmpty()) {
      return "DisconnectPacket[]";
    }
    return "DisconnectPacket[reasonCode="
        + Utf8.hex(reasonCode)
        + (properties.isEmpty() ? "" : ", " + properties)
        + "]";
  }

  @Override
  public PacketType type() {
    return PacketType.DISCONNECT;
  }
}
