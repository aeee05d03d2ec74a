package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.QUIET;
import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static io.vmqtt.it.fake.ClientSupport.v5;
import static io.vmqtt.it.fake.Frames.bytes;
import static io.vmqtt.it.fake.Frames.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.MqttException;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MQTT 5 subscription options against the scripted broker: the exact SUBSCRIBE bytes, one SUBSCRIBE
 * per Subscription Identifier, what a 3.1.1 connection refuses, what CONNACK's Wildcard
 * Subscription, Subscription Identifiers and Shared Subscription Available refuse, and the
 * subscriptions restored with their options.
 */
class Mqtt5SubscribeTest {
  private FakeBroker broker;
  private MqttClient client;

  @BeforeEach
  void startBroker() throws Exception {
    broker = FakeBroker.start();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    broker.close();
  }

  /** Connects; CONNACK Success with these properties; SUBSCRIBE answered with granted QoS. */
  private void connect(MqttConfig config, byte[]... connackProperties) throws Exception {
    broker.onConnect(Action.reply(Frames5.connack(0x00, connackProperties)));
    broker.on(RawPacket.SUBSCRIBE, Action.reply(Mqtt5SubscribeTest::grantRequested));
    client = MqttClient.create("subs-v5", config);
    client.connect(broker.uri());
    broker.takePacket(RawPacket.CONNECT, WAIT);
  }

  /**
   * An MQTT 5 SUBACK granting each filter its requested QoS: the SUBSCRIBE body is packet id,
   * properties, then (filter, options byte) pairs.
   */
  static byte[] grantRequested(RawPacket subscribe) {
    byte[] b = subscribe.body();
    int at = 2;
    int propertyLength = 0;
    int shift = 0;
    int digit;
    do {
      digit = b[at++] & 0xFF;
      propertyLength |= (digit & 0x7F) << shift;
      shift += 7;
    } while ((digit & 0x80) != 0);
    at += propertyLength;
    List<Integer> codes = new ArrayList<>();
    while (at < b.length) {
      int length = ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
      at += 2 + length;
      codes.add(b[at++] & 0x03);
    }
    byte[] reasonCodes = new byte[codes.size()];
    for (int i = 0; i < reasonCodes.length; i++) {
      reasonCodes[i] = codes.get(i).byteValue();
    }
    int id = subscribe.packetId();
    return Frames.frame(
        RawPacket.SUBACK, 0, concat(bytes(id >> 8, id & 0xFF), Frames5.withLength(), reasonCodes));
  }

  @Test
  void subscribeCarriesEachSubscriptionsOptionsByteAndTheSubscriptionIdentifier() throws Exception {
    connect(v5().build());

    List<Integer> codes =
        client.subscribe(
            List.of(
                Subscription.builder("a/b")
                    .qos(QoS.AT_LEAST_ONCE)
                    .noLocal(true)
                    .subscriptionIdentifier(300)
                    .build(),
                Subscription.builder("c/#")
                    .qos(QoS.EXACTLY_ONCE)
                    .retainAsPublished(true)
                    .retainHandling(Subscription.RetainHandling.DO_NOT_SEND)
                    .subscriptionIdentifier(300)
                    .build()));

    assertThat(codes).containsExactly(1, 2);
    assertThat(broker.takePacket(RawPacket.SUBSCRIBE, WAIT).body())
        .isEqualTo(
            bytes(
                0x00, 0x01, // packet identifier 1
                0x03, // Property Length 3
                0x0B, 0xAC, 0x02, // Subscription Identifier 300 (Variable Byte Integer)
                0x00, 0x03, 'a', '/', 'b', // topic filter
                0x05, // QoS 1, No Local (bit 2)
                0x00, 0x03, 'c', '/', '#', // topic filter
                0x2A)); // QoS 2, Retain As Published (bit 3), Retain Handling 2 (bits 4, 5)
  }

  @Test
  void subscriptionsWithDifferentIdentifiersGoOutAsOneSubscribeEachAndTheCodesComeBackInOrder()
      throws Exception {
    connect(v5().build());

    List<Integer> codes =
        client.subscribe(
            List.of(
                Subscription.builder("one")
                    .qos(QoS.AT_LEAST_ONCE)
                    .subscriptionIdentifier(1)
                    .build(),
                Subscription.of("none", QoS.AT_MOST_ONCE),
                Subscription.builder("two").qos(QoS.EXACTLY_ONCE).subscriptionIdentifier(2).build(),
                Subscription.builder("uno")
                    .qos(QoS.EXACTLY_ONCE)
                    .subscriptionIdentifier(1)
                    .build()));

    assertThat(codes).containsExactly(1, 0, 2, 2);
    // At most one Subscription Identifier per SUBSCRIBE (section 3.8.2.1.2): three packets, in
    // the order each identifier first appears.
    assertThat(broker.takePacket(RawPacket.SUBSCRIBE, WAIT).body())
        .isEqualTo(
            bytes(
                0x00, 0x01, 0x02, 0x0B, 0x01, // id 1, Subscription Identifier 1
                0x00, 0x03, 'o', 'n', 'e', 0x01, 0x00, 0x03, 'u', 'n', 'o', 0x02));
    assertThat(broker.takePacket(RawPacket.SUBSCRIBE, WAIT).body())
        .isEqualTo(bytes(0x00, 0x02, 0x00, 0x00, 0x04, 'n', 'o', 'n', 'e', 0x00));
    assertThat(broker.takePacket(RawPacket.SUBSCRIBE, WAIT).body())
        .isEqualTo(bytes(0x00, 0x03, 0x02, 0x0B, 0x02, 0x00, 0x03, 't', 'w', 'o', 0x02));
  }

