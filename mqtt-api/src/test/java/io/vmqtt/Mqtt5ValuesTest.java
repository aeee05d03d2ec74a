package io.vmqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The MQTT 5 parts of the public values: {@link Connack}'s properties, {@link Message}'s and {@link
 * Publish}'s publish properties, {@link UserProperty}, {@link ConnectOptions}' MQTT 5 overrides.
 */
class Mqtt5ValuesTest {

  @Test
  void anMqtt5ConnackHasTheSpecificationsDefaultsUntilSet() {
    Connack ack = Connack.mqtt5(0x00, false).build();

    assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    assertThat(ack.receiveMaximum()).isEqualTo(65_535);
    assertThat(ack.maximumQos()).isEqualTo(QoS.EXACTLY_ONCE);
    assertThat(ack.retainAvailable()).isTrue();
    assertThat(ack.maximumPacketSize()).isEmpty();
    assertThat(ack.topicAliasMaximum()).isZero();
    assertThat(ack.wildcardSubscriptionAvailable()).isTrue();
    assertThat(ack.subscriptionIdentifiersAvailable()).isTrue();
    assertThat(ack.sharedSubscriptionAvailable()).isTrue();
    assertThat(ack.userProperties()).isEmpty();
    assertThat(ack).isEqualTo(Connack.accepted(false));
    assertThat(Connack.ofMqtt3(0, false).receiveMaximum()).isEqualTo(65_535);
  }

  @Test
  void anMqtt5ConnackKeepsEveryPropertyAndShowsTheOnesThatDifferFromTheDefaults() {
    Connack ack =
        Connack.mqtt5(0x00, true)
            .receiveMaximum(20)
            .maximumQos(QoS.AT_LEAST_ONCE)
            .retainAvailable(false)
            .maximumPacketSize(1000)
            .assignedClientIdentifier("auto-1")
            .topicAliasMaximum(10)
            .serverKeepAlive(60)
            .sessionExpiryInterval(300)
            .reasonString("welcome")
            .userProperty(new UserProperty("a", "1"))
            .userProperty(new UserProperty("a", "2"))
            .responseInformation("resp/")
            .serverReference("other:1883")
            .sharedSubscriptionAvailable(false)
            .build();

    assertThat(ack.serverKeepAlive()).contains(Duration.ofSeconds(60));
    assertThat(ack.sessionExpiryInterval()).contains(Duration.ofSeconds(300));
    assertThat(ack.userProperties())
        .containsExactly(new UserProperty("a", "1"), new UserProperty("a", "2"));
    assertThat(ack)
        .hasToString(
            "Connack[returnCode=0, reasonCode=SUCCESS, sessionPresent=true,"
                + " sessionExpiryInterval=PT5M, receiveMaximum=20, maximumQos=1,"
                + " retainAvailable=false, maximumPacketSize=1000, assignedClientIdentifier=auto-1,"
                + " topicAliasMaximum=10, reasonString=welcome, userProperties=[a=1, a=2],"
                + " sharedSubscriptionAvailable=false, serverKeepAlive=PT1M,"
                + " responseInformation=resp/, serverReference=other:1883]");
    assertThat(ack).isNotEqualTo(Connack.accepted(true));
  }

