package io.vmqtt.vthreads.internal.codec;

import java.util.List;
import java.util.Objects;

/**
 * UNSUBSCRIBE [MQTT-3.10].
 *
 * @param properties MQTT 5.0's UNSUBSCRIBE properties (User Property); {@link Properties#EMPTY} in
 *     MQTT 3.1.1
 */
public record UnsubscribePacket(int packetId, List<String> topicFilters, Properties properties)
    implements Packet {
  public UnsubscribePacket {
    Objects.requireNonNull(topicFilters, "topicFilters");
    Objects.requireNonNull(properties, "properties");
  }

  /** An UNSUBSCRIBE without properties, as MQTT 3.1.1 has it. */
  public UnsubscribePacket(int packetId, List<String> topicFilters) {
    this(packetId, topicFilters, Properties.EMPTY);
  }

  @Override
  public PacketType type() {
    return PacketType.UNSUBSCRIBE;
  }
}
