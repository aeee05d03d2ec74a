package io.vmqtt.it.brokers;

import io.vmqtt.QoS;
import java.util.Objects;
import java.util.Set;

/**
 * What a broker supports as documented and configured: the MQTT protocol levels it accepts (3 =
 * MQTT 3.1, 4 = MQTT 3.1.1, 5 = MQTT 5), the highest QoS it grants and delivers, and whether it
 * keeps retained messages. These are the facts an MQTT 5 broker announces in its CONNACK; an MQTT
 * 3.1.1 broker announces none of them, so the fixture states them.
 *
 * @param protocolLevels the protocol levels a CONNECT may carry
 * @param maximumQos the highest QoS the broker supports: of a PUBLISH it takes as such (MQTT 5's
 *     Maximum QoS) and, unless the broker says otherwise, of a subscription it grants
 * @param retainAvailable whether the broker takes and keeps retained messages
 */
public record Capabilities(Set<Integer> protocolLevels, QoS maximumQos, boolean retainAvailable) {
  public Capabilities {
    protocolLevels = Set.copyOf(protocolLevels);
    Objects.requireNonNull(maximumQos, "maximumQos");
    for (int level : protocolLevels) {
      if (level < 3 || level > 5) {
        throw new IllegalArgumentException("protocol level must be 3, 4 or 5, was " + level);
      }
    }
  }

  /** Whether a CONNECT with this protocol level is accepted. */
  public boolean supportsProtocolLevel(int level) {
    return protocolLevels.contains(level);
  }
}
