package io.vmqtt.testkit.examples;

import static io.vmqtt.testkit.MqttAssertions.assertThat;
import static io.vmqtt.testkit.MqttAwait.awaitMessages;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.QoS;
import io.vmqtt.testkit.MessageRecorder;
import io.vmqtt.testkit.MqttBrokerTest;
import io.vmqtt.testkit.TestBroker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's example of the embedded kind: Moquette in the test's JVM, nothing to install. */
@MqttBrokerTest
class EmbeddedBrokerExampleTest {

  @Test
  void aPublishedReadingReachesTheSubscriber(MqttClient device, MessageRecorder recorder)
      throws InterruptedException {
    recorder.subscribe("sensors/#");

    device.publish("sensors/7/temp", utf8("21.5"), QoS.AT_LEAST_ONCE, false);

    assertThat(recorder)
        .receivedOn("sensors/7/temp")
        .hasQos(QoS.AT_LEAST_ONCE)
        .payloadAsString()
        .isEqualTo("21.5");
  }

  @Test
  void threeReadingsArriveInOrder(TestBroker broker, MessageRecorder recorder)
      throws InterruptedException {
    recorder.subscribe("sensors/#");
    try (MqttClient device = MqttClient.create("sensor-7")) {
      device.connect(broker.uri());
      for (String reading : List.of("20.5", "21.0", "21.5")) {
        device.publish("sensors/7/temp", utf8(reading), QoS.AT_LEAST_ONCE, false);
      }
    }

    List<Message> three = awaitMessages(recorder, 3);

    assertThat(three).extracting(Message::payloadAsString).containsExactly("20.5", "21.0", "21.5");
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
