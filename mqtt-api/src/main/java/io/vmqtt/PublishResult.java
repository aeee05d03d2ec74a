package io.vmqtt;

import java.util.Objects;

/**
 * The outcome of a completed {@link MqttClient#publish} flow.
 *
 * @param qos the QoS the message was published with; {@link QoS#AT_LEAST_ONCE} for a QoS 2 publish
 *     that the broker acknowledged with PUBACK, as a broker without QoS 2 does (RabbitMQ 3.x
 *     downgrades QoS 2 to 1): it took the message at least once, not exactly once
 * @param packetId the packet identifier the flow used; 0 for QoS 0
 */
public record PublishResult(QoS qos, int packetId) {
  /**
   * @throws IllegalArgumentException when the packet id does not fit the QoS
   */
  public PublishResult {
    Objects.requireNonNull(qos, "qos");
    if (qos == QoS.AT_MOST_ONCE ? packetId != 0 : packetId < 1 || packetId > 65535) {
      throw new IllegalArgumentException("packetId " + packetId + " does not fit " + qos);
    }
  }
}
