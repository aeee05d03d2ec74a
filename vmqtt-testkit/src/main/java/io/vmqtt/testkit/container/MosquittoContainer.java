package io.vmqtt.testkit.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * mosquitto in a container: the official {@value #DEFAULT_IMAGE} image unless told, with a config
 * written for it into {@value #CONFIG_PATH} (an anonymous listener, no persistence, the log on
 * stderr) plus {@link #withConfig lines of your own}; ready when mosquitto logs that it runs.
 *
 * <pre>{@code
 * try (ContainerBroker broker = ContainerBroker.start(
 *     new MosquittoContainer().withConfig("max_qos 1"))) {
 *   client.connect(broker.uri());
 * }
 * }</pre>
 *
 * <p>Where Docker's bridge network cannot be used, {@link #withHostNetwork()} runs it in the host's
 * network on a free port of 127.0.0.1; the environment variable {@value #HOST_NETWORK_ENV}{@code
 * =true} makes that the default. Any image that has mosquitto at {@code /usr/sbin/mosquitto} and
 * reads {@value #CONFIG_PATH} works. Not thread-safe until started (configure it on one thread).
 */
public class MosquittoContainer extends GenericContainer<MosquittoContainer> {
  /** The image used unless another is given. */
  public static final String DEFAULT_IMAGE = "eclipse-mosquitto:2.0.20";

  /** Where the official image reads its config, and where this class writes it. */
  public static final String CONFIG_PATH = "/mosquitto/config/mosquitto.conf";

  /** The port mosquitto listens on inside the container (with the bridge network). */
  public static final int MQTT_PORT = 1883;

  /** {@code true}: host networking by default, for machines without Docker's bridge network. */
  public static final String HOST_NETWORK_ENV = "VMQTT_TESTKIT_HOST_NETWORK";

  private final List<String> extraConfig = new ArrayList<>();
  private int listenerPort = MQTT_PORT;
  private boolean hostNetwork;

  /** The official image, {@value #DEFAULT_IMAGE}. */
  public MosquittoContainer() {
    this(DEFAULT_IMAGE);
  }

  /** Another mosquitto image, e.g. {@code "eclipse-mosquitto:2.0.18"}. */
  public MosquittoContainer(String image) {
    this(DockerImageName.parse(Objects.requireNonNull(image, "image")));
  }

  /** Another mosquitto image. */
  public MosquittoContainer(DockerImageName image) {
    super(Objects.requireNonNull(image, "image"));
    init();
  }

  /** An image being built, e.g. Testcontainers' {@code ImageFromDockerfile}. */
  public MosquittoContainer(Future<String> image) {
    super(Objects.requireNonNull(image, "image"));
    init();
  }

  private void init() {
    withExposedPorts(MQTT_PORT);
    waitingFor(Wait.forLogMessage(".*mosquitto version .* running.*", 1));
    if ("true".equalsIgnoreCase(System.getenv(HOST_NETWORK_ENV))) {
      withHostNetwork();
    }
  }

  /**
   * Adds {@code mosquitto.conf} lines after the generated ones, e.g. {@code "max_qos 1"} or {@code
   * "max_packet_size 1024"}.
   */
  public MosquittoContainer withConfig(String lines) {
    extraConfig.add(Objects.requireNonNull(lines, "lines"));
    return self();
  }

  /**
   * Runs the container in the host's network, its listener on a free port of 127.0.0.1: for Docker
   * daemons without a bridge network. {@link ContainerBroker#port()} is then that port.
   */
  public MosquittoContainer withHostNetwork() {
    hostNetwork = true;
    withNetworkMode("host");
    setExposedPorts(List.of());
    listenerPort = freePort();
    return self();
  }

  /** The port mosquitto listens on inside the container (the host's port with host networking). */
  public int mqttPort() {
    return listenerPort;
  }

  /** The config the container is started with. */
  public String config() {
    StringBuilder c =
        new StringBuilder("# written by io.vmqtt.testkit.container.MosquittoContainer\n");
    c.append("listener ").append(listenerPort).append(hostNetwork ? " 127.0.0.1\n" : "\n");
    c.append("allow_anonymous true\n");
    c.append("persistence false\n");
    c.append("log_dest stderr\n"); // stdout is block-buffered without a terminal
    for (String lines : extraConfig) {
      c.append(lines).append('\n');
    }
    return c.toString();
  }

  @Override
  protected void configure() {
    super.configure();
    withCopyToContainer(Transferable.of(config(), 0644), CONFIG_PATH);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
    }
  }
}
