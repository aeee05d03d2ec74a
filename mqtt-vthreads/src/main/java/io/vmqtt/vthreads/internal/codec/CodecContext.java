package io.vmqtt.vthreads.internal.codec;

import java.util.OptionalLong;

/**
 * What the codec of one connection knows besides its protocol level: the limits it enforces, and,
 * with MQTT 5, what CONNECT and CONNACK negotiate (the server's maximum packet size, topic alias
 * maximums and the alias mappings, which live no longer than the connection [MQTT-3.3.2-7]). One
 * per connection, made with it, so nothing negotiated carries over to the next.
 *
 * <p>Thread-safe: the reader thread decodes with it, the writer thread encodes with it.
 */
public final class CodecContext {
  private final int maximumPacketSize;

  /** How many Topic Aliases the client may use when publishing ({@code outbound_topic_aliases}). */
  private final int outboundTopicAliases;

  /**
   * The client's aliases, made when CONNACK allows some (its Topic Alias Maximum); null before and
   * without. Used only by whoever encodes (see {@link OutboundTopicAliases}); written by the reader
   * before anything is published under it.
   */
  private volatile OutboundTopicAliases aliases;

  /** The largest packet the server accepts: MQTT 5 CONNACK's Maximum Packet Size. */
  private volatile int serverMaximumPacketSize = MqttLimits.MAX_PACKET_SIZE;

  /**
   * @param maximumPacketSize the largest packet this side accepts, fixed header included ({@code
   *     max_packet_size}); the reader refuses a larger one before it allocates anything for it
   * @throws IllegalArgumentException when {@code maximumPacketSize} is not in 2..268,435,460
   */
  public CodecContext(int maximumPacketSize) {
    this(maximumPacketSize, 0);
  }

  /**
   * As {@link #CodecContext(int)}, for an MQTT 5 connection that may use up to {@code
   * outboundTopicAliases} Topic Aliases in what it publishes, as the server's Topic Alias Maximum
   * allows.
   */
  public CodecContext(int maximumPacketSize, int outboundTopicAliases) {
    this.outboundTopicAliases = outboundTopicAliases;
    if (maximumPacketSize < 2 || maximumPacketSize > MqttLimits.MAX_PACKET_SIZE) {
      throw new IllegalArgumentException(
          "maxPacketSize must be in 2.."
              + MqttLimits.MAX_PACKET_SIZE
              + ", was "
              + maximumPacketSize);
    }
    this.maximumPacketSize = maximumPacketSize;
  }

  /** The largest packet this side accepts, fixed header included. */
  public int maximumPacketSize() {
    return maximumPacketSize;
  }

  /**
   * The largest packet the server accepts, fixed header included: what an MQTT 5 CONNACK announced
   * [MQTT-3.2.2-15], or, until then and in MQTT 3.1.1, the largest the protocol can say.
   */
  public int serverMaximumPacketSize() {
    return serverMaximumPacketSize;
  }

  /**
   * Takes what CONNACK negotiated for the codec: the server's Maximum Packet Size (section
   * 3.2.2.3.6; a value above what the Remaining Length can say means no limit). An MQTT 3.1.1
   * CONNACK has no properties and changes nothing. Called by the reader thread when CONNACK
   * arrives, before anything is sent under it.
   */
  public void onConnack(ConnackPacket connack) {
    OptionalLong maximum = connack.properties().maximumPacketSize();
    if (maximum.isPresent()) {
      serverMaximumPacketSize = (int) Math.min(maximum.getAsLong(), MqttLimits.MAX_PACKET_SIZE);
    }
    // Absent, the server's Topic Alias Maximum is 0: no alias may be sent [MQTT-3.2.2-17].
    int allowed =
        Math.min(outboundTopicAliases, connack.properties().topicAliasMaximum().orElse(0));
    if (allowed > 0) {
      aliases = new OutboundTopicAliases(allowed);
    }
  }

  /**
   * How {@code p} goes on the wire: with a Topic Alias of the client's when the connection uses
   * them, else null (sent as it is). For the encoder.
   */
  OutboundTopicAliases.Use outboundAlias(PublishPacket p) {
    OutboundTopicAliases a = aliases;
    if (a == null || p.topic().isEmpty() || p.properties().topicAlias().isPresent()) {
      return null;
    }
    return a.use(p);
  }

  @Override
  public String toString() {
    return "CodecContext[maximumPacketSize="
        + maximumPacketSize
        + ", serverMaximumPacketSize="
        + serverMaximumPacketSize
        + "]";
  }
}
