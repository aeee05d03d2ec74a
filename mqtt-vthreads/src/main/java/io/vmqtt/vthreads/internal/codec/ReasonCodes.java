package io.vmqtt.vthreads.internal.codec;

import io.vmqtt.ReasonCode;
import java.util.Arrays;
import java.util.Optional;

/**
 * The reason codes each MQTT 5.0 packet may carry, for the decoder's check that a packet carries
 * one of its own codes ([MQTT-3.4.2-1] and the like) and for messages that name a code: the public
 * {@link ReasonCode}, which knows the packets of each code (Table 2-6, section 2.4, and the
 * per-packet tables 3-1, 3-4 to 3-11), seen by {@link PacketType}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ReasonCodes {
  private ReasonCodes() {}

  /** The reason code {@code code} in {@code packet}, or empty when the packet has no such code. */
  static Optional<ReasonCode> of(PacketType packet, int code) {
    return switch (packet) {
      case CONNACK -> ReasonCode.ofConnack(code, ProtocolLevel.MQTT_5.value());
      case PUBACK -> ReasonCode.ofPuback(code);
      case PUBREC -> ReasonCode.ofPubrec(code);
      case PUBREL -> ReasonCode.ofPubrel(code);
      case PUBCOMP -> ReasonCode.ofPubcomp(code);
      case SUBACK -> ReasonCode.ofSuback(code, ProtocolLevel.MQTT_5.value());
      case UNSUBACK -> ReasonCode.ofUnsuback(code);
      case DISCONNECT -> ReasonCode.ofDisconnect(code);
      case AUTH -> ReasonCode.ofAuth(code);
      default -> Optional.empty();
    };
  }

  /** Whether {@code code} is one of {@code packet}'s reason codes. */
  static boolean allowed(PacketType packet, int code) {
    return of(packet, code).isPresent();
  }

  /** "0x10 (no matching subscribers)", or "0x8A" for a code {@code packet} does not have. */
  public static String describe(PacketType packet, int code) {
    // A code the packet does not have may still be a code elsewhere: name it from any packet.
    String name =
        of(packet, code)
            .or(
                () ->
                    Arrays.stream(ReasonCode.values())
                        .filter(c -> c.value() == code && code != 0)
                        .findFirst())
            .map(ReasonCode::description)
            .orElse(null);
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
