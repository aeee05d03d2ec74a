package io.vmqtt.it.resilience;

import static io.vmqtt.it.resilience.ResilienceSupport.WAIT;
import static io.vmqtt.it.resilience.ResilienceSupport.clientId;
import static io.vmqtt.it.resilience.ResilienceSupport.occurrences;
import static io.vmqtt.it.resilience.ResilienceSupport.receive;
import static io.vmqtt.it.resilience.ResilienceSupport.reconnecting;
import static io.vmqtt.it.resilience.ResilienceSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.Connack;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.FaultProxy;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Test 4 of the resilience list: a subscriber behind a proxy that cuts it once. After a clean
 * session reconnect (session present 0) the client subscribes again by itself; after a
 * session-present reconnect it does not, and the broker's session delivers on its own. The broker's
 * verbose log is the witness: mosquitto logs {@code Received SUBSCRIBE from <id>} for every
 * SUBSCRIBE and {@code <id> <qos> <filter>} once the subscription is in place.
 */
class SubscriptionRestoreTest {
  @RegisterExtension
  static final MosquittoExtension mosquitto =
      new MosquittoExtension(MosquittoBroker.Builder::verboseLog);

  @Test
  void afterACleanSessionReconnectTheClientSubscribesAgainAndMessagesArriveAgain(
      MosquittoBroker broker) throws Exception {
    String id = clientId("restore");
    String single = "restore/" + id + "/a";
    String wildcard = "restore/" + id + "/b/#";
    try (FaultProxy proxy = FaultProxy.to(broker);
        MqttClient sub = MqttClient.create(id, reconnecting().cleanSession(true).build());
        MqttClient pub = MqttClient.create(clientId("restore-pub"), MqttConfig.defaults())) {
      ConnectionEvents events = ConnectionEvents.attachTo(sub);
      assertThat(sub.connect(proxy.uri())).isEqualTo(Connack.accepted(false));
      assertThat(
              sub.subscribe(
                  List.of(
                      Subscription.of(single, QoS.AT_LEAST_ONCE),
                      Subscription.of(wildcard, QoS.EXACTLY_ONCE))))
          .containsExactly(1, 2);
      pub.connect(broker.uri());
      assertThat(subscribesFrom(broker, id)).isEqualTo(1);

      assertThat(proxy.cutAll()).isEqualTo(1);
      events.awaitReconnects(1, WAIT);

      assertThat(events.reconnected().get(0).connack())
          .as("a clean session: the broker kept nothing")
          .isEqualTo(Connack.accepted(false));
      // Both filters in place again, each at the QoS it had, before anything is published.
      await("both subscriptions restored on the broker")
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  occurrences(broker.log(), id + " 1 " + single) == 2
                      && occurrences(broker.log(), id + " 2 " + wildcard) == 2);
      assertThat(subscribesFrom(broker, id)).as("SUBSCRIBE packets from " + id).isGreaterThan(1);

      pub.publish(single, utf8("to a"), QoS.AT_LEAST_ONCE, false);
      pub.publish("restore/" + id + "/b/c", utf8("to b"), QoS.EXACTLY_ONCE, false);

      Set<String> received = new HashSet<>();
      Message first = receive(sub);
      Message second = receive(sub);
      received.add(first.topic() + "=" + first.payloadAsString() + "@" + first.qos().value());
      received.add(second.topic() + "=" + second.payloadAsString() + "@" + second.qos().value());
      assertThat(received)
          .containsExactlyInAnyOrder(single + "=to a@1", "restore/" + id + "/b/c=to b@2");
    }
  }

  @Test
  void afterASessionPresentReconnectTheClientDoesNotSubscribeAgainAndMessagesStillArrive(
      MosquittoBroker broker) throws Exception {
    String id = clientId("resume");
    String topic = "resume/" + id;
    try (FaultProxy proxy = FaultProxy.to(broker);
        MqttClient sub = MqttClient.create(id, reconnecting().cleanSession(false).build());
        MqttClient pub = MqttClient.create(clientId("resume-pub"), MqttConfig.defaults())) {
      ConnectionEvents events = ConnectionEvents.attachTo(sub);
      assertThat(sub.connect(proxy.uri())).isEqualTo(Connack.accepted(false));
      assertThat(sub.subscribe(List.of(Subscription.of(topic, QoS.AT_LEAST_ONCE))))
          .containsExactly(1);
      pub.connect(broker.uri());
      assertThat(subscribesFrom(broker, id)).isEqualTo(1);

      assertThat(proxy.cutAll()).isEqualTo(1);
      // Published while the subscriber is away or coming back: the session keeps it either way.
      pub.publish(topic, utf8("while away"), QoS.AT_LEAST_ONCE, false);
      events.awaitReconnects(1, WAIT);

      assertThat(events.reconnected().get(0).connack())
          .as("the broker resumed the session")
          .isEqualTo(Connack.accepted(true));
      // PINGREQ goes out after anything the client sent on reconnecting; PINGRESP means the
      // broker has read all of it, a SUBSCRIBE included if there was one.
      sub.ping();
      pub.publish(topic, utf8("after"), QoS.AT_LEAST_ONCE, false);

      assertThat(receive(sub).payloadAsString()).isEqualTo("while away");
      assertThat(receive(sub).payloadAsString()).isEqualTo("after");
      await("no second SUBSCRIBE from " + id)
          .during(Duration.ofMillis(500))
          .atMost(WAIT)
          .until(() -> subscribesFrom(broker, id) == 1);
    }
  }

  private static int subscribesFrom(MosquittoBroker broker, String clientId) {
    return occurrences(broker.log(), "Received SUBSCRIBE from " + clientId + "\n");
  }
}
