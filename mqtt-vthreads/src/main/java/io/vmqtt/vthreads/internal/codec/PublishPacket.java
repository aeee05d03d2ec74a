package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.QoS;

/** PUBLISH [MQTT-3.3]. {@code packetId} is 0 for QoS 0 (no packet identifier on the wire). */
public record PublishPacket(
    String topic, byte[] payload, QoS qos, boolean retain, boolean dup, int packetId)
    implements Packet {

  @Override
  public PacketType type() {
    return PacketType.PUBLISH;
  }

  /** The same packet with the DUP flag set, for a resend. */
  public PublishPacket asDuplicate() {
    return new PublishPacket(topic, payload, qos, retain, true, packetId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublishPacket p
        && topic.equals(p.topic)
        && java.util.Arrays.equals(payload, p.payload)
        && qos == p.qos
        && retain == p.retain
        && dup == p.dup
        && packetId == p.packetId;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        topic, java.util.Arrays.hashCode(payload), qos, retain, dup, packetId);
  }

  @Override
  public String toString() {
    return "PublishPacket[topic="
        + topic
        + ", qos="
        + qos.value()
        + ", retain="
        + retain
        + ", dup="
        + dup
        + ", packetId="
        + packetId
        + ", payload="
        + payload.length
        + " bytes]";
  }
}
