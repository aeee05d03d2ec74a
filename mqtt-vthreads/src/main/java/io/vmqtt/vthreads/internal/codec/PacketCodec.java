package io.vmqtt.vthreads.internal.codec;

/**
 * The codec of one connection: encodes and decodes packets at its {@link ProtocolLevel}, with what
 * its {@link CodecContext} knows. Made per connection by {@link ProtocolLevel#newCodec}; the reader
 * thread decodes ({@link PacketReader}), the writer thread encodes.
 *
 * <pre>{@code
 * PacketCodec codec = ProtocolLevel.of(4).newCodec(new CodecContext(1 << 20));
 * codec.encode(new PubackPacket(7), sink);                  // 0x40, 0x02, 0x00, 0x07
 * Packet p = codec.decode(0x40, new byte[] {0x00, 0x07});  // PubackPacket[packetId=7, ...]
 * }</pre>
 *
 * <p>Decoding checks everything the specification asks a receiver to check; every failure is a
 * {@link ProtocolViolationException} whose message names the packet, the values found and the
 * normative statement, e.g. {@code Malformed PUBLISH: QoS 3 is not allowed [MQTT-3.3.1-4]}, and
 * whose reason code says what kind of violation it is. Where the specification has no numbered
 * statement the message cites the section, e.g. {@code [MQTT-3.4.1]}.
 *
 * <p>Encoding computes the length of the whole packet before it writes anything, so a packet that
 * cannot be encoded leaves the sink as it was. Validation is the API's job: the encoder refuses
 * only what has no encoding at its level (a Remaining Length above 268,435,455, a string above
 * 65,535 bytes, a field out of its range, a string with an unpaired surrogate, and what the level
 * lacks: properties, reason codes and AUTH before MQTT 5). It does write other malformed packets
 * (packet identifier 0, a wildcard in a PUBLISH topic), so that tests can send them.
 *
 * <p>Thread-safe: a codec holds no state of its own beyond its context.
 */
public sealed interface PacketCodec permits Mqtt3Codec, Mqtt5Codec {

  ProtocolLevel level();

  CodecContext context();

  /**
   * Checks the first byte of a fixed header: the type exists at this level and the flags are those
   * of the flags table. The reader calls this before it reads anything more.
   *
   * @return the packet type
   * @throws ProtocolViolationException when the type is reserved or the flags are invalid
   */
  PacketType checkFixedHeader(int firstByte);

  /**
   * Decodes one packet from its first byte and its body (the bytes after the Remaining Length).
   *
   * @param body the packet after the Remaining Length; its length is the Remaining Length
   * @throws ProtocolViolationException when the bytes break the specification
   */
  Packet decode(int firstByte, byte[] body);

  /**
   * For a large PUBLISH, which the reader reads as a variable header and then a payload that
   * becomes the packet's without a copy: the length of the variable header, given its first {@code
   * prefix.length} bytes (at least 2), or, when those are too few to tell, the negative of the
   * number of bytes it needs to tell more.
   *
   * @param flags the fixed header's flags, which {@link #checkFixedHeader} has checked
   */
  int publishHeaderLength(int flags, byte[] prefix);

  /**
   * Decodes a PUBLISH read in two parts: {@code header} is exactly its variable header ({@link
   * #publishHeaderLength}), {@code payload} the rest of its body, kept as it is.
   *
   * @throws ProtocolViolationException when the bytes break the specification
   */
  PublishPacket decodePublish(int flags, byte[] header, byte[] payload);

  /**
   * Decodes a PUBLISH whose whole body lies in {@code buffer} from {@code offset}, {@code length}
   * bytes (its Remaining Length), where the reader's buffer holds it: the payload is copied out,
   * the rest read in place, so a small PUBLISH costs no copy of its whole body.
   *
   * @param flags the fixed header's flags, which {@link #checkFixedHeader} has checked
   * @throws ProtocolViolationException when the bytes break the specification
   */
  PublishPacket decodePublish(int flags, byte[] buffer, int offset, int length);

  /**
   * Writes the complete packet to {@code out}.
   *
   * @throws IllegalArgumentException when the packet cannot be encoded at this level (see the class
   *     comment); nothing has been written then
   */
  void encode(Packet packet, ByteSink out);

  /**
   * The complete packet as a new array.
   *
   * @throws IllegalArgumentException when the packet cannot be encoded at this level
   */
  default byte[] encode(Packet packet) {
    ByteSink sink = new ByteSink(64);
    encode(packet, sink);
    return sink.toByteArray();
  }
}
