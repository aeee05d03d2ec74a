package io.vmqtt.vthreads.internal.codec;

/**
 * UTF-8 as MQTT wants it [MQTT-1.5.3]: the encoded length of a Java string without encoding it, and
 * a strict check of received bytes (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF, no U+0000).
 *
 * <p>Stateless and thread-safe.
 */
final class Utf8 {
  private Utf8() {}

  /**
   * The number of bytes {@code s} takes in UTF-8, without allocating.
   *
   * @throws IllegalArgumentException when {@code s} holds an unpaired surrogate, which has no UTF-8
   *     form [MQTT-1.5.3-1]
   */
  static long encodedLength(String s) {
    int length = s.length();
    long bytes = length;
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        continue;
      }
      if (c < 0x800) {
        bytes += 1;
      } else if (!Character.isSurrogate(c)) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        // Two chars, four bytes.
        bytes += 2;
        i++;
      } else {
        throw new IllegalArgumentException(
            "string contains an unpaired surrogate at index " + i + " [MQTT-1.5.3-1]");
      }
    }
    return bytes;
  }

  /**
   * Checks that {@code len} bytes of {@code b} from {@code off} are well-formed UTF-8 without
   * U+0000, and tells whether they are all ASCII.
   *
   * @param packet the packet type, for the message
   * @param field the field name, for the message
   * @param spec the specification whose statements the message cites
   * @return true when every byte is ASCII (below 0x80)
   * @throws ProtocolViolationException (Malformed Packet) on ill-formed UTF-8 [MQTT-1.5.3-1] or
   *     U+0000 [MQTT-1.5.3-2] (MQTT 5.0: [MQTT-1.5.4-1], [MQTT-1.5.4-2])
   */
  static boolean validate(byte[] b, int off, int len, PacketType packet, String field, Spec spec) {
    int end = off + len;
    int i = off;
    // ASCII fast path: most topics and client identifiers never leave it.
    while (i < end && b[i] > 0) {
      i++;
    }
    if (i == end) {
      return true;
    }
    while (i < end) {
      int lead = b[i] & 0xFF;
      if (lead < 0x80) {
        if (lead == 0) {
          throw ProtocolViolationException.malformed(
              "Malformed "
                  + packet
                  + ": "
                  + field
                  + " contains U+0000 at byte "
                  + (i - off)
                  + " "
                  + spec.utf8NoNull);
        }
        i++;
        continue;
      }
      int need;
      int min = 0x80; // the range of the second byte, narrowed for E0, ED, F0 and F4
      int max = 0xBF;
      if (lead < 0xC2) {
        String what =
            lead < 0xC0 ? "unexpected continuation byte " + hex(lead) : "overlong encoding";
        throw illFormed(spec, packet, field, i - off, what);
      } else if (lead < 0xE0) {
        need = 1;
      } else if (lead < 0xF0) {
        need = 2;
        if (lead == 0xE0) {
          min = 0xA0; // below: overlong
        } else if (lead == 0xED) {
          max = 0x9F; // above: U+D800..U+DFFF
        }
      } else if (lead < 0xF5) {
        need = 3;
        if (lead == 0xF0) {
          min = 0x90; // below: overlong
        } else if (lead == 0xF4) {
          max = 0x8F; // above: beyond U+10FFFF
        }
      } else {
        throw illFormed(spec, packet, field, i - off, "invalid byte " + hex(lead));
      }
      for (int k = 1; k <= need; k++) {
        if (i + k >= end) {
          throw illFormed(spec, packet, field, i - off, "truncated sequence");
        }
        int next = b[i + k] & 0xFF;
        if (next < 0x80 || next > 0xBF) {
          throw illFormed(
              spec, packet, field, i + k - off, "invalid continuation byte " + hex(next));
        }
        if (k == 1 && (next < min || next > max)) {
          String what =
              lead == 0xED
                  ? "encoded surrogate (U+D800..U+DFFF)"
                  : lead == 0xF4 ? "code point above U+10FFFF" : "overlong encoding";
          throw illFormed(spec, packet, field, i - off, what);
        }
      }
      i += need + 1;
    }
    return false;
  }

  private static ProtocolViolationException illFormed(
      Spec spec, PacketType packet, String field, int at, String what) {
    return ProtocolViolationException.malformed(
        "Malformed "
            + packet
            + ": "
            + field
            + " is not well-formed UTF-8: "
            + what
            + " at byte "
            + at
            + " "
            + spec.utf8WellFormed);
  }

  static String hex(int b) {
    return String.format("0x%02X", b);
  }
}
