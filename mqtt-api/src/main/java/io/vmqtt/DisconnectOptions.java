package io.vmqtt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an MQTT 5 DISCONNECT says (section 3.14.2), for {@link
 * MqttClient#disconnect(DisconnectOptions)}: a reason code, a new Session Expiry Interval, a reason
 * string and user properties. {@link #defaults()} is the plain DISCONNECT of {@link
 * MqttClient#disconnect()}: 0x00 Normal disconnection, nothing else. Immutable and thread-safe.
 *
 * <pre>{@code
 * // Keep the session for an hour after this connection, though CONNECT asked for less:
 * client.disconnect(DisconnectOptions.builder().sessionExpiryInterval(Duration.ofHours(1)).build());
 * // Leave, and have the broker publish the will all the same:
 * client.disconnect(
 *     DisconnectOptions.builder().reasonCode(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE).build());
 * }</pre>
 */
public final class DisconnectOptions {
  private static final DisconnectOptions DEFAULTS = builder().build();

  private final ReasonCode reasonCode;
  private final Duration sessionExpiryInterval;
  private final String reasonString;
  private final List<UserProperty> userProperties;

  private DisconnectOptions(Builder b) {
    this.reasonCode = b.reasonCode;
    this.sessionExpiryInterval = b.sessionExpiryInterval;
    this.reasonString = b.reasonString;
    this.userProperties = List.copyOf(b.userProperties);
  }

  /** 0x00 Normal disconnection without properties: what every protocol version can send. */
  public static DisconnectOptions defaults() {
    return DEFAULTS;
  }

  /** A builder: 0x00 Normal disconnection and no properties until set. */
  public static Builder builder() {
    return new Builder();
  }

  /** The Disconnect Reason Code; {@link ReasonCode#NORMAL_DISCONNECTION} unless set. */
  public ReasonCode reasonCode() {
    return reasonCode;
  }

  /**
   * The Session Expiry Interval that replaces CONNECT's: how long the broker keeps the session
   * after this connection; empty: CONNECT's stays.
   */
  public Optional<Duration> sessionExpiryInterval() {
    return Optional.ofNullable(sessionExpiryInterval);
  }

  /** The Reason String, for the broker's diagnostics. */
  public Optional<String> reasonString() {
    return Optional.ofNullable(reasonString);
  }

  /** The User Properties, in order. */
  public List<UserProperty> userProperties() {
    return userProperties;
  }

  /** Whether anything but the defaults is set: such a DISCONNECT needs MQTT 5. */
  public boolean hasMqtt5Properties() {
    return reasonCode != ReasonCode.NORMAL_DISCONNECTION
        || sessionExpiryInterval != null
        || reasonString != null
        || !userProperties.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DisconnectOptions d
        && reasonCode == d.reasonCode
        && Objects.equals(sessionExpiryInterval, d.sessionExpiryInterval)
        && Objects.equals(reasonString, d.reasonString)
        && userProperties.equals(d.userProperties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reasonCode, sessionExpiryInterval, reasonString, userProperties);
  }

  /** E.g. {@code DisconnectOptions[reasonCode=0x00, sessionExpiryInterval=3600s]}. */
  @Override
  public String toString() {
    StringBuilder b =
        new StringBuilder("DisconnectOptions[reasonCode=0x")
            .append(String.format("%02X", reasonCode.value()));
    if (sessionExpiryInterval != null) {
      b.append(", sessionExpiryInterval=").append(sessionExpiryInterval.getSeconds()).append('s');
    }
    if (reasonString != null) {
      b.append(", reasonString=").append(reasonString);
    }
    if (!userProperties.isEmpty()) {
      b.append(", userProperties=").append(userProperties);
    }
    return b.append(']').toString();
  }

  /** Builds {@link DisconnectOptions}; not thread-safe. */
  public static final class Builder {
    private ReasonCode reasonCode = ReasonCode.NORMAL_DISCONNECTION;
    private Duration sessionExpiryInterval;
    private String reasonString;
    private final List<UserProperty> userProperties = new ArrayList<>();

    private Builder() {}

    /**
     * The Disconnect Reason Code, e.g. {@link ReasonCode#DISCONNECT_WITH_WILL_MESSAGE}: the broker
     * publishes the will although the client disconnects. Default: {@link
     * ReasonCode#NORMAL_DISCONNECTION}.
     *
     * @throws IllegalArgumentException when it is not a Disconnect Reason Code (section 3.14.2.1)
     */
    public Builder reasonCode(ReasonCode reasonCode) {
      Objects.requireNonNull(reasonCode, "reasonCode");
      if (ReasonCode.ofDisconnect(reasonCode.value()).orElse(null) != reasonCode) {
        throw new IllegalArgumentException(
            "reasonCode must be a Disconnect Reason Code (section 3.14.2.1), was "
                + reasonCode
                + " (0x"
                + String.format("%02X", reasonCode.value())
                + ")");
      }
      this.reasonCode = reasonCode;
      return this;
    }

    /**
     * A new Session Expiry Interval: how long the broker keeps the session after this connection.
     * Not allowed when CONNECT's was 0 (section 3.14.2.2.2): {@code disconnect} then fails before
     * sending. Default: CONNECT's stays.
     *
     * @throws IllegalArgumentException unless whole seconds 0..4294967295 (never expires)
     */
    public Builder sessionExpiryInterval(Duration interval) {
      Objects.requireNonNull(interval, "sessionExpiryInterval");
      if (interval.getNano() != 0
          || interval.isNegative()
          || interval.getSeconds() > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException(
            "sessionExpiryInterval must be whole seconds 0..4294967295, was " + interval);
      }
      this.sessionExpiryInterval = interval;
      return this;
    }

    /**
     * The Reason String.
     *
     * @throws IllegalArgumentException when it is not a valid MQTT string
     */
    public Builder reasonString(String reasonString) {
      this.reasonString = Topics.requireValidString(reasonString, "reasonString");
      return this;
    }

    /**
     * Adds a User Property; names may repeat, the order is kept.
     *
     * @throws IllegalArgumentException as {@link UserProperty#UserProperty}
     */
    public Builder userProperty(String name, String value) {
      userProperties.add(new UserProperty(name, value));
      return this;
    }

    /** The options. */
    public DisconnectOptions build() {
      return new DisconnectOptions(this);
    }
  }
}
