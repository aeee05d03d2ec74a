package io.vmqtt.testkit.container;

import java.util.List;
import java.util.Objects;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A container of any MQTT broker image: the MQTT port (1883 unless told) is exposed, and it is
 * ready when that port accepts connections unless another wait strategy is given.
 *
 * <pre>{@code
 * ContainerBroker hivemq = ContainerBroker.start(
 *     new MqttContainer("hivemq/hivemq-ce:2024.9")
 *         .waitingFor(Wait.forLogMessage(".*Started HiveMQ in.*", 1)));
 * ContainerBroker emqx = ContainerBroker.start(new MqttContainer("emqx/emqx:5.8.4"));
 * }</pre>
 *
 * <p>Not thread-safe until started (configure it on one thread).
 */
public class MqttContainer extends GenericContainer<MqttContainer> {
  private int mqttPort = 1883;

  /** A container of {@code image}, e.g. {@code "emqx/emqx:5.8.4"}. */
  public MqttContainer(String image) {
    this(DockerImageName.parse(Objects.requireNonNull(image, "image")));
  }

  /** A container of {@code image}. */
  public MqttContainer(DockerImageName image) {
    super(Objects.requireNonNull(image, "image"));
    withExposedPorts(mqttPort);
  }

  /**
   * The port the broker listens on inside the container (1883 unless told).
   *
   * @throws IllegalArgumentException when it is not 1-65535
   */
  public MqttContainer withMqttPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("the MQTT port must be 1-65535, was " + port);
    }
    mqttPort = port;
    if (!"host".equals(getNetworkMode())) {
      setExposedPorts(List.of(port));
    }
    return self();
  }

  /** The port the broker listens on inside the container. */
  public int mqttPort() {
    return mqttPort;
  }

  /** In the host's network there is nothing to expose: the broker listens on the host itself. */
  @Override
  protected void configure() {
    super.configure();
    if ("host".equals(getNetworkMode())) {
      setExposedPorts(List.of());
    }
  }
}
