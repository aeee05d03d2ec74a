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
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.ClientSetup;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.testkit.MosquittoBroker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * {@code subscribe} and {@code unsubscribe}. A refused filter (0x80) needs mosquitto's
 * dynamic-security plugin; the fake-broker tests cover it.
 *
 * <p>Each test runs at protocol levels 4 and 5 over {@code mqtt}, {@code mqtts} and {@code ws}
 * ({@link ClientSetup#ALL}), or at both levels over plain TCP ({@link ClientSetup#TCP}) where its
 * subject is the configuration rather than the wire.
 */
class SubscribeTest {
  @RegisterExtension
  static final MosquittoExtension mosquitto = new MosquittoExtension(ClientSetup::configure);

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#ALL")
  void subscribeReturnsTheGrantedQosOfEveryFilterInOrder(ClientSetup setup, MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient client = setup.connected(broker, clientId("suback"))) {
      List<Integer> codes =
          client.subscribe(
              List.of(
                  Subscription.of("a/#", QoS.EXACTLY_ONCE),
                  Subscription.of("b", QoS.AT_LEAST_ONCE),
                  Subscription.of("c", QoS.AT_MOST_ONCE)));

      assertThat(codes).containsExactly(2, 1, 0);
    }
  }

  @Test
  void aBrokerWithMaxQos1GrantsAtMostQos1() throws InterruptedException {
    try (MosquittoBroker broker = MosquittoBroker.builder().listenerOption("max_qos 1").start();
        MqttClient client = connected(broker, clientId("maxqos"))) {
      List<Integer> codes =
          client.subscribe(
              List.of(
                  Subscription.of("a", QoS.EXACTLY_ONCE),
                  Subscription.of("b", QoS.AT_LEAST_ONCE),
                  Subscription.of("c", QoS.AT_MOST_ONCE)));

      assertThat(codes).containsExactly(1, 1, 0);
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#ALL")
  void aMessageArrivesWithTheLowerOfItsQosAndTheGrantedQos(
      ClientSetup setup, MosquittoBroker broker) throws InterruptedException {
    try (MqttClient client = setup.connected(broker, clientId("downgrade"))) {
      client.subscribe(List.of(Subscription.of("down", QoS.AT_LEAST_ONCE)));

      client.publish("down", utf8("two"), QoS.EXACTLY_ONCE, false);

      Message m = receive(client);
      assertThat(m.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(m.dup()).isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#TCP")
  void wildcardFiltersReceiveTheTopicsTheyMatchOnly(ClientSetup setup, MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient client = setup.connected(broker, clientId("wildcard"))) {
      client.subscribe(List.of(Subscription.of("w/+/x", QoS.AT_LEAST_ONCE)));

      client.publish("w/2/y", utf8("no"), QoS.AT_LEAST_ONCE, false);
      client.publish("w/1/x", utf8("yes"), QoS.AT_LEAST_ONCE, false);

      Message m = receive(client);
      assertThat(m.topic()).isEqualTo("w/1/x");
      assertThat(m.payloadAsString()).isEqualTo("yes");
      assertNoMessagePending(client);
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#ALL")
  void afterUnsubscribeMessagesOnThatTopicNoLongerArrive(ClientSetup setup, MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient client = setup.connected(broker, clientId("unsub"))) {
      client.subscribe(
          List.of(
              Subscription.of("u/1", QoS.AT_LEAST_ONCE),
              Subscription.of("u/2", QoS.AT_LEAST_ONCE)));
      client.publish("u/1", utf8("before"), QoS.AT_LEAST_ONCE, false);
      assertThat(receive(client).payloadAsString()).isEqualTo("before");

      client.unsubscribe(List.of("u/1"));

      // QoS 1: the broker has routed it (to nobody) before it acknowledges.
      client.publish("u/1", utf8("after"), QoS.AT_LEAST_ONCE, false);
      assertNoMessagePending(client);
      // the other subscription is still there
      client.publish("u/2", utf8("still"), QoS.AT_LEAST_ONCE, false);
      assertThat(receive(client).topic()).isEqualTo("u/2");
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.vmqtt.it.fixture.ClientSetup#TCP")
  void unsubscribingFromAFilterThatWasNeverSubscribedReturns(
      ClientSetup setup, MosquittoBroker broker) throws InterruptedException {
    try (MqttClient client = setup.connected(broker, clientId("unsub-none"))) {
      client.unsubscribe(List.of("never/subscribed", "x/#"));
      assertThat(client.isConnected()).isTrue();
    }
  }

  @Test
  void emptyListsAreRejectedWithIllegalArgument(MosquittoBroker broker)
      throws InterruptedException {
    try (MqttClient client = connected(broker, clientId("empty"))) {
      assertThatThrownBy(() -> client.subscribe(List.of()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> client.unsubscribe(List.of()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> client.unsubscribe(List.of("a/#/b")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("a/#/b");
      assertThat(client.isConnected()).isTrue();
    }
  }
}
