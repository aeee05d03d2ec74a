package io.vmqtt.vthreads.internal.codec;

import java.util.List;

/**
 * Reads and writes a set of MQTT 5 properties (section 2.2.2): a Property Length as a Variable Byte
 * Integer, then properties, each an identifier (a Variable Byte Integer) and a value of the type
 * {@link Property} gives it. Everything it knows about a property comes from that one table.
 *
 * <p>What it refuses when reading, each with the packet, the property and the statement:
 *
 * <ul>
 *   <li>an identifier that is no property, or a property not valid in this packet (or in the Will
 *       Properties), or a value not of the property's data type: a Malformed Packet (section
 *       2.2.2.2);
 *   <li>a Property Length past the end of the packet, or a value past the end of the properties: a
 *       Malformed Packet (section 2.2.2.1);
 *   <li>a property more than once where the packet's section says "It is a Protocol Error to
 *       include the ... more than once" (all but User Property, and Subscription Identifier in
 *       PUBLISH): a Protocol Error;
 *   <li>a value the property's section calls a Protocol Error (a Receive Maximum of 0, a Maximum
 *       QoS of 2, ...), and a Topic Alias of 0, which MQTT 5 answers with 0x94 (section 3.3.4).
 * </ul>
 *
 * <p>Properties are written in ascending identifier order, User Properties in their order. (Their
 * order on the wire has no significance, section 2.2.2.2, except among User Properties.)
 *
 * <p>Stateless and thread-safe.
 */
final class PropertiesCodec {
  private PropertiesCodec() {}

  /**
   * Reads the Property Length and the properties after it.
   *
   * @param scope the packet, or the Will Properties, that the properties belong to
   * @throws ProtocolViolationException as the class comment lists
   */
  static Properties read(BodyReader r, PropertyScope scope) {
    String lengthField = scope == PropertyScope.WILL ? "will property length" : "property length";
    int length = r.readVariableByteInteger(lengthField);
    if (length == 0) {
      return Properties.EMPTY;
    }
    int outer = r.pushLimit(length, lengthField, "[MQTT-" + scope.propertyLengthSection() + "]");
    Properties.Builder b = Properties.builder();
    long seen = 0; // one bit per Property ordinal
    while (r.hasRemaining()) {
      int id = r.readVariableByteInteger("property identifier");
      Property p = Property.of(id);
      if (p == null) {
        throw r.malformed(
            "property identifier "
                + Utf8.hex(id)
                + " in "
                + scope.label()
                + " is not an MQTT 5 property [MQTT-2.2.2.2]");
      }
      Property.Placement at = p.placement(scope);
      if (at == null) {
        throw r.malformed(
            p.describe()
                + " is not allowed in "
                + scope.label()
                + ", only in "
                + p.describeScopes()
                + " [MQTT-2.2.2.2]");
      }
      long bit = 1L << p.ordinal();
      if ((seen & bit) != 0 && !at.repeatable()) {
        throw r.protocolError(
            p.describe()
                + " appears more than once in "
                + scope.label()
                + " [MQTT-"
                + at.section()
                + "]");
      }
      seen |= bit;
      Object value = readValue(r, p);
      checkRule(r, p, at, value);
      b.set(p, value);
    }
    r.popLimit(outer);
    return b.build();
  }

  private static Object readValue(BodyReader r, Property p) {
    String field = p.describe();
    return switch (p.type()) {
      case BYTE -> r.readByte(field);
      case TWO_BYTE_INTEGER -> r.readShort(field);
      case FOUR_BYTE_INTEGER -> r.readFourByteInteger(field);
      case VARIABLE_BYTE_INTEGER -> r.readVariableByteInteger(field);
      case UTF8_STRING -> r.readString(field);
      case BINARY_DATA -> r.readBinary(field);
      case UTF8_STRING_PAIR -> r.readStringPair(field);
    };
  }

