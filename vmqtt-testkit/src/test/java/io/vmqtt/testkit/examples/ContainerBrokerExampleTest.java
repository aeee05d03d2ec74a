package io.vmqtt.testkit.examples;

import static io.vmqtt.testkit.MqttAssertions.assertThat;

import io.vmqtt.MqttClient;
import io.vmqtt.QoS;
import io.vmqtt.testkit.MessageRecorder;
import io.vmqtt.testkit.MqttBrokerExtension;
import io.vmqtt.testkit.container.ContainerBroker;
import io.vmqtt.testkit.container.LocalImages;
import io.vmqtt.testkit.container.MosquittoContainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's example of the container kind. Users write {@code new MosquittoContainer()} (the
 * official eclipse-mosquitto image); this machine reaches no registry, so the example runs the
 * image built from the host's mosquitto, in the host's network (VMQTT_TESTKIT_HOST_NETWORK=true in
 * the build). Skipped, with the reason, where Docker cannot run.
 */
class ContainerBrokerExampleTest {

  @RegisterExtension
  static final MqttBrokerExtension mqtt =
      MqttBrokerExtension.of(() -> ContainerBroker.start(new MosquittoContainer(LocalImages.TAG)));

  @BeforeAll
  static void docker() throws Exception {
    LocalImages.requireMosquittoImage();
  }

  @Test
  void aMessageGoesThroughTheContainerizedBroker(MqttClient client, MessageRecorder recorder)
      throws InterruptedException {
    recorder.subscribe("containers/#");

    client.publish("containers/hello", "from a container".getBytes(), QoS.AT_LEAST_ONCE, false);

    assertThat(recorder)
        .receivedOn("containers/hello")
        .payloadAsString()
        .isEqualTo("from a container");
  }
}
