package io.vmqtt.session.file;

import io.vmqtt.QoS;
import io.vmqtt.Topics;
import io.vmqtt.spi.StoredPublish;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The bytes of a session log: a header, then records. Big-endian throughout.
 *
 * <pre>
 * header:  magic "VMQTTLOG" (8) | format version u16 = 1 | client id length u16 | client id UTF-8
 *          | CRC32C u32 of everything before it
 * record:  body length u32 | type u8 | body | CRC32C u32 of length, type and body
 * bodies:  1 OUTBOUND_ADDED     packet id u16 | flags u8 | topic length u16 | topic UTF-8
 *                               [| properties length u32 | MQTT 5 properties] | payload
 *                               (flags: bits 0-1 QoS 1 or 2, bit 2 retain, bit 3 released,
 *                                bit 4 properties follow the topic; the payload is the rest of
 *                                the body)
 *          2 OUTBOUND_RELEASED  packet id u16
 *          3 OUTBOUND_REMOVED   packet id u16
 *          4 INBOUND_RECEIVED   packet id u16
 *          5 INBOUND_RELEASED   packet id u16
 * </pre>
 *
 * <p>The properties (bit 4) came with MQTT 5; a log without them reads as before, and a reader from
 * before them refuses the flag rather than take the properties for payload.
 *
 * <p>The CRC covers the length, so a damaged length is caught like a damaged body. A released
 * outbound message is an OUTBOUND_ADDED with its released flag, so a compacted log holds one record
 * per live message.
 *
 * <p>Stateless and thread-safe.
 */
final class LogCodec {
  /** The first bytes of every session log. */
  static final byte[] MAGIC = {'V', 'M', 'Q', 'T', 'T', 'L', 'O', 'G'};

  /** The format this class reads and writes. */
  static final int VERSION = 1;

  /** Magic, version and client id length: what precedes the client id in the header. */
  static final int HEADER_FIXED = MAGIC.length + 4;

  /** Body length and type before the body, CRC32C after it. */
  static final int RECORD_OVERHEAD = 9;

  /** Length and type: what is read before the body's length is known to be sane. */
  static final int RECORD_PREFIX = 5;

  /** The largest payload MQTT can carry: the largest remaining length [MQTT-2.2.3]. */
  static final int MAX_PAYLOAD = 268_435_455;

  /**
   * The largest body: an OUTBOUND_ADDED with the longest topic and properties and payload as large
   * as a PUBLISH can carry together.
   */
  static final int MAX_BODY = 9 + Topics.MAX_STRING_BYTES + MAX_PAYLOAD;

  /** The size of every record but OUTBOUND_ADDED. */
  static final int PACKET_ID_RECORD_SIZE = RECORD_OVERHEAD + 2;

  static final byte OUTBOUND_ADDED = 1;
  static final byte OUTBOUND_RELEASED = 2;
  static final byte OUTBOUND_REMOVED = 3;
  static final byte INBOUND_RECEIVED = 4;
  static final byte INBOUND_RELEASED = 5;

  private static final int QOS_BITS = 0x03;
  private static final int RETAIN = 0x04;
  private static final int RELEASED = 0x08;
  private static final int PROPERTIES = 0x10;

  private LogCodec() {}

  /** The header of the log of {@code clientId}, a valid MQTT string. */
  static byte[] header(String clientId) {
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[HEADER_FIXED + id.length + 4];
    ByteBuffer b = ByteBuffer.wrap(out);
    b.put(MAGIC).putShort((short) VERSION).putShort((short) id.length).put(id);
    b.putInt(crc(out, 0, out.length - 4));
    return out;
  }

  /**
   * The bytes of one record, checksum included.
   *
   * @throws IllegalArgumentException when a payload is larger than MQTT can carry
   */
  static byte[] encode(LogRecord record) {
    return switch (record) {
      case LogRecord.OutboundAdded a -> encodeAdded(a.publish());
      case LogRecord.OutboundReleased r -> encodePacketId(OUTBOUND_RELEASED, r.packetId());
      case LogRecord.OutboundRemoved r -> encodePacketId(OUTBOUND_REMOVED, r.packetId());
      case LogRecord.InboundReceived r -> encodePacketId(INBOUND_RECEIVED, r.packetId());
      case LogRecord.InboundReleased r -> encodePacketId(INBOUND_RELEASED, r.packetId());
    };
  }

