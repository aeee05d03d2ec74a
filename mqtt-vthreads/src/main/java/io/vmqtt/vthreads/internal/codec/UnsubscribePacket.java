package io.vmqtt.vthreads.internal.codec;

import java.util.List;

/** UNSUBSCRIBE [MQTT-3.10]. */
public record UnsubscribePacket(int packetId, List<String> topicFilters) implements Packet {
  @Override
  public PacketType type() {
    return PacketType.UNSUBSCRIBE;
  }
}
