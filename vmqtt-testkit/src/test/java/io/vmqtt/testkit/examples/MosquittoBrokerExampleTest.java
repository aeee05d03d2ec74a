package io.vmqtt.testkit.examples;

import static io.vmqtt.testkit.MqttAssertions.assertThat;

import io.vmqtt.ConnectOptions;
import io.vmqtt.MqttClient;
import io.vmqtt.QoS;
import io.vmqtt.testkit.MessageRecorder;
import io.vmqtt.testkit.MosquittoBroker;
import io.vmqtt.testkit.MqttBrokerExtension;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's example of the process kind: mosquitto as a child process with a config written for
 * the test class: a user, a TLS listener with a certificate made for it, a WebSocket listener.
 */
class MosquittoBrokerExampleTest {

  @RegisterExtension
  static final MqttBrokerExtension mqtt =
      MqttBrokerExtension.mosquitto(
          broker -> broker.user("alarm", "s3cret").allowAnonymous(true).tls().websockets());

  @Test
  void anAlarmPublishedOverTlsWithCredentialsIsRecorded() throws InterruptedException {
    MessageRecorder alarms = mqtt.recorder("alarms/#");
    MosquittoBroker broker = mqtt.broker(MosquittoBroker.class);

    try (MqttClient panel = MqttClient.create("panel-1")) {
      panel.connect(
          broker.uri(MosquittoBroker.TLS), // mqtts://127.0.0.1:<port>
          ConnectOptions.builder()
              .credentials("alarm", "s3cret")
              .tls(broker.clientTls()) // trusts the testkit's CA
              .build());
      panel.publish("alarms/door", utf8("open"), QoS.EXACTLY_ONCE, true);
    }

    assertThat(alarms).receivedOn("alarms/door").hasQos(QoS.EXACTLY_ONCE).hasPayload("open");
  }

  @Test
  void theWebSocketListenerCarriesMqttToo() throws InterruptedException {
    MessageRecorder recorder = mqtt.recorder("ws/#");

    try (MqttClient browser = MqttClient.create("browser-1")) {
      browser.connect(mqtt.broker(MosquittoBroker.class).uri(MosquittoBroker.WEBSOCKETS));
      browser.publish("ws/hello", utf8("hi"), QoS.AT_LEAST_ONCE, false);
    }

    assertThat(recorder).receivedOn("ws/hello").payloadAsString().isEqualTo("hi");
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
