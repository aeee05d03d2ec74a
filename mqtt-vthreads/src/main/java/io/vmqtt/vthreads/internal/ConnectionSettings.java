package io.vmqtt.vthreads.internal;

import io.vmqtt.ConnectOptions;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.vthreads.internal.codec.MqttLimits;
import java.time.Duration;

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
 */
record ConnectionSettings(
    Duration keepAlive,
    int inflightWindow,
    int maxPacketSizeIn,
    int maxPacketSizeOut,
    QoS maximumQos,
    boolean retainAvailable,
    String assignedClientId,
    boolean cleanSession) {

  /** MQTT 3.1/3.1.1: the broker announces nothing; the configuration is what holds. */
  static ConnectionSettings mqtt311(MqttConfig config, ConnectOptions options) {
    return new ConnectionSettings(
        config.keepAlive(),
        config.maxInflight(),
        config.maxPacketSize(),
        MqttLimits.MAX_PACKET_SIZE,
        QoS.EXACTLY_ONCE,
        true,
        "",
        options.cleanSession().orElse(config.cleanSession()));
  }
}
