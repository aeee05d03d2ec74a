package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The {@link Properties} value: values checked for a wire form when set, equality, printing. */
class PropertiesTest {

  @Test
  void valuesOutsideTheirDataTypeAreRefusedWhenSet() {
    Properties.Builder b = Properties.builder();

    assertThatThrownBy(() -> b.receiveMaximum(65_536))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Receive Maximum (0x21) must be in 0..65535, was 65536");
    assertThatThrownBy(() -> b.subscriptionIdentifier(268_435_456))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Subscription Identifier (0x0B) must be in 0..268435455, was 268435456");
    assertThatThrownBy(() -> b.messageExpiryInterval(-1))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Message Expiry Interval (0x02) must be in 0..4294967295, was -1");
    assertThatThrownBy(() -> b.payloadFormatIndicator(256))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Payload Format Indicator (0x01) must be in 0..255, was 256");
    assertThatThrownBy(() -> b.set(Property.REASON_STRING, 5))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Reason String (0x1F) is a UTF-8 Encoded String and cannot hold a Integer");
    assertThatThrownBy(() -> b.set(Property.TOPIC_ALIAS, 5L))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Topic Alias (0x23) takes an Integer, was Long");
    assertThatThrownBy(() -> b.reasonString("x".repeat(65_536)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Reason String (0x1F) is 65536 bytes in UTF-8; at most 65535 allowed");
    assertThatThrownBy(() -> b.contentType("\uDC00"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Content Type (0x03): string contains an unpaired surrogate at index 0 [MQTT-1.5.3-1]");
    assertThatThrownBy(() -> b.correlationData(new byte[65_536]))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("Correlation Data (0x09) is 65536 bytes; at most 65535 allowed");
    assertThatThrownBy(() -> b.userProperty("\uD800", "v"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "User Property name: string contains an unpaired surrogate at index 0 [MQTT-1.5.3-1]");
    assertThatThrownBy(() -> b.set(Property.SERVER_REFERENCE, null))
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("Server Reference");
    assertThat(b.build()).isSameAs(Properties.EMPTY);
  }

  @Test
  void valuesThatAreAProtocolErrorCanBeBuiltToTestAPeerThatSendsThem() {
    Properties p = Properties.builder().receiveMaximum(0).maximumQos(2).topicAlias(0).build();

    assertThat(p.receiveMaximum()).hasValue(0);
    assertThat(p.maximumQos()).hasValue(2);
    assertThat(p.topicAlias()).hasValue(0);
  }

  @Test
  void aFourByteIntegerMayBeGivenAsAnInteger() {
    Properties p = Properties.builder().set(Property.SESSION_EXPIRY_INTERVAL, 60).build();

    assertThat(p.sessionExpiryInterval()).hasValue(60L);
  }

  @Test
  void aPropertySetTwiceKeepsTheLastValueUnlessItRepeats() {
    Properties p =
        Properties.builder()
            .reasonString("first")
            .reasonString("second")
            .userProperty("a", "1")
            .userProperty("a", "1")
            .subscriptionIdentifier(3)
            .subscriptionIdentifier(1)
            .build();

    assertThat(p.reasonString()).contains("second");
    assertThat(p.userProperties())
        .containsExactly(new UserProperty("a", "1"), new UserProperty("a", "1"));
    assertThat(p.subscriptionIdentifiers()).containsExactly(3, 1);
  }

  @Test
  void builtPropertiesDoNotChangeWithTheBuilder() {
    Properties.Builder b = Properties.builder().userProperty("a", "1");
    Properties first = b.build();

    b.userProperty("b", "2");

    assertThat(first.userProperties()).containsExactly(new UserProperty("a", "1"));
    assertThat(b.build().userProperties()).hasSize(2);
    assertThatThrownBy(() -> first.userProperties().add(new UserProperty("c", "3")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void binaryValuesCompareByContent() {
    Properties a = Properties.builder().correlationData(bytes(1, 2)).build();
    Properties b = Properties.builder().correlationData(bytes(1, 2)).build();
    Properties c = Properties.builder().correlationData(bytes(1, 3)).build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
  }

  @Test
  void binaryValuesAreNotPrinted() {
    Properties p =
        Properties.builder()
            .reasonString("quota")
            .authenticationData(bytes(0x73, 0x65, 0x63))
            .userProperty("region", "eu")
            .build();

    assertThat(p)
        .hasToString(
            "Properties[Authentication Data=<3 bytes>, Reason String=quota,"
                + " User Property=[region=eu]]");
    assertThat(Properties.EMPTY).hasToString("Properties[]");
  }
}
