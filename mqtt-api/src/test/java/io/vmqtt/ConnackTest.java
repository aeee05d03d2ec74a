package io.vmqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Connack} and the refusal a {@link ConnectException} carries. */
class ConnackTest {

  @Test
  void anAcceptedConnackHasCode0AndSuccess() {
    Connack ack = Connack.accepted(true);

    assertThat(ack.returnCode()).isZero();
    assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    assertThat(ack.isAccepted()).isTrue();
    assertThat(ack.sessionPresent()).isTrue();
    assertThat(Connack.accepted(false).sessionPresent()).isFalse();
  }

  @ParameterizedTest(name = "return code {0} -> {1}")
  @CsvSource({
    "1, UNSUPPORTED_PROTOCOL_VERSION",
    "2, CLIENT_IDENTIFIER_NOT_VALID",
    "3, SERVER_UNAVAILABLE",
    "4, BAD_USER_NAME_OR_PASSWORD",
    "5, NOT_AUTHORIZED",
    "6, UNSPECIFIED_ERROR",
    "255, UNSPECIFIED_ERROR"
  })
  void anMqtt3RefusalKeepsItsWireCodeAndMapsItsMeaning(int code, ReasonCode expected) {
    Connack ack = Connack.ofMqtt3(code, false);

    assertThat(ack.returnCode()).isEqualTo(code);
    assertThat(ack.reasonCode()).isEqualTo(expected);
    assertThat(ack.isAccepted()).isFalse();
    assertThat(ack.sessionPresent()).isFalse();
  }

  @Test
  void ofMqtt3WithCode0IsAccepted() {
    assertThat(Connack.ofMqtt3(0, true)).isEqualTo(Connack.accepted(true));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {-1, 256, 1000})
  void aReturnCodeOutsideAByteIsRefusedNamingIt(int code) {
    assertThatThrownBy(() -> Connack.ofMqtt3(code, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("returnCode must be 0..255, was " + code);
  }

  @Test
  void aRefusalWithSessionPresentIsRefused_MQTT_3_2_2_4() {
    assertThatThrownBy(() -> Connack.ofMqtt3(5, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sessionPresent must be false with return code 5, was true [MQTT-3.2.2-4]");
  }

  @Test
  void connacksAreEqualByContent() {
    assertThat(Connack.ofMqtt3(5, false))
        .isEqualTo(Connack.ofMqtt3(5, false))
        .hasSameHashCodeAs(Connack.ofMqtt3(5, false))
        .isNotEqualTo(Connack.ofMqtt3(4, false))
        .isNotEqualTo(Connack.ofMqtt3(7, false)); // both UNSPECIFIED_ERROR, different codes
    assertThat(Connack.ofMqtt3(6, false)).isNotEqualTo(Connack.ofMqtt3(7, false));
    assertThat(Connack.accepted(true)).isNotEqualTo(Connack.accepted(false));
  }

  @Test
  void toStringShowsCodeMeaningAndSession() {
    assertThat(Connack.ofMqtt3(5, false))
        .hasToString("Connack[returnCode=5, reasonCode=NOT_AUTHORIZED, sessionPresent=false]");
  }

  @Test
  void aConnectExceptionForARefusalCarriesTheConnackAndItsCodes() {
    Connack refusal = Connack.ofMqtt3(4, false);
    ConnectException e = new ConnectException("refused", refusal);

    assertThat(e.isRefusal()).isTrue();
    assertThat(e.returnCode()).isEqualTo(4);
    assertThat(e.reasonCode()).contains(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
    assertThat(e.connack()).contains(refusal);
  }

  @Test
  void aConnectExceptionForANetworkFailureHasNoCode() {
    ConnectException e = new ConnectException("cannot connect", new java.io.IOException("reset"));

    assertThat(e.isRefusal()).isFalse();
    assertThat(e.returnCode()).isEqualTo(ConnectException.NO_RETURN_CODE);
    assertThat(e.reasonCode()).isEmpty();
    assertThat(e.connack()).isEmpty();
  }

  @Test
  void aConnectExceptionCannotCarryAnAcceptedConnack() {
    assertThatThrownBy(() -> new ConnectException("no", Connack.accepted(false)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "refusal must not be an accepted CONNACK, was"
                + " Connack[returnCode=0, reasonCode=SUCCESS, sessionPresent=false]");
  }

  @Test
  void thereIsNoPublicConstructor() {
    assertThat(Connack.class.getConstructors()).isEmpty();
  }
}
