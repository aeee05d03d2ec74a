package io.vmqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link DisconnectedByBrokerException}: which of the broker's reasons are permanent. */
class DisconnectedByBrokerExceptionTest {

  @ParameterizedTest(name = "0x{0}")
  @ValueSource(
      strings = {
        "81", "82", "87", "8C", "8E", "90", "93", "94", "95", "98", "99", "9A", "9B", "9C", "9D",
        "9E", "A1", "A2"
      })
  void theseReasonsArePermanent(String hex) {
    assertThat(exception(Integer.parseInt(hex, 16)).isPermanent()).isTrue();
  }

  @ParameterizedTest(name = "0x{0}")
  @ValueSource(strings = {"00", "80", "83", "89", "8B", "8D", "8F", "96", "97", "9F", "A0"})
  void theseReasonsAreTransient(String hex) {
    assertThat(exception(Integer.parseInt(hex, 16)).isPermanent()).isFalse();
  }

  @ParameterizedTest(name = "0x{0}")
  @ValueSource(
      strings = {
        "00", "80", "81", "82", "83", "87", "89", "8B", "8C", "8D", "8E", "8F", "90", "93", "94",
        "95", "96", "97", "98", "99", "9A", "9B", "9C", "9D", "9E", "9F", "A0", "A1", "A2"
      })
  void everyDisconnectReasonCodeABrokerMaySendIsADisconnectReasonCode(String hex) {
    // The two lists above cover what Table 3-10 lets a server send: each is one of the enum's.
    assertThat(ReasonCode.ofDisconnect(Integer.parseInt(hex, 16))).isPresent();
  }

  private static DisconnectedByBrokerException exception(int code) {
    return new DisconnectedByBrokerException("m", code, null, null, List.of());
  }
}
