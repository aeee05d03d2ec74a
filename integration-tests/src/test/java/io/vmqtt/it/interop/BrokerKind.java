package io.vmqtt.it.interop;

import io.vmqtt.it.brokers.Broker;
import io.vmqtt.it.brokers.HiveMq;
import io.vmqtt.it.brokers.Moquette;
import io.vmqtt.it.brokers.Mosquitto;
import io.vmqtt.it.brokers.NatsServer;
import io.vmqtt.it.brokers.RabbitMq;
import io.vmqtt.testkit.MosquittoBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The brokers of the compatibility matrix, each started the same way: one user ({@link #USER},
 * {@link #PASSWORD}) and anonymous clients allowed, everything else at the broker's defaults
 * (except ports, directories and telemetry).
 */
public enum BrokerKind {
  MOSQUITTO(
      "mosquitto",
      List.of(),
      "mosquitto",
      () ->
          Mosquitto.builder()
              .user(BrokerKind.USER, BrokerKind.PASSWORD)
              .allowAnonymous(true)
              .start()),
  NATS(
      "NATS",
      List.of(NatsServer.DEFAULT_EXECUTABLE),
      "nats-server",
      () ->
          NatsServer.builder()
              .user(BrokerKind.USER, BrokerKind.PASSWORD)
              .allowAnonymous(true)
              .start()),
  RABBITMQ(
      "RabbitMQ",
      List.of(RabbitMq.DEFAULT_EXECUTABLE, RabbitMq.DEFAULT_EPMD),
      "rabbitmq-server",
      () ->
          RabbitMq.builder()
              .user(BrokerKind.USER, BrokerKind.PASSWORD)
              .allowAnonymous(true)
              .start()),
  MOQUETTE(
      "Moquette",
      List.of(),
      null,
      () ->
          Moquette.builder()
              .user(BrokerKind.USER, BrokerKind.PASSWORD)
              .allowAnonymous(true)
              .start()),
  HIVEMQ(
      "HiveMQ CE",
      List.of(),
      null,
      () ->
          HiveMq.builder().user(BrokerKind.USER, BrokerKind.PASSWORD).allowAnonymous(true).start());

  /** The user every broker of the matrix knows. */
  public static final String USER = "vmqtt";

  /** That user's password. */
  public static final String PASSWORD = "s3cret";

  private final String title;
  private final List<Path> executables;
  private final String debianPackage;
  private final Supplier<Broker> starter;

  BrokerKind(String title, List<Path> executables, String debianPackage, Supplier<Broker> starter) {
    this.title = title;
    this.executables = executables;
    this.debianPackage = debianPackage;
    this.starter = starter;
  }

  /** The name in test names and in the compatibility table. */
  public String title() {
    return title;
  }

  /**
   * Why this broker cannot run on this machine (its Debian package is not installed), or empty when
   * it can. The in-process brokers come from Maven and can always run.
   */
  public Optional<String> unavailable() {
    if (this == MOSQUITTO && !MosquittoBroker.isInstalled()) {
      return Optional.of(
          "mosquitto is not installed: apt-get install -y mosquitto (./run-tests installs it)");
    }
    for (Path executable : executables) {
      if (!Files.isExecutable(executable)) {
        return Optional.of(
            title
                + " is not installed (no "
                + executable
                + "): apt-get install -y "
                + debianPackage
                + " (./run-tests installs it)");
      }
    }
    return Optional.empty();
  }

  /** Starts this broker with the matrix's configuration. */
  Broker start() {
    return starter.get();
  }

  @Override
  public String toString() {
    return title;
  }
}
