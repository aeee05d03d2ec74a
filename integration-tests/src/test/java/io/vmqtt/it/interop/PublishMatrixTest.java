package io.vmqtt.it.interop;

import static io.vmqtt.it.interop.CompatibilityReport.record;
import static io.vmqtt.it.interop.MatrixSupport.assertNoMessagePending;
import static io.vmqtt.it.interop.MatrixSupport.connected;
import static io.vmqtt.it.interop.MatrixSupport.min;
import static io.vmqtt.it.interop.MatrixSupport.receive;
import static io.vmqtt.it.interop.MatrixSupport.subscriber;
import static io.vmqtt.it.interop.MatrixSupport.topic;
import static io.vmqtt.it.interop.MatrixSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vmqtt.ConnectionLostException;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.brokers.Broker;
import io.vmqtt.it.interop.CompatibilityReport.Feature;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** PUBLISH and SUBSCRIBE against every broker of the matrix. */
@Tag(BrokerMatrix.TAG)
class PublishMatrixTest {
  @RegisterExtension static final BrokerMatrix matrix = new BrokerMatrix();

  static Stream<Arguments> brokersAndQos0And1() {
    return Arrays.stream(BrokerKind.values())
        .flatMap(k -> Stream.of(QoS.AT_MOST_ONCE, QoS.AT_LEAST_ONCE).map(q -> Arguments.of(k, q)));
  }

  @ParameterizedTest(name = "{0} at {1}")
  @MethodSource("brokersAndQos0And1")
  void aMessagePublishedAtQos0Or1ReachesASubscriberAtThatQos(BrokerKind kind, QoS qos)
      throws InterruptedException {
    Broker broker = matrix.broker(kind);
    QoS max = broker.capabilities().maximumQos();
    String topic = topic("qos" + qos.value());
    try (MqttClient sub = subscriber(broker, "sub", topic, QoS.EXACTLY_ONCE, max);
        MqttClient pub = connected(broker, "pub")) {
      PublishResult result = pub.publish(topic, utf8("at " + qos), qos, false);

      assertThat(result.qos()).isEqualTo(qos);
      Message m = receive(sub);
      assertThat(m.topic()).isEqualTo(topic);
      assertThat(m.payloadAsString()).isEqualTo("at " + qos);
      assertThat(m.qos()).isEqualTo(qos);
      assertThat(m.retain()).isFalse();
    }
    record(kind, qos == QoS.AT_MOST_ONCE ? Feature.QOS_0 : Feature.QOS_1, "yes");
  }

