package io.vmqtt.vthreads.internal.codec;

import java.util.List;
import java.util.Objects;

/**
 * UNSUBACK [MQTT-3.11]. In MQTT 3.1.1 only a packet identifier; MQTT 5.0 adds properties and one
 * Unsubscribe Reason Code per filter (Table 3-9: 0x00 Success, 0x11 No subscription existed, 0x80
 * and above an error).
 *
 * @param reasonCodes empty in MQTT 3.1.1
 * @param properties {@link Properties#EMPTY} in MQTT 3.1.1
 */
public record UnsubackPacket(int packetId, List<Integer> reasonCodes, Properties properties)
    implements Packet {
  public UnsubackPacket {
    Objects.requireNonNull(reasonCodes, "reasonCodes");
    Objects.requireNonNull(properties, "properties");
  }

  /** The UNSUBACK of MQTT 3.1.1: a packet identifier. */
  public UnsubackPacket(int packetId) {
    this(packetId, List.of(), Properties.EMPTY);
  }

  @Override
  public PacketType type() {
    return PacketType.UNSUBACK;
  }
}
