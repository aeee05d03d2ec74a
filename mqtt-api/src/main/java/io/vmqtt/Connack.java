package io.vmqtt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The broker's answer to CONNECT. {@link MqttClient#connect(String)} returns it when the broker
 * accepted the connection; a refusal is thrown as a {@link ConnectException}, which carries it
 * ({@link ConnectException#connack()}). Immutable and thread-safe.
 *
 * <pre>{@code
 * Connack ack = client.connect("mqtt://localhost:1883");
 * if (!ack.sessionPresent()) {
 *   client.subscribe(subscriptions); // the broker kept nothing for us
 * }
 * }</pre>
 *
 * <p>With MQTT 5 the CONNACK also says what the broker allows, as typed accessors: each has the
 * value the specification gives it when the broker left it out (a Receive Maximum of 65,535, QoS 2,
 * retain available...), or is empty where absence means something of its own. The client honours
 * them: the server's keep-alive replaces the configured one, its Receive Maximum caps the publishes
 * in flight, and a publish beyond its Maximum QoS, Retain Available or Maximum Packet Size fails
 * before anything is sent. With MQTT 3.1/3.1.1 every one of them has its default.
 *
 * <pre>{@code
 * Connack ack = client.connect("mqtt://localhost:1883"); // protocol_version 5
 * ack.receiveMaximum();            // 20 with mosquitto's max_inflight_messages 20
 * ack.assignedClientIdentifier();  // Optional[auto-...] for an empty client id
 * ack.userProperties();            // [region=eu], in order, repeats kept
 * }</pre>
 *
 * <p>Made by the engine; tests that stand in for a client make one with {@link #accepted(boolean)},
 * {@link #ofMqtt3(int, boolean)} or {@link #mqtt5(int, boolean)}.
 */
public final class Connack {
  private static final Connack ACCEPTED_NO_SESSION =
      new Builder(0, ReasonCode.SUCCESS, false).build();
  private static final Connack ACCEPTED_SESSION = new Builder(0, ReasonCode.SUCCESS, true).build();

  private final int returnCode;
  private final ReasonCode reasonCode;
  private final boolean sessionPresent;
  private final Duration sessionExpiryInterval;
  private final int receiveMaximum;
  private final QoS maximumQos;
  private final boolean retainAvailable;
  private final Long maximumPacketSize;
  private final String assignedClientIdentifier;
  private final int topicAliasMaximum;
  private final String reasonString;
  private final List<UserProperty> userProperties;
  private final boolean wildcardSubscriptionAvailable;
  private final boolean subscriptionIdentifiersAvailable;
  private final boolean sharedSubscriptionAvailable;
  private final Duration serverKeepAlive;
  private final String responseInformation;
  private final String serverReference;

  private Connack(Builder b) {
    this.returnCode = b.returnCode;
    this.reasonCode = b.reasonCode;
    this.sessionPresent = b.sessionPresent;
    this.sessionExpiryInterval = b.sessionExpiryInterval;
    this.receiveMaximum = b.receiveMaximum;
    this.maximumQos = b.maximumQos;
    this.retainAvailable = b.retainAvailable;
    this.maximumPacketSize = b.maximumPacketSize;
    this.assignedClientIdentifier = b.assignedClientIdentifier;
    this.topicAliasMaximum = b.topicAliasMaximum;
    this.reasonString = b.reasonString;
    this.userProperties = List.copyOf(b.userProperties);
    this.wildcardSubscriptionAvailable = b.wildcardSubscriptionAvailable;
    this.subscriptionIdentifiersAvailable = b.subscriptionIdentifiersAvailable;
    this.sharedSubscriptionAvailable = b.sharedSubscriptionAvailable;
    this.serverKeepAlive = b.serverKeepAlive;
    this.responseInformation = b.responseInformation;
    this.serverReference = b.serverReference;
  }

  /** An accepted connection: return code 0, {@link ReasonCode#SUCCESS}. */
  public static Connack accepted(boolean sessionPresent) {
    return sessionPresent ? ACCEPTED_SESSION : ACCEPTED_NO_SESSION;
  }

  /**
   * A CONNACK of MQTT 3.1 or 3.1.1, from its return code as on the wire. Codes 1 to 5 map as {@link
   * ReasonCode#ofConnack(int, int)} says; the reserved codes 6 to 255 have the reason code {@link
   * ReasonCode#UNSPECIFIED_ERROR} and keep their value in {@link #returnCode()}.
   *
   * @param returnCode 0 (accepted) to 255
   * @param sessionPresent the session-present flag; only with return code 0 [MQTT-3.2.2-4]
   * @throws IllegalArgumentException when the return code is outside 0..255, or a refusal has
   *     session present
   */
  public static Connack ofMqtt3(int returnCode, boolean sessionPresent) {
    if (returnCode < 0 || returnCode > 255) {
      throw new IllegalArgumentException("returnCode must be 0..255, was " + returnCode);
    }
    if (returnCode == 0) {
      return accepted(sessionPresent);
    }
    if (sessionPresent) {
      throw new IllegalArgumentException(
          "sessionPresent must be false with return code "
              + returnCode
              + ", was true [MQTT-3.2.2-4]");
    }
    return new Builder(
            returnCode,
            ReasonCode.ofConnack(returnCode, 4).orElse(ReasonCode.UNSPECIFIED_ERROR),
            false)
        .build();
  }

  /**
   * A builder of an MQTT 5 CONNACK; every property has its default until set.
   *
   * @param reasonCode the Connect Reason Code as on the wire: 0x00 Success, or a refusal of section
   *     3.2.2.2 (0x80 and above)
   * @param sessionPresent the session-present flag; only with 0x00 [MQTT-3.2.2-6]
   * @throws IllegalArgumentException when the code is not a CONNACK reason code of MQTT 5, or a
   *     refusal has session present
   */
  public static Builder mqtt5(int reasonCode, boolean sessionPresent) {
    ReasonCode code =
        ReasonCode.ofConnack(reasonCode, 5)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "reasonCode 0x"
                            + Integer.toHexString(reasonCode)
                            + " is not an MQTT 5 CONNACK reason code"));
    if (sessionPresent && reasonCode != 0) {
      throw new IllegalArgumentException(
          "sessionPresent must be false with reason code " + code + ", was true [MQTT-3.2.2-6]");
    }
    return new Builder(reasonCode, code, sessionPresent);
  }

  /**
   * The code as the broker sent it: with MQTT 3.1/3.1.1 the CONNACK return code (0 accepted, 1 to 5
   * refusals), with MQTT 5 the reason code's value. 0 means accepted.
   */
  public int returnCode() {
    return returnCode;
  }

  /** What the code means, the same for every protocol level, e.g. {@link ReasonCode#SUCCESS}. */
  public ReasonCode reasonCode() {
    return reasonCode;
  }

  /** Whether the broker resumed a session it kept for this client id; false in a refusal. */
  public boolean sessionPresent() {
    return sessionPresent;
  }

  /** Whether the broker accepted the connection: return code 0. */
  public boolean isAccepted() {
    return returnCode == 0;
  }

  /**
   * MQTT 5's Session Expiry Interval, when the broker set one other than the client asked for
   * (section 3.2.2.3.2); then it is the one in force.
   */
  public Optional<Duration> sessionExpiryInterval() {
    return Optional.ofNullable(sessionExpiryInterval);
  }

  /**
   * How many QoS 1 and 2 publishes the broker takes unacknowledged at once (MQTT 5's Receive
   * Maximum); 65,535 when it announced none. The client never has more in flight, nor more than
   * {@code max_inflight}.
   */
  public int receiveMaximum() {
    return receiveMaximum;
  }

  /** The highest QoS the broker accepts in a PUBLISH (MQTT 5's Maximum QoS); QoS 2 by default. */
  public QoS maximumQos() {
    return maximumQos;
  }

  /** Whether the broker accepts retained messages (MQTT 5's Retain Available); true by default. */
  public boolean retainAvailable() {
    return retainAvailable;
  }

  /**
   * The largest packet, in bytes, the broker accepts (MQTT 5's Maximum Packet Size); empty: no
   * limit beyond the protocol's.
   */
  public OptionalLong maximumPacketSize() {
    return maximumPacketSize == null ? OptionalLong.empty() : OptionalLong.of(maximumPacketSize);
  }

  /**
   * The client identifier the broker assigned to an empty one (MQTT 5's Assigned Client
   * Identifier); the client connects with it from then on, so that its session is resumed.
   */
  public Optional<String> assignedClientIdentifier() {
    return Optional.ofNullable(assignedClientIdentifier);
  }

  /** The highest topic alias the broker accepts (MQTT 5's Topic Alias Maximum); 0 by default. */
  public int topicAliasMaximum() {
    return topicAliasMaximum;
  }

  /** The broker's Reason String (MQTT 5), for diagnostics. */
  public Optional<String> reasonString() {
    return Optional.ofNullable(reasonString);
  }

  /** The User Properties (MQTT 5), in the order they came, names repeated as they came. */
  public List<UserProperty> userProperties() {
    return userProperties;
  }

  /** Whether the broker supports wildcard subscriptions (MQTT 5); true by default. */
  public boolean wildcardSubscriptionAvailable() {
    return wildcardSubscriptionAvailable;
  }

  /** Whether the broker supports subscription identifiers (MQTT 5); true by default. */
  public boolean subscriptionIdentifiersAvailable() {
    return subscriptionIdentifiersAvailable;
  }

  /** Whether the broker supports shared subscriptions (MQTT 5); true by default. */
  public boolean sharedSubscriptionAvailable() {
    return sharedSubscriptionAvailable;
  }

  /**
   * The keep-alive the broker requires instead of the configured one (MQTT 5's Server Keep Alive);
   * the client uses it [MQTT-3.2.2-21].
   */
  public Optional<Duration> serverKeepAlive() {
    return Optional.ofNullable(serverKeepAlive);
  }

  /** MQTT 5's Response Information: the basis the broker suggests for response topics. */
  public Optional<String> responseInformation() {
    return Optional.ofNullable(responseInformation);
  }

  /** MQTT 5's Server Reference: another server the client should use. */
  public Optional<String> serverReference() {
    return Optional.ofNullable(serverReference);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Connack c
        && returnCode == c.returnCode
        && reasonCode == c.reasonCode
        && sessionPresent == c.sessionPresent
        && Objects.equals(sessionExpiryInterval, c.sessionExpiryInterval)
        && receiveMaximum == c.receiveMaximum
        && maximumQos == c.maximumQos
        && retainAvailable == c.retainAvailable
        && Objects.equals(maximumPacketSize, c.maximumPacketSize)
        && Objects.equals(assignedClientIdentifier, c.assignedClientIdentifier)
        && topicAliasMaximum == c.topicAliasMaximum
        && Objects.equals(reasonString, c.reasonString)
        && userProperties.equals(c.userProperties)
        && wildcardSubscriptionAvailable == c.wildcardSubscriptionAvailable
        && subscriptionIdentifiersAvailable == c.subscriptionIdentifiersAvailable
        && sharedSubscriptionAvailable == c.sharedSubscriptionAvailable
        && Objects.equals(serverKeepAlive, c.serverKeepAlive)
        && Objects.equals(responseInformation, c.responseInformation)
        && Objects.equals(serverReference, c.serverReference);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        returnCode,
        reasonCode,
        sessionPresent,
        sessionExpiryInterval,
        receiveMaximum,
        maximumQos,
        retainAvailable,
        maximumPacketSize,
        assignedClientIdentifier,
        topicAliasMaximum,
        reasonString,
        userProperties,
        wildcardSubscriptionAvailable,
        subscriptionIdentifiersAvailable,
        sharedSubscriptionAvailable,
        serverKeepAlive,
        responseInformation,
        serverReference);
  }

  /**
   * E.g. {@code Connack[returnCode=5, reasonCode=NOT_AUTHORIZED, sessionPresent=false]}, followed
   * by the MQTT 5 properties that differ from their defaults, e.g. {@code receiveMaximum=20}.
   */
  @Override
  public String toString() {
    StringBuilder b =
        new StringBuilder("Connack[returnCode=")
            .append(returnCode)
            .append(", reasonCode=")
            .append(reasonCode)
            .append(", sessionPresent=")
            .append(sessionPresent);
    append(b, "sessionExpiryInterval", sessionExpiryInterval);
    append(b, "receiveMaximum", receiveMaximum == 65_535 ? null : receiveMaximum);
    append(b, "maximumQos", maximumQos == QoS.EXACTLY_ONCE ? null : maximumQos.value());
    append(b, "retainAvailable", retainAvailable ? null : false);
    append(b, "maximumPacketSize", maximumPacketSize);
    append(b, "assignedClientIdentifier", assignedClientIdentifier);
    append(b, "topicAliasMaximum", topicAliasMaximum == 0 ? null : topicAliasMaximum);
    append(b, "reasonString", reasonString);
    append(b, "userProperties", userProperties.isEmpty() ? null : userProperties);
    append(b, "wildcardSubscriptionAvailable", wildcardSubscriptionAvailable ? null : false);
    append(b, "subscriptionIdentifiersAvailable", subscriptionIdentifiersAvailable ? null : false);
    append(b, "sharedSubscriptionAvailable", sharedSubscriptionAvailable ? null : false);
    append(b, "serverKeepAlive", serverKeepAlive);
    append(b, "responseInformation", responseInformation);
    append(b, "serverReference", serverReference);
    return b.append(']').toString();
  }

  private static void append(StringBuilder b, String name, Object value) {
    if (value != null) {
      b.append(", ").append(name).append('=').append(value);
    }
  }

  /**
   * Builds an MQTT 5 {@link Connack} ({@link #mqtt5(int, boolean)}); every property has its default
   * until set. Not thread-safe.
   */
  public static final class Builder {
    private final int returnCode;
    private final ReasonCode reasonCode;
    private final boolean sessionPresent;
    private Duration sessionExpiryInterval;
    private int receiveMaximum = 65_535;
    private QoS maximumQos = QoS.EXACTLY_ONCE;
    private boolean retainAvailable = true;
    private Long maximumPacketSize;
    private String assignedClientIdentifier;
    private int topicAliasMaximum;
    private String reasonString;
    private final List<UserProperty> userProperties = new ArrayList<>();
    private boolean wildcardSubscriptionAvailable = true;
    private boolean subscriptionIdentifiersAvailable = true;
    private boolean sharedSubscriptionAvailable = true;
    private Duration serverKeepAlive;
    private String responseInformation;
    private String serverReference;

    private Builder(int returnCode, ReasonCode reasonCode, boolean sessionPresent) {
      this.returnCode = returnCode;
      this.reasonCode = reasonCode;
      this.sessionPresent = sessionPresent;
    }

    /**
     * @throws IllegalArgumentException unless 0..4294967295 whole seconds
     */
    public Builder sessionExpiryInterval(long seconds) {
      this.sessionExpiryInterval =
          Duration.ofSeconds(checkRange("sessionExpiryInterval", seconds, 0, 0xFFFF_FFFFL));
      return this;
    }

    /**
     * @throws IllegalArgumentException unless 1..65535 (0 is a Protocol Error, 3.2.2.3.3)
     */
    public Builder receiveMaximum(int receiveMaximum) {
      this.receiveMaximum = (int) checkRange("receiveMaximum", receiveMaximum, 1, 65_535);
      return this;
    }

    public Builder maximumQos(QoS maximumQos) {
      this.maximumQos = Objects.requireNonNull(maximumQos, "maximumQos");
      return this;
    }

    public Builder retainAvailable(boolean retainAvailable) {
      this.retainAvailable = retainAvailable;
      return this;
    }

    /**
     * @throws IllegalArgumentException unless 1..4294967295 (0 is a Protocol Error, 3.2.2.3.6)
     */
    public Builder maximumPacketSize(long bytes) {
      this.maximumPacketSize = checkRange("maximumPacketSize", bytes, 1, 0xFFFF_FFFFL);
      return this;
    }

    public Builder assignedClientIdentifier(String id) {
      this.assignedClientIdentifier = Objects.requireNonNull(id, "id");
      return this;
    }

    /**
     * @throws IllegalArgumentException unless 0..65535
     */
    public Builder topicAliasMaximum(int maximum) {
      this.topicAliasMaximum = (int) checkRange("topicAliasMaximum", maximum, 0, 65_535);
      return this;
    }

    public Builder reasonString(String reasonString) {
      this.reasonString = Objects.requireNonNull(reasonString, "reasonString");
      return this;
    }

    /** Adds a User Property; names may repeat, the order is kept. */
    public Builder userProperty(UserProperty property) {
      userProperties.add(Objects.requireNonNull(property, "property"));
      return this;
    }

    public Builder wildcardSubscriptionAvailable(boolean available) {
      this.wildcardSubscriptionAvailable = available;
      return this;
    }

    public Builder subscriptionIdentifiersAvailable(boolean available) {
      this.subscriptionIdentifiersAvailable = available;
      return this;
    }

    public Builder sharedSubscriptionAvailable(boolean available) {
      this.sharedSubscriptionAvailable = available;
      return this;
    }

    /**
     * @throws IllegalArgumentException unless 0..65535 seconds
     */
    public Builder serverKeepAlive(int seconds) {
      this.serverKeepAlive = Duration.ofSeconds(checkRange("serverKeepAlive", seconds, 0, 65_535));
      return this;
    }

    public Builder responseInformation(String information) {
      this.responseInformation = Objects.requireNonNull(information, "information");
      return this;
    }

    public Builder serverReference(String reference) {
      this.serverReference = Objects.requireNonNull(reference, "reference");
      return this;
    }

    public Connack build() {
      return new Connack(this);
    }

    private static long checkRange(String name, long value, long min, long max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + " must be " + min + ".." + max + ", was " + value);
      }
      return value;
    }
  }
}
