package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.assertNoMessagePending;
import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.receive;
import static io.vmqtt.it.ItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.ConnectException;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.MqttException;
import io.vmqtt.OperationTimeoutException;
import io.vmqtt.Publish;
import io.vmqtt.QoS;
import io.vmqtt.ReasonCode;
import io.vmqtt.Subscription;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * MQTT 5 against mosquitto 2.0: blocking request/response ({@code request} and {@code respond}),
 * outbound topic aliases end to end, and a refused enhanced authentication method.
 */
class Mqtt5RequestResponseTest {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private static MqttConfig.Builder v5() {
    return MqttConfig.builder().protocolVersion(5).autoReconnect(false);
  }

  /** A client that answers every request on {@code svc/#} with "re:" and the request's payload. */
  private static MqttClient responder(MosquittoBroker broker) throws InterruptedException {
    MqttClient responder = ItSupport.connected(broker, clientId("responder"), v5().build());
    responder.subscribe(
        "svc/#", QoS.AT_LEAST_ONCE, m -> responder.respond(m, utf8("re:" + m.payloadAsString())));
    return responder;
  }

  @Test
  void aHundredConcurrentRequestsEachGetTheirOwnResponse() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient responder = responder(broker);
        MqttClient requester = ItSupport.connected(broker, clientId("requester"), v5().build());
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Message>> answers = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String payload = "q" + i;
        answers.add(
            threads.submit(
                () ->
                    requester.request(
                        Publish.builder("svc/echo").payload(payload).qos(QoS.AT_LEAST_ONCE).build(),
                        REQUEST_TIMEOUT)));
      }
      for (int i = 0; i < 100; i++) {
        Message m = answers.get(i).get();
        assertThat(m.payloadAsString()).isEqualTo("re:q" + i);
        assertThat(m.topic()).isEqualTo("vmqtt/response/" + requester.clientId());
      }
      assertNoMessagePending(requester); // no response went to deliverMessage
    }
  }

  @Test
  void aRequestNobodyAnswersTimesOut() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient requester = ItSupport.connected(broker, clientId("requester"), v5().build())) {
      assertThatThrownBy(
              () -> requester.request("nobody/home", utf8("hello?"), Duration.ofMillis(300)))
          .isInstanceOf(OperationTimeoutException.class)
          .hasMessageContaining("request to 'nobody/home' got no response");
      assertThat(requester.isConnected()).isTrue();
    }
  }

  @Test
  void aStrayResponseIsIgnoredAndNeitherAnswersARequestNorReachesDeliverMessage() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient requester = ItSupport.connected(broker, clientId("requester"), v5().build());
        MqttClient responder = ItSupport.connected(broker, clientId("responder"), v5().build())) {
      // The stray goes first, to the same response topic, from the same client: it arrives first.
      responder.subscribe(
          "svc/stray",
          QoS.AT_LEAST_ONCE,
          m -> {
            String topic = m.responseTopic().orElseThrow();
            responder.publish(
                Publish.builder(topic)
                    .payload("stray")
                    .correlationData(new byte[] {1, 2, 3})
                    .qos(QoS.AT_LEAST_ONCE)
                    .build());
            responder.publish(
                Publish.builder(topic).payload("uncorrelated").qos(QoS.AT_LEAST_ONCE).build());
            responder.respond(m, utf8("the answer"));
          });

      Message answer = requester.request("svc/stray", utf8("q"), REQUEST_TIMEOUT);

      assertThat(answer.payloadAsString()).isEqualTo("the answer");
      assertNoMessagePending(requester);
    }
  }

  @Test
  void aRequestKeepsThePropertiesAndQosOfItsPublish() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient requester = ItSupport.connected(broker, clientId("requester"), v5().build());
        MqttClient responder = ItSupport.connected(broker, clientId("responder"), v5().build())) {
      responder.subscribe(
          "svc/props",
          QoS.EXACTLY_ONCE,
          m -> responder.respond(m, utf8(m.contentType().orElse("-") + "/" + m.qos().value())));

      Message answer =
          requester.request(
              Publish.builder("svc/props")
                  .payload("x")
                  .qos(QoS.EXACTLY_ONCE)
                  .contentType("text/plain")
                  .build(),
              REQUEST_TIMEOUT);

      assertThat(answer.payloadAsString()).isEqualTo("text/plain/2");
      assertThat(answer.qos()).isEqualTo(QoS.EXACTLY_ONCE);
    }
  }

  @Test
  void requestNeedsMqtt5AndRespondNeedsAResponseTopic() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient v4 = ItSupport.connected(broker, clientId("v4"), MqttConfig.defaults())) {
      assertThatThrownBy(() -> v4.request("svc/x", utf8("q"), REQUEST_TIMEOUT))
          .isInstanceOf(MqttException.class)
          .hasMessageContaining("needs protocol_version 5");
      assertThatThrownBy(
              () ->
                  v4.respond(
                      Message.of("svc/x", "no response topic", QoS.AT_MOST_ONCE, false), utf8("a")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("has no Response Topic");
    }
  }

  @Test
  void outboundTopicAliasesCarryEveryMessageToItsTopic() throws Exception {
    try (MosquittoBroker broker =
            MosquittoBroker.builder().extraConfig("max_topic_alias 10").start();
        MqttClient sub = ItSupport.connected(broker, clientId("sub"), v5().build());
        MqttClient pub =
            ItSupport.connected(broker, clientId("pub"), v5().outboundTopicAliases(10).build())) {
      sub.subscribe(List.of(Subscription.of("alias/#", QoS.AT_LEAST_ONCE)));
      // 15 topics for 10 aliases, three rounds: hits, misses and reassigned aliases.
      for (int round = 0; round < 3; round++) {
        for (int t = 0; t < 15; t++) {
          pub.publish("alias/" + t, utf8(round + ":" + t), QoS.AT_LEAST_ONCE, false);
        }
      }
      for (int round = 0; round < 3; round++) {
        for (int t = 0; t < 15; t++) {
          Message m = receive(sub);
          assertThat(m.topic() + " " + m.payloadAsString())
              .isEqualTo("alias/" + t + " " + round + ":" + t);
        }
      }
    }
  }

  @Test
  void mosquittoRefusesAnAuthenticationMethodItDoesNotKnowWith0x8C() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient client =
            MqttClient.create(clientId("scram"), v5().authMethod("SCRAM-SHA-256").build())) {
      String uri = broker.uri().replace("mqtt://", "mqtt://user:pencil@");
      assertThatThrownBy(() -> client.connect(uri))
          .isInstanceOfSatisfying(
              ConnectException.class,
              e -> assertThat(e.reasonCode()).contains(ReasonCode.BAD_AUTHENTICATION_METHOD));
    }
  }
}