  private static byte[] encodeAdded(StoredPublish p) {
    byte[] payload = p.payload();
    byte[] properties = p.properties();
    if ((long) payload.length + properties.length > MAX_PAYLOAD) {
      throw new IllegalArgumentException(
          "a stored payload and its properties must be at most "
              + MAX_PAYLOAD
              + " bytes, were "
              + payload.length
              + " and "
              + properties.length);
    }
    byte[] topic = p.topic().getBytes(StandardCharsets.UTF_8);
    boolean withProperties = properties.length > 0;
    int body = 5 + topic.length + (withProperties ? 4 + properties.length : 0) + payload.length;
    int flags =
        p.qos().value()
            | (p.retain() ? RETAIN : 0)
            | (p.released() ? RELEASED : 0)
            | (withProperties ? PROPERTIES : 0);
    byte[] out = new byte[RECORD_OVERHEAD + body];
    ByteBuffer b = ByteBuffer.wrap(out);
    b.putInt(body).put(OUTBOUND_ADDED);
    b.putShort((short) p.packetId()).put((byte) flags).putShort((short) topic.length);
    b.put(topic);
    if (withProperties) {
      b.putInt(properties.length).put(properties);
    }
    b.put(payload);
    b.putInt(crc(out, 0, RECORD_PREFIX + body));
    return out;
  }

  private static byte[] encodePacketId(byte type, int packetId) {
    byte[] out = new byte[PACKET_ID_RECORD_SIZE];
    ByteBuffer b = ByteBuffer.wrap(out);
    b.putInt(2).put(type).putShort((short) packetId);
    b.putInt(crc(out, 0, RECORD_PREFIX + 2));
    return out;
  }

  /**
   * The record of a body whose checksum was found good.
   *
   * @param type the type byte
   * @param body the body, from {@code offset} for {@code length} bytes
   * @throws IllegalArgumentException when the body is not a valid record of its type
   */
  static LogRecord decode(byte type, byte[] body, int offset, int length) {
    ByteBuffer b = ByteBuffer.wrap(body, offset, length);
    if (type == OUTBOUND_ADDED) {
      return decodeAdded(b, length);
    }
    if (length != 2) {
      throw new IllegalArgumentException(
          "a record of type " + type + " has a 2-byte body, this one " + length);
    }
    int packetId = packetId(b);
    return switch (type) {
      case OUTBOUND_RELEASED -> new LogRecord.OutboundReleased(packetId);
      case OUTBOUND_REMOVED -> new LogRecord.OutboundRemoved(packetId);
      case INBOUND_RECEIVED -> new LogRecord.InboundReceived(packetId);
      case INBOUND_RELEASED -> new LogRecord.InboundReleased(packetId);
      default -> throw new IllegalArgumentException("unknown record type " + type);
    };
  }

  private static LogRecord decodeAdded(ByteBuffer b, int length) {
    if (length < 5) {
      throw new IllegalArgumentException(
          "an OUTBOUND_ADDED body has at least 5 bytes, this one " + length);
    }
    int packetId = packetId(b);
    int flags = b.get() & 0xFF;
    if ((flags & ~(QOS_BITS | RETAIN | RELEASED | PROPERTIES)) != 0) {
      throw new IllegalArgumentException("unknown flags in OUTBOUND_ADDED: 0x" + hex(flags));
    }
    int topicLength = b.getShort() & 0xFFFF;
    if (topicLength > b.remaining()) {
      throw new IllegalArgumentException(
          "an OUTBOUND_ADDED topic of " + topicLength + " bytes in a body of " + length);
    }
    String topic = utf8(b, topicLength);
    byte[] properties = new byte[0];
    if ((flags & PROPERTIES) != 0) {
      if (b.remaining() < 4) {
        throw new IllegalArgumentException(
            "an OUTBOUND_ADDED body of " + length + " bytes ends before its properties length");
      }
      int propertiesLength = b.getInt();
      if (propertiesLength < 1 || propertiesLength > b.remaining()) {
        throw new IllegalArgumentException(
            "OUTBOUND_ADDED properties of "
                + Integer.toUnsignedString(propertiesLength)
                + " bytes with "
                + b.remaining()
                + " bytes left in the body");
      }
      properties = new byte[propertiesLength];
      b.get(properties);
    }
    byte[] payload = new byte[b.remaining()];
    b.get(payload);
    return new LogRecord.OutboundAdded(
        new StoredPublish(
            packetId,
            topic,
            payload,
            QoS.of(flags & QOS_BITS),
            (flags & RETAIN) != 0,
            (flags & RELEASED) != 0,
            properties));
  }

  private static int packetId(ByteBuffer b) {
    int packetId = b.getShort() & 0xFFFF;
    if (packetId == 0) {
      throw new IllegalArgumentException("packet id 0 in a record");
    }
    return packetId;
  }

  private static String utf8(ByteBuffer b, int length) {
    ByteBuffer slice = b.slice(b.position(), length);
    b.position(b.position() + length);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(slice)
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("a topic that is not UTF-8", e);
    }
  }

  /** The CRC32C of a range of bytes. */
  static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /** Whether {@code bytes} begins with the magic (as far as it goes). */
  static boolean startsLikeALog(byte[] bytes, int length) {
    int n = Math.min(length, MAGIC.length);
    return Arrays.equals(bytes, 0, n, MAGIC, 0, n);
  }

  private static String hex(int b) {
    return Integer.toHexString(b);
  }
}
