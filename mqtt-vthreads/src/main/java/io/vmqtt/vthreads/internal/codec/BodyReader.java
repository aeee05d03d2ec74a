package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over one packet body (everything after the Remaining Length). Every read checks the
 * bytes left first, so a declared length can never run past the body; every failure is a {@link
 * ProtocolException} that names the packet and the field.
 *
 * <p>Not thread-safe: lives for the decoding of one packet.
 */
final class BodyReader {
  private final byte[] body;
  private final PacketType packet;
  private int pos;

  BodyReader(byte[] body, PacketType packet) {
    this.body = body;
    this.packet = packet;
  }

  int remaining() {
    return body.length - pos;
  }

  boolean hasRemaining() {
    return pos < body.length;
  }

  /** One unsigned byte. */
  int readByte(String field) {
    need(1, field);
    return body[pos++] & 0xFF;
  }

  /** A 16-bit big-endian unsigned integer. */
  int readShort(String field) {
    need(2, field);
    int value = ((body[pos] & 0xFF) << 8) | (body[pos + 1] & 0xFF);
    pos += 2;
    return value;
  }

  /** A packet identifier, which must not be 0 [MQTT-2.3.1-1]. */
  int readPacketId() {
    int id = readShort("packet identifier");
    if (id == 0) {
      throw malformed("packet identifier must not be 0 [MQTT-2.3.1-1]");
    }
    return id;
  }

  /**
   * A UTF-8 encoded string [MQTT-1.5.3]: its length, then well-formed UTF-8 without U+0000
   * [MQTT-1.5.3-1] [MQTT-1.5.3-2]. A byte order mark is kept, not skipped [MQTT-1.5.3-3].
   */
  String readString(String field) {
    int len = readLength(field);
    boolean ascii = Utf8.validate(body, pos, len, packet, field);
    String s =
        new String(body, pos, len, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  /** Binary data: its length, then the bytes [MQTT-1.5.3]. */
  byte[] readBinary(String field) {
    int len = readLength(field);
    byte[] data = Arrays.copyOfRange(body, pos, pos + len);
    pos += len;
    return data;
  }

  /** All the bytes left, e.g. the PUBLISH payload. */
  byte[] readRest() {
    byte[] rest = pos == 0 ? body : Arrays.copyOfRange(body, pos, body.length);
    pos = body.length;
    return rest;
  }

  /**
   * Fails unless the body is exactly {@code expected} bytes long, for packets of fixed length.
   *
   * @param citation where the specification gives that length
   */
  void requireLength(int expected, String citation) {
    if (body.length != expected) {
      throw malformed(
          "remaining length must be " + expected + ", was " + body.length + " " + citation);
    }
  }

  /** Fails when bytes are left after {@code lastField}. */
  void requireEnd(String lastField) {
    if (pos != body.length) {
      int left = remaining();
      String bytes = left == 1 ? " unexpected byte" : " unexpected bytes";
      throw malformed(left + bytes + " after the " + lastField);
    }
  }

  ProtocolException malformed(String what) {
    return new ProtocolException("Malformed " + packet + ": " + what);
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
