package io.vmqtt.it.fake;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One MQTT control packet as it crossed the wire, undecoded: the 4-bit type, the 4-bit flags and
 * the body (everything after the Remaining Length). The fake broker records every packet the client
 * sends as one of these; the accessors decode the few fields tests look at, with {@link Frames}.
 *
 * <pre>{@code
 * RawPacket p = broker.takePacket(RawPacket.PUBLISH, Duration.ofSeconds(5));
 * assertThat(p.asPublish().topic()).isEqualTo("a/b");
 * }</pre>
 *
 * <p>Immutable once handed out (the body array is not copied, and nobody writes to it).
 *
 * @param type the packet type, 0..15 (the high nibble of the first byte)
 * @param flags the low nibble of the first byte
 * @param body the bytes after the Remaining Length
 */
public record RawPacket(int type, int flags, byte[] body) {
  /** The MQTT 3.1.1 packet types [MQTT-2.2.1]; 0 and 15 are reserved. */
  public static final int CONNECT = 1;

  public static final int CONNACK = 2;
  public static final int PUBLISH = 3;
  public static final int PUBACK = 4;
  public static final int PUBREC = 5;
  public static final int PUBREL = 6;
  public static final int PUBCOMP = 7;
  public static final int SUBSCRIBE = 8;
  public static final int SUBACK = 9;
  public static final int UNSUBSCRIBE = 10;
  public static final int UNSUBACK = 11;
  public static final int PINGREQ = 12;
  public static final int PINGRESP = 13;
  public static final int DISCONNECT = 14;

  /** MQTT 5's AUTH (section 3.15); reserved in MQTT 3.1.1. */
  public static final int AUTH = 15;

  private static final List<String> NAMES =
      List.of(
          "RESERVED(0)",
          "CONNECT",
          "CONNACK",
          "PUBLISH",
          "PUBACK",
          "PUBREC",
          "PUBREL",
          "PUBCOMP",
          "SUBSCRIBE",
          "SUBACK",
          "UNSUBSCRIBE",
          "UNSUBACK",
          "PINGREQ",
          "PINGRESP",
          "DISCONNECT",
          "AUTH");

  /**
   * @throws IllegalArgumentException when type or flags do not fit in four bits
   */
  public RawPacket {
    if (type < 0 || type > 15 || flags < 0 || flags > 15) {
      throw new IllegalArgumentException("type and flags are 4 bits: " + type + ", " + flags);
    }
    if (body == null) {
      throw new NullPointerException("body");
    }
  }

  /** The name of a packet type, e.g. {@code "PUBACK"} for 4. */
  public static String typeName(int type) {
    return NAMES.get(type & 0x0F);
  }

  /** The name of this packet's type. */
  public String typeName() {
    return typeName(type);
  }

  /**
   * The packet identifier: after the topic for a PUBLISH with QoS 1 or 2, the first two body bytes
   * for PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK.
   *
   * @throws IllegalStateException when this packet carries none
   */
  public int packetId() {
    if (type == PUBLISH) {
      Frames.Publish p = asPublish();
      if (p.qos() == 0) {
        throw new IllegalStateException("a QoS 0 PUBLISH has no packet identifier");
      }
      return p.packetId();
    }
    if (type < PUBACK || type > UNSUBACK || body.length < 2) {
      throw new IllegalStateException(typeName() + " carries no packet identifier: " + this);
    }
    return Frames.readUnsignedShort(body, 0);
  }

  /** The QoS bits of a PUBLISH (1 and 2 of the flags). */
  public int qos() {
    requireType(PUBLISH);
    return (flags >> 1) & 0x03;
  }

  /** Decodes this CONNECT. */
  public Frames.Connect asConnect() {
    requireType(CONNECT);
    return Frames.parseConnect(body);
  }

  /** Decodes this PUBLISH. */
  public Frames.Publish asPublish() {
    requireType(PUBLISH);
    return Frames.parsePublish(flags, body);
  }

  /** Decodes the topic filters and requested QoS of this SUBSCRIBE. */
  public List<Frames.TopicRequest> asSubscribe() {
    requireType(SUBSCRIBE);
    return Frames.parseSubscribe(body);
  }

  /** Decodes the topic filters of this UNSUBSCRIBE. */
  public List<String> asUnsubscribe() {
    requireType(UNSUBSCRIBE);
    return Frames.parseUnsubscribe(body);
  }

  private void requireType(int expected) {
    if (type != expected) {
      throw new IllegalStateException("expected a " + typeName(expected) + ", got " + this);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawPacket p
        && type == p.type
        && flags == p.flags
        && Arrays.equals(body, p.body);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * type + flags) + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    String hex = HexFormat.ofDelimiter(" ").formatHex(body, 0, Math.min(body.length, 32));
    return typeName()
        + "[flags="
        + flags
        + ", body="
        + body.length
        + " bytes: "
        + hex
        + (body.length > 32 ? " ..." : "")
        + "]";
  }
}
