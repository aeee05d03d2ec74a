package io.vmqtt.it.paho;

import io.vmqtt.it.brokers.HiveMq;
import io.vmqtt.it.interop.BrokerMatrix;
import io.vmqtt.it.paho.PahoBroker.Product;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The Paho MQTT 5 scenarios against HiveMQ CE, embedded in its own class loader: at its defaults
 * (Receive Maximum 10, five topic aliases per client, shared subscriptions) but for a maximum
 * keep-alive of 60 s, so one broker serves the server keep-alive scenario too, and subscriptions to
 * {@link #NO_SUBSCRIBE} refused by the fixture's security extension. It runs with the broker matrix
 * ({@code -Pbroker-matrix}), which builds HiveMQ's launcher; one broker serves the class, every
 * test uses client ids and topics of its own.
 */
@Tag(BrokerMatrix.TAG)
class PahoHiveMqTest extends PahoScenarios {
  private static HiveMq hivemq;

  @BeforeAll
  static void startBroker() {
    hivemq =
        HiveMq.builder()
            .mqtt(
                "<keep-alive><allow-unlimited>false</allow-unlimited>"
                    + "<max-keep-alive>60</max-keep-alive></keep-alive>")
            .refuseSubscriptionsTo(NO_SUBSCRIBE)
            .start();
  }

  @AfterAll
  static void stopBroker() {
    if (hivemq != null) {
      hivemq.close();
    }
  }

  @Override
  PahoBroker broker() {
    return new PahoBroker(Product.HIVEMQ, hivemq.uri(), hivemq.uri());
  }

  /** The class's broker: its embedded security extension refuses {@link #NO_SUBSCRIBE}. */
  @Override
  RefusingBroker brokerRefusingSubscriptions() {
    return new RefusingBroker() {
      @Override
      public String uri() {
        return hivemq.uri();
      }

      @Override
      public void close() {} // the class's broker, stopped after the last test
    };
  }
}
