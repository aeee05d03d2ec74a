package io.vmqtt.vthreads.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over one packet body (everything after the Remaining Length). Every read checks the
 * bytes left first, so a declared length can never run past the body, and nothing is allocated for
 * a length before that check; every failure is a {@link ProtocolViolationException} that names the
 * packet and the field.
 *
 * <p>A section with a length of its own, such as MQTT 5 properties, is read inside a narrower limit
 * ({@link #pushLimit}, {@link #popLimit}): a field that runs past the section fails as one that
 * runs past the body does.
 *
 * <p>Not thread-safe: lives for the decoding of one packet.
 */
final class BodyReader {
  private final byte[] body;
  private final PacketType packet;
  private final Spec spec;

  /** Where the packet's body starts and ends in {@link #body}. */
  private final int start;

  private final int end;

  private int pos;
  private int limit;

  /** A reader that cites MQTT 3.1.1. */
  BodyReader(byte[] body, PacketType packet) {
    this(body, packet, Spec.MQTT_3_1_1);
  }

  /**
   * @param spec the specification that messages cite
   */
  BodyReader(byte[] body, PacketType packet, Spec spec) {
    this(body, 0, body.length, packet, spec);
  }

  /**
   * A reader of the body that lies in {@code buffer} from {@code offset}, {@code length} bytes
   * long: a packet decoded where the reader's buffer holds it, without a copy of the whole body.
   */
  BodyReader(byte[] buffer, int offset, int length, PacketType packet, Spec spec) {
    this.body = buffer;
    this.packet = packet;
    this.spec = spec;
    this.start = offset;
    this.end = offset + length;
    this.pos = offset;
    this.limit = end;
  }

  PacketType packet() {
    return packet;
  }

  Spec spec() {
    return spec;
  }

  /** The bytes left before the current limit: the end of the body or of a section. */
  int remaining() {
    return limit - pos;
  }

  boolean hasRemaining() {
    return pos < limit;
  }

  /** The bytes read so far from the start of the body. */
  int position() {
    return pos - start;
  }

  /** One unsigned byte. */
  int readByte(String field) {
    need(1, field);
    return body[pos++] & 0xFF;
  }

  /** A 16-bit big-endian unsigned integer: a Two Byte Integer (MQTT 5.0 section 1.5.2). */
  int readShort(String field) {
    need(2, field);
    int value = ((body[pos] & 0xFF) << 8) | (body[pos + 1] & 0xFF);
    pos += 2;
    return value;
  }

  /** A 32-bit big-endian unsigned integer: a Four Byte Integer (MQTT 5.0 section 1.5.3). */
  long readFourByteInteger(String field) {
    need(4, field);
    long value =
        ((long) (body[pos] & 0xFF) << 24)
            | ((body[pos + 1] & 0xFF) << 16)
            | ((body[pos + 2] & 0xFF) << 8)
            | (body[pos + 3] & 0xFF);
    pos += 4;
    return value;
  }

  /**
   * A Variable Byte Integer (MQTT 5.0 section 1.5.5): 7 bits per byte, least significant first, bit
   * 7 set on every byte but the last; at most four bytes, so at most 268,435,455. The encoding must
   * use the fewest bytes that hold the value [MQTT-1.5.5-1]: a last byte of 0 after the first is an
   * overlong form, and is refused as malformed, as a fifth byte is.
   *
   * @throws ProtocolViolationException (Malformed Packet) for a fifth byte, an overlong form, or
   *     when the body ends first
   */
  int readVariableByteInteger(String field) {
    int value = 0;
    for (int i = 0; ; i++) {
      if (i == MqttLimits.MAX_VARIABLE_BYTE_INTEGER_BYTES) {
        throw malformed(
            field
                + " is a Variable Byte Integer of more than "
                + MqttLimits.MAX_VARIABLE_BYTE_INTEGER_BYTES
                + " bytes "
                + spec.variableByteIntegerBytes);
      }
      need(1, field);
      int digit = body[pos++] & 0xFF;
      value |= (digit & 0x7F) << (7 * i);
      if ((digit & 0x80) == 0) {
        if (digit == 0 && i > 0) {
          throw malformed(
              field
                  + " is a Variable Byte Integer of "
                  + (i + 1)
                  + " bytes for "
                  + value
                  + ", which takes "
                  + ByteSink.variableByteIntegerSize(value)
                  + "; it must use the fewest bytes [MQTT-1.5.5-1]");
        }
        return value;
      }
    }
  }

  /** A packet identifier, which must not be 0 [MQTT-2.3.1-1] (MQTT 5.0 section 2.2.1). */
  int readPacketId() {
    int id = readShort("packet identifier");
    if (id == 0) {
      throw malformed("packet identifier must not be 0 " + spec.packetIdNotZero);
    }
    return id;
  }

  /**
   * A UTF-8 encoded string [MQTT-1.5.3]: its length, then well-formed UTF-8 without U+0000
   * [MQTT-1.5.3-1] [MQTT-1.5.3-2]. A byte order mark is kept, not skipped [MQTT-1.5.3-3]. (MQTT 5.0
   * section 1.5.4.)
   */
  String readString(String field) {
    int len = readLength(field);
    boolean ascii = Utf8.validate(body, pos, len, packet, field, spec);
    String s =
        new String(body, pos, len, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  /**
   * A UTF-8 String Pair (MQTT 5.0 section 1.5.7): two UTF-8 strings, name and value, both held to
   * the rules of UTF-8 strings [MQTT-1.5.7-1].
   */
  UserProperty readStringPair(String field) {
    String name = readString(field + " name");
    String value = readString(field + " value");
    return new UserProperty(name, value);
  }

  /** Binary data: its length, then the bytes [MQTT-1.5.3] (MQTT 5.0 section 1.5.6). */
  byte[] readBinary(String field) {
    int len = readLength(field);
    byte[] data = Arrays.copyOfRange(body, pos, pos + len);
    pos += len;
    return data;
  }

  /** All the bytes left before the limit, e.g. the PUBLISH payload. */
  byte[] readRest() {
    byte[] rest = pos == 0 && limit == body.length ? body : Arrays.copyOfRange(body, pos, limit);
    pos = limit;
    return rest;
  }

  /**
   * Narrows the limit to the next {@code length} bytes, for a section with a length of its own.
   *
   * @param what the section's length field, for the message, e.g. "property length"
   * @param citation where the specification defines that length
   * @return the limit to restore with {@link #popLimit} when the section has been read
   * @throws ProtocolViolationException (Malformed Packet) when fewer than {@code length} bytes are
   *     left
   */
  int pushLimit(int length, String what, String citation) {
    if (length > remaining()) {
      throw malformed(
          what + " " + length + " exceeds the " + remaining() + " remaining bytes " + citation);
    }
    int outer = limit;
    limit = pos + length;
    return outer;
  }

  /** Restores the limit that {@link #pushLimit} returned; the section must have been read whole. */
  void popLimit(int outer) {
    limit = outer;
  }

  /**
   * Fails unless the body is exactly {@code expected} bytes long, for packets of fixed length.
   *
   * @param citation where the specification gives that length
   */
  void requireLength(int expected, String citation) {
    if (end - start != expected) {
      throw malformed(
          "remaining length must be " + expected + ", was " + (end - start) + " " + citation);
    }
  }

  /** Fails when bytes are left after {@code lastField}. */
  void requireEnd(String lastField) {
    if (pos != limit) {
      int left = remaining();
      String bytes = left == 1 ? " unexpected byte" : " unexpected bytes";
      throw malformed(left + bytes + " after the " + lastField);
    }
  }

  /** "Malformed PUBACK: {@code what}", reason code 0x81. */
  ProtocolViolationException malformed(String what) {
    return ProtocolViolationException.malformed("Malformed " + packet + ": " + what);
  }

  /** "Protocol error in PUBACK: {@code what}", reason code 0x82 (MQTT 5). */
  ProtocolViolationException protocolError(String what) {
    return protocolError(ProtocolViolationException.PROTOCOL_ERROR, what);
  }

  /** "Protocol error in PUBLISH: {@code what}" with the given MQTT 5 reason code. */
  ProtocolViolationException protocolError(int reasonCode, String what) {
    return new ProtocolViolationException(reasonCode, "Protocol error in " + packet + ": " + what);
  }

  private int readLength(String field) {
    need(2, field + " length");
    int len = ((body[pos] & 0xFF) << 8) | (body[pos + 1] & 0xFF);
    pos += 2;
    if (len > remaining()) {
      throw malformed(
          field + " length " + len + " exceeds the " + remaining() + " remaining bytes");
    }
    return len;
  }

  private void need(int bytes, String field) {
    if (remaining() < bytes) {
      throw malformed(
          field
              + " needs "
              + bytes
              + (bytes == 1 ? " byte, " : " bytes, ")
              + remaining()
              + " remaining");
    }
  }
}
