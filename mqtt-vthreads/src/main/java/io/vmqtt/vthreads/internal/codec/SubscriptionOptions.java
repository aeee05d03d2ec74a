package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.Subscription;

/**
 * The Subscription Options of MQTT 5.0 beyond the QoS (section 3.8.3.1), as the codec writes and
 * reads them (a {@link Subscription} carries them too): No Local, Retain As Published, Retain
 * Handling. Their defaults are what MQTT 3.1.1 does: messages the client published itself are
 * delivered, the RETAIN flag is cleared on forwarded messages, retained messages are sent at
 * subscribe. MQTT 3.1.1 has only the defaults.
 *
 * @param noLocal bit 2: the server does not send the client its own messages [MQTT-3.8.3-3]
 * @param retainAsPublished bit 3: forwarded messages keep the RETAIN flag they were published with
 * @param retainHandling bits 4 and 5: 0 send retained messages at subscribe, 1 only for a new
 *     subscription, 2 never; 3 is a Protocol Error
 */
public record SubscriptionOptions(boolean noLocal, boolean retainAsPublished, int retainHandling) {
  /** The options MQTT 3.1.1 has: all 0. */
  public static final SubscriptionOptions DEFAULT = new SubscriptionOptions(false, false, 0);

  private static final int NO_LOCAL = 0x04;
  private static final int RETAIN_AS_PUBLISHED = 0x08;
  private static final int RETAIN_HANDLING_SHIFT = 4;

  /**
   * @throws IllegalArgumentException when {@code retainHandling} does not fit its two bits
   */
  public SubscriptionOptions {
    if (retainHandling < 0 || retainHandling > 3) {
      throw new IllegalArgumentException(
          "retain handling must fit in two bits (0..3), was " + retainHandling);
    }
  }

  /** Whether these are the options of MQTT 3.1.1. */
  public boolean isDefault() {
    return !noLocal && !retainAsPublished && retainHandling == 0;
  }

  /** The bits of the options byte besides the QoS (bits 0 and 1). */
  int bits() {
    return (noLocal ? NO_LOCAL : 0)
        | (retainAsPublished ? RETAIN_AS_PUBLISHED : 0)
        | (retainHandling << RETAIN_HANDLING_SHIFT);
  }

  /** The options {@code s} carries beyond its QoS. */
  static SubscriptionOptions of(Subscription s) {
    if (!s.noLocal()
        && !s.retainAsPublished()
        && s.retainHandling() == Subscription.RetainHandling.SEND_ON_SUBSCRIBE) {
      return DEFAULT;
    }
    return new SubscriptionOptions(s.noLocal(), s.retainAsPublished(), s.retainHandling().value());
  }

  /** The options of an options byte; the QoS and the reserved bits 6 and 7 are not looked at. */
  static SubscriptionOptions of(int optionsByte) {
    if ((optionsByte & 0x3C) == 0) {
      return DEFAULT;
    }
    return new SubscriptionOptions(
        (optionsByte & NO_LOCAL) != 0,
        (optionsByte & RETAIN_AS_PUBLISHED) != 0,
        (optionsByte >>> RETAIN_HANDLING_SHIFT) & 0x03);
  }
}
