package io.vmqtt.it.fake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * MQTT 5 frames for the {@link FakeBroker} to send, written byte by byte from the specification as
 * {@link Frames} writes 3.1.1 ones (never with the client's codec): properties are given as their
 * encoded bytes, built with {@link #property} and the like.
 */
final class Frames5 {
  private Frames5() {}

  /** CONNACK (3.2): flags, reason code, Property Length, properties. */
  static byte[] connack(int reasonCode, byte[]... properties) {
    return Frames.frame(
        RawPacket.CONNACK,
        0,
        Frames.concat(Frames.bytes(0x00, reasonCode), withLength(properties)));
  }

  /** PUBACK, PUBREC (3.4, 3.5): packet id, reason code, Property Length, properties. */
  static byte[] ack(int type, int packetId, int reasonCode, byte[]... properties) {
    return Frames.frame(
        type,
        0,
        Frames.concat(
            Frames.bytes(packetId >> 8, packetId & 0xFF, reasonCode), withLength(properties)));
  }

  /** DISCONNECT (3.14): reason code, Property Length, properties. */
  static byte[] disconnect(int reasonCode, byte[]... properties) {
    return Frames.frame(
        RawPacket.DISCONNECT, 0, Frames.concat(Frames.bytes(reasonCode), withLength(properties)));
  }

  /** PUBLISH QoS 0 (3.3): topic name, Property Length, properties, payload. */
  static byte[] publish(String topic, String payload, byte[]... properties) {
    return Frames.frame(
        RawPacket.PUBLISH, 0, Frames.concat(string(topic), withLength(properties), utf8(payload)));
  }

  /** AUTH (3.15): reason code, Property Length, properties. */
  static byte[] auth(int reasonCode, byte[]... properties) {
    return Frames.frame(
        RawPacket.AUTH, 0, Frames.concat(Frames.bytes(reasonCode), withLength(properties)));
  }

  /** A Binary Data property: its identifier, two length bytes and the bytes. */
  static byte[] binaryProperty(int id, byte[] value) {
    return property(id, Frames.concat(Frames.bytes(value.length >> 8, value.length & 0xFF), value));
  }

  /**
   * The properties of a CONNECT the client sent, by identifier, each value as its bytes (a string's
   * or binary's without their length; a User Property as "name=value"); repeats in order.
   */
  static java.util.Map<Integer, java.util.List<byte[]>> connectProperties(byte[] body) {
    int at = 2 + Frames.readUnsignedShort(body, 0) + 1 + 1 + 2; // name, level, flags, keep-alive
    return properties(body, at);
  }

  /** The properties of an AUTH or DISCONNECT the client sent (after its reason code). */
  static java.util.Map<Integer, java.util.List<byte[]>> reasonProperties(byte[] body) {
    return body.length < 2 ? java.util.Map.of() : properties(body, 1);
  }

  /** The reason code of an AUTH or DISCONNECT the client sent: 0 when left out. */
  static int reasonCode(byte[] body) {
    return body.length == 0 ? 0 : body[0] & 0xFF;
  }

  /** Parses a Property Length and the properties after it, at {@code at}. */
  static java.util.Map<Integer, java.util.List<byte[]>> properties(byte[] body, int at) {
    int length = 0;
    int shift = 0;
    int b;
    do {
      b = body[at++] & 0xFF;
      length |= (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    int end = at + length;
    java.util.Map<Integer, java.util.List<byte[]>> all = new java.util.LinkedHashMap<>();
    while (at < end) {
      int id = body[at++] & 0xFF;
      byte[] value;
      switch (id) {
        case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A -> value = slice(body, at, 1);
        case 0x13, 0x21, 0x22, 0x23 -> value = slice(body, at, 2);
        case 0x02, 0x11, 0x18, 0x27 -> value = slice(body, at, 4);
        case 0x26 -> {
          int n = Frames.readUnsignedShort(body, at);
          int v = Frames.readUnsignedShort(body, at + 2 + n);
          value =
              (new String(body, at + 2, n, java.nio.charset.StandardCharsets.UTF_8)
                      + "="
                      + new String(body, at + 4 + n, v, java.nio.charset.StandardCharsets.UTF_8))
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8);
          at += 4 + n + v;
          all.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(value);
          continue;
        }
        default -> {
          // Strings and Binary Data: two length bytes and the bytes.
          int n = Frames.readUnsignedShort(body, at);
          value = slice(body, at + 2, n);
          at += 2;
        }
      }
      at += value.length;
      all.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(value);
    }
    return all;
  }

  private static byte[] slice(byte[] b, int from, int n) {
    return java.util.Arrays.copyOfRange(b, from, from + n);
  }

  /** The Property Length (a Variable Byte Integer) and the properties. */
  static byte[] withLength(byte[]... properties) {
    byte[] all = Frames.concat(properties);
    return Frames.concat(Frames.remainingLength(all.length), all);
  }

  /** A property: its identifier and its value's bytes. */
  static byte[] property(int id, byte[] value) {
    return Frames.concat(Frames.bytes(id), value);
  }

  static byte[] twoBytes(int id, int value) {
    return property(id, Frames.bytes(value >> 8, value & 0xFF));
  }

  static byte[] fourBytes(int id, long value) {
    return property(
        id,
        Frames.bytes(
            (int) (value >> 24) & 0xFF,
            (int) (value >> 16) & 0xFF,
            (int) (value >> 8) & 0xFF,
            (int) value & 0xFF));
  }

  static byte[] stringProperty(int id, String value) {
    return property(id, string(value));
  }

  static byte[] userProperty(String name, String value) {
    return Frames.concat(Frames.bytes(0x26), string(name), string(value));
  }

  /** A UTF-8 Encoded String: two length bytes and the bytes. */
  static byte[] string(String s) {
    byte[] b = utf8(s);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(b.length >> 8);
    out.write(b.length & 0xFF);
    out.write(b, 0, b.length);
    return out.toByteArray();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
