package io.vmqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link PublishResult}. */
class PublishResultTest {

  @Test
  void ofIsASuccess() {
    PublishResult r = PublishResult.of(QoS.AT_LEAST_ONCE, 7);

    assertThat(r.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
    assertThat(r.packetId()).isEqualTo(7);
    assertThat(r.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    assertThat(PublishResult.builder(QoS.AT_LEAST_ONCE, 7).build()).isEqualTo(r);
  }

  @ParameterizedTest(name = "QoS {0}, packet id {1}")
  @CsvSource({
    "AT_MOST_ONCE, 1, 0",
    "AT_MOST_ONCE, -1, 0",
    "AT_LEAST_ONCE, 0, 1..65535",
    "EXACTLY_ONCE, 65536, 1..65535",
    "EXACTLY_ONCE, -5, 1..65535"
  })
  void aPacketIdThatDoesNotFitTheQosIsRefusedNamingBoth(QoS qos, int id, String range) {
    String expected = "packetId must be " + range + " for QoS " + qos.value() + ", was " + id;
    assertThatThrownBy(() -> PublishResult.of(qos, id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(expected);
    assertThatThrownBy(() -> PublishResult.builder(qos, id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(expected);
  }

  @Test
  void noMatchingSubscribersIsASuccessfulQos1Or2Outcome() {
    PublishResult r =
        PublishResult.builder(QoS.EXACTLY_ONCE, 3)
            .reasonCode(ReasonCode.NO_MATCHING_SUBSCRIBERS)
            .build();

    assertThat(r.reasonCode()).isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
    assertThat(r).isNotEqualTo(PublishResult.of(QoS.EXACTLY_ONCE, 3));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = ReasonCode.class,
      names = {"NOT_AUTHORIZED", "QUOTA_EXCEEDED", "GRANTED_QOS_1", "NORMAL_DISCONNECTION"})
  void aReasonCodeThatIsNotASuccessOfPubackIsRefused(ReasonCode code) {
    assertThatThrownBy(() -> PublishResult.builder(QoS.AT_LEAST_ONCE, 1).reasonCode(code))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "reasonCode of a completed QoS 1 publish must be SUCCESS or NO_MATCHING_SUBSCRIBERS,"
                + " was "
                + code);
  }

  @Test
  void aQos0ResultIsAlwaysASuccess() {
    assertThatThrownBy(
            () ->
                PublishResult.builder(QoS.AT_MOST_ONCE, 0)
                    .reasonCode(ReasonCode.NO_MATCHING_SUBSCRIBERS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "reasonCode of a completed QoS 0 publish must be SUCCESS, was NO_MATCHING_SUBSCRIBERS");
    assertThat(PublishResult.of(QoS.AT_MOST_ONCE, 0).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
  }

  @Test
  void resultsAreEqualByContent() {
    assertThat(PublishResult.of(QoS.AT_LEAST_ONCE, 7))
        .isEqualTo(PublishResult.of(QoS.AT_LEAST_ONCE, 7))
        .hasSameHashCodeAs(PublishResult.of(QoS.AT_LEAST_ONCE, 7))
        .isNotEqualTo(PublishResult.of(QoS.AT_LEAST_ONCE, 8))
        .isNotEqualTo(PublishResult.of(QoS.EXACTLY_ONCE, 7));
  }

  @Test
  void toStringShowsEveryField() {
    assertThat(PublishResult.of(QoS.EXACTLY_ONCE, 12))
        .hasToString("PublishResult[qos=2, packetId=12, reasonCode=SUCCESS]");
  }

  @Test
  void thereIsNoPublicConstructor() {
    assertThat(PublishResult.class.getConstructors()).isEmpty();
  }
}
