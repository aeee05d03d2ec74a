package io.vmqtt;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A topic filter, the maximum QoS asked for it and, with MQTT 5, its subscription options, as sent
 * in SUBSCRIBE. Immutable and thread-safe.
 *
 * <pre>{@code
 * client.subscribe(List.of(
 *     Subscription.of("sensors/+/temperature", QoS.AT_LEAST_ONCE),
 *     Subscription.shared("workers", "jobs/#", QoS.AT_LEAST_ONCE),      // $share/workers/jobs/#
 *     Subscription.builder("alerts/#")
 *         .qos(QoS.EXACTLY_ONCE)
 *         .noLocal(true)                                              // MQTT 5 options
 *         .retainHandling(Subscription.RetainHandling.SEND_IF_NEW_SUBSCRIPTION)
 *         .subscriptionIdentifier(7)
 *         .build()));
 * }</pre>
 *
 * <p><b>MQTT 5 options</b> (section 3.8.3.1): {@linkplain Builder#noLocal no local}, {@linkplain
 * Builder#retainAsPublished retain as published}, {@linkplain Builder#retainHandling retain
 * handling} and a {@linkplain Builder#subscriptionIdentifier subscription identifier}. Their
 * defaults are what MQTT 3.1.1 does; on a 3.1.1 connection a subscription with any other value
 * fails before anything is sent, with an {@link MqttException} that names the option.
 *
 * <p><b>Shared subscriptions</b> ({@code $share/group/filter}, section 4.8.2): the broker hands
 * each matching message to one of the group's subscribers. {@link #shared} builds and checks the
 * filter; mosquitto and HiveMQ offer them at MQTT 3.1.1 too. Messages arrive with their own topic,
 * without the {@code $share/group/} prefix, and a message listener added with the {@code $share}
 * filter gets them ({@link Topics#matches} matches the filter after the prefix).
 */
public final class Subscription {
  /** The highest Subscription Identifier: a Variable Byte Integer (section 3.8.2.1.2). */
  public static final int MAX_SUBSCRIPTION_IDENTIFIER = 268_435_455;

  /**
   * MQTT 5's Retain Handling option (section 3.8.3.1): whether the broker sends the retained
   * messages that match when the subscription is made.
   */
  public enum RetainHandling {
    /** 0: send them at every subscribe (MQTT 3.1.1's behaviour, the default). */
    SEND_ON_SUBSCRIBE(0),
    /** 1: send them only when the subscription did not exist yet [MQTT-3.3.1-10]. */
    SEND_IF_NEW_SUBSCRIPTION(1),
    /** 2: do not send them [MQTT-3.3.1-11]. */
    DO_NOT_SEND(2);

    private final int value;

    RetainHandling(int value) {
      this.value = value;
    }

    /** The value of bits 4 and 5 of the Subscription Options byte. */
    public int value() {
      return value;
    }
  }

  private final String topicFilter;
  private final QoS qos;
  private final boolean noLocal;
  private final boolean retainAsPublished;
  private final RetainHandling retainHandling;
  private final int subscriptionIdentifier; // 0: none

  private Subscription(Builder b) {
    this.topicFilter = b.topicFilter;
    this.qos = b.qos;
    this.noLocal = b.noLocal;
    this.retainAsPublished = b.retainAsPublished;
    this.retainHandling = b.retainHandling;
    this.subscriptionIdentifier = b.subscriptionIdentifier;
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
   * A shared subscription of {@code group} to {@code topicFilter}: the filter {@code
   * $share/group/topicFilter}.
   *
   * <pre>{@code
   * Subscription.shared("workers", "jobs/#", QoS.AT_LEAST_ONCE);   // $share/workers/jobs/#
   * }</pre>
   *
   * @throws IllegalArgumentException when the group is empty or contains {@code /}, {@code +} or
   *     {@code #} [MQTT-4.8.2-1] [MQTT-4.8.2-2], or the filter is not a valid topic filter
   * @throws NullPointerException when an argument is null
   */
  public static Subscription shared(String group, String topicFilter, QoS qos) {
    return sharedBuilder(group, topicFilter).qos(qos).build();
  }

  /**
   * A builder of a subscription to {@code topicFilter}; its QoS is {@link QoS#AT_MOST_ONCE} and its
   * options are MQTT 3.1.1's until set.
   *
   * @throws IllegalArgumentException when the filter is not a valid topic filter
   * @throws NullPointerException when the filter is null
   */
  public static Builder builder(String topicFilter) {
    Objects.requireNonNull(topicFilter, "topicFilter");
    return new Builder(Topics.requireValidFilter(topicFilter, "topicFilter"));
  }

  /**
   * A builder of the shared subscription of {@code group} to {@code topicFilter} ({@link #shared}).
   *
   * @throws IllegalArgumentException as {@link #shared} does
   * @throws NullPointerException when an argument is null
   */
  public static Builder sharedBuilder(String group, String topicFilter) {
    return new Builder(Topics.sharedFilter(group, topicFilter));
  }

  /**
   * The topic filter as sent; {@code +} and {@code #} only where MQTT allows them; a shared
   * subscription's starts with {@code $share/group/}.
   */
  public String topicFilter() {
    return topicFilter;
  }

  /** The maximum QoS requested. */
  public QoS qos() {
    return qos;
  }

  /**
   * MQTT 5's No Local: the broker does not send this client the messages it published itself
   * [MQTT-3.8.3-3]. False unless set.
   */
  public boolean noLocal() {
    return noLocal;
  }

  /**
   * MQTT 5's Retain As Published: forwarded messages keep the RETAIN flag they were published with
   * [MQTT-3.3.1-13] (otherwise the broker clears it on messages it forwards as they are published
   * [MQTT-3.3.1-12]). False unless set.
   */
  public boolean retainAsPublished() {
    return retainAsPublished;
  }

  /** MQTT 5's Retain Handling. {@link RetainHandling#SEND_ON_SUBSCRIBE} unless set. */
  public RetainHandling retainHandling() {
    return retainHandling;
  }

  /**
   * MQTT 5's Subscription Identifier (1 to 268,435,455), which the broker puts into every message
   * it sends for this subscription ({@link Message#subscriptionIdentifiers()}); empty unless set.
   */
  public OptionalInt subscriptionIdentifier() {
    return subscriptionIdentifier == 0
        ? OptionalInt.empty()
        : OptionalInt.of(subscriptionIdentifier);
  }

  /** Whether this is a shared subscription ({@code $share/group/filter}). */
  public boolean isShared() {
    return Topics.isShared(topicFilter);
  }

  /** The share group of a shared subscription; empty for one that is not shared. */
  public Optional<String> shareGroup() {
    if (!isShared()) {
      return Optional.empty();
    }
    int start = Topics.SHARE_PREFIX.length();
    return Optional.of(topicFilter.substring(start, topicFilter.indexOf('/', start)));
  }

  /**
   * Whether any option has a value other than MQTT 3.1.1's: no local, retain as published, retain
   * handling other than {@link RetainHandling#SEND_ON_SUBSCRIBE}, or a subscription identifier.
   */
  public boolean hasMqtt5Options() {
    return noLocal
        || retainAsPublished
        || retainHandling != RetainHandling.SEND_ON_SUBSCRIBE
        || subscriptionIdentifier != 0;
  }

  /** Equal when the filter, QoS and every option are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Subscription s
        && topicFilter.equals(s.topicFilter)
        && qos == s.qos
        && noLocal == s.noLocal
        && retainAsPublished == s.retainAsPublished
        && retainHandling == s.retainHandling
        && subscriptionIdentifier == s.subscriptionIdentifier;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        topicFilter, qos, noLocal, retainAsPublished, retainHandling, subscriptionIdentifier);
  }

  /**
   * E.g. {@code Subscription[topicFilter=a/#, qos=1]}, with the MQTT 5 options that are not the
   * defaults: {@code Subscription[topicFilter=a/#, qos=1, noLocal, retainHandling=2,
   * subscriptionIdentifier=7]}.
   */
  @Override
  public String toString() {
    StringBuilder b =
        new StringBuilder("Subscription[topicFilter=")
            .append(topicFilter)
            .append(", qos=")
            .append(qos.value());
    if (noLocal) {
      b.append(", noLocal");
    }
    if (retainAsPublished) {
      b.append(", retainAsPublished");
    }
    if (retainHandling != RetainHandling.SEND_ON_SUBSCRIBE) {
      b.append(", retainHandling=").append(retainHandling.value());
    }
    if (subscriptionIdentifier != 0) {
      b.append(", subscriptionIdentifier=").append(subscriptionIdentifier);
    }
    return b.append(']').toString();
  }

  /** Builds a {@link Subscription}; not thread-safe. */
  public static final class Builder {
    private final String topicFilter;
    private QoS qos = QoS.AT_MOST_ONCE;
    private boolean noLocal;
    private boolean retainAsPublished;
    private RetainHandling retainHandling = RetainHandling.SEND_ON_SUBSCRIBE;
    private int subscriptionIdentifier;

    private Builder(String topicFilter) {
      this.topicFilter = topicFilter;
    }

    /** The maximum QoS asked for. Default: {@link QoS#AT_MOST_ONCE}. */
    public Builder qos(QoS qos) {
      this.qos = Objects.requireNonNull(qos, "qos");
      return this;
    }

    /**
     * MQTT 5: with true, the broker does not send this client the messages it published itself
     * [MQTT-3.8.3-3]. Not allowed on a shared subscription [MQTT-3.8.3-4]. Default: false.
     */
    public Builder noLocal(boolean noLocal) {
      this.noLocal = noLocal;
      return this;
    }

    /**
     * MQTT 5: with true, forwarded messages keep the RETAIN flag they were published with. Default:
     * false (the broker clears it, as MQTT 3.1.1 does).
     */
    public Builder retainAsPublished(boolean retainAsPublished) {
      this.retainAsPublished = retainAsPublished;
      return this;
    }

    /**
     * MQTT 5: when retained messages are sent. Default: {@link RetainHandling#SEND_ON_SUBSCRIBE}.
     */
    public Builder retainHandling(RetainHandling retainHandling) {
      this.retainHandling = Objects.requireNonNull(retainHandling, "retainHandling");
      return this;
    }

    /**
     * MQTT 5: the Subscription Identifier the broker puts into the messages it sends for this
     * subscription. Default: none.
     *
     * @throws IllegalArgumentException when it is not in 1..268,435,455 (0 is a Protocol Error,
     *     section 3.8.2.1.2)
     */
    public Builder subscriptionIdentifier(int identifier) {
      if (identifier < 1 || identifier > MAX_SUBSCRIPTION_IDENTIFIER) {
        throw new IllegalArgumentException(
            "subscriptionIdentifier must be in 1.."
                + MAX_SUBSCRIPTION_IDENTIFIER
                + ", was "
                + identifier
                + " (section 3.8.2.1.2)");
      }
      this.subscriptionIdentifier = identifier;
      return this;
    }

    /**
     * The subscription.
     *
     * @throws IllegalArgumentException for No Local on a shared subscription, a Protocol Error
     *     [MQTT-3.8.3-4]
     */
    public Subscription build() {
      if (noLocal && Topics.isShared(topicFilter)) {
        throw new IllegalArgumentException(
            "noLocal is not allowed on the shared subscription '"
                + topicFilter
                + "' [MQTT-3.8.3-4]");
      }
      return new Subscription(this);
    }
  }
}
