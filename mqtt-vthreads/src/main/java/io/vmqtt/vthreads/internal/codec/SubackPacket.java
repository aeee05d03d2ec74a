package io.vmqtt.vthreads.internal.codec;

import java.util.List;
import java.util.Objects;

/**
 * SUBACK [MQTT-3.9]: one code per requested filter. MQTT 3.1.1 has four return codes: 0, 1 and 2
 * (the QoS granted) and 0x80 (failure) [MQTT-3.9.3-2]; MQTT 5.0 has the Subscribe Reason Codes of
 * Table 3-8 (0x00 to 0x02 granted, 0x80 and above refused, e.g. 0x87 Not authorized) and properties
 * (Reason String, User Property).
 *
 * @param returnCodes the return codes of MQTT 3.1.1, the reason codes of MQTT 5.0
 * @param properties {@link Properties#EMPTY} in MQTT 3.1.1
 */
public record SubackPacket(int packetId, List<Integer> returnCodes, Properties properties)
    implements Packet {
  public SubackPacket {
    Objects.requireNonNull(returnCodes, "returnCodes");
    Objects.requireNonNull(properties, "properties");
  }

  /** A SUBACK without properties, as MQTT 3.1.1 has it. */
  public SubackPacket(int packetId, List<Integer> returnCodes) {
    this(packetId, returnCodes, Properties.EMPTY);
  }

  @Override
  public PacketType type() {
    return PacketType.SUBACK;
  }
}
