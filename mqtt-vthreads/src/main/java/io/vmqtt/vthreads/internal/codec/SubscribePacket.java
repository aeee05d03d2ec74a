package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.Subscription;
import java.util.List;

/** SUBSCRIBE [MQTT-3.8]. */
public record SubscribePacket(int packetId, List<Subscription> subscriptions) implements Packet {
  @Override
  public PacketType type() {
    return PacketType.SUBSCRIBE;
  }
}
