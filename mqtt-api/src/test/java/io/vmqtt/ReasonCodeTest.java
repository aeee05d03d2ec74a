package io.vmqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ReasonCode}: MQTT 5.0 section 2.4 (table 2-6) and the reason code lists of each packet
 * (3.2.2.2, 3.4.2.1, 3.5.2.1, 3.6.2.1, 3.7.2.1, 3.9.3, 3.11.3, 3.14.2.1, 3.15.2.1), and how MQTT
 * 3.1.1's return codes (3.2.2.3, 3.9.3) map onto them. The expected sets are written out from the
 * specification here, not derived from the enum.
 */
class ReasonCodeTest {

  @Test
  void thereAreFortyFiveCodesForFortyThreeValues() {
    // Table 2-6 has 43 distinct values; 0x00 has three meanings.
    assertThat(ReasonCode.values()).hasSize(45);
    assertThat(Arrays.stream(ReasonCode.values()).map(ReasonCode::value).distinct()).hasSize(43);
  }

  @Test
  void zeroIsSuccessNormalDisconnectionOrGrantedQos0DependingOnThePacket() {
    assertThat(ReasonCode.ofConnack(0, 5)).contains(ReasonCode.SUCCESS);
    assertThat(ReasonCode.ofPuback(0)).contains(ReasonCode.SUCCESS);
    assertThat(ReasonCode.ofDisconnect(0)).contains(ReasonCode.NORMAL_DISCONNECTION);
    assertThat(ReasonCode.ofSuback(0, 5)).contains(ReasonCode.GRANTED_QOS_0);
    assertThat(ReasonCode.ofAuth(0)).contains(ReasonCode.SUCCESS);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ReasonCode.class)
  void aCodeIsAnErrorExactlyWhenItsValueIs0x80OrMore(ReasonCode code) {
    assertThat(code.isError()).isEqualTo(code.value() >= 0x80);
  }

