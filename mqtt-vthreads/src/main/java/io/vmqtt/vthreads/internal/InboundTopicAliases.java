package io.vmqtt.vthreads.internal;

import io.vmqtt.vthreads.internal.codec.ProtocolViolationException;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import java.util.OptionalInt;

/**
 * The server's Topic Aliases on one MQTT 5 connection (section 3.3.2.3.4): a PUBLISH with a Topic
 * Alias and a topic name sets the alias's mapping, one with an empty topic name stands for the
 * mapped name. The mappings live as long as the connection [MQTT-3.3.2-7]: one per connection.
 *
 * <p>Not thread-safe: used by the connection's reader thread only.
 */
final class InboundTopicAliases {
  private final int maximum;

  /** The topic name by alias; null until the first alias arrives. */
  private String[] topics;

  /**
   * @param maximum the Topic Alias Maximum this client sent in CONNECT; 0 accepts no alias
   */
  InboundTopicAliases(int maximum) {
    this.maximum = maximum;
  }

  /**
   * The PUBLISH with its topic name.
   *
   * @throws ProtocolViolationException 0x94 (Topic Alias invalid) for an alias of 0 or above the
   *     maximum this client sent [MQTT-3.3.2-8] [MQTT-3.3.2-11]; 0x82 (Protocol Error) for an alias
   *     with an empty topic name and no mapping (section 3.3.2.3.4)
   */
  PublishPacket resolve(PublishPacket p) {
    OptionalInt alias = p.properties().topicAlias();
    if (alias.isEmpty()) {
      return p;
    }
    int a = alias.getAsInt();
    if (a == 0 || a > maximum) {
      throw new ProtocolViolationException(
          ProtocolViolationException.TOPIC_ALIAS_INVALID,
          "Protocol violation: PUBLISH with Topic Alias "
              + a
              + (a == 0
                  ? ", which is not allowed [MQTT-3.3.2-8]"
                  : " above the Topic Alias Maximum " + maximum + " of CONNECT [MQTT-3.3.2-11]"));
    }
    if (!p.topic().isEmpty()) {
      if (topics == null) {
        topics = new String[maximum + 1];
      }
      topics[a] = p.topic();
      return p;
    }
    String topic = topics == null ? null : topics[a];
    if (topic == null) {
      throw new ProtocolViolationException(
          ProtocolViolationException.PROTOCOL_ERROR,
          "Protocol violation: PUBLISH with an empty topic name and Topic Alias "
              + a
              + ", which has no mapping on this connection (section 3.3.2.3.4)");
    }
    return new PublishPacket(
        topic, p.payload(), p.qos(), p.retain(), p.dup(), p.packetId(), p.properties());
  }
}
