package io.vmqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.MqttConfig.TopicSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link TopicSettings}: what an entry leaves out is empty, and falls back to the defaults. */
class TopicSettingsTest {

  @Test
  void eachFactorySetsWhatItNames() {
    assertThat(TopicSettings.qos(QoS.EXACTLY_ONCE).qos()).contains(QoS.EXACTLY_ONCE);
    assertThat(TopicSettings.qos(QoS.EXACTLY_ONCE).retain()).isEmpty();
    assertThat(TopicSettings.retain(true).qos()).isEmpty();
    assertThat(TopicSettings.retain(true).retain()).contains(true);
    assertThat(TopicSettings.of(QoS.AT_MOST_ONCE, false).qos()).contains(QoS.AT_MOST_ONCE);
    assertThat(TopicSettings.of(QoS.AT_MOST_ONCE, false).retain()).contains(false);
    assertThat(TopicSettings.none().qos()).isEmpty();
    assertThat(TopicSettings.none().retain()).isEmpty();
  }

  @Test
  void aNullQosIsRefusedNamingIt() {
    assertThatThrownBy(() -> TopicSettings.qos(null)).hasMessage("qos");
    assertThatThrownBy(() -> TopicSettings.of(null, true)).hasMessage("qos");
  }

  @Test
  void settingsAreEqualByContent() {
    assertThat(TopicSettings.qos(QoS.AT_LEAST_ONCE))
        .isEqualTo(TopicSettings.qos(QoS.AT_LEAST_ONCE))
        .hasSameHashCodeAs(TopicSettings.qos(QoS.AT_LEAST_ONCE))
        .isNotEqualTo(TopicSettings.of(QoS.AT_LEAST_ONCE, false))
        .isNotEqualTo(TopicSettings.none());
  }

  @Test
  void toStringReadsLikeAConfigMapEntry() {
    assertThat(TopicSettings.of(QoS.AT_LEAST_ONCE, true)).hasToString("{qos=1, retain=true}");
    assertThat(TopicSettings.qos(QoS.EXACTLY_ONCE)).hasToString("{qos=2}");
    assertThat(TopicSettings.retain(false)).hasToString("{retain=false}");
    assertThat(TopicSettings.none()).hasToString("{}");
  }

  @Test
  void anEmptyEntryForATopicShadowsAFilterAndFallsBackToTheDefaults() {
    MqttConfig config =
        MqttConfig.builder()
            .defaultQos(QoS.AT_LEAST_ONCE)
            .topic("a/#", QoS.EXACTLY_ONCE, true)
            .topic("a/plain", TopicSettings.none())
            .build();

    assertThat(config.qosFor("a/other")).isEqualTo(QoS.EXACTLY_ONCE);
    assertThat(config.qosFor("a/plain")).isEqualTo(QoS.AT_LEAST_ONCE);
    assertThat(config.retainFor("a/plain")).isFalse();
  }

  @Test
  void theConfigMapMakesTheSameSettingsAsTheFactories() {
    MqttConfig config =
        MqttConfig.from(
            Map.of(
                "topics",
                Map.of(
                    "q", Map.of("qos", 2),
                    "r", Map.of("retain", true),
                    "both", Map.of("qos", 1, "retain", false),
                    "none", Map.of())));

    assertThat(config.topics())
        .containsEntry("q", TopicSettings.qos(QoS.EXACTLY_ONCE))
        .containsEntry("r", TopicSettings.retain(true))
        .containsEntry("both", TopicSettings.of(QoS.AT_LEAST_ONCE, false))
        .containsEntry("none", TopicSettings.none());
  }

  @Test
  void thereIsNoPublicConstructor() {
    assertThat(TopicSettings.class.getConstructors()).isEmpty();
  }
}