  @Test
  void anMqtt5RefusalHasItsReasonCodeAndNoSession() {
    Connack refusal = Connack.mqtt5(0x87, false).reasonString("who are you").build();

    assertThat(refusal.returnCode()).isEqualTo(0x87);
    assertThat(refusal.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
    assertThat(refusal.isAccepted()).isFalse();
    assertThatThrownBy(() -> Connack.mqtt5(0x87, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "sessionPresent must be false with reason code NOT_AUTHORIZED, was true"
                + " [MQTT-3.2.2-6]");
    assertThatThrownBy(() -> Connack.mqtt5(0x10, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reasonCode 0x10 is not an MQTT 5 CONNACK reason code");
    assertThatThrownBy(() -> Connack.mqtt5(0, false).receiveMaximum(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("receiveMaximum must be 1..65535, was 0");
  }

  @Test
  void aMessageCarriesThePublishPropertiesAndComparesThoseThePublisherSet() {
    Message m =
        Message.builder("a/b")
            .payload("hi")
            .contentType("text/plain")
            .responseTopic("r/x")
            .correlationData(new byte[] {1})
            .userProperty("k", "1")
            .userProperty("k", "2")
            .payloadUtf8(true)
            .messageExpiryInterval(Duration.ofSeconds(9))
            .subscriptionIdentifier(3)
            .build();

    assertThat(m.contentType()).contains("text/plain");
    assertThat(m.responseTopic()).contains("r/x");
    assertThat(m.correlationData()).hasValueSatisfying(d -> assertThat(d).containsExactly(1));
    assertThat(m.userProperties())
        .containsExactly(new UserProperty("k", "1"), new UserProperty("k", "2"));
    assertThat(m.payloadUtf8()).isTrue();
    assertThat(m.messageExpiryInterval()).contains(Duration.ofSeconds(9));
    assertThat(m.subscriptionIdentifiers()).containsExactly(3);
    assertThat(m)
        .hasToString(
            "Message[topic=a/b, payload=2 bytes, qos=0, retain=false, dup=false,"
                + " messageExpiryInterval=9s, contentType=text/plain, responseTopic=r/x,"
                + " correlationData=1 bytes, userProperties=[k=1, k=2], payloadUtf8=true,"
                + " subscriptionIdentifiers=[3]]");

    Message sameButDelivered =
        Message.builder("a/b")
            .payload("hi")
            .contentType("text/plain")
            .responseTopic("r/x")
            .correlationData(new byte[] {1})
            .userProperty("k", "1")
            .userProperty("k", "2")
            .payloadUtf8(true)
            .build();
    assertThat(m).isEqualTo(sameButDelivered).hasSameHashCodeAs(sameButDelivered);
    assertThat(m).isNotEqualTo(Message.of("a/b", "hi", QoS.AT_MOST_ONCE, false));
    assertThat(Message.of("a/b", "hi", QoS.AT_MOST_ONCE, false).userProperties()).isEmpty();
  }

  @Test
  void publishPropertiesAreCheckedWhenSet() {
    Publish.Builder b = Publish.builder("a/b");
    assertThatThrownBy(() -> b.responseTopic("r/#"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("responseTopic");
    assertThatThrownBy(() -> b.messageExpiryInterval(Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("messageExpiryInterval must be whole seconds 0..4294967295, was PT1.5S");
    assertThatThrownBy(() -> b.correlationData(new byte[65_536]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("correlationData must be at most 65535 bytes, was 65536");
    assertThatThrownBy(() -> new UserProperty("a\u0000", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user property name must not contain U+0000");
  }

  @Test
  void aPublishWithPropertiesSaysSoAndComparesThem() {
    Publish plain = Publish.builder("a/b").payload("x").build();
    Publish typed = Publish.builder("a/b").payload("x").contentType("text/plain").build();

    assertThat(plain.hasMqtt5Properties()).isFalse();
    assertThat(typed.hasMqtt5Properties()).isTrue();
    assertThat(typed).isNotEqualTo(plain);
    assertThat(typed)
        .isEqualTo(Publish.builder("a/b").payload("x").contentType("text/plain").build());
    assertThat(typed.toString()).endsWith(", contentType=text/plain]");
  }

  @Test
  void connectOptionsCarryTheLevelTheSessionExpiryAndUserPropertiesInOrder() {
    ConnectOptions o =
        ConnectOptions.builder()
            .protocolVersion(5)
            .sessionExpiryInterval(Duration.ofHours(1))
            .userProperty("a", "1")
            .userProperty("a", "2")
            .build();

    assertThat(o.protocolVersion()).contains(5);
    assertThat(o.sessionExpiryInterval()).contains(Duration.ofHours(1));
    assertThat(o.userProperties())
        .isEqualTo(List.of(new UserProperty("a", "1"), new UserProperty("a", "2")));
    assertThat(ConnectOptions.defaults().protocolVersion()).isEmpty();
    assertThatThrownBy(() -> ConnectOptions.builder().protocolVersion(6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("protocol_version must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0), was 6");
  }
}
