package io.vmqtt.it.resilience;

import static io.vmqtt.it.resilience.ResilienceSupport.WAIT;
import static io.vmqtt.it.resilience.ResilienceSupport.clientId;
import static io.vmqtt.it.resilience.ResilienceSupport.reconnecting;
import static io.vmqtt.it.resilience.ResilienceSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.Connack;
import io.vmqtt.Message;
import io.vmqtt.MessageSelector;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.FaultProxy;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Message listeners outlive connections: they are the client's, not the connection's. When the
 * broker has lost the session (a clean session, or a broker restarted without persistence), the
 * client subscribes again by itself ({@code restore_subscriptions}) and the same listeners get the
 * messages of the new connection, without being added again.
 */
class ListenerReconnectTest {
  @RegisterExtension static final MosquittoExtension mosquitto = new MosquittoExtension();

  @Test
  void listenersGetMessagesAgainAfterABrokerRestartThatLostTheSession(MosquittoBroker broker)
      throws Exception {
    String id = clientId("lrestart");
    String topic = "listeners/restart/" + id;
    List<Message> bySubscribe = new CopyOnWriteArrayList<>();
    List<Message> byFilter = new CopyOnWriteArrayList<>();
    try (MqttClient sub = MqttClient.create(id, reconnecting().cleanSession(false).build())) {
      ConnectionEvents events = ConnectionEvents.attachTo(sub);
      assertThat(sub.connect(broker.uri())).isEqualTo(Connack.accepted(false));
      assertThat(sub.subscribe(topic + "/a", QoS.AT_LEAST_ONCE, bySubscribe::add)).isEqualTo(1);
      sub.addMessageListener(MessageSelector.topic(topic + "/b/+"), byFilter::add);
      assertThat(sub.subscribe(List.of(Subscription.of(topic + "/b/#", QoS.EXACTLY_ONCE))))
          .containsExactly(2);
      publish(broker, topic + "/a", "before");
      await().atMost(WAIT).until(() -> bySubscribe.size() == 1);

      broker.restart(); // persistence false: the broker forgets the session
      events.awaitReconnects(1, WAIT);
      assertThat(events.reconnected().get(0).connack())
          .as("the restarted broker had no session")
          .isEqualTo(Connack.accepted(false));
      // PINGRESP: the broker has read what the client sent on reconnecting, its SUBSCRIBE too.
      sub.ping();

      publish(broker, topic + "/a", "after");
      publish(broker, topic + "/b/c", "after, by filter", QoS.EXACTLY_ONCE);

      await().atMost(WAIT).until(() -> bySubscribe.size() == 2 && byFilter.size() == 1);
      assertThat(bySubscribe)
          .extracting(Message::payloadAsString)
          .containsExactly("before", "after");
      assertThat(byFilter.get(0).payloadAsString()).isEqualTo("after, by filter");
      assertThat(byFilter.get(0).qos()).isEqualTo(QoS.EXACTLY_ONCE);
      assertThat(sub.pollMessage())
          .as("nothing left for deliverMessage")
          .isEqualTo(Optional.empty());
    }
  }

  @Test
  void aListenerGetsMessagesAgainAfterACleanSessionConnectionWasCut(MosquittoBroker broker)
      throws Exception {
    String id = clientId("lcut");
    String topic = "listeners/cut/" + id;
    List<String> got = new CopyOnWriteArrayList<>();
    try (FaultProxy proxy = FaultProxy.to(broker);
        MqttClient sub = MqttClient.create(id, reconnecting().cleanSession(true).build())) {
      ConnectionEvents events = ConnectionEvents.attachTo(sub);
      sub.connect(proxy.uri());
      assertThat(sub.subscribe(topic, QoS.AT_LEAST_ONCE, m -> got.add(m.payloadAsString())))
          .isEqualTo(1);
      publish(broker, topic, "m0");
      await().atMost(WAIT).until(() -> got.size() == 1);

      for (int cut = 1; cut <= 3; cut++) {
        assertThat(proxy.cutAll()).isEqualTo(1);
        events.awaitReconnects(1, WAIT);
        sub.ping();
        publish(broker, topic, "m" + cut);
        int expected = cut + 1;
        await().atMost(WAIT).until(() -> got.size() == expected);
      }
      assertThat(got).containsExactly("m0", "m1", "m2", "m3");
      await()
          .during(Duration.ofMillis(300))
          .atMost(WAIT)
          .until(() -> got.size() == 4); // re-subscribed once per reconnection, not more
    }
  }

  private static void publish(MosquittoBroker broker, String topic, String payload)
      throws InterruptedException {
    publish(broker, topic, payload, QoS.AT_LEAST_ONCE);
  }

  private static void publish(MosquittoBroker broker, String topic, String payload, QoS qos)
      throws InterruptedException {
    try (MqttClient pub = MqttClient.create(clientId("lpub"), MqttConfig.defaults())) {
      pub.connect(broker.uri());
      pub.publish(topic, utf8(payload), qos, false);
      pub.disconnect();
    }
  }
}
