package io.vmqtt.cli;

import io.vmqtt.Message;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * How {@code vmqtt sub} prints a message: the payload; with {@code -v} the topic, a space and the
 * payload; a {@code -F} template in mosquitto_sub's syntax; or a JSON line. Each message ends with
 * a newline unless {@code -N}.
 *
 * <p>Template: {@code %t} topic, {@code %p} payload, {@code %q} QoS, {@code %r} retain (0/1),
 * {@code %l} payload length, {@code %x}/{@code %X} payload in lower/upper case hex, {@code %j} the
 * JSON line, {@code %I} receipt time in ISO 8601, {@code %U} receipt time as Unix seconds with
 * nanoseconds, {@code %%} a percent sign; escapes {@code \n \t \r \\ \0 \e \a \v}. mosquitto_sub's
 * {@code %m} (packet id) is refused: the client does not expose the packet id of a received
 * message, a wire detail ({@code -d} prints every packet with its id).
 *
 * <pre>{@code
 * OutputFormat.template("%t => %p").format(message, now)   // "a/b => hello"
 * }</pre>
 *
 * <p>Immutable and thread-safe once compiled.
 */
final class OutputFormat {
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /** One piece of a template: literal bytes, or a field of the message. */
  private sealed interface Part {}

  private record Literal(byte[] bytes) implements Part {}

  private record Field(char code) implements Part {}

  private final List<Part> parts;
  private final boolean newline;

  private OutputFormat(List<Part> parts, boolean newline) {
    this.parts = List.copyOf(parts);
    this.newline = newline;
  }

  /** The payload only, or with {@code verbose} the topic, a space and the payload. */
  static OutputFormat plain(boolean verbose, boolean newline) {
    return verbose
        ? new OutputFormat(
            List.of(new Field('t'), new Literal(new byte[] {' '}), new Field('p')), newline)
        : new OutputFormat(List.of(new Field('p')), newline);
  }

  /** One JSON object per message: topic, qos, retain, and the payload as text or base64. */
  static OutputFormat json(boolean newline) {
    return new OutputFormat(List.of(new Field('j')), newline);
  }

  /**
   * A {@code -F} template.
   *
   * @throws IllegalArgumentException naming the first unknown {@code %} or {@code \} sequence
   */
  static OutputFormat template(String template, boolean newline) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if ((c == '%' || c == '\\') && i + 1 == template.length()) {
        throw new IllegalArgumentException(
            "-F ends with a lone '" + c + "'; write " + c + c + " for the character itself");
      }
      if (c == '%') {
        char code = template.charAt(++i);
        if (code == '%') {
          literal.append('%');
          continue;
        }
        if (code == 'm') {
          throw new IllegalArgumentException(
              "-F field %m (packet id) is not supported: the client does not expose the packet id"
                  + " of a received message; -d prints every packet with its id");
        }
        if ("tpqrlxXjIU".indexOf(code) < 0) {
          throw new IllegalArgumentException(
              "-F has an unknown field %" + code + " (known: %t %p %q %r %l %x %X %j %I %U %%)");
        }
        flush(literal, parts);
        parts.add(new Field(code));
      } else if (c == '\\') {
        char code = template.charAt(++i);
        literal.append(
            switch (code) {
              case 'n' -> '\n';
              case 't' -> '\t';
              case 'r' -> '\r';
              case '\\' -> '\\';
              case '0' -> '\0';
              case 'e' -> '\u001b';
              case 'a' -> '\u0007';
              case 'v' -> '\u000b';
              default ->
                  throw new IllegalArgumentException(
                      "-F has an unknown escape \\" + code + " (known: \\n \\t \\r \\\\ \\0 \\e)");
            });
      } else {
        literal.append(c);
      }
    }
    flush(literal, parts);
    return new OutputFormat(parts, newline);
  }

  private static void flush(StringBuilder literal, List<Part> parts) {
    if (!literal.isEmpty()) {
      parts.add(new Literal(literal.toString().getBytes(StandardCharsets.UTF_8)));
      literal.setLength(0);
    }
  }

  /** The bytes to print for {@code message}, received at {@code receivedAt}. */
  byte[] format(Message message, Instant receivedAt) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(message.payload().length + 64);
    for (Part part : parts) {
      switch (part) {
        case Literal l -> out.writeBytes(l.bytes());
        case Field f -> out.writeBytes(field(f.code(), message, receivedAt));
      }
    }
    if (newline) {
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static byte[] field(char code, Message m, Instant receivedAt) {
    return switch (code) {
      case 'p' -> m.payload();
      case 't' -> utf8(m.topic());
      case 'q' -> utf8(Integer.toString(m.qos().value()));
      case 'r' -> utf8(m.retain() ? "1" : "0");
      case 'l' -> utf8(Integer.toString(m.payload().length));
      case 'x' -> utf8(HexFormat.of().formatHex(m.payload()));
      case 'X' -> utf8(HexFormat.of().withUpperCase().formatHex(m.payload()));
      case 'I' -> utf8(ISO.format(receivedAt));
      case 'U' ->
          utf8(receivedAt.getEpochSecond() + "." + String.format("%09d", receivedAt.getNano()));
      case 'j' -> utf8(jsonLine(m));
      default -> throw new IllegalStateException("unknown field %" + code);
    };
  }

  /**
   * {@code {"topic":"a/b","qos":1,"retain":false,"payload":"hi"}}; a payload that is not UTF-8 is
   * {@code "payload_base64":"..."} instead. MQTT 5 properties will join as {@code "properties"}.
   */
  static String jsonLine(Message m) {
    StringBuilder json = new StringBuilder(64 + m.payload().length);
    json.append("{\"topic\":");
    quote(m.topic(), json);
    json.append(",\"qos\":").append(m.qos().value());
    json.append(",\"retain\":").append(m.retain());
    String text = strictUtf8(m.payload());
    if (text != null) {
      json.append(",\"payload\":");
      quote(text, json);
    } else {
      json.append(",\"payload_base64\":\"")
          .append(Base64.getEncoder().encodeToString(m.payload()))
          .append('"');
    }
    return json.append('}').toString();
  }

  /** The payload as text when it is valid UTF-8, else null. */
  private static String strictUtf8(byte[] payload) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** A JSON string literal (RFC 8259 section 7). */
  static void quote(String text, StringBuilder json) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
