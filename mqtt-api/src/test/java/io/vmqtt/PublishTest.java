package io.vmqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link Publish}: what is set wins, what is not comes from the configuration. */
class PublishTest {

  @Test
  void theBuilderLeavesQosAndRetainToTheConfigurationUntilSet() {
    Publish p = Publish.builder("a/b").build();

    assertThat(p.topic()).isEqualTo("a/b");
    assertThat(p.payload()).isEmpty();
    assertThat(p.qos()).isEmpty();
    assertThat(p.retain()).isEmpty();
  }

  @Test
  void explicitValuesAreKeptAlsoQos0AndRetainFalse() {
    Publish p = Publish.builder("a/b").payload("hi").qos(QoS.AT_MOST_ONCE).retain(false).build();

    assertThat(p.qos()).contains(QoS.AT_MOST_ONCE);
    assertThat(p.retain()).contains(false);
    assertThat(p.payload()).isEqualTo("hi".getBytes(UTF_8));
  }

  @Test
  void theByteArrayPayloadIsUsedWithoutACopy() {
    byte[] payload = {1, 2, 3};

    assertThat(Publish.builder("t").payload(payload).build().payload()).isSameAs(payload);
  }

  @Test
  void anInvalidTopicIsRefusedNamingIt() {
    assertThatThrownBy(() -> Publish.builder("a/#"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic 'a/#' must not contain wildcard '#' [MQTT-3.3.2-2]");
    assertThatThrownBy(() -> Publish.builder(null)).hasMessage("topic");
    assertThatThrownBy(() -> Publish.builder("t").qos(null)).hasMessage("qos");
    assertThatThrownBy(() -> Publish.builder("t").payload((String) null)).hasMessage("payload");
  }

  @Test
  void anUnsetQosDiffersFromAnExplicitOne() {
    Publish unset = Publish.builder("t").payload("x").build();

    assertThat(unset)
        .isEqualTo(Publish.builder("t").payload("x").build())
        .hasSameHashCodeAs(Publish.builder("t").payload("x").build())
        .isNotEqualTo(Publish.builder("t").payload("x").qos(QoS.AT_MOST_ONCE).build())
        .isNotEqualTo(Publish.builder("t").payload("x").retain(false).build())
        .isNotEqualTo(Publish.builder("t").payload("y").build());
  }

  @Test
  void toStringSaysWhatTheConfigurationDecides() {
    assertThat(Publish.builder("a/b").payload("hello").qos(QoS.AT_LEAST_ONCE).build())
        .hasToString("Publish[topic=a/b, payload=5 bytes, qos=1, retain=default]");
    assertThat(Publish.builder("a/b").retain(true).build())
        .hasToString("Publish[topic=a/b, payload=0 bytes, qos=default, retain=true]");
  }

  @Test
  void thereIsNoPublicConstructor() {
    assertThat(Publish.class.getConstructors()).isEmpty();
  }
}
