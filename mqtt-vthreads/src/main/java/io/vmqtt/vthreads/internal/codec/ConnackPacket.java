package io.vmqtt.vthreads.internal.codec;

import java.util.Objects;

/**
 * CONNACK [MQTT-3.2].
 *
 * @param returnCode the Connect Return Code of MQTT 3.1.1 (0 accepted, 1 to 5 refused), or the
 *     Connect Reason Code of MQTT 5.0 (0x00 Success, 0x80 and above refused)
 * @param properties the CONNACK properties of MQTT 5.0; {@link Properties#EMPTY} in MQTT 3.1.1
 */
public record ConnackPacket(boolean sessionPresent, int returnCode, Properties properties)
    implements Packet {
  public ConnackPacket {
    Objects.requireNonNull(properties, "properties");
  }

  /** A CONNACK without properties, as MQTT 3.1.1 has it. */
  public ConnackPacket(boolean sessionPresent, int returnCode) {
    this(sessionPresent, returnCode, Properties.EMPTY);
  }

  @Override
  public String toString() {
    return "ConnackPacket[sessionPresent="
        + sessionPresent
        + ", returnCode="
        + returnCode
        + (properties.isEmpty() ? "" : ", " + properties)
        + "]";
  }

  @Override
  public PacketType type() {
    return PacketType.CONNACK;
  }
}
