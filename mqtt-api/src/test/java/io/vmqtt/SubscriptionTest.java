package io.vmqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link Subscription}. */
class SubscriptionTest {

  @Test
  void ofAndTheBuilderMakeTheSameSubscription() {
    Subscription s = Subscription.of("sensors/+/temp", QoS.AT_LEAST_ONCE);

    assertThat(s.topicFilter()).isEqualTo("sensors/+/temp");
    assertThat(s.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
    assertThat(Subscription.builder("sensors/+/temp").qos(QoS.AT_LEAST_ONCE).build())
        .isEqualTo(s)
        .hasSameHashCodeAs(s);
  }

  @Test
  void theBuilderDefaultsToQos0() {
    assertThat(Subscription.builder("a/#").build().qos()).isEqualTo(QoS.AT_MOST_ONCE);
  }

  @Test
  void anInvalidFilterIsRefusedNamingIt_MQTT_4_7_1_2() {
    assertThatThrownBy(() -> Subscription.of("a/#/b", QoS.AT_MOST_ONCE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "topicFilter 'a/#/b': '#' must be the last character and alone in its level"
                + " [MQTT-4.7.1-2]");
  }

  @Test
  void nullsAreRefusedNamingTheArgument() {
    assertThatThrownBy(() -> Subscription.of(null, QoS.AT_MOST_ONCE)).hasMessage("topicFilter");
    assertThatThrownBy(() -> Subscription.of("a", null)).hasMessage("qos");
  }

  @Test
  void subscriptionsDifferByFilterAndByQos() {
    Subscription s = Subscription.of("a", QoS.AT_LEAST_ONCE);

    assertThat(s)
        .isNotEqualTo(Subscription.of("b", QoS.AT_LEAST_ONCE))
        .isNotEqualTo(Subscription.of("a", QoS.EXACTLY_ONCE));
  }

  @Test
  void toStringShowsFilterAndQos() {
    assertThat(Subscription.of("a/#", QoS.EXACTLY_ONCE))
        .hasToString("Subscription[topicFilter=a/#, qos=2]");
  }

  @Test
  void thereIsNoPublicConstructor() {
    assertThat(Subscription.class.getConstructors()).isEmpty();
  }
}
