package io.vmqtt.vthreads.internal;

import io.vmqtt.UserProperty;
import io.vmqtt.vthreads.internal.codec.Properties;
import java.util.ArrayList;
import java.util.List;

/**
 * The codec's {@link Properties} of a received packet as the API's values. Stateless and
 * thread-safe.
 */
final class ReceivedProperties {
  private ReceivedProperties() {}

  /** The User Properties, in the order they came, as the API's pairs. */
  static List<UserProperty> userProperties(Properties p) {
    var received = p.userProperties();
    if (received.isEmpty()) {
      return List.of();
    }
    List<UserProperty> out = new ArrayList<>(received.size());
    received.forEach(u -> out.add(new UserProperty(u.name(), u.value())));
    return List.copyOf(out);
  }
}
