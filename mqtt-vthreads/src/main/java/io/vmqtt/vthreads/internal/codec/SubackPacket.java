package io.vmqtt.vthreads.internal.codec;

import java.util.List;

/** SUBACK [MQTT-3.9]: one return code per requested filter: 0, 1, 2 or 0x80. */
public record SubackPacket(int packetId, List<Integer> returnCodes) implements Packet {
  @Override
  public PacketType type() {
    return PacketType.SUBACK;
  }
}
