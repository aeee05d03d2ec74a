package io.vmqtt.vthreads.internal.codec;

/**
 * Encodes packets to bytes: fixed header, Remaining Length, variable header and payload [MQTT-2.1].
 * The length of the whole packet is computed before anything is written, so a packet that cannot be
 * encoded leaves the sink as it was.
 *
 * <p>Validation is the API's job; the encoder refuses only what has no encoding: a Remaining Length
 * above 268,435,455, a string or binary field above 65,535 bytes, a 16-bit field outside 0..65535,
 * a string with an unpaired surrogate, a protocol level other than 3 or 4. It does write other
 * malformed packets (packet identifier 0, a wildcard in a PUBLISH topic), so that tests can send
 * them.
 *
 * <p>Stateless and thread-safe; the writer thread calls it with its own {@link ByteSink}.
 */
public final class PacketEncoder {
  private PacketEncoder() {}

  /**
   * Writes the complete packet to {@code out}.
   *
   * <pre>{@code
   * PacketEncoder.encode(new PubackPacket(7), sink); // 0x40, 0x02, 0x00, 0x07
   * }</pre>
   *
   * @throws IllegalArgumentException when the packet cannot be encoded (see the class comment);
   *     nothing has been written then
   */
  public static void encode(Packet packet, ByteSink out) {
    int start = out.size();
    try {
      encodeUnchecked(packet, out);
    } catch (IllegalArgumentException e) {
      out.truncate(start);
      throw e;
    }
  }

  private static void encodeUnchecked(Packet packet, ByteSink out) {
    switch (packet) {
      case ConnectPacket p -> ConnectCodec.encodeConnect(p, out);
      case ConnackPacket p -> ConnectCodec.encodeConnack(p, out);
      case PublishPacket p -> PublishCodec.encodePublish(p, out);
      case PubackPacket p -> PublishCodec.encodeAck(PacketType.PUBACK, p.packetId(), out);
      case PubrecPacket p -> PublishCodec.encodeAck(PacketType.PUBREC, p.packetId(), out);
      case PubrelPacket p -> PublishCodec.encodeAck(PacketType.PUBREL, p.packetId(), out);
      case PubcompPacket p -> PublishCodec.encodeAck(PacketType.PUBCOMP, p.packetId(), out);
      case SubscribePacket p -> SubscribeCodec.encodeSubscribe(p, out);
      case SubackPacket p -> SubscribeCodec.encodeSuback(p, out);
      case UnsubscribePacket p -> SubscribeCodec.encodeUnsubscribe(p, out);
      case UnsubackPacket p -> SubscribeCodec.encodeUnsuback(p, out);
      // No variable header, no payload [MQTT-3.12], [MQTT-3.13], [MQTT-3.14].
      case PingreqPacket p -> Encoding.writeFixedHeader(PacketType.PINGREQ, 0, 0, out);
      case PingrespPacket p -> Encoding.writeFixedHeader(PacketType.PINGRESP, 0, 0, out);
      case DisconnectPacket p -> Encoding.writeFixedHeader(PacketType.DISCONNECT, 0, 0, out);
    }
  }

  /**
   * The complete packet as a new array.
   *
   * @throws IllegalArgumentException when the packet cannot be encoded
   */
  public static byte[] encode(Packet packet) {
    ByteSink sink = new ByteSink(64);
    encode(packet, sink);
    return sink.toByteArray();
  }
}
