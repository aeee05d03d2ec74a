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
