package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.Subscription;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * SUBSCRIBE [MQTT-3.8].
 *
 * @param options the MQTT 5.0 Subscription Options of each subscription beyond its QoS, in the same
 *     order; {@link SubscriptionOptions#DEFAULT} for all in MQTT 3.1.1
 * @param properties MQTT 5.0's SUBSCRIBE properties (Subscription Identifier, User Property);
 *     {@link Properties#EMPTY} in MQTT 3.1.1
 * @throws IllegalArgumentException when there are not as many options as subscriptions
 */
public record SubscribePacket(
    int packetId,
    List<Subscription> subscriptions,
    List<SubscriptionOptions> options,
    Properties properties)
    implements Packet {
  public SubscribePacket {
    Objects.requireNonNull(subscriptions, "subscriptions");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(properties, "properties");
    if (options.size() != subscriptions.size()) {
      throw new IllegalArgumentException(
          options.size() + " subscription options for " + subscriptions.size() + " subscriptions");
    }
  }

  /** A SUBSCRIBE with the default options and properties given. */
  public SubscribePacket(int packetId, List<Subscription> subscriptions, Properties properties) {
    this(
        packetId,
        subscriptions,
        Collections.nCopies(subscriptions.size(), SubscriptionOptions.DEFAULT),
        properties);
  }

  /** A SUBSCRIBE as MQTT 3.1.1 has it: default options, no properties. */
  public SubscribePacket(int packetId, List<Subscription> subscriptions) {
    this(packetId, subscriptions, Properties.EMPTY);
  }

  @Override
  public PacketType type() {
    return PacketType.SUBSCRIBE;
  }
}
