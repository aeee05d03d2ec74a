package io.vmqtt.testkit.container;

import static io.vmqtt.testkit.MqttAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.MqttClient;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.testkit.MessageRecorder;
import io.vmqtt.testkit.TestBroker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.images.builder.Transferable;

/**
 * The container kind against a real Docker daemon: {@link MosquittoContainer} and the generic
 * {@link MqttContainer}, on the locally built mosquitto image with host networking (no registry, no
 * bridge network here). Skipped, with the reason, where Docker cannot run.
 */
class ContainerBrokerTest {

  @BeforeAll
  static void docker() throws Exception {
    LocalImages.requireDocker();
    LocalImages.build();
  }

  @Test
  void aMosquittoContainerCarriesMessagesAndIsRemovedOnClose() throws InterruptedException {
    ContainerBroker broker =
        ContainerBroker.start(
            new MosquittoContainer(LocalImages.TAG).withHostNetwork().withConfig("max_qos 1"));
    try {
      assertThat(broker.kind()).isEqualTo(TestBroker.Kind.CONTAINER);
      assertThat(broker.isRunning()).isTrue();
      assertThat(broker.uri()).isEqualTo("mqtt://" + broker.host() + ":" + broker.port());
      try (MessageRecorder recorder = MessageRecorder.connect(broker);
          MqttClient client = MqttClient.create("container-client")) {
        recorder.subscribe("c/#");
        client.connect(broker.uri());
        assertThat(client.subscribe(List.of(Subscription.of("c/#", QoS.EXACTLY_ONCE))))
            .as("the QoS granted under max_qos 1")
            .containsExactly(1);
        client.publish(
            "c/1", "in a container".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false);

        assertThat(recorder)
            .receivedOn("c/1")
            .hasQos(QoS.AT_LEAST_ONCE)
            .payloadAsString()
            .isEqualTo("in a container");
      }
      assertThat(broker.logTail()).contains("mosquitto version 2.");
    } finally {
      broker.close();
    }
    assertThat(broker.isRunning()).isFalse();
  }

  @Test
  void anyImageRunsThroughTheGenericContainer() throws Exception {
    MqttContainer container = new MqttContainer(LocalImages.TAG);
    container.withNetworkMode("host");
    int port = LocalImages.freePort();
    container
        .withMqttPort(port)
        .withCopyToContainer(
            Transferable.of(
                "listener " + port + " 127.0.0.1\nallow_anonymous true\nlog_dest stderr\n"),
            MosquittoContainer.CONFIG_PATH)
        .waitingFor(
            org.testcontainers.containers.wait.strategy.Wait.forLogMessage(
                ".*mosquitto version .* running.*", 1));
    try (ContainerBroker broker = ContainerBroker.start(container);
        MessageRecorder recorder = MessageRecorder.connect(broker)) {
      recorder.subscribe("g/#");
      recorder.client().publish("g/1", new byte[] {1, 2}, QoS.AT_LEAST_ONCE, false);

      assertThat(recorder).receivedOn("g/1").hasPayload(new byte[] {1, 2});
      assertThat(broker.port()).isEqualTo(port);
    }
  }
}
