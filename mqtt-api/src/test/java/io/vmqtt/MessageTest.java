package io.vmqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link Message}: made by factories and a builder, equal by content. */
class MessageTest {

  @Test
  void ofSetsEveryFieldAndNoDup() {
    Message m = Message.of("a/b", "hello".getBytes(UTF_8), QoS.AT_LEAST_ONCE, true);

    assertThat(m.topic()).isEqualTo("a/b");
    assertThat(m.payload()).isEqualTo("hello".getBytes(UTF_8));
    assertThat(m.payloadAsString()).isEqualTo("hello");
    assertThat(m.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
    assertThat(m.retain()).isTrue();
    assertThat(m.dup()).isFalse();
  }

  @Test
  void ofWithAStringPayloadTakesItsUtf8Bytes() {
    assertThat(Message.of("a", "grüß ✓", QoS.AT_MOST_ONCE, false).payload())
        .isEqualTo("grüß ✓".getBytes(UTF_8));
  }

  @Test
  void theBuilderDefaultsToAnEmptyQos0MessageWithoutFlags() {
    Message m = Message.builder("t").build();

    assertThat(m.payload()).isEmpty();
    assertThat(m.qos()).isEqualTo(QoS.AT_MOST_ONCE);
    assertThat(m.retain()).isFalse();
    assertThat(m.dup()).isFalse();
  }

  @Test
  void theBuilderSetsDupForQos1And2() {
    Message m =
        Message.builder("t").payload("x").qos(QoS.EXACTLY_ONCE).retain(true).dup(true).build();

    assertThat(m.dup()).isTrue();
    assertThat(m.retain()).isTrue();
    assertThat(m.qos()).isEqualTo(QoS.EXACTLY_ONCE);
    assertThat(m.payloadAsString()).isEqualTo("x");
  }

  @Test
  void dupOnAQos0MessageIsRefused_MQTT_3_3_1_2() {
    assertThatThrownBy(() -> Message.builder("t").dup(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dup must be false for QoS 0, was true [MQTT-3.3.1-2]");
  }

  @Test
  void aTopicWithAWildcardIsRefusedNamingIt_MQTT_3_3_2_2() {
    assertThatThrownBy(() -> Message.of("a/+", "x", QoS.AT_MOST_ONCE, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic 'a/+' must not contain wildcard '+' [MQTT-3.3.2-2]");
  }

  @Test
  void anEmptyTopicIsRefused_MQTT_4_7_3_1() {
    assertThatThrownBy(() -> Message.builder(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic must not be empty [MQTT-4.7.3-1]");
  }

  @Test
  void nullsAreRefusedNamingTheArgument() {
    assertThatThrownBy(() -> Message.builder(null)).hasMessage("topic");
    assertThatThrownBy(() -> Message.builder("t").payload((byte[]) null)).hasMessage("payload");
    assertThatThrownBy(() -> Message.builder("t").payload((String) null)).hasMessage("payload");
    assertThatThrownBy(() -> Message.builder("t").qos(null)).hasMessage("qos");
    assertThatThrownBy(() -> Message.of("t", (byte[]) null, QoS.AT_MOST_ONCE, false))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void theFactoriesKeepACopyOfThePayload() {
    byte[] payload = {1, 2, 3};
    Message m = Message.of("t", payload, QoS.AT_MOST_ONCE, false);

    payload[0] = 9;

    assertThat(m.payload()).containsExactly(1, 2, 3);
  }

  @Test
  void messagesWithTheSameContentAreEqualAndHashAlike() {
    Message a = Message.of("a/b", new byte[] {1, 2}, QoS.AT_LEAST_ONCE, false);
    Message b = Message.builder("a/b").payload(new byte[] {1, 2}).qos(QoS.AT_LEAST_ONCE).build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
  }

  @Test
  void everyFieldTakesPartInEquality() {
    Message base = Message.builder("a").payload("p").qos(QoS.AT_LEAST_ONCE).build();

    assertThat(base)
        .isNotEqualTo(Message.builder("b").payload("p").qos(QoS.AT_LEAST_ONCE).build())
        .isNotEqualTo(Message.builder("a").payload("q").qos(QoS.AT_LEAST_ONCE).build())
        .isNotEqualTo(Message.builder("a").payload("p").qos(QoS.EXACTLY_ONCE).build())
        .isNotEqualTo(Message.builder("a").payload("p").qos(QoS.AT_LEAST_ONCE).retain(true).build())
        .isNotEqualTo(Message.builder("a").payload("p").qos(QoS.AT_LEAST_ONCE).dup(true).build())
        .isNotEqualTo("a");
  }

  @Test
  void toStringShowsTheFieldsAndThePayloadSizeNotItsContent() {
    Message m = Message.builder("a/b").payload("secret").qos(QoS.EXACTLY_ONCE).dup(true).build();

    assertThat(m).hasToString("Message[topic=a/b, payload=6 bytes, qos=2, retain=false, dup=true]");
  }

  @Test
  void thereIsNoPublicConstructorAndNoPacketId() {
    assertThat(Message.class.getConstructors()).isEmpty();
    assertThat(Modifier.isFinal(Message.class.getModifiers())).isTrue();
    assertThat(Arrays.stream(Message.class.getMethods()).map(java.lang.reflect.Method::getName))
        .doesNotContain("packetId");
  }
}
