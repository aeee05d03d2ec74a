package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.assertNoMessagePending;
import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.connected;
import static io.vmqtt.it.ItSupport.receive;
import static io.vmqtt.it.ItSupport.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.MqttConfig.TopicSettings;
import io.vmqtt.Publish;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import io.vmqtt.ReasonCode;
import io.vmqtt.it.fixture.MosquittoTest;
import io.vmqtt.testkit.MosquittoBroker;
import org.junit.jupiter.api.Test;

/**
 * {@code publish(Publish)} against mosquitto: what the message sets wins, what it leaves out comes
 * from the config as for {@code publish(topic, payload)}. Whether a message was retained is seen by
 * a subscriber that comes later; QoS 1 and 2 publishes return once the broker has stored it.
 */
@MosquittoTest
class PublishMessageTest {

  @Test
  void anExplicitQosAndRetainFalseWinOverATopicEntryOfQos2Retained(MosquittoBroker broker)
      throws InterruptedException {
    MqttConfig config = MqttConfig.builder().topic("pm/a", QoS.EXACTLY_ONCE, true).build();
    try (MqttClient sub = subscriber(broker, clientId("sub"), "pm/a", QoS.EXACTLY_ONCE);
        MqttClient pub = connected(broker, clientId("pub"), config)) {
      PublishResult result =
          pub.publish(
              Publish.builder("pm/a")
                  .payload("explicit")
                  .qos(QoS.AT_LEAST_ONCE)
                  .retain(false)
                  .build());

      assertThat(result.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(result.packetId()).isBetween(1, 65535);
      assertThat(result.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      Message m = receive(sub);
      assertThat(m.payloadAsString()).isEqualTo("explicit");
      assertThat(m.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
    }
    try (MqttClient later = subscriber(broker, clientId("later"), "pm/a", QoS.EXACTLY_ONCE)) {
      assertNoMessagePending(later); // retain false won: nothing was retained
    }
  }

  @Test
  void anExplicitQos0WinsOverATopicEntryOfQos2(MosquittoBroker broker) throws InterruptedException {
    MqttConfig config = MqttConfig.builder().topic("pm/zero", QoS.EXACTLY_ONCE).build();
    try (MqttClient sub = subscriber(broker, clientId("sub"), "pm/zero", QoS.EXACTLY_ONCE);
        MqttClient pub = connected(broker, clientId("pub"), config)) {
      PublishResult result =
          pub.publish(Publish.builder("pm/zero").payload("zero").qos(QoS.AT_MOST_ONCE).build());

      assertThat(result).isEqualTo(PublishResult.of(QoS.AT_MOST_ONCE, 0));
      Message m = receive(sub);
      assertThat(m.payloadAsString()).isEqualTo("zero");
      assertThat(m.qos()).isEqualTo(QoS.AT_MOST_ONCE);
    }
  }

  @Test
  void whatIsNotSetComesFromTheTopicEntry(MosquittoBroker broker) throws InterruptedException {
    // hbmqtt's '/some_topic': QoS 2 and retained.
    MqttConfig config = MqttConfig.builder().topic("pm/some_topic", QoS.EXACTLY_ONCE, true).build();
    try (MqttClient pub = connected(broker, clientId("pub"), config)) {
      PublishResult result = pub.publish(Publish.builder("pm/some_topic").payload("some").build());

      assertThat(result.qos()).isEqualTo(QoS.EXACTLY_ONCE);
    }
    try (MqttClient later =
        subscriber(broker, clientId("later"), "pm/some_topic", QoS.EXACTLY_ONCE)) {
      Message m = receive(later);
      assertThat(m.payloadAsString()).isEqualTo("some");
      assertThat(m.qos()).isEqualTo(QoS.EXACTLY_ONCE);
      assertThat(m.retain()).isTrue();
    }
  }

  @Test
  void whatIsNotSetComesFromTheDefaultsWhenNoEntryMatches(MosquittoBroker broker)
      throws InterruptedException {
    MqttConfig config =
        MqttConfig.builder()
            .defaultQos(QoS.AT_LEAST_ONCE)
            .defaultRetain(true)
            .topic("other/#", QoS.EXACTLY_ONCE, false)
            .build();
    try (MqttClient pub = connected(broker, clientId("pub"), config)) {
      PublishResult result = pub.publish(Publish.builder("pm/plain").payload("defaults").build());

      assertThat(result.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(result.packetId()).isNotZero();
    }
    try (MqttClient later = subscriber(broker, clientId("later"), "pm/plain", QoS.EXACTLY_ONCE)) {
      Message m = receive(later);
      assertThat(m.payloadAsString()).isEqualTo("defaults");
      assertThat(m.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(m.retain()).isTrue();
    }
  }

  @Test
  void anExplicitQosKeepsTheRetainFlagOfTheMostSpecificFilterEntry(MosquittoBroker broker)
      throws InterruptedException {
    MqttConfig config =
        MqttConfig.builder()
            .topic("pmf/status/#", TopicSettings.retain(true))
            .topic("pmf/#", QoS.AT_MOST_ONCE, false)
            .build();
    try (MqttClient pub = connected(broker, clientId("pub"), config)) {
      pub.publish(Publish.builder("pmf/status/7").payload("up").qos(QoS.AT_LEAST_ONCE).build());
      pub.publish(Publish.builder("pmf/other").payload("x").qos(QoS.AT_LEAST_ONCE).build());
    }
    try (MqttClient later = subscriber(broker, clientId("later"), "pmf/#", QoS.AT_LEAST_ONCE)) {
      Message m = receive(later);
      assertThat(m.topic()).isEqualTo("pmf/status/7");
      assertThat(m.retain()).isTrue();
      assertNoMessagePending(later); // pmf/other was not retained
    }
  }

  @Test
  void anExplicitRetainTrueWinsOverDefaultRetainFalse(MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient pub = connected(broker, clientId("pub"))) {
      pub.publish(
          Publish.builder("pm/kept")
              .payload(new byte[] {1, 2, 3})
              .qos(QoS.AT_LEAST_ONCE)
              .retain(true)
              .build());
    }
    try (MqttClient later = subscriber(broker, clientId("later"), "pm/kept", QoS.AT_LEAST_ONCE)) {
      Message m = receive(later);
      assertThat(m.payload()).containsExactly(1, 2, 3);
      assertThat(m.retain()).isTrue();
    }
  }

  @Test
  void aNullMessageIsRefusedNamingIt(MosquittoBroker broker) throws InterruptedException {
    try (MqttClient client = connected(broker, clientId("null"))) {
      assertThatThrownBy(() -> client.publish((Publish) null)).hasMessage("message");
      assertThat(client.isConnected()).isTrue();
    }
  }
}
