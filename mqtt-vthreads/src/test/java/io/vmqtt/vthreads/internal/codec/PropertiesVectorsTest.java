package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.TestBytes.bytes;
import static io.vmqtt.vthreads.internal.codec.TestBytes.concat;
import static io.vmqtt.vthreads.internal.codec.TestBytes.filled;
import static io.vmqtt.vthreads.internal.codec.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property sets written by hand from MQTT 5.0 section 2.2.2 and the property sections of each
 * packet (3.1.2.11, 3.1.3.2, 3.2.2.3, 3.3.2.3, 3.4.2.2 ... 3.15.2.2), one per scope, every property
 * of Table 2-4 at least once. Each is decoded and compared with the value written out here, and
 * that value is encoded back to the same bytes. Vectors list properties in ascending identifier
 * order, the order the encoder writes.
 */
class PropertiesVectorsTest {

  static Properties decode(PropertyScope scope, byte[] bytes) {
    BodyReader r = new BodyReader(bytes, scope.packet(), Spec.MQTT_5_0);
    Properties p = PropertiesCodec.read(r, scope);
    r.requireEnd("properties");
    return p;
  }

  static byte[] encode(Properties p) {
    ByteSink sink = new ByteSink(0);
    PropertiesCodec.write(p, sink);
    assertThat(sink.size()).isEqualTo(PropertiesCodec.size(p));
    return sink.toByteArray();
  }

