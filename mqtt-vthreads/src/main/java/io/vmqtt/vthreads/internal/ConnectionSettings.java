package io.vmqtt.vthreads.internal;

import io.vmqtt.ConnectOptions;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.vthreads.internal.codec.ConnackPacket;
import io.vmqtt.vthreads.internal.codec.MqttLimits;
import io.vmqtt.vthreads.internal.codec.Properties;
import io.vmqtt.vthreads.internal.codec.ProtocolLevel;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * What is in force on one connection, settled when the broker accepts it: from the configuration
 * and the connect options, and, with MQTT 5, from what the CONNACK says (the server's keep-alive,
 * receive maximum, maximum packet size, maximum QoS…). Handed to the session (the in-flight
 * window), keep-alive and the codec on every (re)connect, as HiveMQ's {@code
 * MqttClientConnectionConfig} and OkHttp's {@code Settings} are. For MQTT 3.1/3.1.1 the broker says
 * none of it, so it holds the configured values and the protocol's own limits.
 *
 * @param keepAlive the keep-alive interval in force; zero: none
 * @param inflightWindow outbound QoS 1/2 publishes unacknowledged at once: {@code max_inflight},
 *     capped by the broker's receive maximum where it announces one
 * @param maxPacketSizeIn the largest packet the client accepts ({@code max_packet_size})
 * @param maxPacketSizeOut the largest packet the broker accepts; the protocol's maximum when it
 *     announces none
 * @param maximumQos the highest QoS the broker accepts in a PUBLISH
 * @param retainAvailable whether the broker accepts retained messages
 * @param assignedClientId the client id the broker assigned, or empty when it assigned none
 * @param cleanSession whether the connection started a new session (clean session / clean start)
 * @param level the protocol level the connection speaks
 * @param sessionExpiryInterval the Session Expiry Interval CONNECT asked for, in seconds (MQTT 5; 0
 *     for MQTT 3.1.1): a DISCONNECT may not raise it from 0 (section 3.14.2.2.2)
 * @param wildcardSubscriptionAvailable whether the broker accepts filters with {@code +} or {@code
 *     #}
 * @param subscriptionIdentifiersAvailable whether the broker accepts Subscription Identifiers
 * @param sharedSubscriptionAvailable whether the broker accepts shared subscriptions
 */
record ConnectionSettings(
    ProtocolLevel level,
    Duration keepAlive,
    int inflightWindow,
    int maxPacketSizeIn,
    int maxPacketSizeOut,
    QoS maximumQos,
    boolean retainAvailable,
    String assignedClientId,
    boolean cleanSession,
    long sessionExpiryInterval,
    boolean wildcardSubscriptionAvailable,
    boolean subscriptionIdentifiersAvailable,
    boolean sharedSubscriptionAvailable) {

  /**
   * What holds on a connection at {@code level} that CONNACK accepted: for MQTT 3.1/3.1.1 the
   * configuration, for MQTT 5 the configuration as CONNACK's properties change it.
   */
  static ConnectionSettings of(
      ProtocolLevel level, MqttConfig config, ConnectOptions options, ConnackPacket connack) {
    return level == ProtocolLevel.MQTT_5
        ? mqtt5(config, options, connack.properties())
        : mqtt311(level, config, options);
  }

  /** MQTT 3.1/3.1.1: the broker announces nothing; the configuration is what holds. */
  static ConnectionSettings mqtt311(
      ProtocolLevel level, MqttConfig config, ConnectOptions options) {
    return new ConnectionSettings(
        level,
        config.keepAlive(),
        config.maxInflight(),
        config.maxPacketSize(),
        MqttLimits.MAX_PACKET_SIZE,
        QoS.EXACTLY_ONCE,
        true,
        "",
        options.cleanSession().orElse(config.cleanSession()),
        0,
        true,
        true,
        true);
  }

  /**
   * MQTT 5: what CONNACK announces wins over the configuration. The server's keep-alive replaces
   * ours [MQTT-3.2.2-21]; its Receive Maximum caps the window [MQTT-3.3.4-7]; its Maximum QoS
   * [MQTT-3.2.2-11], Retain Available [MQTT-3.2.2-14] and Maximum Packet Size [MQTT-3.2.2-15] bound
   * what the client may send, its Wildcard Subscription, Subscription Identifiers and Shared
   * Subscription Available (sections 3.2.2.3.11 to 3.2.2.3.13) what it may subscribe; an absent
   * property has its default (65,535, QoS 2, no limit, each available).
   */
  static ConnectionSettings mqtt5(MqttConfig config, ConnectOptions options, Properties connack) {
    OptionalInt serverKeepAlive = connack.serverKeepAlive();
    return new ConnectionSettings(
        ProtocolLevel.MQTT_5,
        serverKeepAlive.isPresent()
            ? Duration.ofSeconds(serverKeepAlive.getAsInt())
            : config.keepAlive(),
        Math.min(config.maxInflight(), connack.receiveMaximum().orElse(MAX_RECEIVE_MAXIMUM)),
        config.maxPacketSize(),
        (int)
            Math.min(
                connack.maximumPacketSize().orElse(Long.MAX_VALUE), MqttLimits.MAX_PACKET_SIZE),
        QoS.of(connack.maximumQos().orElse(QoS.EXACTLY_ONCE.value())),
        connack.retainAvailable().orElse(true),
        connack.assignedClientIdentifier().orElse(""),
        options.cleanSession().orElse(config.cleanSession()),
        requestedSessionExpiry(config, options),
        connack.wildcardSubscriptionAvailable().orElse(true),
        connack.subscriptionIdentifierAvailable().orElse(true),
        connack.sharedSubscriptionAvailable().orElse(true));
  }

  /**
   * The Session Expiry Interval an MQTT 5 CONNECT asks for, in seconds: the connect options', else
   * the configured one, else what the specification's migration note maps {@code cleansession} to:
   * true is 0, the session ends with the connection; false is 0xFFFFFFFF, it never expires, as a
   * 3.1.1 session.
   */
  static long requestedSessionExpiry(MqttConfig config, ConnectOptions options) {
    boolean cleanSession = options.cleanSession().orElse(config.cleanSession());
    return options
        .sessionExpiryInterval()
        .or(config::sessionExpiryInterval)
        .map(Duration::toSeconds)
        .orElse(cleanSession ? 0L : NEVER_EXPIRES);
  }

  /** Session Expiry Interval 0xFFFFFFFF: the session does not expire (section 3.1.2.11.2). */
  static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

  /** Receive Maximum's default when CONNACK has none: 65,535 (section 3.2.2.3.3). */
  static final int MAX_RECEIVE_MAXIMUM = 65_535;
}
