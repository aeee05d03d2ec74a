package io.vmqtt.vthreads.internal;

import io.vmqtt.Subscription;
import io.vmqtt.vthreads.internal.codec.SubackPacket;
import io.vmqtt.vthreads.internal.codec.SubscribePacket;
import io.vmqtt.vthreads.internal.codec.UnsubscribePacket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.OptionalInt;

/**
 * The subscriptions the broker granted in this session, in the order they were made, so that they
 * can be restored when a reconnection finds the broker kept no session, with their MQTT 5 options.
 * A filter the broker refused is not kept; an unsubscribed one is forgotten.
 *
 * <p>Not thread-safe: a part of the {@link Session}, guarded by its lock.
 */
final class SubscriptionRegistry {
  private final LinkedHashMap<String, Subscription> granted = new LinkedHashMap<>();

  /** SUBACK arrived for {@code request}: every filter it did not refuse (a code ≥ 0x80) is kept. */
  void subscribed(SubscribePacket request, SubackPacket ack) {
    List<Subscription> requested = request.subscriptions();
    for (int i = 0; i < requested.size(); i++) {
      if (ack.returnCodes().get(i) < 0x80) {
        granted.put(requested.get(i).topicFilter(), requested.get(i));
      }
    }
  }

  /** UNSUBACK arrived for {@code request}. */
  void unsubscribed(UnsubscribePacket request) {
    request.topicFilters().forEach(granted::remove);
  }

  /** The application ended the session: nothing is to be restored. */
  void clear() {
    granted.clear();
  }

  boolean isEmpty() {
    return granted.isEmpty();
  }

  /**
   * Every kept subscription, in the order they were made, as the SUBSCRIBE packets' lists that
   * restore them: one per Subscription Identifier (a SUBSCRIBE carries at most one, section
   * 3.8.2.1.2), those without one first. Without {@code mqtt5} (a later connection speaks MQTT
   * 3.1.1), with their filters and QoS only, in one list: that is what 3.1.1 can ask for.
   */
  List<List<Subscription>> all(boolean mqtt5) {
    if (!mqtt5) {
      List<Subscription> plain = new ArrayList<>();
      granted.values().forEach(s -> plain.add(Subscription.of(s.topicFilter(), s.qos())));
      return List.of(List.copyOf(plain));
    }
    LinkedHashMap<OptionalInt, List<Subscription>> byIdentifier = new LinkedHashMap<>();
    byIdentifier.put(OptionalInt.empty(), new ArrayList<>());
    granted
        .values()
        .forEach(
            s ->
                byIdentifier
                    .computeIfAbsent(s.subscriptionIdentifier(), k -> new ArrayList<>())
                    .add(s));
    List<List<Subscription>> all = new ArrayList<>();
    byIdentifier.values().stream().filter(l -> !l.isEmpty()).map(List::copyOf).forEach(all::add);
    return all;
  }
}
