package io.vmqtt.it.interop;

import static io.vmqtt.it.interop.CompatibilityReport.record;
import static io.vmqtt.it.interop.MatrixSupport.RECEIVE_TIMEOUT;
import static io.vmqtt.it.interop.MatrixSupport.assertNoMessagePending;
import static io.vmqtt.it.interop.MatrixSupport.clientId;
import static io.vmqtt.it.interop.MatrixSupport.config;
import static io.vmqtt.it.interop.MatrixSupport.connected;
import static io.vmqtt.it.interop.MatrixSupport.min;
import static io.vmqtt.it.interop.MatrixSupport.receive;
import static io.vmqtt.it.interop.MatrixSupport.subscriber;
import static io.vmqtt.it.interop.MatrixSupport.topic;
import static io.vmqtt.it.interop.MatrixSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.vmqtt.ConnectOptions;
import io.vmqtt.ConnectionLostException;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.Will;
import io.vmqtt.it.brokers.Broker;
import io.vmqtt.it.interop.CompatibilityReport.Feature;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The will and keep-alive against every broker of the matrix. */
@Tag(BrokerMatrix.TAG)
class WillAndKeepAliveMatrixTest {
  @RegisterExtension static final BrokerMatrix matrix = new BrokerMatrix();

  /** {@code close()} drops the connection without DISCONNECT: the broker publishes the will. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void aDroppedConnectionMakesTheBrokerPublishTheWill(BrokerKind kind) throws InterruptedException {
    Broker broker = matrix.broker(kind);
    String topic = topic("will");
    try (MqttClient watcher =
        subscriber(broker, "watcher", topic, QoS.AT_LEAST_ONCE, QoS.AT_LEAST_ONCE)) {
      MqttConfig config =
          config().will(Will.of(topic, utf8("gone"), QoS.AT_LEAST_ONCE, false)).build();
      MqttClient dying = connected(broker, clientId("dying"), config, ConnectOptions.defaults());
      dying.close(); // no DISCONNECT

      Message will = receive(watcher);
      assertThat(will.topic()).isEqualTo(topic);
      assertThat(will.payloadAsString()).isEqualTo("gone");
      assertThat(will.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(will.retain()).isFalse();
    }
    record(kind, Feature.WILL, "yes");
  }

  /** [MQTT-3.14.4-3]: DISCONNECT makes the broker discard the will. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void disconnectMakesTheBrokerDiscardTheWill(BrokerKind kind) throws InterruptedException {
    Broker broker = matrix.broker(kind);
    String topic = topic("nowill");
    try (MqttClient watcher =
        subscriber(broker, "watcher", topic, QoS.AT_LEAST_ONCE, QoS.AT_LEAST_ONCE)) {
      MqttConfig config =
          config().will(Will.of(topic, utf8("gone"), QoS.AT_LEAST_ONCE, false)).build();
      try (MqttClient leaving =
          connected(broker, clientId("leaving"), config, ConnectOptions.defaults())) {
        leaving.disconnect();
        assertThat(leaving.isConnected()).isFalse();
      }

      assertNoMessagePending(watcher);
    }
    record(kind, Feature.NO_WILL_AFTER_DISCONNECT, "yes");
  }

  /**
   * A retained QoS 2 will is kept for later subscribers. Moquette 0.17 publishes it but does not
   * keep it. RabbitMQ 3.10 keeps it, but a later QoS 2 subscription to its topic crashes the
   * subscriber's connection process in the broker ({@code rabbit_mqtt_processor}), which closes the
   * connection; a QoS 1 subscription gets it.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void aRetainedWillIsKeptForLaterSubscribers(BrokerKind kind) throws InterruptedException {
    Broker broker = matrix.broker(kind);
    Behaviour expected = Behaviour.of(kind);
    QoS max = broker.capabilities().maximumQos();
    String topic = topic("rwill");
    try (MqttClient watcher =
        subscriber(broker, "watcher", topic, QoS.AT_LEAST_ONCE, QoS.AT_LEAST_ONCE)) {
      MqttConfig config =
          config().will(Will.of(topic, utf8("last words"), QoS.EXACTLY_ONCE, true)).build();
      connected(broker, clientId("dying"), config, ConnectOptions.defaults()).close();
      // The will has been published once the live watcher has it.
      assertThat(receive(watcher).payloadAsString()).isEqualTo("last words");

      try (MqttClient later = connected(broker, "later")) {
        later.subscribe(List.of(Subscription.of(topic, QoS.EXACTLY_ONCE)));
        switch (expected.retainedWill()) {
          case DELIVERED -> {
            Message will = receive(later);
            assertThat(will.payloadAsString()).isEqualTo("last words");
            assertThat(will.qos()).isEqualTo(min(QoS.EXACTLY_ONCE, max));
            assertThat(will.retain()).isTrue();
            record(kind, Feature.RETAINED_WILL, "yes, at QoS " + will.qos().value());
          }
          case NOT_KEPT -> {
            assertNoMessagePending(later);
            record(kind, Feature.RETAINED_WILL, "**not kept**");
          }
          case SUBSCRIBER_DISCONNECTED -> {
            assertThat(catchThrowable(() -> later.deliverMessage(RECEIVE_TIMEOUT)))
                .isInstanceOf(ConnectionLostException.class);
            assertThat(later.isConnected()).isFalse();
            try (MqttClient qos1 =
                subscriber(broker, "later1", topic, QoS.AT_LEAST_ONCE, QoS.AT_LEAST_ONCE)) {
              Message will = receive(qos1);
              assertThat(will.payloadAsString()).isEqualTo("last words");
              assertThat(will.retain()).isTrue();
            }
            record(
                kind,
                Feature.RETAINED_WILL,
                "kept, but **a QoS 2 subscriber's connection is closed** (QoS 1 gets it)");
          }
        }
      }
    } finally {
      try (MqttClient cleaner = connected(broker, "cleaner")) {
        cleaner.publish(topic, new byte[0], QoS.AT_LEAST_ONCE, true);
      }
    }
  }

  /**
   * A vmqtt client with a keep-alive of 1 s that sends nothing stays connected for three times
   * that, kept alive by its PINGREQs. Meanwhile a raw client with the same keep-alive that sends
   * nothing after CONNECT is dropped by the broker, which then publishes its will [MQTT-3.1.2-24];
   * how long that takes (1.5 times the keep-alive by the specification) is recorded in the table,
   * not asserted.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void anIdleClientIsKeptAliveByItsPingsWhileASilentOneIsDroppedAndItsWillSent(BrokerKind kind)
      throws InterruptedException, IOException {
    Broker broker = matrix.broker(kind);
    String topic = topic("silent");
    try (MqttClient watcher =
            subscriber(broker, "watcher", topic, QoS.AT_LEAST_ONCE, QoS.AT_LEAST_ONCE);
        RawClient silent = new RawClient(broker.host(), broker.port());
        MqttClient idle =
            connected(
                broker,
                clientId("idle"),
                config().keepAlive(Duration.ofSeconds(1)).pingDelay(Duration.ofMillis(500)).build(),
                ConnectOptions.defaults())) {
      assertThat(silent.connect(clientId("silent"), 1, topic, "timed out")).isZero();
      long connected = System.nanoTime();

      assertThat(silent.awaitClosed(Duration.ofSeconds(30)))
          .as("the broker closed the silent client's connection within 30 s")
          .isTrue();
      double seconds = (System.nanoTime() - connected) / 1e9;
      Message will = receive(watcher);
      assertThat(will.payloadAsString()).isEqualTo("timed out");

      await("idle client still connected")
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(idle::isConnected);
      idle.ping();
      record(kind, Feature.KEEP_ALIVE, "yes");
      record(kind, Feature.SILENT_CLIENT, String.format(Locale.ROOT, "%.1f s", seconds));
    }
  }
}
