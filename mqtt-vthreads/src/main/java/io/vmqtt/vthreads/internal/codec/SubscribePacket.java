package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.Subscription;
import java.util.List;
import java.util.Objects;

/**
 * SUBSCRIBE [MQTT-3.8].
 *
 * @param properties MQTT 5.0's SUBSCRIBE properties (Subscription Identifier, User Property);
 *     {@link Properties#EMPTY} in MQTT 3.1.1
 */
public record SubscribePacket(int packetId, List<Subscription> subscriptions, Properties properties)
    implements Packet {
  public SubscribePacket {
    Objects.requireNonNull(subscriptions, "subscriptions");
    Objects.requireNonNull(properties, "properties");
  }

  /** A SUBSCRIBE without properties, as MQTT 3.1.1 has it. */
  public SubscribePacket(int packetId, List<Subscription> subscriptions) {
    this(packetId, subscriptions, Properties.EMPTY);
  }

  @Override
  public PacketType type() {
    return PacketType.SUBSCRIBE;
  }
}
