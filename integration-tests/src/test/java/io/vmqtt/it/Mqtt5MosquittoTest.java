package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.receive;
import static io.vmqtt.it.ItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.Connack;
import io.vmqtt.ConnectOptions;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.MqttException;
import io.vmqtt.Publish;
import io.vmqtt.PublishRefusedException;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import io.vmqtt.ReasonCode;
import io.vmqtt.Subscription;
import io.vmqtt.UserProperty;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * MQTT 5 ({@code protocol_version} 5) against mosquitto 2.0, which speaks it: CONNECT with clean
 * start and session expiry, what CONNACK announces honoured (receive maximum, maximum QoS, retain
 * available, maximum packet size, assigned client identifier), acknowledgements with reason codes,
 * and the broker's DISCONNECT.
 */
class Mqtt5MosquittoTest {
  private static MqttConfig.Builder v5() {
    return MqttConfig.builder().protocolVersion(5).autoReconnect(false);
  }

  private static MqttClient connected(MosquittoBroker broker, String id, MqttConfig config)
      throws InterruptedException {
    return ItSupport.connected(broker, id, config);
  }

  @Test
  void messagesGoBothWaysAtEveryQosAtProtocolLevel5() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient sub = connected(broker, clientId("sub"), v5().build());
        MqttClient pub = connected(broker, clientId("pub"), v5().build())) {
      assertThat(sub.subscribe(List.of(Subscription.of("v5/#", QoS.EXACTLY_ONCE))))
          .containsExactly(2);
      for (QoS qos : QoS.values()) {
        pub.publish("v5/" + qos.value(), utf8("at " + qos.value()), qos, false);
        Message m = receive(sub);
        assertThat(m.topic()).isEqualTo("v5/" + qos.value());
        assertThat(m.payloadAsString()).isEqualTo("at " + qos.value());
        assertThat(m.qos()).isEqualTo(qos);
      }
    }
  }

  @Test
  void theProtocolLevelOfConnectOptionsWinsOverTheConfiguration() throws Exception {
    // An empty client id with cleansession false is refused in 3.1.1 (code 2) [MQTT-3.1.3-8]; in
    // MQTT 5 the broker assigns one.
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient client =
            MqttClient.create("", MqttConfig.builder().cleanSession(false).build())) {
      assertThatThrownBy(() -> client.connect(broker.uri()))
          .isInstanceOfSatisfying(
              io.vmqtt.ConnectException.class, e -> assertThat(e.returnCode()).isEqualTo(2));
      assertThat(
              client
                  .connect(broker.uri(), ConnectOptions.builder().protocolVersion(5).build())
                  .returnCode())
          .isZero();
    }
  }

  @Test
  void cleanSessionFalseKeepsTheSessionAcrossConnectionsAsWith311() throws Exception {
    // The migration note: cleansession false = Clean Start 0 and a session that never expires.
    String id = clientId("keep");
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient client = MqttClient.create(id, v5().cleanSession(false).build());
        MqttClient pub = connected(broker, clientId("pub"), v5().build())) {
      assertThat(client.connect(broker.uri()).sessionPresent()).isFalse();
      client.subscribe(List.of(Subscription.of("keep/x", QoS.AT_LEAST_ONCE)));
      client.disconnect();

      pub.publish("keep/x", utf8("while away"), QoS.AT_LEAST_ONCE, false);

      assertThat(client.connect(broker.uri()).sessionPresent()).isTrue();
      assertThat(receive(client).payloadAsString()).isEqualTo("while away");
    }
  }

  @Test
  void aSessionExpiryIntervalOfZeroEndsTheSessionWithTheConnection() throws Exception {
    String id = clientId("expire");
    MqttConfig config = v5().cleanSession(false).sessionExpiryInterval(Duration.ZERO).build();
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient client = MqttClient.create(id, config)) {
      client.connect(broker.uri());
      client.subscribe(List.of(Subscription.of("expire/x", QoS.AT_LEAST_ONCE)));
      client.disconnect();

      assertThat(client.connect(broker.uri()).sessionPresent()).isFalse();
    }
  }

  @Test
  void theAssignedClientIdentifierIsUsedOnReconnectSoTheSessionIsResumed() throws Exception {
    // An empty client id with MQTT 5: mosquitto assigns one (auto-<uuid>) in CONNACK.
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient client = MqttClient.create("", v5().cleanSession(false).build())) {
      assertThat(client.connect(broker.uri()).sessionPresent()).isFalse();
      client.disconnect();

      assertThat(client.connect(broker.uri()).sessionPresent()).isTrue();
    }
  }

  @Test
  void theBrokersReceiveMaximumCapsTheWindowSoNoPublishIsRefused() throws Exception {
    // mosquitto's max_inflight_messages 20 is CONNACK Receive Maximum 20. Past it, mosquitto
    // answers PUBREC 0x97 (Quota exceeded) rather than DISCONNECT 0x93: the client must throttle.
    int publishers = 60;
    try (MosquittoBroker broker = MosquittoBroker.builder().maxInflightMessages(20).start();
        MqttClient client = connected(broker, clientId("window"), v5().maxInflight(200).build());
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < publishers; i++) {
        int n = i;
        all.add(
            threads.submit(
                () -> client.publish("window/" + n, utf8("m" + n), QoS.EXACTLY_ONCE, false)));
      }
      for (Future<?> f : all) {
        f.get(); // a PUBREC 0x97 would throw PublishRefusedException here
      }
    }
  }

  @Test
  void aPublishAboveTheBrokersMaximumQosFailsBeforeAnythingIsSent() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.builder().maxQos(1).verboseLog().start();
        MqttClient client = connected(broker, clientId("maxqos"), v5().build())) {
      assertThatThrownBy(() -> client.publish("q/x", utf8("two"), QoS.EXACTLY_ONCE, false))
          .isInstanceOf(MqttException.class)
          .hasMessage(
              "publish to 'q/x' at QoS 2 failed before sending: the broker accepts at most QoS 1"
                  + " (Maximum QoS in its CONNACK) [MQTT-3.2.2-11]");
      client.publish("q/x", utf8("one"), QoS.AT_LEAST_ONCE, false);
      assertThat(client.isConnected()).isTrue();
      assertThat(broker.logContains("Received PUBLISH from " + client.clientId() + " (d0, q1"))
          .isTrue();
      assertThat(broker.logContains("(d0, q2")).isFalse();
    }
  }

  @Test
  void aRetainedPublishFailsBeforeSendingWhenTheBrokerHasNoRetain() throws Exception {
    // mosquitto would disconnect a v5 client that sends one anyway.
    try (MosquittoBroker broker = MosquittoBroker.builder().retainAvailable(false).start();
        MqttClient client = connected(broker, clientId("noretain"), v5().build())) {
      assertThatThrownBy(() -> client.publish("r/x", utf8("kept"), QoS.AT_LEAST_ONCE, true))
          .isInstanceOf(MqttException.class)
          .hasMessageContaining("the broker does not support retained messages");
      client.publish("r/x", utf8("not kept"), QoS.AT_LEAST_ONCE, false);
      assertThat(client.isConnected()).isTrue();
    }
  }

  @Test
  void aPublishLargerThanTheBrokersMaximumPacketSizeFailsBeforeSending() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.builder().maxPacketSize(1000).start();
        MqttClient client = connected(broker, clientId("size"), v5().build())) {
      // PUBLISH QoS 1 to "s/x": 1 + 2 (length) + 5 (topic) + 2 (id) + 1 (properties) + payload
      byte[] fits = new byte[1000 - 11];
      byte[] tooLarge = new byte[1000 - 10];
      client.publish("s/x", fits, QoS.AT_LEAST_ONCE, false);
      assertThatThrownBy(() -> client.publish("s/x", tooLarge, QoS.AT_LEAST_ONCE, false))
          .isInstanceOf(MqttException.class)
          .hasMessage(
              "publish to 's/x' at QoS 1 failed before sending: the PUBLISH of 1001 bytes exceeds"
                  + " the broker's Maximum Packet Size of 1000 bytes (in its CONNACK)"
                  + " [MQTT-3.2.2-15]");
      client.publish("s/x", fits, QoS.AT_LEAST_ONCE, false);
      assertThat(client.isConnected()).isTrue();
    }
  }

  @Test
  void aPublishTheAclForbidsIsRefusedWithReasonCode0x87() throws Exception {
    try (MosquittoBroker broker =
            MosquittoBroker.builder()
                .user("alice", "secret")
                .acl("user alice\ntopic readwrite allowed/#\n")
                .start();
        MqttClient client = MqttClient.create(clientId("acl"), v5().build())) {
      client.connect(broker.uri(), ConnectOptions.builder().credentials("alice", "secret").build());
      client.publish("allowed/x", utf8("fine"), QoS.AT_LEAST_ONCE, false);
      for (QoS qos : List.of(QoS.AT_LEAST_ONCE, QoS.EXACTLY_ONCE)) {
        assertThatThrownBy(() -> client.publish("denied/x", utf8("no"), qos, false))
            .isInstanceOfSatisfying(
                PublishRefusedException.class, e -> assertThat(e.reasonCode()).isEqualTo(0x87))
            .hasMessageStartingWith(
                "publish to 'denied/x' at QoS " + qos.value() + " failed: the broker refused it");
      }
      client.publish("allowed/x", utf8("still fine"), QoS.EXACTLY_ONCE, false);
    }
  }

  @Test
  void connackExposesWhatMosquittoAnnounces() throws Exception {
    try (MosquittoBroker broker =
            MosquittoBroker.builder()
                .maxInflightMessages(20)
                .maxQos(1)
                .retainAvailable(false)
                .maxPacketSize(1000)
                .maxKeepAlive(30)
                .maxTopicAlias(7)
                .start();
        MqttClient client =
            MqttClient.create("", v5().keepAlive(Duration.ofSeconds(100)).build())) {
      Connack ack = client.connect(broker.uri());

      assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      assertThat(ack.receiveMaximum()).isEqualTo(20);
      assertThat(ack.maximumQos()).isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(ack.retainAvailable()).isFalse();
      assertThat(ack.maximumPacketSize()).hasValue(1000);
      assertThat(ack.serverKeepAlive()).contains(Duration.ofSeconds(30));
      assertThat(ack.topicAliasMaximum()).isEqualTo(7);
      assertThat(ack.assignedClientIdentifier())
          .hasValueSatisfying(id -> assertThat(id).isNotEmpty());
      assertThat(ack.userProperties()).isEmpty();
    }
  }

  @Test
  void mosquittosDefaultsAreThoseOfTheSpecificationButItsTopicAliasMaximum() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient client = MqttClient.create(clientId("defaults"), v5().build())) {
      Connack ack = client.connect(broker.uri());

      assertThat(ack.receiveMaximum()).isEqualTo(20); // max_inflight_messages' default
      assertThat(ack.maximumQos()).isEqualTo(QoS.EXACTLY_ONCE);
      assertThat(ack.retainAvailable()).isTrue();
      assertThat(ack.maximumPacketSize()).isEmpty();
      assertThat(ack.serverKeepAlive()).isEmpty();
      assertThat(ack.topicAliasMaximum()).isEqualTo(10);
      assertThat(ack.assignedClientIdentifier()).isEmpty();
    }
  }

  @Test
  void publishPropertiesReachAnMqtt5SubscriberAndNotAn311One() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient v5 = connected(broker, clientId("sub5"), v5().build());
        MqttClient v4 = connected(broker, clientId("sub4"), MqttConfig.defaults());
        MqttClient pub = connected(broker, clientId("pub"), v5().build())) {
      v5.subscribe(List.of(Subscription.of("props/#", QoS.AT_LEAST_ONCE)));
      v4.subscribe(List.of(Subscription.of("props/#", QoS.AT_LEAST_ONCE)));
      Publish request =
          Publish.builder("props/req")
              .payload("{\"ask\":1}")
              .qos(QoS.AT_LEAST_ONCE)
              .contentType("application/json")
              .responseTopic("props/answer")
              .correlationData(new byte[] {1, 2, 3})
              .userProperty("k", "1")
              .userProperty("k", "2")
              .userProperty("j", "x")
              .payloadUtf8(true)
              .messageExpiryInterval(Duration.ofSeconds(600))
              .build();

      pub.publish(request);

      Message m = receive(v5);
      assertThat(m.payloadAsString()).isEqualTo("{\"ask\":1}");
      assertThat(m.contentType()).contains("application/json");
      assertThat(m.responseTopic()).contains("props/answer");
      assertThat(m.correlationData())
          .hasValueSatisfying(d -> assertThat(d).containsExactly(1, 2, 3));
      assertThat(m.userProperties())
          .containsExactly(
              new UserProperty("k", "1"), new UserProperty("k", "2"), new UserProperty("j", "x"));
      assertThat(m.payloadUtf8()).isTrue();
      // mosquitto sends the remaining lifetime: at most what was set.
      assertThat(m.messageExpiryInterval())
          .hasValueSatisfying(
              d -> assertThat(d).isBetween(Duration.ofSeconds(590), Duration.ofSeconds(600)));
      assertThat(m.subscriptionIdentifiers()).isEmpty();

      Message old = receive(v4);
      assertThat(old.payloadAsString()).isEqualTo("{\"ask\":1}");
      assertThat(old.contentType()).isEmpty();
      assertThat(old.userProperties()).isEmpty();
    }
  }

  @Test
  void propertiesOnAnMqtt311ConnectionFailBeforeSending() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient client = connected(broker, clientId("old"), MqttConfig.defaults())) {
      assertThatThrownBy(
              () ->
                  client.publish(
                      Publish.builder("a/b").payload("x").contentType("text/plain").build()))
          .isInstanceOf(MqttException.class)
          .hasMessageContaining("need protocol_version 5; the connection speaks MQTT 3.1.1");
      client.publish(Publish.builder("a/b").payload("x").qos(QoS.AT_LEAST_ONCE).build());
    }
  }

  @Test
  void aPublishWithoutSubscribersIsASuccessWithReasonCodeNoMatchingSubscribers() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient client = connected(broker, clientId("alone"), v5().build());
        MqttClient sub = connected(broker, clientId("sub"), v5().build())) {
      assertThat(client.publish("nobody/1", utf8("x"), QoS.AT_LEAST_ONCE, false).reasonCode())
          .isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
      // mosquitto routes a QoS 2 message on PUBREL, so its PUBREC cannot tell: 0x00.
      assertThat(client.publish("nobody/2", utf8("x"), QoS.EXACTLY_ONCE, false).reasonCode())
          .isEqualTo(ReasonCode.SUCCESS);
      sub.subscribe(List.of(Subscription.of("some/#", QoS.AT_LEAST_ONCE)));
      assertThat(client.publish("some/one", utf8("x"), QoS.AT_LEAST_ONCE, false).reasonCode())
          .isEqualTo(ReasonCode.SUCCESS);
    }
  }

  @Test
  void unsubscribeReturnsAReasonCodePerFilter() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient v5 = connected(broker, clientId("unsub5"), v5().build());
        MqttClient v4 = connected(broker, clientId("unsub4"), MqttConfig.defaults())) {
      v5.subscribe(List.of(Subscription.of("u/a", QoS.AT_LEAST_ONCE)));
      v4.subscribe(List.of(Subscription.of("u/a", QoS.AT_LEAST_ONCE)));

      assertThat(v5.unsubscribe(List.of("u/a", "u/never"))).containsExactly(0x00, 0x11);
      assertThat(v4.unsubscribe(List.of("u/a", "u/never"))).containsExactly(0x00, 0x00);
    }
  }

  /** The example of the README's "MQTT 5" section, as written there, against mosquitto. */
  @Test
  void theReadmeExampleRuns() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start()) {
      MqttConfig config =
          MqttConfig.from(
              Map.of(
                  "protocol_version", 5,
                  "cleansession", false,
                  "session_expiry_interval", 3600));
      try (MqttClient client = MqttClient.create(clientId("sensor-7"), config)) {
        Connack ack = client.connect(broker.uri());
        assertThat(ack.receiveMaximum()).isEqualTo(20);
        assertThat(ack.maximumQos()).isEqualTo(QoS.EXACTLY_ONCE);
        assertThat(ack.topicAliasMaximum()).isEqualTo(10);

        client.subscribe(List.of(Subscription.of("requests/#", QoS.AT_LEAST_ONCE)));
        PublishResult result =
            client.publish(
                Publish.builder("requests/7")
                    .payload("{\"temperature\":21.5}")
                    .payloadUtf8(true)
                    .qos(QoS.AT_LEAST_ONCE)
                    .contentType("application/json")
                    .responseTopic("replies/7")
                    .correlationData(new byte[] {42})
                    .userProperty("trace", "a1")
                    .userProperty("trace", "b2")
                    .messageExpiryInterval(Duration.ofMinutes(5))
                    .build());
        assertThat(result.reasonCode()).isEqualTo(ReasonCode.SUCCESS);

        Message m = client.deliverMessage(Duration.ofSeconds(5));
        assertThat(m.contentType()).contains("application/json");
        assertThat(m.responseTopic()).contains("replies/7");
        assertThat(m.userProperties())
            .containsExactly(new UserProperty("trace", "a1"), new UserProperty("trace", "b2"));
        assertThat(m.messageExpiryInterval())
            .hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMinutes(5)));
      }
    }
  }
}
