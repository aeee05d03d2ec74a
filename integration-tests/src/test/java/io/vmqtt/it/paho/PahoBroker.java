package io.vmqtt.it.paho;

import java.util.Objects;

/**
 * The broker a run of the {@link PahoScenarios} talks to: which product it is (where brokers may
 * differ, a scenario says what each does) and where it listens.
 *
 * @param product which broker
 * @param uri the broker configured as the Paho scenarios expect it: anonymous clients, duplicate
 *     messages for overlapping subscriptions allowed, a receive maximum and topic aliases
 * @param keepAliveUri a broker (possibly the same) whose maximum keep-alive is 60 s
 */
record PahoBroker(Product product, String uri, String keepAliveUri) {
  PahoBroker {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(keepAliveUri, "keepAliveUri");
  }

  /** The brokers the scenarios run against, with what each is known to do. */
  enum Product {
    /** mosquitto 2.0, with the config of {@link PahoMosquittoTest}. */
    MOSQUITTO,
    /** HiveMQ CE, embedded, with the config of {@link PahoHiveMqTest}. */
    HIVEMQ
  }
}
