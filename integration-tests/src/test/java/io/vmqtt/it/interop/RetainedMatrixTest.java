package io.vmqtt.it.interop;

import static io.vmqtt.it.interop.CompatibilityReport.record;
import static io.vmqtt.it.interop.MatrixSupport.assertNoMessagePending;
import static io.vmqtt.it.interop.MatrixSupport.connected;
import static io.vmqtt.it.interop.MatrixSupport.receive;
import static io.vmqtt.it.interop.MatrixSupport.subscriber;
import static io.vmqtt.it.interop.MatrixSupport.topic;
import static io.vmqtt.it.interop.MatrixSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.QoS;
import io.vmqtt.it.brokers.Broker;
import io.vmqtt.it.interop.CompatibilityReport.Feature;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Retained messages against every broker of the matrix: set, receive, clear. */
@Tag(BrokerMatrix.TAG)
class RetainedMatrixTest {
  @RegisterExtension static final BrokerMatrix matrix = new BrokerMatrix();

  /**
   * A retained message reaches a live subscriber without RETAIN [MQTT-3.3.1-9] and a later one with
   * it [MQTT-3.3.1-8] (Moquette 0.17 leaves it unset); an empty retained message reaches the live
   * subscriber and clears it [MQTT-3.3.1-10], so a subscriber after that gets nothing.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void aRetainedMessageIsKeptForLaterSubscribersUntilAnEmptyOneClearsIt(BrokerKind kind)
      throws InterruptedException {
    Broker broker = matrix.broker(kind);
    boolean flag = Behaviour.of(kind).retainFlagForNewSubscriber();
    String topic = topic("retained");
    try (MqttClient live = subscriber(broker, "live", topic, QoS.AT_LEAST_ONCE, QoS.AT_LEAST_ONCE);
        MqttClient pub = connected(broker, "retainer")) {
      pub.publish(topic, utf8("kept"), QoS.AT_LEAST_ONCE, true);
      Message routed = receive(live);
      assertThat(routed.payloadAsString()).isEqualTo("kept");
      assertThat(routed.retain()).as("RETAIN on a message routed to a live subscriber").isFalse();

      try (MqttClient later =
          subscriber(broker, "later", topic, QoS.AT_LEAST_ONCE, QoS.AT_LEAST_ONCE)) {
        Message m = receive(later);
        assertThat(m.payloadAsString()).isEqualTo("kept");
        assertThat(m.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(m.retain())
            .as("RETAIN on the retained message for a new subscriber")
            .isEqualTo(flag);
      }

      pub.publish(topic, new byte[0], QoS.AT_LEAST_ONCE, true);
      Message clear = receive(live);
      assertThat(clear.payload()).isEmpty();
      try (MqttClient after =
          subscriber(broker, "after", topic, QoS.AT_LEAST_ONCE, QoS.AT_LEAST_ONCE)) {
        assertNoMessagePending(after);
      }
    }
    record(kind, Feature.RETAINED, flag ? "yes, RETAIN set" : "yes, **RETAIN not set**");
    record(kind, Feature.RETAINED_CLEAR, "yes");
  }

  /** RabbitMQ 3.10 looks retained messages up by the exact topic of a subscription only. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void aWildcardSubscriptionGetsTheRetainedMessagesItMatches(BrokerKind kind)
      throws InterruptedException {
    Broker broker = matrix.broker(kind);
    Behaviour expected = Behaviour.of(kind);
    String base = topic("wild");
    try (MqttClient pub = connected(broker, "retainer")) {
      pub.publish(base + "/a", utf8("a"), QoS.AT_LEAST_ONCE, true);
      pub.publish(base + "/b", utf8("b"), QoS.AT_LEAST_ONCE, true);
      try (MqttClient later =
          subscriber(broker, "wild", base + "/+", QoS.AT_LEAST_ONCE, QoS.AT_LEAST_ONCE)) {
        if (expected.retainedForWildcards()) {
          Message first = receive(later);
          Message second = receive(later);
          assertThat(first.payloadAsString() + second.payloadAsString()).isIn("ab", "ba");
          assertThat(first.retain()).isEqualTo(expected.retainFlagForNewSubscriber());
          record(kind, Feature.RETAINED_WILDCARD, "yes");
        } else {
          assertNoMessagePending(later);
          record(kind, Feature.RETAINED_WILDCARD, "**no** (exact topics only)");
        }
      }
      pub.publish(base + "/a", new byte[0], QoS.AT_LEAST_ONCE, true);
      pub.publish(base + "/b", new byte[0], QoS.AT_LEAST_ONCE, true);
    }
  }

  /** [MQTT-3.3.1-5]: a retained message is kept whatever its QoS; Moquette 0.17 keeps no QoS 0. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void aRetainedMessagePublishedAtQos0IsKept(BrokerKind kind) throws InterruptedException {
    Broker broker = matrix.broker(kind);
    Behaviour expected = Behaviour.of(kind);
    String topic = topic("retained0");
    try (MqttClient pub = connected(broker, "retainer")) {
      pub.publish(topic, utf8("zero"), QoS.AT_MOST_ONCE, true);
      // QoS 0 has no acknowledgement: a QoS 1 publish on the same connection after it is handled
      // after it, so once it is acknowledged the broker has seen the QoS 0 one.
      pub.publish(topic("sync"), utf8("sync"), QoS.AT_LEAST_ONCE, false);
      try (MqttClient later =
          subscriber(broker, "later", topic, QoS.AT_LEAST_ONCE, QoS.AT_LEAST_ONCE)) {
        if (expected.retainsQos0()) {
          Message m = receive(later);
          assertThat(m.payloadAsString()).isEqualTo("zero");
          assertThat(m.qos()).isEqualTo(QoS.AT_MOST_ONCE);
          record(kind, Feature.RETAINED_QOS_0, "yes");
        } else {
          assertNoMessagePending(later);
          record(kind, Feature.RETAINED_QOS_0, "**not kept**");
        }
      }
      pub.publish(topic, new byte[0], QoS.AT_LEAST_ONCE, true);
    }
  }
}
