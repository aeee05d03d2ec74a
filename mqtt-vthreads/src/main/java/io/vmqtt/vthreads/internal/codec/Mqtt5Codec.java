package io.vmqtt.vthreads.internal.codec;

import java.util.Objects;

/**
 * The codec of MQTT 5.0 (protocol level 5): every packet with its reason codes and properties, AUTH
 * (type 15), Variable Byte Integers in their shortest form only [MQTT-1.5.5-1], and the server's
 * Maximum Packet Size from CONNACK honoured when encoding [MQTT-3.2.2-15]. It codes the wire; what
 * MQTT 5 asks a client to do with what it reads (topic aliases, flow control, error reason codes)
 * is the engine's; the client's own Topic Aliases are applied here, as PUBLISH is encoded, where
 * the order of encoding is the order on the wire ({@link OutboundTopicAliases}).
 *
 * <p>Thread-safe; one per connection (see {@link PacketCodec}).
 */
final class Mqtt5Codec implements PacketCodec {
  private final CodecContext context;

  Mqtt5Codec(CodecContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  @Override
  public ProtocolLevel level() {
    return ProtocolLevel.MQTT_5;
  }

  @Override
  public CodecContext context() {
    return context;
  }

  @Override
  public PacketType checkFixedHeader(int firstByte) {
    return FixedHeader.check(firstByte, ProtocolLevel.MQTT_5);
  }

  @Override
  public Packet decode(int firstByte, byte[] body) {
    PacketType type = checkFixedHeader(firstByte);
    return switch (type) {
      case CONNECT -> ConnectCodec.decodeConnect5(body);
      case CONNACK -> ConnectCodec.decodeConnack5(body);
      case PUBLISH -> PublishCodec.decodePublish5(firstByte & 0x0F, body, null);
      case PUBACK, PUBREC, PUBREL, PUBCOMP -> AckCodec.decode5(type, body);
      case SUBSCRIBE -> SubscribeCodec.decodeSubscribe5(body);
      case SUBACK -> SubscribeCodec.decodeSuback5(body);
      case UNSUBSCRIBE -> SubscribeCodec.decodeUnsubscribe5(body);
      case UNSUBACK -> SubscribeCodec.decodeUnsuback5(body);
      case PINGREQ -> ControlCodec.decodeEmpty(type, body, "[MQTT-3.12.1]", PingreqPacket.INSTANCE);
      case PINGRESP ->
          ControlCodec.decodeEmpty(type, body, "[MQTT-3.13.1]", PingrespPacket.INSTANCE);
      case DISCONNECT -> ControlCodec.decodeDisconnect5(body);
      case AUTH -> ControlCodec.decodeAuth(body);
    };
  }

  @Override
  public int publishHeaderLength(int flags, byte[] prefix) {
    return PublishCodec.publishHeaderLength5(flags, prefix);
  }

  @Override
  public PublishPacket decodePublish(int flags, byte[] buffer, int offset, int length) {
    return PublishCodec.decodePublish5(flags, buffer, offset, length);
  }

  @Override
  public PublishPacket decodePublish(int flags, byte[] header, byte[] payload) {
    return PublishCodec.decodePublish5(flags, header, Objects.requireNonNull(payload, "payload"));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Also refuses a packet larger than the Maximum Packet Size the server announced in CONNACK
   * [MQTT-3.2.2-15].
   */
  @Override
  public void encode(Packet packet, ByteSink out) {
    int start = out.size();
    OutboundTopicAliases.Use alias = null;
    try {
      switch (packet) {
        case ConnectPacket p -> ConnectCodec.encodeConnect5(p, out);
        case ConnackPacket p -> ConnectCodec.encodeConnack5(p, out);
        case PublishPacket p -> {
          alias = context.outboundAlias(p);
          PublishCodec.encodePublish5(alias == null ? p : alias.packet, out);
        }
        case AckPacket p -> AckCodec.encode5(p, out);
        case SubscribePacket p -> SubscribeCodec.encodeSubscribe5(p, out);
        case SubackPacket p -> SubscribeCodec.encodeSuback5(p, out);
        case UnsubscribePacket p -> SubscribeCodec.encodeUnsubscribe5(p, out);
        case UnsubackPacket p -> SubscribeCodec.encodeUnsuback5(p, out);
        case PingreqPacket p -> ControlCodec.encodeEmpty(PacketType.PINGREQ, out);
        case PingrespPacket p -> ControlCodec.encodeEmpty(PacketType.PINGRESP, out);
        case DisconnectPacket p -> ControlCodec.encodeDisconnect5(p, out);
        case AuthPacket p -> ControlCodec.encodeAuth(p, out);
      }
      int size = out.size() - start;
      int maximum = context.serverMaximumPacketSize();
      if (size > maximum) {
        throw new IllegalArgumentException(
            packet.type()
                + " of "
                + size
                + " bytes exceeds the Maximum Packet Size "
                + maximum
                + " of the server [MQTT-3.2.2-15]");
      }
      if (alias != null) {
        alias.commit(); // encoded whole: the server will have the mapping before its next use
      }
    } catch (IllegalArgumentException e) {
      out.truncate(start);
      throw e;
    }
  }

  @Override
  public String toString() {
    return "PacketCodec[" + level() + ", " + context + "]";
  }
}
