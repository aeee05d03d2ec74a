package io.vmqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
  void theMqtt5OptionsDefaultToWhatMqtt311Does() {
    Subscription s = Subscription.of("a", QoS.AT_LEAST_ONCE);

    assertThat(s.noLocal()).isFalse();
    assertThat(s.retainAsPublished()).isFalse();
    assertThat(s.retainHandling()).isEqualTo(Subscription.RetainHandling.SEND_ON_SUBSCRIBE);
    assertThat(s.subscriptionIdentifier()).isEmpty();
    assertThat(s.hasMqtt5Options()).isFalse();
  }

  @Test
  void theBuilderSetsEveryMqtt5OptionAndTheyTakePartInEquality() {
    Subscription s =
        Subscription.builder("a/#")
            .qos(QoS.EXACTLY_ONCE)
            .noLocal(true)
            .retainAsPublished(true)
            .retainHandling(Subscription.RetainHandling.DO_NOT_SEND)
            .subscriptionIdentifier(268_435_455)
            .build();

    assertThat(s.noLocal()).isTrue();
    assertThat(s.retainAsPublished()).isTrue();
    assertThat(s.retainHandling().value()).isEqualTo(2);
    assertThat(s.subscriptionIdentifier()).hasValue(268_435_455);
    assertThat(s.hasMqtt5Options()).isTrue();
    assertThat(s)
        .isNotEqualTo(Subscription.of("a/#", QoS.EXACTLY_ONCE))
        .hasToString(
            "Subscription[topicFilter=a/#, qos=2, noLocal, retainAsPublished, retainHandling=2,"
                + " subscriptionIdentifier=268435455]");
    assertThat(Subscription.builder("a").subscriptionIdentifier(1).build())
        .isNotEqualTo(Subscription.builder("a").subscriptionIdentifier(2).build());
  }

  @Test
  void retainHandlingValuesAreThoseOfTheOptionsByte() {
    assertThat(Subscription.RetainHandling.values())
        .extracting(Subscription.RetainHandling::value)
        .containsExactly(0, 1, 2);
  }

  @Test
  void aSubscriptionIdentifierOutside1To268435455IsRefusedNamingIt() {
    assertThatThrownBy(() -> Subscription.builder("a").subscriptionIdentifier(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("subscriptionIdentifier must be in 1..268435455, was 0 (section 3.8.2.1.2)");
    assertThatThrownBy(() -> Subscription.builder("a").subscriptionIdentifier(268_435_456))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 268435456");
  }

  @Test
  void sharedMakesTheShareFilterAndKnowsItsGroup() {
    Subscription s = Subscription.shared("workers", "jobs/+/new", QoS.AT_LEAST_ONCE);

    assertThat(s.topicFilter()).isEqualTo("$share/workers/jobs/+/new");
    assertThat(s.isShared()).isTrue();
    assertThat(s.shareGroup()).contains("workers");
    assertThat(s).isEqualTo(Subscription.of("$share/workers/jobs/+/new", QoS.AT_LEAST_ONCE));
    assertThat(Subscription.of("jobs/#", QoS.AT_LEAST_ONCE).isShared()).isFalse();
    assertThat(Subscription.of("jobs/#", QoS.AT_LEAST_ONCE).shareGroup()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "\"\"  | a     | group must not be empty [MQTT-4.8.2-1]",
        "g/h   | a     | group 'g/h' must not contain '/' [MQTT-4.8.2-2]",
        "g+    | a     | group 'g+' must not contain '+' [MQTT-4.8.2-2]",
        "#     | a     | group '#' must not contain '#' [MQTT-4.8.2-2]",
        "g     | \"\"    | topicFilter must not be empty [MQTT-4.7.3-1]",
        "g     | a/#/b | topicFilter 'a/#/b': '#' must be the last character and alone in its level"
            + " [MQTT-4.7.1-2]"
      })
  void anInvalidShareGroupOrFilterIsRefusedNamingIt_MQTT_4_8_2_1_and_4_8_2_2(
      String group, String filter, String message) {
    assertThatThrownBy(() -> Subscription.shared(group, filter, QoS.AT_MOST_ONCE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void noLocalOnASharedSubscriptionIsRefused_MQTT_3_8_3_4() {
    assertThatThrownBy(() -> Subscription.sharedBuilder("g", "a").noLocal(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "noLocal is not allowed on the shared subscription '$share/g/a' [MQTT-3.8.3-4]");
  }

  @Test
  void thereIsNoPublicConstructor() {
    assertThat(Subscription.class.getConstructors()).isEmpty();
  }
}
