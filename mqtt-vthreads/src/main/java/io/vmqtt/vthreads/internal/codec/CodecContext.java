package io.vmqtt.vthreads.internal.codec;

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

  /**
   * @param maximumPacketSize the largest packet this side accepts, fixed header included ({@code
   *     max_packet_size}); the reader refuses a larger one before it allocates anything for it
   * @throws IllegalArgumentException when {@code maximumPacketSize} is not in 2..268,435,460
   */
  public CodecContext(int maximumPacketSize) {
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

  @Override
  public String toString() {
    return "CodecContext[maximumPacketSize=" + maximumPacketSize + "]";
  }
}
