package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.connected;
import static io.vmqtt.it.ItSupport.receive;
import static io.vmqtt.it.ItSupport.subscriber;
import static io.vmqtt.it.ItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.MosquittoTest;
import io.vmqtt.it.fixture.WebSocketBridge;
import io.vmqtt.testkit.MosquittoBroker;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole client over WebSocket frames that do not line up with MQTT packets [MQTT-6.0.0-2]: a
 * {@link WebSocketBridge} in front of mosquitto splits the broker's bytes into frames of 1 and 3
 * bytes, or into fragments of one message, or merges several packets into one frame; the client
 * must see the same packets. A publisher on plain TCP feeds it.
 */
@MosquittoTest
class WebSocketReframingTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/split", "/fragment"})
  void packetsSplitAcrossFramesOf1And3BytesArriveWholeAtEveryQos(
      String mode, MosquittoBroker broker) throws Exception {
    byte[] big = new byte[100 * 1024];
    new Random(3).nextBytes(big);
    try (WebSocketBridge bridge = WebSocketBridge.start(broker.port());
        MqttClient sub = subscriber(bridge.uri(mode), clientId("split"), "s/#", QoS.EXACTLY_ONCE);
        MqttClient pub = connected(broker, clientId("pub"))) {
      pub.publish("s/1", utf8("at least once"), QoS.AT_LEAST_ONCE, false);
      pub.publish("s/2", utf8("exactly once"), QoS.EXACTLY_ONCE, false);
      pub.publish("s/big", big, QoS.EXACTLY_ONCE, false);

      assertMessage(receive(sub), "s/1", "at least once", QoS.AT_LEAST_ONCE);
      assertMessage(receive(sub), "s/2", "exactly once", QoS.EXACTLY_ONCE);
      Message large = receive(sub);
      assertThat(large.topic()).isEqualTo("s/big");
      assertThat(large.payload()).isEqualTo(big);
      sub.ping();
      assertThat(bridge.splitFrames()).as("frames of 1 and 3 bytes").isGreaterThan(big.length / 2);
    }
  }

  /**
   * What the client sends crosses frames too: a 100 KB PUBLISH goes out as a 64 KiB frame and the
   * rest, and mosquitto puts it back together.
   */
  @Test
  void aPacketLargerThanAFrameGoesOutInSeveralAndArrivesWhole(MosquittoBroker broker)
      throws Exception {
    byte[] big = new byte[100 * 1024];
    new Random(4).nextBytes(big);
    try (WebSocketBridge bridge = WebSocketBridge.start(broker.port());
        MqttClient client =
            connected(bridge.uri("/split"), clientId("big-out"), MqttConfig.defaults())) {
      client.subscribe(List.of(Subscription.of("out/big", QoS.AT_LEAST_ONCE)));

      client.publish("out/big", big, QoS.AT_LEAST_ONCE, false);

      assertThat(receive(client).payload()).isEqualTo(big);
      assertThat(bridge.clientFrameSizes()).contains(64 * 1024);
    }
  }

  /**
   * The bridge holds back PUBLISH and PUBREL until a second one comes, or until a packet the client
   * waits for goes out with them: every step below puts two or more packets in one frame.
   */
  @Test
  void severalPacketsInOneFrameAreEachHandled(MosquittoBroker broker) throws Exception {
    try (WebSocketBridge bridge = WebSocketBridge.start(broker.port());
        MqttClient sub =
            subscriber(bridge.uri("/merge"), clientId("merge"), "m/#", QoS.EXACTLY_ONCE);
        MqttClient pub = connected(broker, clientId("pub"))) {
      // two PUBLISH in one frame
      pub.publish("m/1", utf8("one"), QoS.AT_LEAST_ONCE, false);
      pub.publish("m/2", utf8("two"), QoS.AT_LEAST_ONCE, false);
      assertMessage(receive(sub), "m/1", "one", QoS.AT_LEAST_ONCE);
      assertMessage(receive(sub), "m/2", "two", QoS.AT_LEAST_ONCE);

      // QoS 2: two PUBLISH in one frame, then their two PUBREL in another
      pub.publish("m/3", utf8("three"), QoS.EXACTLY_ONCE, false);
      pub.publish("m/4", utf8("four"), QoS.EXACTLY_ONCE, false);
      assertMessage(receive(sub), "m/3", "three", QoS.EXACTLY_ONCE);
      assertMessage(receive(sub), "m/4", "four", QoS.EXACTLY_ONCE);

      // a PUBLISH held until the PINGRESP it goes out with. QoS 1, so it is on its way to the
      // subscriber before the PINGREQ reaches the broker.
      pub.publish("m/5", utf8("five"), QoS.AT_LEAST_ONCE, false);
      sub.ping();
      assertMessage(receive(sub), "m/5", "five", QoS.AT_LEAST_ONCE);

      assertThat(bridge.mergedFrames())
          .as("frames holding several packets")
          .isGreaterThanOrEqualTo(3);
    }
  }

  private static void assertMessage(Message m, String topic, String payload, QoS qos) {
    assertThat(m.topic()).isEqualTo(topic);
    assertThat(m.payloadAsString()).isEqualTo(payload);
    assertThat(m.qos()).isEqualTo(qos);
  }
}
