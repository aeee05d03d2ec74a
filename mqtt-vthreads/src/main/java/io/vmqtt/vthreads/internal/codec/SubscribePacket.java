package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.Subscription;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

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

  /**
   * The SUBSCRIBE of {@code subscriptions}: the options each carries, and their Subscription
   * Identifier as the packet's property. For subscriptions with MQTT 3.1.1's options only, a
   * SUBSCRIBE as MQTT 3.1.1 has it.
   *
   * @throws IllegalArgumentException when the subscriptions have different Subscription
   *     Identifiers: a SUBSCRIBE carries at most one, for all its filters (section 3.8.2.1.2)
   */
  public SubscribePacket(int packetId, List<Subscription> subscriptions) {
    this(
        packetId,
        subscriptions,
        subscriptions.stream().map(SubscriptionOptions::of).toList(),
        properties(subscriptions));
  }

  private static Properties properties(List<Subscription> subscriptions) {
    if (subscriptions.isEmpty()) {
      return Properties.EMPTY;
    }
    OptionalInt id = subscriptions.get(0).subscriptionIdentifier();
    for (Subscription s : subscriptions) {
      if (!s.subscriptionIdentifier().equals(id)) {
        throw new IllegalArgumentException(
            "one SUBSCRIBE carries one Subscription Identifier for all its filters (section"
                + " 3.8.2.1.2), but "
                + subscriptions.get(0)
                + " and "
                + s
                + " differ");
      }
    }
    return id.isEmpty()
        ? Properties.EMPTY
        : Properties.builder().subscriptionIdentifier(id.getAsInt()).build();
  }

  @Override
  public PacketType type() {
    return PacketType.SUBSCRIBE;
  }
}
