package io.vmqtt.vthreads.internal;

import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.vthreads.internal.codec.SubackPacket;
import io.vmqtt.vthreads.internal.codec.SubscribePacket;
import io.vmqtt.vthreads.internal.codec.UnsubscribePacket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The subscriptions the broker granted in this session, in the order they were made, so that they
 * can be restored when a reconnection finds the broker kept no session. A filter the broker refused
 * is not kept; an unsubscribed one is forgotten.
 *
 * <p>Not thread-safe: a part of the {@link Session}, guarded by its lock.
 */
final class SubscriptionRegistry {
  private final LinkedHashMap<String, QoS> granted = new LinkedHashMap<>();

  /** SUBACK arrived for {@code request}: every filter it did not refuse (a code ≥ 0x80) is kept. */
  void subscribed(SubscribePacket request, SubackPacket ack) {
    List<Subscription> requested = request.subscriptions();
    for (int i = 0; i < requested.size(); i++) {
      if (ack.returnCodes().get(i) < 0x80) {
        granted.put(requested.get(i).topicFilter(), requested.get(i).qos());
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

  /** Every kept subscription, in the order they were made. */
  List<Subscription> all() {
    List<Subscription> all = new ArrayList<>();
    granted.forEach((filter, qos) -> all.add(Subscription.of(filter, qos)));
    return all;
  }
}