  @Test
  void mqtt5OptionsOnAnMqtt311ConnectionFailBeforeSendingNamingTheOption() throws Exception {
    broker.onConnect(Action.reply(Frames.connack(false, 0)));
    client = MqttClient.create("subs-311", config().build());
    client.connect(broker.uri());
    broker.takePacket(RawPacket.CONNECT, WAIT);

    assertThatThrownBy(
            () ->
                client.subscribe(
                    List.of(
                        Subscription.of("fine", QoS.AT_LEAST_ONCE),
                        Subscription.builder("a/#")
                            .noLocal(true)
                            .retainHandling(Subscription.RetainHandling.SEND_IF_NEW_SUBSCRIPTION)
                            .subscriptionIdentifier(9)
                            .build())))
        .isInstanceOf(MqttException.class)
        .hasMessage(
            "subscribe to [fine, a/#] failed before sending: the MQTT 5 subscription options"
                + " noLocal, retainHandling SEND_IF_NEW_SUBSCRIPTION, subscriptionIdentifier 9 of"
                + " 'a/#' need protocol_version 5; the connection speaks MQTT 3.1.1, whose"
                + " SUBSCRIBE has the QoS only");
    assertThat(broker.pollPacket(QUIET)).isEmpty();
  }

  @Test
  void aSharedSubscriptionIsAnOrdinaryFilterAtMqtt311() throws Exception {
    broker.onConnect(Action.reply(Frames.connack(false, 0)));
    client = MqttClient.create("subs-311", config().build());
    client.connect(broker.uri());

    assertThat(client.subscribe(List.of(Subscription.shared("g", "a/+", QoS.AT_LEAST_ONCE))))
        .containsExactly(1);
    assertThat(broker.takePacket(RawPacket.SUBSCRIBE, WAIT).asSubscribe())
        .containsExactly(new Frames.TopicRequest("$share/g/a/+", 1));
  }

  @Test
  void aWildcardFilterFailsBeforeSendingWhenTheBrokerHasNoWildcardSubscriptions() throws Exception {
    connect(v5().build(), bytes(0x28, 0x00)); // Wildcard Subscription Available 0

    assertThatThrownBy(() -> client.subscribe(List.of(Subscription.of("a/+", QoS.AT_MOST_ONCE))))
        .isInstanceOf(MqttException.class)
        .hasMessage(
            "subscribe to [a/+] failed before sending: the broker does not support wildcard"
                + " subscriptions (Wildcard Subscription Available 0 in its CONNACK, section"
                + " 3.2.2.3.11), and 'a/+' has a wildcard");
    assertThat(broker.pollPacket(QUIET)).isEmpty();
    assertThat(client.subscribe(List.of(Subscription.of("a/b", QoS.AT_MOST_ONCE))))
        .containsExactly(0);
  }

  @Test
  void aSubscriptionIdentifierFailsBeforeSendingWhenTheBrokerHasNone() throws Exception {
    connect(v5().build(), bytes(0x29, 0x00)); // Subscription Identifiers Available 0

    assertThatThrownBy(
            () ->
                client.subscribe(
                    List.of(Subscription.builder("a").subscriptionIdentifier(4).build())))
        .isInstanceOf(MqttException.class)
        .hasMessage(
            "subscribe to [a] failed before sending: the broker does not support subscription"
                + " identifiers (Subscription Identifiers Available 0 in its CONNACK, section"
                + " 3.2.2.3.12), and 'a' has subscriptionIdentifier 4");
    assertThat(broker.pollPacket(QUIET)).isEmpty();
  }

  @Test
  void aSharedSubscriptionFailsBeforeSendingWhenTheBrokerHasNone() throws Exception {
    connect(v5().build(), bytes(0x2A, 0x00)); // Shared Subscription Available 0

    assertThatThrownBy(
            () -> client.subscribe(List.of(Subscription.shared("g", "a", QoS.AT_LEAST_ONCE))))
        .isInstanceOf(MqttException.class)
        .hasMessage(
            "subscribe to [$share/g/a] failed before sending: the broker does not support shared"
                + " subscriptions (Shared Subscription Available 0 in its CONNACK, section"
                + " 3.2.2.3.13), and '$share/g/a' is one");
    assertThat(broker.pollPacket(QUIET)).isEmpty();
  }

  @Test
  void subscriptionsAreRestoredWithTheirOptionsOneSubscribePerIdentifier() throws Exception {
    connect(
        v5().autoReconnect(true)
            .reconnectMinInterval(Duration.ofMillis(50))
            .reconnectJitter(0.0)
            .build());
    client.subscribe(
        List.of(
            Subscription.builder("x").qos(QoS.AT_LEAST_ONCE).noLocal(true).build(),
            Subscription.builder("y").qos(QoS.AT_LEAST_ONCE).subscriptionIdentifier(7).build()));
    broker.takePacket(RawPacket.SUBSCRIBE, WAIT);
    broker.takePacket(RawPacket.SUBSCRIBE, WAIT);

    broker.closeConnection(); // the next CONNACK says no session: the client subscribes again

    broker.takePacket(RawPacket.CONNECT, WAIT);
    // In the order they were made; each put before the flows waiting, the last first, so the
    // packet identifiers run backwards.
    assertThat(broker.takePacket(RawPacket.SUBSCRIBE, WAIT).body())
        .isEqualTo(bytes(0x00, 0x04, 0x00, 0x00, 0x01, 'x', 0x05));
    assertThat(broker.takePacket(RawPacket.SUBSCRIBE, WAIT).body())
        .isEqualTo(bytes(0x00, 0x03, 0x02, 0x0B, 0x07, 0x00, 0x01, 'y', 0x01));
  }
}
