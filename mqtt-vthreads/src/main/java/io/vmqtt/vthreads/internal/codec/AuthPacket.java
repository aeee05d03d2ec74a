package io.vmqtt.vthreads.internal.codec;

import java.util.Objects;

/**
 * AUTH, packet type 15, MQTT 5.0 only (section 3.15; MQTT 3.1.1 reserves type 15 [MQTT-2.2.1]): one
 * step of an extended authentication exchange.
 *
 * @param reasonCode an Authenticate Reason Code (Table 3-11): 0x00 Success, 0x18 Continue
 *     authentication, 0x19 Re-authenticate
 * @param properties Authentication Method (required), Authentication Data, Reason String, User
 *     Property
 */
public record AuthPacket(int reasonCode, Properties properties) implements Packet {
  public AuthPacket {
    Objects.requireNonNull(properties, "properties");
  }

  @Override
  public PacketType type() {
    return PacketType.AUTH;
  }
}