  static Stream<Arguments> vectors() {
    return Stream.of(
        arguments(
            "CONNECT: every CONNECT property, two User Properties with one name",
            PropertyScope.CONNECT,
            bytes(
                0x30, // Property Length 48
                0x11, 0x00, 0x00, 0x0E, 0x10, // Session Expiry Interval 3600 s (3.1.2.11.2)
                0x15, 0x00, 0x05, 'S', 'C', 'R', 'A', 'M', // Authentication Method "SCRAM"
                0x16, 0x00, 0x03, 0x01, 0x02, 0x03, // Authentication Data 01 02 03
                0x17, 0x00, // Request Problem Information 0 (3.1.2.11.7)
                0x19, 0x01, // Request Response Information 1 (3.1.2.11.6)
                0x21, 0x00, 0x14, // Receive Maximum 20 (3.1.2.11.3)
                0x22, 0x00, 0x0A, // Topic Alias Maximum 10 (3.1.2.11.5)
                0x26, 0x00, 0x01, 'a', 0x00, 0x01, '1', // User Property a=1
                0x26, 0x00, 0x01, 'a', 0x00, 0x01, '2', // User Property a=2: the same name again
                0x27, 0x00, 0x10, 0x00, 0x00), // Maximum Packet Size 1 MiB (3.1.2.11.4)
            Properties.builder()
                .sessionExpiryInterval(3600)
                .authenticationMethod("SCRAM")
                .authenticationData(bytes(1, 2, 3))
                .requestProblemInformation(false)
                .requestResponseInformation(true)
                .receiveMaximum(20)
                .topicAliasMaximum(10)
                .userProperty("a", "1")
                .userProperty("a", "2")
                .maximumPacketSize(1 << 20)
                .build()),
        arguments(
            "Will Properties: every will property",
            PropertyScope.WILL,
            bytes(
                0x2B, // Property Length 43
                0x01, 0x01, // Payload Format Indicator 1: UTF-8 (3.1.3.2.3)
                0x02, 0x00, 0x00, 0x00, 0x3C, // Message Expiry Interval 60 s (3.1.3.2.4)
                0x03, 0x00, 0x0A, 't', 'e', 'x', 't', '/', 'p', 'l', 'a', 'i', 'n', // Content Type
                0x08, 0x00, 0x03, 'r', '/', '1', // Response Topic "r/1" (3.1.3.2.6)
                0x09, 0x00, 0x02, 0xCA, 0xFE, // Correlation Data CA FE (3.1.3.2.7)
                0x18, 0x00, 0x00, 0x00, 0x05, // Will Delay Interval 5 s (3.1.3.2.2)
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v'), // User Property k=v (3.1.3.2.8)
            Properties.builder()
                .payloadFormatIndicator(1)
                .messageExpiryInterval(60)
                .contentType("text/plain")
                .responseTopic("r/1")
                .correlationData(bytes(0xCA, 0xFE))
                .willDelayInterval(5)
                .userProperty("k", "v")
                .build()),
        arguments(
            "CONNACK: every CONNACK property",
            PropertyScope.CONNACK,
            bytes(
                0x4F, // Property Length 79
                0x11, 0xFF, 0xFF, 0xFF, 0xFF, // Session Expiry Interval: never (3.2.2.3.2)
                0x12, 0x00, 0x06, 'a', 'u', 't', 'o', '-', '1', // Assigned Client Identifier
                0x13, 0x00, 0x3C, // Server Keep Alive 60 s (3.2.2.3.14)
                0x15, 0x00, 0x05, 'S', 'C', 'R', 'A', 'M', // Authentication Method "SCRAM"
                0x16, 0x00, 0x01, 0x04, // Authentication Data 04 (3.2.2.3.18)
                0x1A, 0x00, 0x05, 'r', 'e', 's', 'p', '/', // Response Information "resp/"
                0x1C, 0x00, 0x06, 'b', ':', '1', '8', '8', '3', // Server Reference "b:1883"
                0x1F, 0x00, 0x02, 'o', 'k', // Reason String "ok" (3.2.2.3.9)
                0x21, 0x00, 0x14, // Receive Maximum 20 (3.2.2.3.3)
                0x22, 0x00, 0x0A, // Topic Alias Maximum 10 (3.2.2.3.8)
                0x24, 0x01, // Maximum QoS 1 (3.2.2.3.4)
                0x25, 0x00, // Retain Available 0 (3.2.2.3.5)
                0x26, 0x00, 0x01, 'n', 0x00, 0x01, 'v', // User Property n=v (3.2.2.3.10)
                0x27, 0x00, 0x00, 0x40, 0x00, // Maximum Packet Size 16384 (3.2.2.3.6)
                0x28, 0x01, // Wildcard Subscription Available 1 (3.2.2.3.11)
                0x29, 0x00, // Subscription Identifier Available 0 (3.2.2.3.12)
                0x2A, 0x01), // Shared Subscription Available 1 (3.2.2.3.13)
            Properties.builder()
                .sessionExpiryInterval(0xFFFF_FFFFL)
                .assignedClientIdentifier("auto-1")
                .serverKeepAlive(60)
                .authenticationMethod("SCRAM")
                .authenticationData(bytes(4))
                .responseInformation("resp/")
                .serverReference("b:1883")
                .reasonString("ok")
                .receiveMaximum(20)
                .topicAliasMaximum(10)
                .maximumQos(1)
                .retainAvailable(false)
                .userProperty("n", "v")
                .maximumPacketSize(16_384)
                .wildcardSubscriptionAvailable(true)
                .subscriptionIdentifierAvailable(false)
                .sharedSubscriptionAvailable(true)
                .build()),
        arguments(
            "PUBLISH: every PUBLISH property, two Subscription Identifiers, a repeated pair",
            PropertyScope.PUBLISH,
            bytes(
                0x2E, // Property Length 46
                0x01, 0x00, // Payload Format Indicator 0: unspecified bytes (3.3.2.3.2)
                0x02, 0x00, 0x00, 0x01, 0x2C, // Message Expiry Interval 300 s (3.3.2.3.3)
                0x03, 0x00, 0x04, 'j', 's', 'o', 'n', // Content Type "json" (3.3.2.3.9)
                0x08, 0x00, 0x03, 'r', 's', 'p', // Response Topic "rsp" (3.3.2.3.5)
                0x09, 0x00, 0x01, 0x07, // Correlation Data 07 (3.3.2.3.6)
                0x0B, 0x01, // Subscription Identifier 1 (3.3.2.3.8)
                0x0B, 0x80, 0x01, // Subscription Identifier 128: a two-byte VBI
                0x23, 0x00, 0x01, // Topic Alias 1 (3.3.2.3.4)
                0x26, 0x00, 0x01, 'a', 0x00, 0x01, '1', // User Property a=1 (3.3.2.3.7)
                0x26, 0x00, 0x01, 'a', 0x00, 0x01, '1'), // User Property a=1 again: both kept
            Properties.builder()
                .payloadFormatIndicator(0)
                .messageExpiryInterval(300)
                .contentType("json")
                .responseTopic("rsp")
                .correlationData(bytes(7))
                .subscriptionIdentifier(1)
                .subscriptionIdentifier(128)
                .topicAlias(1)
                .userProperty("a", "1")
                .userProperty("a", "1")
                .build()),
        arguments(
            "SUBSCRIBE: the largest Subscription Identifier",
            PropertyScope.SUBSCRIBE,
            bytes(
                0x0C, // Property Length 12
                0x0B, 0xFF, 0xFF, 0xFF, 0x7F, // Subscription Identifier 268,435,455 (3.8.2.1.2)
                0x26, 0x00, 0x01, 's', 0x00, 0x01, 't'), // User Property s=t (3.8.2.1.3)
            Properties.builder()
                .subscriptionIdentifier(268_435_455)
                .userProperty("s", "t")
                .build()),
        arguments(
            "UNSUBSCRIBE: a User Property, its only property",
            PropertyScope.UNSUBSCRIBE,
            bytes(
                0x07, // Property Length 7
                0x26, 0x00, 0x01, 'u', 0x00, 0x01, 'v'), // User Property u=v (3.10.2.1.2)
            Properties.builder().userProperty("u", "v").build()),
        arguments(
            "DISCONNECT: every DISCONNECT property",
            PropertyScope.DISCONNECT,
            bytes(
                0x1A, // Property Length 26
                0x11, 0x00, 0x00, 0x00, 0x00, // Session Expiry Interval 0 (3.14.2.2.2)
                0x1C, 0x00, 0x05, 'o', 't', 'h', 'e', 'r', // Server Reference "other"
                0x1F, 0x00, 0x03, 'b', 'y', 'e', // Reason String "bye" (3.14.2.2.3)
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v'), // User Property k=v (3.14.2.2.4)
            Properties.builder()
                .sessionExpiryInterval(0)
                .serverReference("other")
                .reasonString("bye")
                .userProperty("k", "v")
                .build()),
        arguments(
            "AUTH: every AUTH property",
            PropertyScope.AUTH,
            bytes(
                0x1F, // Property Length 31
                0x15, 0x00, 0x05, 'S', 'C', 'R', 'A', 'M', // Authentication Method (3.15.2.2.2)
                0x16, 0x00, 0x02, 0x01, 0x02, // Authentication Data 01 02 (3.15.2.2.3)
                0x1F, 0x00, 0x08, 'c', 'o', 'n', 't', 'i', 'n', 'u', 'e', // Reason String
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v'), // User Property k=v (3.15.2.2.5)
            Properties.builder()
                .authenticationMethod("SCRAM")
                .authenticationData(bytes(1, 2))
                .reasonString("continue")
                .userProperty("k", "v")
                .build()),
        arguments(
            "PUBACK: a Property Length of 128 takes two bytes",
            PropertyScope.PUBACK,
            concat(
                bytes(
                    0x80, 0x01, // Property Length 128: a two-byte Variable Byte Integer
                    0x1F, 0x00, 0x7D), // Reason String of 125 bytes (3.4.2.2.2)
                filled(125, 'r')),
            Properties.builder().reasonString("r".repeat(125)).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void theVectorDecodesToTheValue(
      String name, PropertyScope scope, byte[] bytes, Properties value) {
    assertThat(decode(scope, bytes)).isEqualTo(value);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void theValueEncodesToTheVector(
      String name, PropertyScope scope, byte[] bytes, Properties value) {
    assertThat(hex(encode(value))).isEqualTo(hex(bytes));
  }

  /** Reason String and User Property are valid in the 9 scopes of acknowledgements and AUTH. */
  @ParameterizedTest
  @EnumSource(
      value = PropertyScope.class,
      names = {
        "CONNACK",
        "PUBACK",
        "PUBREC",
        "PUBREL",
        "PUBCOMP",
        "SUBACK",
        "UNSUBACK",
        "DISCONNECT",
        "AUTH"
      })
  void aReasonStringAndUserPropertiesAreReadInEveryScopeThatHasThem(PropertyScope scope) {
    byte[] bytes =
        bytes(
            0x15, // Property Length 21
            0x1F, 0x00, 0x04, 'b', 'u', 's', 'y', // Reason String "busy"
            0x26, 0x00, 0x01, 'x', 0x00, 0x01, 'y', // User Property x=y
            0x26, 0x00, 0x01, 'x', 0x00, 0x01, 'z'); // User Property x=z
    Properties expected =
        Properties.builder()
            .reasonString("busy")
            .userProperty("x", "y")
            .userProperty("x", "z")
            .build();

    Properties decoded = decode(scope, bytes);

    assertThat(decoded).isEqualTo(expected);
    assertThat(decoded.reasonString()).contains("busy");
    assertThat(decoded.userProperties())
        .containsExactly(new UserProperty("x", "y"), new UserProperty("x", "z"));
    assertThat(hex(encode(decoded))).isEqualTo(hex(bytes));
  }

  @ParameterizedTest
  @EnumSource(PropertyScope.class)
  void aPropertyLengthOf0IsNoProperties_MQTT_2_2_2_1(PropertyScope scope) {
    Properties p = decode(scope, bytes(0x00));

    assertThat(p).isSameAs(Properties.EMPTY);
    assertThat(p.isEmpty()).isTrue();
    assertThat(hex(encode(Properties.EMPTY))).isEqualTo("00");
  }

  @Test
  void propertiesInAnyOrderAreTheSameProperties() {
    // "There is no significance in the order of Properties with different Identifiers" (2.2.2.2);
    // the order of User Properties among themselves is kept.
    byte[] unordered =
        bytes(
            0x15, // Property Length 21
            0x26, 0x00, 0x01, 'x', 0x00, 0x01, 'z', // User Property x=z
            0x1F, 0x00, 0x04, 'b', 'u', 's', 'y', // Reason String "busy"
            0x26, 0x00, 0x01, 'x', 0x00, 0x01, 'y'); // User Property x=y
    Properties p = decode(PropertyScope.PUBACK, unordered);

    assertThat(p)
        .isEqualTo(
            Properties.builder()
                .userProperty("x", "z")
                .reasonString("busy")
                .userProperty("x", "y")
                .build());
    assertThat(hex(encode(p)))
        .isEqualTo(
            hex(
                bytes(
                    0x15, // Property Length 21
                    0x1F, 0x00, 0x04, 'b', 'u', 's', 'y', // Reason String first: lower identifier
                    0x26, 0x00, 0x01, 'x', 0x00, 0x01, 'z', // then the pairs in their order
                    0x26, 0x00, 0x01, 'x', 0x00, 0x01, 'y')));
  }

  @Test
  void typedAccessorsSayWhatIsAbsent() {
    Properties p = decode(PropertyScope.PUBLISH, bytes(0x03, 0x23, 0x00, 0x07));

    assertThat(p.topicAlias()).hasValue(7);
    assertThat(p.messageExpiryInterval()).isEmpty();
    assertThat(p.contentType()).isEmpty();
    assertThat(p.subscriptionIdentifiers()).isEmpty();
    assertThat(p.userProperties()).isEmpty();
    assertThat(p.retainAvailable()).isEmpty();
    assertThat(p.contains(Property.TOPIC_ALIAS)).isTrue();
    assertThat(p.contains(Property.PAYLOAD_FORMAT_INDICATOR)).isFalse();
  }

  @Test
  void connackAccessorsReadTheTypedValues() {
    Properties p =
        (Properties)
            vectors()
                .filter(a -> a.get()[1] == PropertyScope.CONNACK)
                .findFirst()
                .orElseThrow()
                .get()[3];

    assertThat(p.sessionExpiryInterval()).hasValue(4_294_967_295L);
    assertThat(p.assignedClientIdentifier()).contains("auto-1");
    assertThat(p.serverKeepAlive()).hasValue(60);
    assertThat(p.receiveMaximum()).hasValue(20);
    assertThat(p.topicAliasMaximum()).hasValue(10);
    assertThat(p.maximumQos()).hasValue(1);
    assertThat(p.retainAvailable()).contains(false);
    assertThat(p.maximumPacketSize()).hasValue(16_384);
    assertThat(p.wildcardSubscriptionAvailable()).contains(true);
    assertThat(p.subscriptionIdentifierAvailable()).contains(false);
    assertThat(p.sharedSubscriptionAvailable()).contains(true);
    assertThat(p.responseInformation()).contains("resp/");
    assertThat(p.serverReference()).contains("b:1883");
    assertThat(p.authenticationMethod()).contains("SCRAM");
    assertThat(p.authenticationData()).hasValueSatisfying(d -> assertThat(d).containsExactly(4));
    assertThat(p.userProperties()).isEqualTo(List.of(new UserProperty("n", "v")));
  }
}
