package io.vmqtt;

import java.util.Objects;

/**
 * A topic filter and the maximum QoS asked for it, as sent in SUBSCRIBE.
 *
 * <pre>{@code new Subscription("sensors/+/temperature", QoS.AT_LEAST_ONCE)}</pre>
 *
 * @param topicFilter a valid topic filter; {@code +} and {@code #} only where MQTT allows them
 * @param qos the maximum QoS requested
 */
public record Subscription(String topicFilter, QoS qos) {
  /**
   * @throws IllegalArgumentException when the filter is not a valid topic filter
   * @throws NullPointerException when an argument is null
   */
  public Subscription {
    Topics.requireValidFilter(topicFilter, "topicFilter");
    Objects.requireNonNull(qos, "qos");
  }
}
