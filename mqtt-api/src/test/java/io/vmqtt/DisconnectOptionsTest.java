package io.vmqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link DisconnectOptions}. */
class DisconnectOptionsTest {

  @Test
  void theDefaultsAreANormalDisconnectionWithoutProperties() {
    DisconnectOptions d = DisconnectOptions.defaults();

    assertThat(d.reasonCode()).isEqualTo(ReasonCode.NORMAL_DISCONNECTION);
    assertThat(d.sessionExpiryInterval()).isEmpty();
    assertThat(d.reasonString()).isEmpty();
    assertThat(d.userProperties()).isEmpty();
    assertThat(d.hasMqtt5Properties()).isFalse();
    assertThat(DisconnectOptions.builder().build())
        .isEqualTo(d)
        .hasToString("DisconnectOptions[reasonCode=0x00]");
  }

  @Test
  void theBuilderSetsEveryField() {
    DisconnectOptions d =
        DisconnectOptions.builder()
            .reasonCode(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
            .sessionExpiryInterval(Duration.ofHours(1))
            .reasonString("maintenance")
            .userProperty("k", "v")
            .build();

    assertThat(d.reasonCode()).isEqualTo(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE);
    assertThat(d.sessionExpiryInterval()).contains(Duration.ofHours(1));
    assertThat(d.reasonString()).contains("maintenance");
    assertThat(d.userProperties()).containsExactly(new UserProperty("k", "v"));
    assertThat(d.hasMqtt5Properties()).isTrue();
    assertThat(d)
        .hasToString(
            "DisconnectOptions[reasonCode=0x04, sessionExpiryInterval=3600s,"
                + " reasonString=maintenance, userProperties=[k=v]]");
  }

  @Test
  void aReasonCodeThatIsNoDisconnectReasonCodeIsRefusedNamingIt() {
    assertThatThrownBy(() -> DisconnectOptions.builder().reasonCode(ReasonCode.GRANTED_QOS_1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "reasonCode must be a Disconnect Reason Code (section 3.14.2.1), was GRANTED_QOS_1"
                + " (0x01)");
    // 0x00 in DISCONNECT is NORMAL_DISCONNECTION, not SUCCESS.
    assertThatThrownBy(() -> DisconnectOptions.builder().reasonCode(ReasonCode.SUCCESS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSessionExpiryIntervalMustBeWholeSecondsOfAFourByteInteger() {
    assertThat(
            DisconnectOptions.builder()
                .sessionExpiryInterval(Duration.ofSeconds(0xFFFF_FFFFL))
                .build()
                .sessionExpiryInterval())
        .contains(Duration.ofSeconds(0xFFFF_FFFFL));
    assertThatThrownBy(
            () -> DisconnectOptions.builder().sessionExpiryInterval(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sessionExpiryInterval must be whole seconds 0..4294967295, was PT0.01S");
    assertThatThrownBy(
            () ->
                DisconnectOptions.builder()
                    .sessionExpiryInterval(Duration.ofSeconds(0x1_0000_0000L)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
