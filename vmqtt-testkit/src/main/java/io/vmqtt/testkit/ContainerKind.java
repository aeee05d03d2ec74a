package io.vmqtt.testkit;

import io.vmqtt.testkit.container.ContainerBroker;
import io.vmqtt.testkit.container.MosquittoContainer;

/**
 * The container kind for {@link MqttBrokerTest}: the only class of this package that names
 * Testcontainers' types (through the container package), so the other kinds work without it.
 */
final class ContainerKind {
  private ContainerKind() {}

  static TestBroker start(String image) {
    return ContainerBroker.start(new MosquittoContainer(image));
  }
}
