package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vmqtt.MqttClient;
import io.vmqtt.OperationTimeoutException;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** subscribe() and unsubscribe() against the broker's SUBACK and UNSUBACK. */
class SubscribeTest {
  private FakeBroker broker;
  private MqttClient client;

  @BeforeEach
  void start() throws Exception {
    broker = FakeBroker.start();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    broker.close();
  }

  private void connect() throws Exception {
    client = MqttClient.create("fake-subscribe", config().build());
    client.connect(broker.uri());
    broker.takePacket(RawPacket.CONNECT, WAIT);
  }

  @Test
  void subscribeReturnsTheGrantedQosOfEveryFilterInOrder() throws Exception {
    connect();

    List<Integer> codes =
        client.subscribe(
            List.of(
                Subscription.of("a/#", QoS.EXACTLY_ONCE),
                Subscription.of("b/+", QoS.AT_MOST_ONCE),
                Subscription.of("c", QoS.AT_LEAST_ONCE)));

    assertThat(codes).containsExactly(2, 0, 1);
    RawPacket subscribe = broker.takePacket(WAIT);
    assertThat(subscribe.type()).isEqualTo(RawPacket.SUBSCRIBE);
    assertThat(subscribe.flags()).as("SUBSCRIBE flags [MQTT-3.8.1-1]").isEqualTo(2);
    assertThat(subscribe.asSubscribe())
        .containsExactly(
            new Frames.TopicRequest("a/#", 2),
            new Frames.TopicRequest("b/+", 0),
            new Frames.TopicRequest("c", 1));
  }

  @Test
  void aSubackRefusingOneFilterReturns0x80ForThatFilter() throws Exception {
    broker.on(RawPacket.SUBSCRIBE, Action.reply(p -> Frames.suback(p.packetId(), 1, 0x80)));
    connect();

    List<Integer> codes =
        client.subscribe(
            List.of(
                Subscription.of("allowed/#", QoS.AT_LEAST_ONCE),
                Subscription.of("forbidden/#", QoS.EXACTLY_ONCE)));

    assertThat(codes).containsExactly(1, 0x80);
    assertThat(client.isConnected()).isTrue();
  }

  @Test
  void aSubackThatNeverComesFailsSubscribeWithOperationTimeout() throws Exception {
    broker.enqueue(RawPacket.SUBSCRIBE, Action.ignore());
    connect();

    Throwable failure =
        catchThrowable(() -> client.subscribe(List.of(Subscription.of("a", QoS.AT_MOST_ONCE))));

    assertThat(failure).isInstanceOf(OperationTimeoutException.class);
    assertThat(client.subscribe(List.of(Subscription.of("b", QoS.AT_MOST_ONCE))))
        .containsExactly(0);
  }

  @Test
  void unsubscribeReturnsWhenUnsubackArrives() throws Exception {
    connect();

    client.unsubscribe(List.of("a/#", "b"));

    RawPacket unsubscribe = broker.takePacket(WAIT);
    assertThat(unsubscribe.type()).isEqualTo(RawPacket.UNSUBSCRIBE);
    assertThat(unsubscribe.flags()).as("UNSUBSCRIBE flags [MQTT-3.10.1-1]").isEqualTo(2);
    assertThat(unsubscribe.asUnsubscribe()).containsExactly("a/#", "b");
  }
}
