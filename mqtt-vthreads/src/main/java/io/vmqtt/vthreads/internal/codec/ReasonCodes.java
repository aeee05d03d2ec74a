package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.PacketType.AUTH;
import static io.vmqtt.vthreads.internal.codec.PacketType.CONNACK;
import static io.vmqtt.vthreads.internal.codec.PacketType.DISCONNECT;
import static io.vmqtt.vthreads.internal.codec.PacketType.PUBACK;
import static io.vmqtt.vthreads.internal.codec.PacketType.PUBCOMP;
import static io.vmqtt.vthreads.internal.codec.PacketType.PUBREC;
import static io.vmqtt.vthreads.internal.codec.PacketType.PUBREL;
import static io.vmqtt.vthreads.internal.codec.PacketType.SUBACK;
import static io.vmqtt.vthreads.internal.codec.PacketType.UNSUBACK;

/**
 * The reason codes of MQTT 5.0 (Table 2-6, section 2.4) and the packets each may appear in (the
 * per-packet tables 3-1, 3-4 to 3-11), for the decoder's check that a packet carries one of its own
 * codes ([MQTT-3.4.2-1] and the like) and for messages that name a code.
 *
 * <p>Stateless and thread-safe.
 */
public final class ReasonCodes {
  /** Names by packet type value and code; null where the code is not valid in that packet. */
  private static final String[][] NAMES = new String[16][256];

  static {
    row(0x00, "Success", CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK, AUTH);
    row(0x00, "Normal disconnection", DISCONNECT);
    row(0x00, "Granted QoS 0", SUBACK);
    row(0x01, "Granted QoS 1", SUBACK);
    row(0x02, "Granted QoS 2", SUBACK);
    row(0x04, "Disconnect with Will Message", DISCONNECT);
    row(0x10, "No matching subscribers", PUBACK, PUBREC);
    row(0x11, "No subscription existed", UNSUBACK);
    row(0x18, "Continue authentication", AUTH);
    row(0x19, "Re-authenticate", AUTH);
    row(0x80, "Unspecified error", CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT);
    row(0x81, "Malformed Packet", CONNACK, DISCONNECT);
    row(0x82, "Protocol Error", CONNACK, DISCONNECT);
    row(
        0x83,
        "Implementation specific error",
        CONNACK,
        PUBACK,
        PUBREC,
        SUBACK,
        UNSUBACK,
        DISCONNECT);
    row(0x84, "Unsupported Protocol Version", CONNACK);
    row(0x85, "Client Identifier not valid", CONNACK);
    row(0x86, "Bad User Name or Password", CONNACK);
    row(0x87, "Not authorized", CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT);
    row(0x88, "Server unavailable", CONNACK);
    row(0x89, "Server busy", CONNACK, DISCONNECT);
    row(0x8A, "Banned", CONNACK);
    row(0x8B, "Server shutting down", DISCONNECT);
    row(0x8C, "Bad authentication method", CONNACK, DISCONNECT);
    row(0x8D, "Keep Alive timeout", DISCONNECT);
    row(0x8E, "Session taken over", DISCONNECT);
    row(0x8F, "Topic Filter invalid", SUBACK, UNSUBACK, DISCONNECT);
    row(0x90, "Topic Name invalid", CONNACK, PUBACK, PUBREC, DISCONNECT);
    row(0x91, "Packet Identifier in use", PUBACK, PUBREC, SUBACK, UNSUBACK);
    row(0x92, "Packet Identifier not found", PUBREL, PUBCOMP);
    row(0x93, "Receive Maximum exceeded", DISCONNECT);
    row(0x94, "Topic Alias invalid", DISCONNECT);
    row(0x95, "Packet too large", CONNACK, DISCONNECT);
    row(0x96, "Message rate too high", DISCONNECT);
    row(0x97, "Quota exceeded", CONNACK, PUBACK, PUBREC, SUBACK, DISCONNECT);
    row(0x98, "Administrative action", DISCONNECT);
    row(0x99, "Payload format invalid", CONNACK, PUBACK, PUBREC, DISCONNECT);
    row(0x9A, "Retain not supported", CONNACK, DISCONNECT);
    row(0x9B, "QoS not supported", CONNACK, DISCONNECT);
    row(0x9C, "Use another server", CONNACK, DISCONNECT);
    row(0x9D, "Server moved", CONNACK, DISCONNECT);
    row(0x9E, "Shared Subscriptions not supported", SUBACK, DISCONNECT);
    row(0x9F, "Connection rate exceeded", CONNACK, DISCONNECT);
    row(0xA0, "Maximum connect time", DISCONNECT);
    row(0xA1, "Subscription Identifiers not supported", SUBACK, DISCONNECT);
    row(0xA2, "Wildcard Subscriptions not supported", SUBACK, DISCONNECT);
  }

  private ReasonCodes() {}

  private static void row(int code, String name, PacketType... packets) {
    for (PacketType p : packets) {
      NAMES[p.value()][code] = name;
    }
  }

  /** Whether {@code code} is one of {@code packet}'s reason codes. */
  static boolean allowed(PacketType packet, int code) {
    return code >= 0 && code <= 0xFF && NAMES[packet.value()][code] != null;
  }

  /** "0x10 (No matching subscribers)", or "0x8A" for a code {@code packet} does not have. */
  public static String describe(PacketType packet, int code) {
    String name = allowed(packet, code) ? NAMES[packet.value()][code] : null;
    if (name == null) {
      // A code the packet does not have may still be a code elsewhere: name it from any packet.
      for (String[] names : NAMES) {
        if (code >= 0 && code <= 0xFF && names[code] != null && code != 0) {
          name = names[code];
          break;
        }
      }
    }
    return Utf8.hex(code) + (name == null ? "" : " (" + name + ")");
  }

  /** The statement that the sender uses one of the packet's reason codes, e.g. [MQTT-3.4.2-1]. */
  static String citation(PacketType packet) {
    return switch (packet) {
      case CONNACK -> "[MQTT-3.2.2-8]";
      case PUBACK -> "[MQTT-3.4.2-1]";
      case PUBREC -> "[MQTT-3.5.2-1]";
      case PUBREL -> "[MQTT-3.6.2-1]";
      case PUBCOMP -> "[MQTT-3.7.2-1]";
      case SUBACK -> "[MQTT-3.9.3-2]";
      case UNSUBACK -> "[MQTT-3.11.3-2]";
      case DISCONNECT -> "[MQTT-3.14.2-1]";
      case AUTH -> "[MQTT-3.15.2-1]";
      default -> throw new IllegalArgumentException(packet + " has no reason code");
    };
  }

  /**
   * Reads a reason code and checks it is one of {@code r}'s packet's.
   *
   * @throws ProtocolViolationException (Malformed Packet) for a code the packet does not have
   */
  static int read(BodyReader r, String field) {
    int code = r.readByte(field);
    PacketType packet = r.packet();
    if (!allowed(packet, code)) {
      throw r.malformed(
          field
              + " "
              + describe(packet, code)
              + " is not "
              + packet.withArticle()
              + " reason code "
              + citation(packet));
    }
    return code;
  }
}