  private static void checkRule(BodyReader r, Property p, Property.Placement at, Object value) {
    switch (p.rule()) {
      case ANY -> {}
      case ZERO_OR_ONE -> {
        int v = (Integer) value;
        if (v > 1) {
          throw r.protocolError(
              p.describe() + " must be 0 or 1, was " + v + " [MQTT-" + at.section() + "]");
        }
      }
      case NOT_ZERO -> {
        if (((Number) value).longValue() == 0) {
          throw r.protocolError(p.describe() + " must not be 0 [MQTT-" + at.section() + "]");
        }
      }
      case TOPIC_ALIAS -> {
        if ((Integer) value == 0) {
          throw r.protocolError(
              ProtocolViolationException.TOPIC_ALIAS_INVALID,
              p.describe() + " must not be 0 [MQTT-3.3.2-8]");
        }
      }
      case TOPIC_NAME -> {
        String topic = (String) value;
        int plus = topic.indexOf('+');
        int hash = topic.indexOf('#');
        if (plus >= 0 || hash >= 0) {
          char wildcard = hash < 0 || (plus >= 0 && plus < hash) ? '+' : '#';
          throw r.malformed(
              p.describe()
                  + " '"
                  + topic
                  + "' must not contain wildcard '"
                  + wildcard
                  + "' [MQTT-3.3.2-14]");
        }
      }
    }
  }

  /**
   * The bytes the Property Length and the properties take on the wire.
   *
   * @throws IllegalArgumentException never for properties made by {@link Properties.Builder}
   */
  static int size(Properties properties) {
    int length = properties.encodedLength();
    return ByteSink.variableByteIntegerSize(length) + length;
  }

  /** Writes the Property Length, then the properties in ascending identifier order. */
  static void write(Properties properties, ByteSink out) {
    out.writeVariableByteInteger(properties.encodedLength());
    if (properties.isEmpty()) {
      return;
    }
    for (Property p : Property.values()) {
      Object v = properties.value(p);
      if (v == null) {
        continue;
      }
      if (v instanceof List<?> list) {
        for (Object item : list) {
          writeOne(p, item, out);
        }
      } else {
        writeOne(p, v, out);
      }
    }
  }

  private static void writeOne(Property p, Object v, ByteSink out) {
    // Every identifier of MQTT 5.0 is below 128: a one-byte Variable Byte Integer (section
    // 2.2.2.2).
    out.writeVariableByteInteger(p.id());
    switch (p.type()) {
      case BYTE -> out.writeByte((Integer) v);
      case TWO_BYTE_INTEGER -> out.writeShort((Integer) v);
      case FOUR_BYTE_INTEGER -> out.writeFourByteInteger((Long) v);
      case VARIABLE_BYTE_INTEGER -> out.writeVariableByteInteger((Integer) v);
      case UTF8_STRING -> out.writeUtf8((String) v);
      case BINARY_DATA -> out.writeBinary((byte[]) v);
      case UTF8_STRING_PAIR -> {
        UserProperty u = (UserProperty) v;
        out.writeStringPair(u.name(), u.value());
      }
    }
  }

  /**
   * The bytes of property values on the wire, for {@link Properties.Builder}: {@code present} has a
   * bit per ordinal, {@code values} a slot per present property, in ordinal order.
   */
  static long encodedLength(long present, Object[] values) {
    long length = 0;
    int slot = 0;
    for (Property p : Property.values()) {
      if ((present & (1L << p.ordinal())) == 0) {
        continue;
      }
      Object v = values[slot++];
      if (v instanceof List<?> list) {
        for (Object item : list) {
          length += 1 + valueLength(p, item);
        }
      } else {
        length += 1 + valueLength(p, v);
      }
    }
    return length;
  }

  private static long valueLength(Property p, Object v) {
    return switch (p.type()) {
      case BYTE -> 1;
      case TWO_BYTE_INTEGER -> 2;
      case FOUR_BYTE_INTEGER -> 4;
      case VARIABLE_BYTE_INTEGER -> ByteSink.variableByteIntegerSize((Integer) v);
      case UTF8_STRING -> 2 + Utf8.encodedLength((String) v);
      case BINARY_DATA -> 2 + ((byte[]) v).length;
      case UTF8_STRING_PAIR -> {
        UserProperty u = (UserProperty) v;
        yield 4 + Utf8.encodedLength(u.name()) + Utf8.encodedLength(u.value());
      }
    };
  }
}