  /**
   * Mosquitto, Moquette and HiveMQ complete QoS 2 (PUBREC, PUBREL, PUBCOMP). RabbitMQ 3.10 answers
   * with PUBACK and forwards the message at QoS 1: the publish returns with QoS 1 in its result.
   * NATS 2.9 closes the connection.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void aQos2PublishCompletesIsDowngradedToQos1OrClosesTheConnection(BrokerKind kind)
      throws InterruptedException {
    Broker broker = matrix.broker(kind);
    QoS max = broker.capabilities().maximumQos();
    String topic = topic("qos2");
    try (MqttClient sub = subscriber(broker, "sub", topic, QoS.EXACTLY_ONCE, max);
        MqttClient pub = connected(broker, "pub")) {
      switch (Behaviour.of(kind).qos2Publish()) {
        case EXACTLY_ONCE -> {
          PublishResult result = pub.publish(topic, utf8("two"), QoS.EXACTLY_ONCE, false);
          assertThat(result.qos()).isEqualTo(QoS.EXACTLY_ONCE);
          Message m = receive(sub);
          assertThat(m.payloadAsString()).isEqualTo("two");
          assertThat(m.qos()).isEqualTo(min(QoS.EXACTLY_ONCE, max));
          record(kind, Feature.QOS_2, "yes");
        }
        case PUBACK -> {
          PublishResult result = pub.publish(topic, utf8("two"), QoS.EXACTLY_ONCE, false);
          assertThat(result.qos()).as("acknowledged with PUBACK").isEqualTo(QoS.AT_LEAST_ONCE);
          Message m = receive(sub);
          assertThat(m.payloadAsString()).isEqualTo("two");
          assertThat(m.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
          assertThat(pub.isConnected()).isTrue();
          record(kind, Feature.QOS_2, "**answered with PUBACK**, forwarded at QoS 1");
        }
        case CONNECTION_CLOSED -> {
          Throwable e =
              catchThrowable(() -> pub.publish(topic, utf8("two"), QoS.EXACTLY_ONCE, false));
          assertThat(e).isInstanceOf(ConnectionLostException.class);
          assertThat(pub.isConnected()).isFalse();
          assertNoMessagePending(sub);
          record(kind, Feature.QOS_2, "**connection closed**");
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void subackGrantsEachQosUpToTheBrokersMaximum(BrokerKind kind) throws InterruptedException {
    Broker broker = matrix.broker(kind);
    QoS max = broker.capabilities().maximumQos();
    String topic = topic("suback");
    try (MqttClient client = connected(broker, "suback")) {
      List<Integer> granted =
          client.subscribe(
              List.of(
                  Subscription.of(topic + "/0", QoS.AT_MOST_ONCE),
                  Subscription.of(topic + "/1", QoS.AT_LEAST_ONCE),
                  Subscription.of(topic + "/2", QoS.EXACTLY_ONCE)));

      assertThat(granted).containsExactly(0, 1, min(QoS.EXACTLY_ONCE, max).value());
      record(kind, Feature.GRANTED_QOS, granted.toString().replace(", ", " "));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void afterUnsubscribeNothingMoreArrives(BrokerKind kind) throws InterruptedException {
    Broker broker = matrix.broker(kind);
    String filter = topic("unsub") + "/#";
    String topic = filter.replace("#", "x");
    try (MqttClient sub =
            subscriber(broker, "unsub", filter, QoS.AT_LEAST_ONCE, QoS.AT_LEAST_ONCE);
        MqttClient pub = connected(broker, "pub")) {
      pub.publish(topic, utf8("before"), QoS.AT_LEAST_ONCE, false);
      assertThat(receive(sub).payloadAsString()).isEqualTo("before");

      sub.unsubscribe(List.of(filter));
      pub.publish(topic, utf8("after"), QoS.AT_LEAST_ONCE, false);

      assertNoMessagePending(sub);
    }
    record(kind, Feature.UNSUBSCRIBE, "yes");
  }

  /** [MQTT-3.3.5-1]: once, or (a MAY) once per matching subscription, as NATS does. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void aMessageMatchingTwoSubscriptionsArrivesOnceOrOncePerSubscription(BrokerKind kind)
      throws InterruptedException {
    Broker broker = matrix.broker(kind);
    String base = topic("overlap");
    try (MqttClient sub = connected(broker, "overlap");
        MqttClient pub = connected(broker, "pub")) {
      assertThat(
              sub.subscribe(
                  List.of(
                      Subscription.of(base + "/#", QoS.AT_LEAST_ONCE),
                      Subscription.of(base + "/+", QoS.AT_LEAST_ONCE))))
          .containsExactly(1, 1);

      pub.publish(base + "/a", utf8("both"), QoS.AT_LEAST_ONCE, false);

      assertThat(receive(sub).payloadAsString()).isEqualTo("both");
      boolean twice = Behaviour.of(kind).copyPerOverlappingSubscription();
      if (twice) {
        assertThat(receive(sub).payloadAsString()).isEqualTo("both");
      }
      assertNoMessagePending(sub);
      record(kind, Feature.OVERLAPPING, twice ? "2 (one per subscription)" : "1");
    }
  }

  /**
   * MQTT allows any UTF-8 in a topic name. RabbitMQ 3.10 maps topics to AMQP routing keys and back,
   * so 'a.b' arrives as 'a/b'; NATS 2.9 maps them to subjects, which cannot hold '.' or ' ', and
   * closes the connection of a client that publishes to such a topic.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void topicNamesWithADotOrASpaceAreRoutedAsTheBrokerDoes(BrokerKind kind)
      throws InterruptedException {
    Broker broker = matrix.broker(kind);
    String base = topic("chars");
    try (MqttClient sub =
            subscriber(broker, "chars", base + "/#", QoS.AT_LEAST_ONCE, QoS.AT_LEAST_ONCE);
        MqttClient pub = connected(broker, "pub")) {
      switch (Behaviour.of(kind).topicCharacters()) {
        case UNCHANGED -> {
          pub.publish(base + "/a.b", utf8("dot"), QoS.AT_LEAST_ONCE, false);
          pub.publish(base + "/a b", utf8("space"), QoS.AT_LEAST_ONCE, false);
          assertThat(receive(sub).topic()).isEqualTo(base + "/a.b");
          assertThat(receive(sub).topic()).isEqualTo(base + "/a b");
          record(kind, Feature.TOPIC_CHARACTERS, "unchanged");
        }
        case DOT_BECOMES_SLASH -> {
          pub.publish(base + "/a.b", utf8("dot"), QoS.AT_LEAST_ONCE, false);
          pub.publish(base + "/a b", utf8("space"), QoS.AT_LEAST_ONCE, false);
          assertThat(receive(sub).topic()).isEqualTo(base + "/a/b");
          assertThat(receive(sub).topic()).isEqualTo(base + "/a b");
          record(kind, Feature.TOPIC_CHARACTERS, "**'a.b' arrives as 'a/b'**; ' ' unchanged");
        }
        case CONNECTION_CLOSED -> {
          assertThat(
                  catchThrowable(
                      () -> pub.publish(base + "/a.b", utf8("dot"), QoS.AT_LEAST_ONCE, false)))
              .isInstanceOf(ConnectionLostException.class);
          assertThat(pub.isConnected()).isFalse();
          try (MqttClient other = connected(broker, "pub2")) {
            assertThat(
                    catchThrowable(
                        () ->
                            other.publish(base + "/a b", utf8("space"), QoS.AT_LEAST_ONCE, false)))
                .isInstanceOf(ConnectionLostException.class);
          }
          assertThat(sub.subscribe(List.of(Subscription.of(base + "/a.b", QoS.AT_LEAST_ONCE))))
              .as("SUBACK for a filter with '.'")
              .containsExactly(0x80);
          assertNoMessagePending(sub);
          record(
              kind,
              Feature.TOPIC_CHARACTERS,
              "**publishing closes the connection**; such a filter is refused (0x80)");
        }
      }
    }
  }

  /** Moquette 0.17 takes at most 8,092 bytes per packet by default, and closes the connection. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void aHundredKilobyteMessageArrivesIntactUnlessItExceedsTheBrokersLimit(BrokerKind kind)
      throws InterruptedException {
    Broker broker = matrix.broker(kind);
    int limit = Behaviour.of(kind).maxMessageBytes();
    byte[] payload = new byte[100_000];
    new Random(12).nextBytes(payload);
    String topic = topic("large");
    try (MqttClient sub = subscriber(broker, "large", topic, QoS.AT_LEAST_ONCE, QoS.AT_LEAST_ONCE);
        MqttClient pub = connected(broker, "pub")) {
      if (limit > payload.length + topic.length() + 10) {
        pub.publish(topic, payload, QoS.AT_LEAST_ONCE, false);
        assertThat(receive(sub).payload()).isEqualTo(payload);
        record(kind, Feature.LARGE_MESSAGE, "yes");
      } else {
        byte[] fits = Arrays.copyOf(payload, limit - topic.length() - 2 - 2 - 5);
        pub.publish(topic, fits, QoS.AT_LEAST_ONCE, false);
        assertThat(receive(sub).payload()).isEqualTo(fits);

        assertThat(catchThrowable(() -> pub.publish(topic, payload, QoS.AT_LEAST_ONCE, false)))
            .isInstanceOf(ConnectionLostException.class);
        assertThat(pub.isConnected()).isFalse();
        assertNoMessagePending(sub);
        record(
            kind,
            Feature.LARGE_MESSAGE,
            "**connection closed**: packets over " + limit + " bytes refused");
      }
    }
  }
}
