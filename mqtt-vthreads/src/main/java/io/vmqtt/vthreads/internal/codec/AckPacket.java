package io.vmqtt.vthreads.internal.codec;

/**
 * PUBACK, PUBREC, PUBREL and PUBCOMP: the acknowledgements of a QoS 1 and 2 PUBLISH. In MQTT 3.1.1
 * each is a packet identifier and nothing else (remaining length 2, sections 3.4 to 3.7); MQTT 5.0
 * adds a reason code and properties (Reason String, User Property), which may be left out when the
 * code is 0x00 Success and there are no properties (sections 3.4.2.1 to 3.7.2.1).
 */
public sealed interface AckPacket extends Packet
    permits PubackPacket, PubrecPacket, PubrelPacket, PubcompPacket {

  int packetId();

  /** The reason code: 0x00 Success, always in MQTT 3.1.1; 0x80 and above an error. */
  int reasonCode();

  /** {@link Properties#EMPTY} in MQTT 3.1.1. */
  Properties properties();

  /** Whether this acknowledgement is no more than a packet identifier: all MQTT 3.1.1 has. */
  default boolean isPlain() {
    return reasonCode() == 0 && properties().isEmpty();
  }
}
