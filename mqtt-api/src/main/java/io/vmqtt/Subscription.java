package io.vmqtt;

import java.util.Objects;

/**
 * A topic filter and the maximum QoS asked for it, as sent in SUBSCRIBE. Immutable and thread-safe.
 *
 * <pre>{@code
 * client.subscribe(List.of(
 *     Subscription.of("sensors/+/temperature", QoS.AT_LEAST_ONCE),
 *     Subscription.builder("alerts/#").qos(QoS.EXACTLY_ONCE).build()));
 * }</pre>
 *
 * <p>The builder is where MQTT 5's subscription options will go.
 */
public final class Subscription {
  private final String topicFilter;
  private final QoS qos;

  private Subscription(String topicFilter, QoS qos) {
    this.topicFilter = topicFilter;
    this.qos = qos;
  }

  /**
   * A subscription to {@code topicFilter} with maximum QoS {@code qos}.
   *
   * @throws IllegalArgumentException when the filter is not a valid topic filter
   * @throws NullPointerException when an argument is null
   */
  public static Subscription of(String topicFilter, QoS qos) {
    return builder(topicFilter).qos(qos).build();
  }

  /**
   * A builder of a subscription to {@code topicFilter}; its QoS is {@link QoS#AT_MOST_ONCE} until
   * set.
   *
   * @throws IllegalArgumentException when the filter is not a valid topic filter
   * @throws NullPointerException when the filter is null
   */
  public static Builder builder(String topicFilter) {
    return new Builder(topicFilter);
  }

  /** The topic filter; {@code +} and {@code #} only where MQTT allows them. */
  public String topicFilter() {
    return topicFilter;
  }

  /** The maximum QoS requested. */
  public QoS qos() {
    return qos;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Subscription s && topicFilter.equals(s.topicFilter) && qos == s.qos;
  }

  @Override
  public int hashCode() {
    return Objects.hash(topicFilter, qos);
  }

  /** E.g. {@code Subscription[topicFilter=a/#, qos=1]}. */
  @Override
  public String toString() {
    return "Subscription[topicFilter=" + topicFilter + ", qos=" + qos.value() + "]";
  }

  /** Builds a {@link Subscription}; not thread-safe. */
  public static final class Builder {
    private final String topicFilter;
    private QoS qos = QoS.AT_MOST_ONCE;

    private Builder(String topicFilter) {
      Objects.requireNonNull(topicFilter, "topicFilter");
      this.topicFilter = Topics.requireValidFilter(topicFilter, "topicFilter");
    }

    /** The maximum QoS asked for. Default: {@link QoS#AT_MOST_ONCE}. */
    public Builder qos(QoS qos) {
      this.qos = Objects.requireNonNull(qos, "qos");
      return this;
    }

    /** The subscription. */
    public Subscription build() {
      return new Subscription(topicFilter, qos);
    }
  }
}
