package io.vmqtt.vthreads.internal.codec;

import java.util.Objects;

/**
 * The codec of MQTT 3.1 (protocol level 3) and MQTT 3.1.1 (level 4), which differ on the wire only
 * in CONNECT's protocol name and level. What MQTT 5 adds has no encoding here and is refused:
 * properties, reason codes on acknowledgements, UNSUBACK and DISCONNECT, and AUTH (type 15,
 * reserved [MQTT-2.2.1]); a received packet that has them is malformed, as the 3.1.1 sections say.
 *
 * <p>Thread-safe; one per connection (see {@link PacketCodec}).
 */
final class Mqtt3Codec implements PacketCodec {
  private final ProtocolLevel level;
  private final CodecContext context;

  Mqtt3Codec(ProtocolLevel level, CodecContext context) {
    this.level = level;
    this.context = Objects.requireNonNull(context, "context");
  }

  @Override
  public ProtocolLevel level() {
    return level;
  }

  @Override
  public CodecContext context() {
    return context;
  }

  @Override
  public PacketType checkFixedHeader(int firstByte) {
    return FixedHeader.check(firstByte, level);
  }

  @Override
  public Packet decode(int firstByte, byte[] body) {
    PacketType type = checkFixedHeader(firstByte);
    return switch (type) {
      // CONNECT carries its own protocol name and level: 3.1 and 3.1.1 are both read.
      case CONNECT -> ConnectCodec.decodeConnect3(body);
      case CONNACK -> ConnectCodec.decodeConnack3(body);
      case PUBLISH -> PublishCodec.decodePublish3(firstByte & 0x0F, body);
      case PUBACK, PUBREC, PUBREL, PUBCOMP -> AckCodec.decode3(type, body);
      case SUBSCRIBE -> SubscribeCodec.decodeSubscribe3(body);
      case SUBACK -> SubscribeCodec.decodeSuback3(body);
      case UNSUBSCRIBE -> SubscribeCodec.decodeUnsubscribe3(body);
      case UNSUBACK -> SubscribeCodec.decodeUnsuback3(body);
      case PINGREQ -> ControlCodec.decodeEmpty(type, body, "[MQTT-3.12.1]", PingreqPacket.INSTANCE);
      case PINGRESP ->
          ControlCodec.decodeEmpty(type, body, "[MQTT-3.13.1]", PingrespPacket.INSTANCE);
      case DISCONNECT ->
          ControlCodec.decodeEmpty(type, body, "[MQTT-3.14.1]", DisconnectPacket.INSTANCE);
      case AUTH -> throw new AssertionError("checkFixedHeader refuses type 15 before MQTT 5");
    };
  }

  @Override
  public int publishHeaderLength(int flags, byte[] prefix) {
    return PublishCodec.publishHeaderLength3(flags, prefix);
  }

  @Override
  public PublishPacket decodePublish(int flags, byte[] buffer, int offset, int length) {
    return PublishCodec.decodePublish3(flags, buffer, offset, length);
  }

  @Override
  public PublishPacket decodePublish(int flags, byte[] header, byte[] payload) {
    return PublishCodec.decodePublish3(flags, header, Objects.requireNonNull(payload, "payload"));
  }

  @Override
  public void encode(Packet packet, ByteSink out) {
    int start = out.size();
    try {
      switch (packet) {
        case ConnectPacket p -> ConnectCodec.encodeConnect3(p, out);
        case ConnackPacket p -> ConnectCodec.encodeConnack3(p, out);
        case PublishPacket p -> PublishCodec.encodePublish3(p, out);
        case AckPacket p -> AckCodec.encode3(p, out);
        case SubscribePacket p -> SubscribeCodec.encodeSubscribe3(p, out);
        case SubackPacket p -> SubscribeCodec.encodeSuback3(p, out);
        case UnsubscribePacket p -> SubscribeCodec.encodeUnsubscribe3(p, out);
        case UnsubackPacket p -> SubscribeCodec.encodeUnsuback3(p, out);
        case PingreqPacket p -> ControlCodec.encodeEmpty(PacketType.PINGREQ, out);
        case PingrespPacket p -> ControlCodec.encodeEmpty(PacketType.PINGRESP, out);
        case DisconnectPacket p -> ControlCodec.encodeDisconnect3(p, out);
        case AuthPacket p ->
            throw new IllegalArgumentException(
                "MQTT 3.1.1 cannot send AUTH: packet type 15 is reserved [MQTT-2.2.1]");
      }
    } catch (IllegalArgumentException e) {
      out.truncate(start);
      throw e;
    }
  }

  @Override
  public String toString() {
    return "PacketCodec[" + level + ", " + context + "]";
  }
}