  @Test
  void theSuccessCodesAreTheTenBelow0x80() {
    assertThat(Arrays.stream(ReasonCode.values()).filter(c -> !c.isError()))
        .containsExactly(
            ReasonCode.SUCCESS,
            ReasonCode.NORMAL_DISCONNECTION,
            ReasonCode.GRANTED_QOS_0,
            ReasonCode.GRANTED_QOS_1,
            ReasonCode.GRANTED_QOS_2,
            ReasonCode.DISCONNECT_WITH_WILL_MESSAGE,
            ReasonCode.NO_MATCHING_SUBSCRIBERS,
            ReasonCode.NO_SUBSCRIPTION_EXISTED,
            ReasonCode.CONTINUE_AUTHENTICATION,
            ReasonCode.RE_AUTHENTICATE);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "UNSPECIFIED_ERROR, 0x80, unspecified error",
    "NOT_AUTHORIZED, 0x87, not authorized",
    "QOS_NOT_SUPPORTED, 0x9B, QoS not supported",
    "WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED, 0xA2, wildcard subscriptions not supported",
    "RE_AUTHENTICATE, 0x19, re-authenticate"
  })
  void valuesAndDescriptionsAreTheSpecifications(ReasonCode code, String hex, String text) {
    assertThat(code.value()).isEqualTo(Integer.decode(hex));
    assertThat(code.description()).isEqualTo(text);
  }

  @Test
  void everyCodeHasADescription() {
    assertThat(ReasonCode.values())
        .allSatisfy(
            c ->
                assertThat(c.description())
                    .isNotBlank()
                    .isEqualTo(
                        c.name()
                            .toLowerCase(java.util.Locale.ROOT)
                            .replace('_', ' ')
                            .replace("qos", "QoS")
                            .replace("re authenticate", "re-authenticate")));
  }

  @Test
  void connackCodesOfMqtt5AreThoseOfSection3_2_2_2() {
    assertThat(valuesOf(v -> ReasonCode.ofConnack(v, 5)))
        .isEqualTo(
            hex(
                0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90,
                0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F));
  }

  @Test
  void pubackAndPubrecCodesAreThoseOfSections3_4_2_1And3_5_2_1() {
    Set<String> expected = hex(0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99);
    assertThat(valuesOf(ReasonCode::ofPuback)).isEqualTo(expected);
    assertThat(valuesOf(ReasonCode::ofPubrec)).isEqualTo(expected);
  }

  @Test
  void pubrelAndPubcompCodesAreThoseOfSections3_6_2_1And3_7_2_1() {
    assertThat(valuesOf(ReasonCode::ofPubrel)).isEqualTo(hex(0x00, 0x92));
    assertThat(valuesOf(ReasonCode::ofPubcomp)).isEqualTo(hex(0x00, 0x92));
  }

  @Test
  void subackCodesOfMqtt5AreThoseOfSection3_9_3() {
    assertThat(valuesOf(v -> ReasonCode.ofSuback(v, 5)))
        .isEqualTo(hex(0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2));
  }

  @Test
  void unsubackCodesAreThoseOfSection3_11_3() {
    assertThat(valuesOf(ReasonCode::ofUnsuback))
        .isEqualTo(hex(0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91));
  }

  @Test
  void disconnectCodesAreThoseOfSection3_14_2_1() {
    assertThat(valuesOf(ReasonCode::ofDisconnect))
        .isEqualTo(
            hex(
                0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90,
                0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0,
                0xA1, 0xA2));
  }

  @Test
  void authCodesAreThoseOfSection3_15_2_1() {
    assertThat(valuesOf(ReasonCode::ofAuth)).isEqualTo(hex(0x00, 0x18, 0x19));
  }

  @Test
  void everyCodeAppearsInAtLeastOnePacket() {
    Set<ReasonCode> seen =
        IntStream.range(0, 256)
            .boxed()
            .flatMap(
                v ->
                    java.util.stream.Stream.of(
                            ReasonCode.ofConnack(v, 5),
                            ReasonCode.ofPuback(v),
                            ReasonCode.ofPubrec(v),
                            ReasonCode.ofPubrel(v),
                            ReasonCode.ofPubcomp(v),
                            ReasonCode.ofSuback(v, 5),
                            ReasonCode.ofUnsuback(v),
                            ReasonCode.ofDisconnect(v),
                            ReasonCode.ofAuth(v))
                        .flatMap(Optional::stream))
            .collect(Collectors.toSet());
    assertThat(seen).containsExactlyInAnyOrder(ReasonCode.values());
  }

  @ParameterizedTest(name = "level {1}: CONNACK {0} -> {2}")
  @CsvSource({
    "0, 4, SUCCESS",
    "1, 4, UNSUPPORTED_PROTOCOL_VERSION",
    "2, 4, CLIENT_IDENTIFIER_NOT_VALID",
    "3, 4, SERVER_UNAVAILABLE",
    "4, 4, BAD_USER_NAME_OR_PASSWORD",
    "5, 4, NOT_AUTHORIZED",
    "1, 3, UNSUPPORTED_PROTOCOL_VERSION",
    "5, 3, NOT_AUTHORIZED"
  })
  void mqtt3ConnackReturnCodesMapOntoReasonCodes(int code, int level, ReasonCode expected) {
    assertThat(ReasonCode.ofConnack(code, level)).contains(expected);
  }

  @Test
  void theMqtt3RefusalsMapOntoErrorsThoughTheirWireValuesAreBelow0x80() {
    for (int code = 1; code <= 5; code++) {
      assertThat(ReasonCode.ofConnack(code, 4))
          .hasValueSatisfying(c -> assertThat(c.isError()).isTrue());
    }
  }

  @ParameterizedTest(name = "CONNACK {0}")
  @ValueSource(ints = {6, 0x7F, 0x80, 0x87, 255, -1, 256})
  void reservedMqtt3ConnackCodesHaveNoReasonCode(int code) {
    assertThat(ReasonCode.ofConnack(code, 4)).isEmpty();
  }

  @ParameterizedTest(name = "CONNACK {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 0x10, 0x8B, 0xA3, 255})
  void mqtt5ConnackCodesOutsideTheListHaveNoReasonCode(int code) {
    assertThat(ReasonCode.ofConnack(code, 5)).isEmpty();
  }

  @ParameterizedTest(name = "level {1}: SUBACK {0} -> {2}")
  @CsvSource({
    "0, 4, GRANTED_QOS_0",
    "1, 4, GRANTED_QOS_1",
    "2, 4, GRANTED_QOS_2",
    "128, 4, UNSPECIFIED_ERROR",
    "128, 3, UNSPECIFIED_ERROR"
  })
  void mqtt3SubackReturnCodesMapOntoReasonCodes(int code, int level, ReasonCode expected) {
    assertThat(ReasonCode.ofSuback(code, level)).contains(expected);
  }

  @ParameterizedTest(name = "SUBACK {0}")
  @ValueSource(ints = {3, 0x7F, 0x83, 0x87, 0x8F, 0xA2, 255})
  void mqtt3SubackCodesBeyond012And0x80HaveNoReasonCode(int code) {
    assertThat(ReasonCode.ofSuback(code, 4)).isEmpty();
  }

  @ParameterizedTest(name = "level {0}")
  @ValueSource(ints = {0, 2, 6, -4})
  void anUnknownProtocolLevelIsRefusedNamingIt(int level) {
    assertThatThrownBy(() -> ReasonCode.ofConnack(0, level))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "protocolLevel must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0), was " + level);
    assertThatThrownBy(() -> ReasonCode.ofSuback(0, level))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("was " + level);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {-1, 256, Integer.MAX_VALUE, Integer.MIN_VALUE})
  void valuesOutsideAByteHaveNoReasonCode(int code) {
    assertThat(ReasonCode.ofPuback(code)).isEmpty();
    assertThat(ReasonCode.ofDisconnect(code)).isEmpty();
    assertThat(ReasonCode.ofConnack(code, 5)).isEmpty();
  }

  /** The values 0..255 that {@code lookup} knows, as hex strings, each mapped to its name. */
  private static Set<String> valuesOf(IntFunction<Optional<ReasonCode>> lookup) {
    Map<Integer, ReasonCode> found = new TreeMap<>();
    for (int v = 0; v < 256; v++) {
      int value = v;
      lookup.apply(v).ifPresent(c -> found.put(value, c));
    }
    found.forEach((v, c) -> assertThat(c.value()).as("the code found for 0x%02X", v).isEqualTo(v));
    return found.keySet().stream().map(v -> String.format("0x%02X", v)).collect(Collectors.toSet());
  }

  private static Set<String> hex(int... values) {
    return Arrays.stream(values)
        .mapToObj(v -> String.format("0x%02X", v))
        .collect(Collectors.toSet());
  }
}
