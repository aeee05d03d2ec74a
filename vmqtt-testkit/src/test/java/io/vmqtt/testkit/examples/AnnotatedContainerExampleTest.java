package io.vmqtt.testkit.examples;

import static io.vmqtt.testkit.MqttAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.MqttClient;
import io.vmqtt.QoS;
import io.vmqtt.testkit.MessageRecorder;
import io.vmqtt.testkit.MqttBrokerTest;
import io.vmqtt.testkit.TestBroker;
import io.vmqtt.testkit.container.ContainerBroker;
import io.vmqtt.testkit.container.LocalImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code @MqttBrokerTest(kind = CONTAINER)}: users leave the image out (eclipse-mosquitto); here it
 * is the locally built one. Skipped, with the reason, where Docker cannot run.
 */
@MqttBrokerTest(kind = TestBroker.Kind.CONTAINER, image = LocalImages.TAG)
class AnnotatedContainerExampleTest {

  @BeforeAll
  static void docker() throws Exception {
    LocalImages.requireMosquittoImage();
  }

  @Test
  void theAnnotationStartsAContainer(
      ContainerBroker broker, MqttClient client, MessageRecorder recorder)
      throws InterruptedException {
    assertThat(broker.kind()).isEqualTo(TestBroker.Kind.CONTAINER);
    recorder.subscribe("annotated/#");

    client.publish("annotated/1", "hi".getBytes(), QoS.AT_MOST_ONCE, false);

    assertThat(recorder).receivedOn("annotated/1").hasPayload("hi");
  }
}
