package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property sets that break MQTT 5.0, each with the exact message and the reason code an MQTT 5
 * DISCONNECT would carry: 0x81 Malformed Packet for what section 2.2.2 calls malformed (an unknown
 * identifier, an identifier not valid for the packet, a value not of its data type, lengths that
 * run past their end), 0x82 Protocol Error for what the property's own section calls one (a
 * property twice, a forbidden value), 0x94 for a Topic Alias of 0.
 */
class MalformedPropertiesTest {
  private static final int MALFORMED = 0x81;
  private static final int PROTOCOL_ERROR = 0x82;

  static Stream<Arguments> malformed() {
    return Stream.of(
        // Identifiers [MQTT-2.2.2.2]
        arguments(
            "identifier 0",
            PropertyScope.PUBACK,
            bytes(0x02, 0x00, 0x00),
            MALFORMED,
            "Malformed PUBACK: property identifier 0x00 in PUBACK is not an MQTT 5 property"
                + " [MQTT-2.2.2.2]"),
        arguments(
            "identifier 4, a gap in Table 2-4",
            PropertyScope.PUBLISH,
            bytes(0x02, 0x04, 0x00),
            MALFORMED,
            "Malformed PUBLISH: property identifier 0x04 in PUBLISH is not an MQTT 5 property"
                + " [MQTT-2.2.2.2]"),
        arguments(
            "identifier 43, past the last",
            PropertyScope.CONNACK,
            bytes(0x02, 0x2B, 0x00),
            MALFORMED,
            "Malformed CONNACK: property identifier 0x2B in CONNACK is not an MQTT 5 property"
                + " [MQTT-2.2.2.2]"),
        arguments(
            "identifier 128, a two-byte Variable Byte Integer",
            PropertyScope.CONNACK,
            bytes(0x03, 0x80, 0x01, 0x00),
            MALFORMED,
            "Malformed CONNACK: property identifier 0x80 in CONNACK is not an MQTT 5 property"
                + " [MQTT-2.2.2.2]"),
        arguments(
            "identifier 0x1F in an overlong form",
            PropertyScope.PUBACK,
            bytes(0x02, 0x9F, 0x00),
            MALFORMED,
            "Malformed PUBACK: property identifier is a Variable Byte Integer of 2 bytes for 31,"
                + " which takes 1; it must use the fewest bytes [MQTT-1.5.5-1]"),
        arguments(
            "Session Expiry Interval in PUBACK",
            PropertyScope.PUBACK,
            bytes(0x05, 0x11, 0x00, 0x00, 0x00, 0x0A),
            MALFORMED,
            "Malformed PUBACK: Session Expiry Interval (0x11) is not allowed in PUBACK, only in"
                + " CONNECT, CONNACK and DISCONNECT [MQTT-2.2.2.2]"),
        arguments(
            "Will Delay Interval in PUBLISH",
            PropertyScope.PUBLISH,
            bytes(0x05, 0x18, 0x00, 0x00, 0x00, 0x0A),
            MALFORMED,
            "Malformed PUBLISH: Will Delay Interval (0x18) is not allowed in PUBLISH, only in the"
                + " Will Properties [MQTT-2.2.2.2]"),
        arguments(
            "Topic Alias in the Will Properties",
            PropertyScope.WILL,
            bytes(0x03, 0x23, 0x00, 0x01),
            MALFORMED,
            "Malformed CONNECT: Topic Alias (0x23) is not allowed in the Will Properties, only in"
                + " PUBLISH [MQTT-2.2.2.2]"),
        arguments(
            "Reason String in CONNECT",
            PropertyScope.CONNECT,
            bytes(0x04, 0x1F, 0x00, 0x01, 'x'),
            MALFORMED,
            "Malformed CONNECT: Reason String (0x1F) is not allowed in CONNECT, only in CONNACK,"
                + " PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT and AUTH"
                + " [MQTT-2.2.2.2]"),
        arguments(
            "Subscription Identifier in UNSUBSCRIBE",
            PropertyScope.UNSUBSCRIBE,
            bytes(0x02, 0x0B, 0x01),
            MALFORMED,
            "Malformed UNSUBSCRIBE: Subscription Identifier (0x0B) is not allowed in UNSUBSCRIBE,"
                + " only in PUBLISH and SUBSCRIBE [MQTT-2.2.2.2]"),
        // More than once: "It is a Protocol Error to include the ... more than once"
        arguments(
            "Reason String twice in PUBACK",
            PropertyScope.PUBACK,
            bytes(0x08, 0x1F, 0x00, 0x01, 'a', 0x1F, 0x00, 0x01, 'b'),
            PROTOCOL_ERROR,
            "Protocol error in PUBACK: Reason String (0x1F) appears more than once in PUBACK"
                + " [MQTT-3.4.2.2.2]"),
        arguments(
            "Subscription Identifier twice in SUBSCRIBE",
            PropertyScope.SUBSCRIBE,
            bytes(0x04, 0x0B, 0x01, 0x0B, 0x02),
            PROTOCOL_ERROR,
            "Protocol error in SUBSCRIBE: Subscription Identifier (0x0B) appears more than once in"
                + " SUBSCRIBE [MQTT-3.8.2.1.2]"),
        arguments(
            "Payload Format Indicator twice in the Will Properties",
            PropertyScope.WILL,
            bytes(0x04, 0x01, 0x00, 0x01, 0x00),
            PROTOCOL_ERROR,
            "Protocol error in CONNECT: Payload Format Indicator (0x01) appears more than once in"
                + " the Will Properties [MQTT-3.1.3.2.3]"),
        arguments(
            "Session Expiry Interval twice in DISCONNECT, apart",
            PropertyScope.DISCONNECT,
            bytes(
                0x0E, 0x11, 0x00, 0x00, 0x00, 0x01, 0x1F, 0x00, 0x01, 'r', 0x11, 0x00, 0x00, 0x00,
                0x02),
            PROTOCOL_ERROR,
            "Protocol error in DISCONNECT: Session Expiry Interval (0x11) appears more than once"
                + " in DISCONNECT [MQTT-3.14.2.2.2]"),
        // Lengths [MQTT-2.2.2.1]
        arguments(
            "a Property Length past the end of the packet",
            PropertyScope.PUBACK,
            bytes(0x09, 0x1F, 0x00, 0x01),
            MALFORMED,
            "Malformed PUBACK: property length 9 exceeds the 3 remaining bytes [MQTT-3.4.2.2.1]"),
        arguments(
            "a Property Length of five bytes",
            PropertyScope.PUBLISH,
            bytes(0x80, 0x80, 0x80, 0x80, 0x01),
            MALFORMED,
            "Malformed PUBLISH: property length is a Variable Byte Integer of more than 4 bytes"
                + " [MQTT-1.5.5]"),
        arguments(
            "no Property Length at all",
            PropertyScope.SUBACK,
            bytes(),
            MALFORMED,
            "Malformed SUBACK: property length needs 1 byte, 0 remaining"),
        arguments(
            "a Four Byte Integer cut by the Property Length, though the packet goes on",
            PropertyScope.PUBLISH,
            bytes(0x03, 0x02, 0x00, 0x00, 0x00, 0x00),
            MALFORMED,
            "Malformed PUBLISH: Message Expiry Interval (0x02) needs 4 bytes, 2 remaining"),
        arguments(
            "a string longer than the properties",
            PropertyScope.CONNACK,
            bytes(0x04, 0x1F, 0x00, 0x05, 'x', 'y', 'z'),
            MALFORMED,
            "Malformed CONNACK: Reason String (0x1F) length 5 exceeds the 1 remaining bytes"),
        arguments(
            "an identifier without its value",
            PropertyScope.CONNACK,
            bytes(0x01, 0x24),
            MALFORMED,
            "Malformed CONNACK: Maximum QoS (0x24) needs 1 byte, 0 remaining"),
        arguments(
            "a User Property without its value",
            PropertyScope.PUBLISH,
            bytes(0x04, 0x26, 0x00, 0x01, 'k'),
            MALFORMED,
            "Malformed PUBLISH: User Property (0x26) value length needs 2 bytes, 0 remaining"),
        arguments(
            "a Subscription Identifier of five bytes",
            PropertyScope.PUBLISH,
            bytes(0x06, 0x0B, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F),
            MALFORMED,
            "Malformed PUBLISH: Subscription Identifier (0x0B) is a Variable Byte Integer of more"
                + " than 4 bytes [MQTT-1.5.5]"),
        arguments(
            "a Reason String with an encoded surrogate",
            PropertyScope.DISCONNECT,
            bytes(0x05, 0x1F, 0x00, 0x02, 0xED, 0xA0),
            MALFORMED,
            "Malformed DISCONNECT: Reason String (0x1F) is not well-formed UTF-8: encoded"
                + " surrogate (U+D800..U+DFFF) at byte 0 [MQTT-1.5.4-1]"),
        arguments(
            "a Content Type with U+0000",
            PropertyScope.PUBLISH,
            bytes(0x04, 0x03, 0x00, 0x01, 0x00),
            MALFORMED,
            "Malformed PUBLISH: Content Type (0x03) contains U+0000 at byte 0 [MQTT-1.5.4-2]"),
        // Values the property's section makes a Protocol Error
        arguments(
            "Receive Maximum 0",
            PropertyScope.CONNACK,
            bytes(0x03, 0x21, 0x00, 0x00),
            PROTOCOL_ERROR,
            "Protocol error in CONNACK: Receive Maximum (0x21) must not be 0 [MQTT-3.2.2.3.3]"),
        arguments(
            "Maximum Packet Size 0",
            PropertyScope.CONNECT,
            bytes(0x05, 0x27, 0x00, 0x00, 0x00, 0x00),
            PROTOCOL_ERROR,
            "Protocol error in CONNECT: Maximum Packet Size (0x27) must not be 0"
                + " [MQTT-3.1.2.11.4]"),
        arguments(
            "Maximum QoS 2",
            PropertyScope.CONNACK,
            bytes(0x02, 0x24, 0x02),
            PROTOCOL_ERROR,
            "Protocol error in CONNACK: Maximum QoS (0x24) must be 0 or 1, was 2 [MQTT-3.2.2.3.4]"),
        arguments(
            "Retain Available 255",
            PropertyScope.CONNACK,
            bytes(0x02, 0x25, 0xFF),
            PROTOCOL_ERROR,
            "Protocol error in CONNACK: Retain Available (0x25) must be 0 or 1, was 255"
                + " [MQTT-3.2.2.3.5]"),
        arguments(
            "Request Problem Information 2",
            PropertyScope.CONNECT,
            bytes(0x02, 0x17, 0x02),
            PROTOCOL_ERROR,
            "Protocol error in CONNECT: Request Problem Information (0x17) must be 0 or 1, was 2"
                + " [MQTT-3.1.2.11.7]"),
        arguments(
            "Shared Subscription Available 2",
            PropertyScope.CONNACK,
            bytes(0x02, 0x2A, 0x02),
            PROTOCOL_ERROR,
            "Protocol error in CONNACK: Shared Subscription Available (0x2A) must be 0 or 1, was"
                + " 2 [MQTT-3.2.2.3.13]"),
        arguments(
            "Payload Format Indicator 2",
            PropertyScope.PUBLISH,
            bytes(0x02, 0x01, 0x02),
            PROTOCOL_ERROR,
            "Protocol error in PUBLISH: Payload Format Indicator (0x01) must be 0 or 1, was 2"
                + " [MQTT-3.3.2.3.2]"),
        arguments(
            "Subscription Identifier 0",
            PropertyScope.PUBLISH,
            bytes(0x02, 0x0B, 0x00),
            PROTOCOL_ERROR,
            "Protocol error in PUBLISH: Subscription Identifier (0x0B) must not be 0"
                + " [MQTT-3.3.2.3.8]"),
        arguments(
            "Topic Alias 0",
            PropertyScope.PUBLISH,
            bytes(0x03, 0x23, 0x00, 0x00),
            0x94,
            "Protocol error in PUBLISH: Topic Alias (0x23) must not be 0 [MQTT-3.3.2-8]"),
        arguments(
            "a Response Topic with a wildcard",
            PropertyScope.PUBLISH,
            bytes(0x06, 0x08, 0x00, 0x03, 'a', '/', '#'),
            MALFORMED,
            "Malformed PUBLISH: Response Topic (0x08) 'a/#' must not contain wildcard '#'"
                + " [MQTT-3.3.2-14]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void isRefusedWithThisMessage(
      String name, PropertyScope scope, byte[] bytes, int reasonCode, String message) {
    BodyReader r = new BodyReader(bytes, scope.packet(), Spec.MQTT_5_0);

    assertThatThrownBy(() -> PropertiesCodec.read(r, scope))
        .isInstanceOfSatisfying(
            ProtocolViolationException.class,
            e -> assertThat(e.reasonCode()).as("reason code").isEqualTo(reasonCode))
        .hasMessage(message);
  }

  /** Every property in every scope: read where Table 2-4 allows it, refused everywhere else. */
  static Stream<Arguments> everyPropertyInEveryScope() {
    List<Arguments> all = new ArrayList<>();
    for (Property p : Property.values()) {
      for (PropertyScope scope : PropertyScope.values()) {
        all.add(arguments(p, scope));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("everyPropertyInEveryScope")
  void aPropertyIsReadOnlyWhereTable2_4AllowsIt(Property p, PropertyScope scope) {
    byte[] one = TestProperties.encodedSample(p);
    byte[] bytes = TestProperties.withLength(one);
    BodyReader r = new BodyReader(bytes, scope.packet(), Spec.MQTT_5_0);

    if (p.allowedIn(scope)) {
      Properties read = PropertiesCodec.read(r, scope);
      assertThat(read.contains(p)).isTrue();
    } else {
      assertThatThrownBy(() -> PropertiesCodec.read(r, scope))
          .isInstanceOfSatisfying(
              ProtocolViolationException.class,
              e -> assertThat(e.reasonCode()).isEqualTo(MALFORMED))
          .hasMessage(
              "Malformed "
                  + scope.packet()
                  + ": "
                  + p.describe()
                  + " is not allowed in "
                  + scope.label()
                  + ", only in "
                  + p.describeScopes()
                  + " [MQTT-2.2.2.2]");
    }
  }

  @ParameterizedTest(name = "{0} twice in {1}")
  @MethodSource("everyPropertyInEveryScope")
  void aPropertyTwiceIsAProtocolErrorUnlessItMayRepeat(Property p, PropertyScope scope) {
    if (!p.allowedIn(scope)) {
      return;
    }
    byte[] one = TestProperties.encodedSample(p);
    byte[] bytes = TestProperties.withLength(TestBytes.concat(one, one));
    BodyReader r = new BodyReader(bytes, scope.packet(), Spec.MQTT_5_0);

    if (p.repeatableIn(scope)) {
      Properties read = PropertiesCodec.read(r, scope);
      assertThat(read.value(p)).asList().hasSize(2);
    } else {
      assertThatThrownBy(() -> PropertiesCodec.read(r, scope))
          .isInstanceOfSatisfying(
              ProtocolViolationException.class,
              e -> assertThat(e.reasonCode()).isEqualTo(PROTOCOL_ERROR))
          .hasMessageStartingWith(
              "Protocol error in "
                  + scope.packet()
                  + ": "
                  + p.describe()
                  + " appears more than once in "
                  + scope.label()
                  + " [MQTT-3.");
    }
  }
}
