package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.assertNoMessagePending;
import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.connected;
import static io.vmqtt.it.ItSupport.receive;
import static io.vmqtt.it.ItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.ClientSetup;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.testkit.MosquittoBroker;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * {@code publish}: results, retained messages, and QoS and retain from the config.
 *
 * <p>Each test runs at protocol levels 4 and 5 over {@code mqtt}, {@code mqtts} and {@code ws}
 * ({@link ClientSetup#ALL}), or at both levels over plain TCP ({@link ClientSetup#TCP}) where its
 * subject is the configuration rather than the wire.
 */
class PublishTest {
  @RegisterExtension
  static final MosquittoExtension mosquitto = new MosquittoExtension(ClientSetup::configure);

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#ALL")
  void aRetainedMessageReachesLaterSubscribersWithTheRetainFlag(
      ClientSetup setup, MosquittoBroker broker) throws InterruptedException {
    try (MqttClient live = setup.subscriber(broker, clientId("live"), "ret/x", QoS.AT_LEAST_ONCE);
        MqttClient publisher = setup.connected(broker, clientId("retainer"))) {
      publisher.publish("ret/x", utf8("kept"), QoS.AT_LEAST_ONCE, true);

      // [MQTT-3.3.1-9]: a subscriber that was already there gets it with retain 0
      Message now = receive(live);
      assertThat(now.payloadAsString()).isEqualTo("kept");
      assertThat(now.retain()).isFalse();

      try (MqttClient later =
          setup.subscriber(broker, clientId("later"), "ret/x", QoS.AT_LEAST_ONCE)) {
        Message retained = receive(later);
        assertThat(retained.topic()).isEqualTo("ret/x");
        assertThat(retained.payloadAsString()).isEqualTo("kept");
        assertThat(retained.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(retained.retain()).isTrue();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#ALL")
  void anEmptyRetainedPayloadClearsTheRetainedMessage(ClientSetup setup, MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient live = setup.subscriber(broker, clientId("live"), "ret/y", QoS.AT_LEAST_ONCE);
        MqttClient publisher = setup.connected(broker, clientId("retainer"))) {
      publisher.publish("ret/y", utf8("kept"), QoS.AT_LEAST_ONCE, true);
      publisher.publish("ret/y", new byte[0], QoS.AT_LEAST_ONCE, true);

      assertThat(receive(live).payloadAsString()).isEqualTo("kept");
      Message clear = receive(live);
      assertThat(clear.payload()).isEmpty();
      assertThat(clear.topic()).isEqualTo("ret/y");

      // [MQTT-3.3.1-10], [MQTT-3.3.1-11]: nothing is retained any more
      try (MqttClient later =
          setup.subscriber(broker, clientId("later"), "ret/y", QoS.AT_LEAST_ONCE)) {
        assertNoMessagePending(later);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#TCP")
  void anExplicitQos0WinsOverATopicDefaultOfQos2(ClientSetup setup, MosquittoBroker broker)
      throws InterruptedException {
    MqttConfig config = MqttConfig.builder().topic("t/x", QoS.EXACTLY_ONCE).build();
    try (MqttClient sub = setup.subscriber(broker, clientId("sub"), "t/x", QoS.EXACTLY_ONCE);
        MqttClient pub = setup.connected(broker, clientId("pub"), config)) {
      PublishResult result = pub.publish("t/x", utf8("explicit"), QoS.AT_MOST_ONCE, false);

      assertThat(result).isEqualTo(PublishResult.of(QoS.AT_MOST_ONCE, 0));
      Message m = receive(sub);
      assertThat(m.payloadAsString()).isEqualTo("explicit");
      assertThat(m.qos()).isEqualTo(QoS.AT_MOST_ONCE);
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#TCP")
  void publishWithoutQosUsesTheTopicDefault(ClientSetup setup, MosquittoBroker broker)
      throws InterruptedException {
    MqttConfig config = MqttConfig.builder().topic("t/x", QoS.EXACTLY_ONCE).build();
    try (MqttClient sub = setup.subscriber(broker, clientId("sub"), "t/x", QoS.EXACTLY_ONCE);
        MqttClient pub = setup.connected(broker, clientId("pub"), config)) {
      PublishResult result = pub.publish("t/x", utf8("from topics"));

      assertThat(result.qos()).isEqualTo(QoS.EXACTLY_ONCE);
      assertThat(result.packetId()).isBetween(1, 65535);
      Message m = receive(sub);
      assertThat(m.payloadAsString()).isEqualTo("from topics");
      assertThat(m.qos()).isEqualTo(QoS.EXACTLY_ONCE);
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#TCP")
  void aFilterEntryInTopicsAppliesToTheTopicsItMatches(ClientSetup setup, MosquittoBroker broker)
      throws InterruptedException {
    MqttConfig config = MqttConfig.builder().topic("sensors/+/temp", QoS.AT_LEAST_ONCE).build();
    try (MqttClient sub = setup.subscriber(broker, clientId("sub"), "sensors/#", QoS.EXACTLY_ONCE);
        MqttClient pub = setup.connected(broker, clientId("pub"), config)) {
      assertThat(pub.publish("sensors/7/temp", utf8("21.5")).qos()).isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(pub.publish("sensors/7/humidity", utf8("40")).qos()).isEqualTo(QoS.AT_MOST_ONCE);

      Message temp = receive(sub);
      Message humidity = receive(sub);
      assertThat(temp.topic()).isEqualTo("sensors/7/temp");
      assertThat(temp.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(humidity.topic()).isEqualTo("sensors/7/humidity");
      assertThat(humidity.qos()).isEqualTo(QoS.AT_MOST_ONCE);
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#TCP")
  void publishWithoutQosUsesDefaultQosForTopicsWithoutAnEntry(
      ClientSetup setup, MosquittoBroker broker) throws InterruptedException {
    MqttConfig config = MqttConfig.builder().defaultQos(QoS.AT_LEAST_ONCE).build();
    try (MqttClient sub = setup.subscriber(broker, clientId("sub"), "plain", QoS.EXACTLY_ONCE);
        MqttClient pub = setup.connected(broker, clientId("pub"), config)) {
      PublishResult result = pub.publish("plain", utf8("default qos"));

      assertThat(result.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(result.packetId()).isNotZero();
      assertThat(receive(sub).qos()).isEqualTo(QoS.AT_LEAST_ONCE);
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#TCP")
  void anExplicitRetainFalseWinsOverDefaultRetainTrue(ClientSetup setup, MosquittoBroker broker)
      throws InterruptedException {
    // QoS 1, so each publish returns once the broker has stored (or not) the retained message.
    MqttConfig config =
        MqttConfig.builder().defaultRetain(true).defaultQos(QoS.AT_LEAST_ONCE).build();
    try (MqttClient pub = setup.connected(broker, clientId("pub"), config)) {
      pub.publish("r/explicit", utf8("not retained"), QoS.AT_LEAST_ONCE, false);
      pub.publish("r/default", utf8("retained"));
    }
    try (MqttClient later = setup.connected(broker, clientId("later"))) {
      later.subscribe(
          List.of(
              Subscription.of("r/explicit", QoS.AT_LEAST_ONCE),
              Subscription.of("r/default", QoS.AT_LEAST_ONCE)));

      Message m = receive(later);
      assertThat(m.topic()).isEqualTo("r/default");
      assertThat(m.payloadAsString()).isEqualTo("retained");
      assertThat(m.retain()).isTrue();
      assertNoMessagePending(later);
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#TCP")
  void aTopicEntryWithRetainTrueRetainsLikeHbmqttsSomeTopicExample(
      ClientSetup setup, MosquittoBroker broker) throws InterruptedException {
    // hbmqtt's config example: '/test' at QoS 1, '/some_topic' at QoS 2 and retained
    MqttConfig config =
        MqttConfig.builder()
            .topic("/test", QoS.AT_LEAST_ONCE)
            .topic("/some_topic", QoS.EXACTLY_ONCE, true)
            .build();
    try (MqttClient pub = setup.connected(broker, clientId("pub"), config)) {
      assertThat(pub.publish("/test", utf8("test")).qos()).isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(pub.publish("/some_topic", utf8("some")).qos()).isEqualTo(QoS.EXACTLY_ONCE);
    }
    try (MqttClient later = setup.connected(broker, clientId("later"))) {
      later.subscribe(
          List.of(
              Subscription.of("/test", QoS.EXACTLY_ONCE),
              Subscription.of("/some_topic", QoS.EXACTLY_ONCE)));

      Message m = receive(later);
      assertThat(m.topic()).isEqualTo("/some_topic");
      assertThat(m.qos()).isEqualTo(QoS.EXACTLY_ONCE);
      assertThat(m.retain()).isTrue();
      assertNoMessagePending(later);
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#TCP")
  void aOneMebibytePayloadArrivesIntact(ClientSetup setup, MosquittoBroker broker)
      throws InterruptedException {
    byte[] payload = new byte[1024 * 1024];
    new Random(42).nextBytes(payload);
    try (MqttClient sub = setup.subscriber(broker, clientId("sub"), "big", QoS.AT_LEAST_ONCE);
        MqttClient pub = setup.connected(broker, clientId("pub"))) {
      pub.publish("big", payload, QoS.AT_LEAST_ONCE, false);

      assertThat(receive(sub).payload()).isEqualTo(payload);
    }
  }

  @Test
  void publishingToATopicWithAWildcardThrowsIllegalArgument(MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient client = connected(broker, clientId("wild"))) {
      assertThatThrownBy(() -> client.publish("a/+", utf8("x"), QoS.AT_LEAST_ONCE, false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("a/+");
      assertThatThrownBy(() -> client.publish("a/#", utf8("x")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(client.isConnected()).isTrue();
    }
  }
}
