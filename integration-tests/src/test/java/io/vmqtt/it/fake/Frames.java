package io.vmqtt.it.fake;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fake broker's own MQTT 3.1.1 framing, written by hand and independent of the client's codec,
 * so that a bug in that codec cannot hide behind a fixture that shares it. It reads frames into
 * {@link RawPacket}s, builds the packets a broker sends byte by byte, and decodes the few fields of
 * client packets that tests look at. It validates little on purpose: tests use it to build
 * malformed packets too (e.g. {@link #publish} accepts QoS 3).
 *
 * <p>Stateless and thread-safe.
 */
public final class Frames {
  /** The largest value the four bytes of a Remaining Length can hold [MQTT-2.2.3]. */
  public static final int MAX_REMAINING_LENGTH = 268_435_455;

  private Frames() {}

  // ---- reading

  /**
   * Reads one frame: the first byte, the Remaining Length, then that many body bytes.
   *
   * @throws EOFException when the stream ends, cleanly before a frame or in the middle of one
   * @throws IOException when the Remaining Length takes more than four bytes [MQTT-2.2.3]
   */
  public static RawPacket read(InputStream in) throws IOException {
    int first = in.read();
    if (first < 0) {
      throw new EOFException("end of stream before a packet");
    }
    int length = 0;
    for (int i = 0, shift = 0; ; i++, shift += 7) {
      if (i == 4) {
        throw new IOException("Remaining Length longer than four bytes [MQTT-2.2.3]");
      }
      int b = in.read();
      if (b < 0) {
        throw new EOFException("end of stream inside the Remaining Length");
      }
      length |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    // At most 268,435,455 by construction; readNBytes allocates as bytes arrive, not up front.
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new EOFException(
          "end of stream after "
              + body.length
              + " of "
              + length
              + " body bytes of "
              + RawPacket.typeName(first >> 4));
    }
    return new RawPacket(first >> 4, first & 0x0F, body);
  }

  // ---- writing

  /** The Remaining Length encoding of {@code length} [MQTT-2.2.3]: 1 to 4 bytes. */
  public static byte[] remainingLength(int length) {
    if (length < 0 || length > MAX_REMAINING_LENGTH) {
      throw new IllegalArgumentException("remaining length out of range: " + length);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(4);
    do {
      int digit = length % 128;
      length /= 128;
      out.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
    return out.toByteArray();
  }

  /** A whole frame: first byte {@code type << 4 | flags}, Remaining Length, body. */
  public static byte[] frame(int type, int flags, byte[] body) {
    byte[] length = remainingLength(body.length);
    byte[] out = new byte[1 + length.length + body.length];
    out[0] = (byte) (type << 4 | flags);
    System.arraycopy(length, 0, out, 1, length.length);
    System.arraycopy(body, 0, out, 1 + length.length, body.length);
    return out;
  }

  /** Only a fixed header: the first byte and a Remaining Length, without the body it announces. */
  public static byte[] header(int type, int flags, int remainingLength) {
    byte[] length = remainingLength(remainingLength);
    byte[] out = new byte[1 + length.length];
    out[0] = (byte) (type << 4 | flags);
    System.arraycopy(length, 0, out, 1, length.length);
    return out;
  }

  /** CONNACK [MQTT-3.2]: {@code 20 02 <session present> <return code>}. */
  public static byte[] connack(boolean sessionPresent, int returnCode) {
    return new byte[] {0x20, 0x02, (byte) (sessionPresent ? 1 : 0), (byte) returnCode};
  }

  /** PUBACK [MQTT-3.4]: {@code 40 02 <id>}. */
  public static byte[] puback(int packetId) {
    return idOnly(RawPacket.PUBACK, 0, packetId);
  }

  /** PUBREC [MQTT-3.5]: {@code 50 02 <id>}. */
  public static byte[] pubrec(int packetId) {
    return idOnly(RawPacket.PUBREC, 0, packetId);
  }

  /** PUBREL [MQTT-3.6]: {@code 62 02 <id>}; its flags must be 0010 [MQTT-3.6.1-1]. */
  public static byte[] pubrel(int packetId) {
    return idOnly(RawPacket.PUBREL, 2, packetId);
  }

  /** PUBCOMP [MQTT-3.7]: {@code 70 02 <id>}. */
  public static byte[] pubcomp(int packetId) {
    return idOnly(RawPacket.PUBCOMP, 0, packetId);
  }

  /** UNSUBACK [MQTT-3.11]: {@code B0 02 <id>}. */
  public static byte[] unsuback(int packetId) {
    return idOnly(RawPacket.UNSUBACK, 0, packetId);
  }

  /** SUBACK [MQTT-3.9]: {@code 90 <len> <id> <one return code per filter>}. */
  public static byte[] suback(int packetId, int... returnCodes) {
    byte[] body = new byte[2 + returnCodes.length];
    body[0] = (byte) (packetId >> 8);
    body[1] = (byte) packetId;
    for (int i = 0; i < returnCodes.length; i++) {
      body[2 + i] = (byte) returnCodes[i];
    }
    return frame(RawPacket.SUBACK, 0, body);
  }

  /** PINGRESP [MQTT-3.13]: {@code D0 00}. */
  public static byte[] pingresp() {
    return new byte[] {(byte) 0xD0, 0x00};
  }

  /**
   * PUBLISH [MQTT-3.3]: flags {@code DUP<<3 | QoS<<1 | RETAIN}; topic as an MQTT string; the packet
   * id when QoS is not 0; the payload. QoS 3 is accepted, to build the malformed packet of
   * [MQTT-3.3.1-4].
   */
  public static byte[] publish(
      String topic, byte[] payload, int qos, boolean retain, boolean dup, int packetId) {
    if (qos < 0 || qos > 3) {
      throw new IllegalArgumentException("qos must fit in two bits, was " + qos);
    }
    byte[] name = topic.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body = new ByteArrayOutputStream(4 + name.length + payload.length);
    body.write(name.length >> 8);
    body.write(name.length);
    body.write(name, 0, name.length);
    if (qos != 0) {
      body.write(packetId >> 8);
      body.write(packetId);
    }
    body.write(payload, 0, payload.length);
    int flags = (dup ? 8 : 0) | qos << 1 | (retain ? 1 : 0);
    return frame(RawPacket.PUBLISH, flags, body.toByteArray());
  }

  /** Several frames (or raw byte runs) concatenated, to be written at once. */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.write(part, 0, part.length);
    }
    return out.toByteArray();
  }

  /** Bytes from ints, for vectors written in hex: {@code bytes(0x30, 0xFF, 'a')}. */
  public static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static byte[] idOnly(int type, int flags, int packetId) {
    return new byte[] {(byte) (type << 4 | flags), 0x02, (byte) (packetId >> 8), (byte) packetId};
  }

  // ---- decoding client packets (minimal: the fields tests look at)

  /**
   * The fields of a CONNECT [MQTT-3.1]. Absent optional fields are empty strings and arrays; the
   * flags say which were present.
   */
  public record Connect(
      String protocolName,
      int protocolLevel,
      int flags,
      int keepAliveSeconds,
      String clientId,
      String willTopic,
      byte[] willMessage,
      String username,
      byte[] password) {

    public boolean cleanSession() {
      return (flags & 0x02) != 0;
    }

    public boolean hasWill() {
      return (flags & 0x04) != 0;
    }

    public int willQos() {
      return (flags >> 3) & 0x03;
    }

    public boolean willRetain() {
      return (flags & 0x20) != 0;
    }

    public boolean hasUsername() {
      return (flags & 0x80) != 0;
    }

    public boolean hasPassword() {
      return (flags & 0x40) != 0;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Connect c
          && protocolName.equals(c.protocolName)
          && protocolLevel == c.protocolLevel
          && flags == c.flags
          && keepAliveSeconds == c.keepAliveSeconds
          && clientId.equals(c.clientId)
          && willTopic.equals(c.willTopic)
          && Arrays.equals(willMessage, c.willMessage)
          && username.equals(c.username)
          && Arrays.equals(password, c.password);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(protocolName, protocolLevel, flags, keepAliveSeconds, clientId);
    }

    @Override
    public String toString() {
      return "Connect["
          + protocolName
          + " level "
          + protocolLevel
          + ", flags=0x"
          + Integer.toHexString(flags)
          + ", keepAlive="
          + keepAliveSeconds
          + " s, clientId="
          + clientId
          + ", willTopic="
          + willTopic
          + ", username="
          + username
          + "]";
    }
  }

  /** The fields of a PUBLISH [MQTT-3.3]; {@code packetId} is 0 when QoS is 0. */
  public record Publish(
      String topic, int qos, boolean retain, boolean dup, int packetId, byte[] payload) {

    public String payloadAsString() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Publish p
          && topic.equals(p.topic)
          && qos == p.qos
          && retain == p.retain
          && dup == p.dup
          && packetId == p.packetId
          && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(topic, qos, retain, dup, packetId, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
      return "Publish[topic="
          + topic
          + ", qos="
          + qos
          + ", retain="
          + retain
          + ", dup="
          + dup
          + ", packetId="
          + packetId
          + ", payload="
          + payload.length
          + " bytes]";
    }
  }

  /** One topic filter of a SUBSCRIBE with its requested QoS. */
  public record TopicRequest(String filter, int qos) {}

  static Connect parseConnect(byte[] body) {
    Cursor c = new Cursor(body);
    String protocolName = c.string();
    int level = c.u8();
    int flags = c.u8();
    int keepAlive = c.u16();
    String clientId = c.string();
    String willTopic = "";
    byte[] willMessage = new byte[0];
    if ((flags & 0x04) != 0) {
      willTopic = c.string();
      willMessage = c.binary();
    }
    String username = (flags & 0x80) != 0 ? c.string() : "";
    byte[] password = (flags & 0x40) != 0 ? c.binary() : new byte[0];
    return new Connect(
        protocolName,
        level,
        flags,
        keepAlive,
        clientId,
        willTopic,
        willMessage,
        username,
        password);
  }

  static Publish parsePublish(int flags, byte[] body) {
    Cursor c = new Cursor(body);
    int qos = (flags >> 1) & 0x03;
    String topic = c.string();
    int packetId = qos == 0 ? 0 : c.u16();
    return new Publish(topic, qos, (flags & 0x01) != 0, (flags & 0x08) != 0, packetId, c.rest());
  }

  static List<TopicRequest> parseSubscribe(byte[] body) {
    Cursor c = new Cursor(body);
    c.u16(); // packet identifier
    List<TopicRequest> requests = new ArrayList<>();
    while (c.hasMore()) {
      requests.add(new TopicRequest(c.string(), c.u8()));
    }
    return requests;
  }

  static List<String> parseUnsubscribe(byte[] body) {
    Cursor c = new Cursor(body);
    c.u16(); // packet identifier
    List<String> filters = new ArrayList<>();
    while (c.hasMore()) {
      filters.add(c.string());
    }
    return filters;
  }

  static int readUnsignedShort(byte[] bytes, int at) {
    return (bytes[at] & 0xFF) << 8 | (bytes[at + 1] & 0xFF);
  }

  /** A read position in a body; a read past the end is an {@link IllegalArgumentException}. */
  private static final class Cursor {
    private final byte[] body;
    private int pos;

    Cursor(byte[] body) {
      this.body = body;
    }

    boolean hasMore() {
      return pos < body.length;
    }

    int u8() {
      need(1);
      return body[pos++] & 0xFF;
    }

    int u16() {
      need(2);
      int v = readUnsignedShort(body, pos);
      pos += 2;
      return v;
    }

    byte[] binary() {
      int len = u16();
      need(len);
      byte[] b = Arrays.copyOfRange(body, pos, pos + len);
      pos += len;
      return b;
    }

    String string() {
      return new String(binary(), StandardCharsets.UTF_8);
    }

    byte[] rest() {
      byte[] b = Arrays.copyOfRange(body, pos, body.length);
      pos = body.length;
      return b;
    }

    private void need(int n) {
      if (body.length - pos < n) {
        throw new IllegalArgumentException(
            "body too short: need " + n + " bytes at offset " + pos + " of " + body.length);
      }
    }
  }
}
