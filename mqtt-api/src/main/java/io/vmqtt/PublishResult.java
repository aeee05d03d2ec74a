package io.vmqtt;

import java.util.Objects;

/**
 * The outcome of a completed {@link MqttClient#publish} flow.
 *
 * @param qos the QoS the message was published with
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
