package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.QoS;
import java.util.Arrays;
import java.util.Objects;

/**
 * PUBLISH [MQTT-3.3]. {@code packetId} is 0 for QoS 0 (no packet identifier on the wire).
 *
 * @param properties MQTT 5.0's PUBLISH properties (Payload Format Indicator, Message Expiry
 *     Interval, Topic Alias, Response Topic, Correlation Data, User Property, Subscription
 *     Identifier, Content Type); {@link Properties#EMPTY} in MQTT 3.1.1
 */
public record PublishPacket(
    String topic,
    byte[] payload,
    QoS qos,
    boolean retain,
    boolean dup,
    int packetId,
    Properties properties)
    implements Packet {

  public PublishPacket {
    Objects.requireNonNull(properties, "properties");
  }

  /** A PUBLISH without properties, as MQTT 3.1.1 has it. */
  public PublishPacket(
      String topic, byte[] payload, QoS qos, boolean retain, boolean dup, int packetId) {
    this(topic, payload, qos, retain, dup, packetId, Properties.EMPTY);
  }

  @Override
  public PacketType type() {
    return PacketType.PUBLISH;
  }

  /**
   * The bytes this packet takes on the wire at {@code level}, fixed header included: what an MQTT 5
   * server's Maximum Packet Size bounds [MQTT-3.2.2-15]. Computed without encoding it.
   *
   * @throws IllegalArgumentException when the topic has no UTF-8 form, as encoding would
   */
  public long encodedSize(ProtocolLevel level) {
    long remaining =
        Encoding.stringSize(topic, "PUBLISH topic")
            + (qos.value() > 0 ? 2 : 0)
            + (level == ProtocolLevel.MQTT_5 ? PropertiesCodec.size(properties) : 0)
            + payload.length;
    int lengthBytes =
        remaining > MqttLimits.MAX_REMAINING_LENGTH
            ? MqttLimits.MAX_VARIABLE_BYTE_INTEGER_BYTES + 1
            : ByteSink.variableByteIntegerSize((int) remaining);
    return 1 + lengthBytes + remaining;
  }

  /** The same packet with the DUP flag set, for a resend. */
  public PublishPacket asDuplicate() {
    return new PublishPacket(topic, payload, qos, retain, true, packetId, properties);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublishPacket p
        && topic.equals(p.topic)
        && Arrays.equals(payload, p.payload)
        && qos == p.qos
        && retain == p.retain
        && dup == p.dup
        && packetId == p.packetId
        && properties.equals(p.properties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, dup, packetId, properties);
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
        + " bytes"
        + (properties.isEmpty() ? "" : ", " + properties)
        + "]";
  }
}
