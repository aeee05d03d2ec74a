package io.vmqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link Will}. */
class WillTest {

  @Test
  void ofSetsEveryField() {
    Will w = Will.of("dev/7/status", "gone".getBytes(UTF_8), QoS.AT_LEAST_ONCE, true);

    assertThat(w.topic()).isEqualTo("dev/7/status");
    assertThat(w.payload()).isEqualTo("gone".getBytes(UTF_8));
    assertThat(w.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
    assertThat(w.retain()).isTrue();
    assertThat(Will.of("dev/7/status", "gone", QoS.AT_LEAST_ONCE, true)).isEqualTo(w);
  }

  @Test
  void theBuilderDefaultsToAnEmptyQos0WillThatIsNotRetained() {
    Will w = Will.builder("t").build();

    assertThat(w.payload()).isEmpty();
    assertThat(w.qos()).isEqualTo(QoS.AT_MOST_ONCE);
    assertThat(w.retain()).isFalse();
  }

  @Test
  void theWillKeepsAndHandsOutCopies() {
    byte[] payload = {1, 2};
    Will w = Will.of("t", payload, QoS.AT_MOST_ONCE, false);

    payload[0] = 9;
    w.payload()[1] = 9;

    assertThat(w.payload()).containsExactly(1, 2);
  }

  @Test
  void aPayloadOf65535BytesIsAcceptedAndOneMoreIsRefused() {
    assertThat(Will.of("t", new byte[65_535], QoS.AT_MOST_ONCE, false).payload()).hasSize(65_535);
    assertThatThrownBy(() -> Will.of("t", new byte[65_536], QoS.AT_MOST_ONCE, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("will payload must be at most 65535 bytes, was 65536");
    assertThatThrownBy(() -> Will.builder("t").payload("é".repeat(32_768)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("will payload must be at most 65535 bytes, was 65536");
  }

  @Test
  void aTopicWithAWildcardIsRefusedNamingIt_MQTT_3_3_2_2() {
    assertThatThrownBy(() -> Will.builder("a/#"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("will topic 'a/#' must not contain wildcard '#' [MQTT-3.3.2-2]");
  }

  @Test
  void nullsAreRefusedNamingTheArgument() {
    assertThatThrownBy(() -> Will.builder(null)).hasMessage("topic");
    assertThatThrownBy(() -> Will.builder("t").payload((byte[]) null)).hasMessage("payload");
    assertThatThrownBy(() -> Will.builder("t").qos(null)).hasMessage("qos");
  }

  @Test
  void willsAreEqualByContent() {
    Will w = Will.of("t", new byte[] {1}, QoS.AT_LEAST_ONCE, false);

    assertThat(w)
        .isEqualTo(Will.of("t", new byte[] {1}, QoS.AT_LEAST_ONCE, false))
        .hasSameHashCodeAs(Will.of("t", new byte[] {1}, QoS.AT_LEAST_ONCE, false))
        .isNotEqualTo(Will.of("u", new byte[] {1}, QoS.AT_LEAST_ONCE, false))
        .isNotEqualTo(Will.of("t", new byte[] {2}, QoS.AT_LEAST_ONCE, false))
        .isNotEqualTo(Will.of("t", new byte[] {1}, QoS.EXACTLY_ONCE, false))
        .isNotEqualTo(Will.of("t", new byte[] {1}, QoS.AT_LEAST_ONCE, true));
  }

  @Test
  void toStringShowsThePayloadSizeNotItsContent() {
    assertThat(Will.of("status", "offline", QoS.AT_LEAST_ONCE, true))
        .hasToString("Will[topic=status, payload=7 bytes, qos=1, retain=true]");
  }

  @Test
  void thereIsNoPublicConstructor() {
    assertThat(Will.class.getConstructors()).isEmpty();
  }

  @Test
  void theBuilderSetsEveryMqtt5WillPropertyAndTheyTakePartInEquality() {
    Will w =
        Will.builder("dev/7/status")
            .payload("off")
            .delayInterval(Duration.ofSeconds(30))
            .messageExpiryInterval(Duration.ofHours(1))
            .contentType("text/plain")
            .responseTopic("dev/7/ack")
            .correlationData(new byte[] {1, 2})
            .payloadUtf8(true)
            .userProperty("a", "1")
            .userProperty("a", "2")
            .build();

    assertThat(w.delayInterval()).contains(Duration.ofSeconds(30));
    assertThat(w.messageExpiryInterval()).contains(Duration.ofHours(1));
    assertThat(w.contentType()).contains("text/plain");
    assertThat(w.responseTopic()).contains("dev/7/ack");
    assertThat(w.correlationData()).hasValueSatisfying(c -> assertThat(c).containsExactly(1, 2));
    assertThat(w.payloadUtf8()).isTrue();
    assertThat(w.userProperties())
        .containsExactly(new UserProperty("a", "1"), new UserProperty("a", "2"));
    assertThat(w.hasMqtt5Properties()).isTrue();
    assertThat(w).isNotEqualTo(Will.of("dev/7/status", "off", QoS.AT_MOST_ONCE, false));
    assertThat(w.toString())
        .isEqualTo(
            "Will[topic=dev/7/status, payload=3 bytes, qos=0, retain=false, delayInterval=30s,"
                + " messageExpiryInterval=3600s, contentType=text/plain, responseTopic=dev/7/ack,"
                + " correlationData=2 bytes, userProperties=[a=1, a=2], payloadUtf8=true]");
  }

  @Test
  void aWillWithoutMqtt5PropertiesHasNone() {
    Will w = Will.of("t", "m", QoS.AT_LEAST_ONCE, true);

    assertThat(w.hasMqtt5Properties()).isFalse();
    assertThat(w.delayInterval()).isEmpty();
    assertThat(w.userProperties()).isEmpty();
  }

  @Test
  void aDelayThatIsNotWholeSecondsOfAFourByteIntegerIsRefused() {
    assertThatThrownBy(() -> Will.builder("t").delayInterval(Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delayInterval must be whole seconds 0..4294967295, was PT1.5S");
    assertThatThrownBy(() -> Will.builder("t").delayInterval(Duration.ofSeconds(0x1_0000_0000L)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aWillMarkedUtf8MustHaveAUtf8Payload() {
    assertThatThrownBy(
            () -> Will.builder("t").payload(new byte[] {(byte) 0xC3}).payloadUtf8(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("payload must be well-formed UTF-8 with payloadUtf8(true)");
  }
}
