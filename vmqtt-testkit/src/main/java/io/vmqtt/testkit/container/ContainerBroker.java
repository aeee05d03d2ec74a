package io.vmqtt.testkit.container;

import io.vmqtt.testkit.TestBroker;
import java.util.List;
import java.util.Objects;
import org.testcontainers.containers.GenericContainer;

/**
 * A broker in a container, the {@link TestBroker.Kind#CONTAINER container} kind of {@link
 * TestBroker}: {@link MosquittoContainer} (the official {@code eclipse-mosquitto} image by
 * default), {@link MqttContainer} (any MQTT broker image), or any {@link GenericContainer} with an
 * MQTT port.
 *
 * <pre>{@code
 * try (ContainerBroker broker = ContainerBroker.start(new MosquittoContainer())) {
 *   client.connect(broker.uri());                       // mqtt://localhost:<mapped port>
 * }
 * }</pre>
 *
 * <p>Under host networking ({@code withNetworkMode("host")}) the MQTT port is the container's own
 * and there is no mapping. Thread-safe: the accessors read the container's state, {@link #close()}
 * stops it (Testcontainers locks).
 */
public final class ContainerBroker implements TestBroker {
  private static final int TAIL_LINES = 40;

  private final GenericContainer<?> container;
  private final int mqttPort;

  private ContainerBroker(GenericContainer<?> container, int mqttPort) {
    this.container = container;
    this.mqttPort = mqttPort;
  }

  /**
   * Starts a mosquitto container and waits until it runs.
   *
   * @throws org.testcontainers.containers.ContainerLaunchException when it does not start
   * @throws IllegalStateException when no Docker daemon can be reached
   */
  public static ContainerBroker start(MosquittoContainer container) {
    Objects.requireNonNull(container, "container");
    return start(container, container.mqttPort());
  }

  /**
   * Starts a container of any MQTT broker image and waits as it was told to.
   *
   * @throws org.testcontainers.containers.ContainerLaunchException when it does not start
   */
  public static ContainerBroker start(MqttContainer container) {
    Objects.requireNonNull(container, "container");
    return start(container, container.mqttPort());
  }

  /**
   * Starts any container whose broker listens on {@code mqttPort} inside it (which must be exposed,
   * unless the container uses host networking).
   *
   * @throws IllegalArgumentException when the port is not 1-65535
   */
  public static ContainerBroker start(GenericContainer<?> container, int mqttPort) {
    Objects.requireNonNull(container, "container");
    if (mqttPort < 1 || mqttPort > 65535) {
      throw new IllegalArgumentException("mqttPort must be 1-65535, was " + mqttPort);
    }
    if (!container.isRunning()) {
      container.start();
    }
    return new ContainerBroker(container, mqttPort);
  }

  @Override
  public Kind kind() {
    return Kind.CONTAINER;
  }

  /** Where the container's ports are reached: Testcontainers' host, e.g. {@code localhost}. */
  @Override
  public String host() {
    return container.getHost();
  }

  /** The MQTT port on the host: the mapped port, or the container's own under host networking. */
  @Override
  public int port() {
    return hostNetwork() ? mqttPort : container.getMappedPort(mqttPort);
  }

  @Override
  public boolean isRunning() {
    return container.isRunning();
  }

  /** The last 40 lines of the container's output. */
  @Override
  public String logTail() {
    List<String> lines = container.getLogs().lines().toList();
    List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
    return "--- container "
        + container.getDockerImageName()
        + " ---\n"
        + (last.isEmpty() ? "<empty>" : String.join("\n", last))
        + "\n";
  }

  /** The container, e.g. to read its logs or run a command in it. */
  public GenericContainer<?> container() {
    return container;
  }

  /** Stops and removes the container. Idempotent. */
  @Override
  public void close() {
    container.stop();
  }

  @Override
  public String toString() {
    return "ContainerBroker["
        + container.getDockerImageName()
        + (container.isRunning() ? ", " + uri() + "]" : ", stopped]");
  }

  private boolean hostNetwork() {
    return "host".equals(container.getNetworkMode());
  }
}
