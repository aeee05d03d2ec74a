package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static io.vmqtt.it.fake.Frames5.twoBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's own Topic Aliases on the wire (section 3.3.2.3.4), opt-in with {@code
 * outbound_topic_aliases}: the topic name and a new alias the first time, an empty topic name and
 * the alias afterwards, the least recently used topic's alias reassigned, never above the server's
 * Topic Alias Maximum, and a fresh table on every connection.
 */
class OutboundTopicAliasTest {
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

  private static MqttConfig.Builder v5(int aliases) {
    return config()
        .protocolVersion(5)
        .outboundTopicAliases(aliases)
        .connectTimeout(Duration.ofSeconds(10))
        .operationTimeout(Duration.ofSeconds(10));
  }

  /** A PUBLISH as sent: its topic name and its Topic Alias (0 when none). */
  private record Sent(String topic, int alias) {}

  private Sent takePublish() throws InterruptedException {
    RawPacket p = broker.takePacket(RawPacket.PUBLISH, WAIT);
    int topicLength = Frames.readUnsignedShort(p.body(), 0);
    String topic = new String(p.body(), 2, topicLength, java.nio.charset.StandardCharsets.UTF_8);
    int at = 2 + topicLength + (p.qos() > 0 ? 2 : 0);
    Map<Integer, List<byte[]>> props = Frames5.properties(p.body(), at);
    List<byte[]> alias = props.get(0x23);
    return new Sent(
        topic, alias == null ? 0 : ((alias.get(0)[0] & 0xFF) << 8) | (alias.get(0)[1] & 0xFF));
  }

  private void publish(String topic) throws InterruptedException {
    client.publish(topic, new byte[] {1}, QoS.AT_MOST_ONCE, false);
  }

  @Test
  void theTopicGoesOnceWithItsAliasThenTheAliasAloneAndTheLeastRecentlyUsedAliasIsReassigned()
      throws Exception {
    broker.onConnect(Action.reply(Frames5.connack(0x00, twoBytes(0x22, 5))));
    client = MqttClient.create("alias", v5(2).build());
    client.connect(broker.uri());

    publish("a/1");
    publish("a/1");
    publish("a/2");
    publish("a/3"); // both aliases taken: a/1 is the least recently used
    publish("a/2");
    publish("a/1"); // now a/3 is

    assertThat(List.of(takePublish(), takePublish(), takePublish()))
        .containsExactly(new Sent("a/1", 1), new Sent("", 1), new Sent("a/2", 2));
    assertThat(List.of(takePublish(), takePublish(), takePublish()))
        .containsExactly(new Sent("a/3", 1), new Sent("", 2), new Sent("a/1", 1));
  }

  @Test
  void noAliasIsSentAboveTheServersTopicAliasMaximumNorWithoutOne() throws Exception {
    broker.onConnect(Action.reply(Frames5.connack(0x00, twoBytes(0x22, 1))));
    client = MqttClient.create("alias", v5(10).build());
    client.connect(broker.uri());

    publish("b/1");
    publish("b/2");
    publish("b/2");

    // [MQTT-3.2.2-17]: one alias only, reassigned.
    assertThat(List.of(takePublish(), takePublish(), takePublish()))
        .containsExactly(new Sent("b/1", 1), new Sent("b/2", 1), new Sent("", 1));

    client.disconnect();
    broker.onConnect(Action.reply(Frames5.connack(0x00))); // no Topic Alias Maximum: 0
    client.connect(broker.uri());
    publish("b/2");
    publish("b/2");
    assertThat(List.of(takePublish(), takePublish()))
        .containsExactly(new Sent("b/2", 0), new Sent("b/2", 0));
  }

  @Test
  void aPublishResentAfterAReconnectionCarriesItsTopicNameAgain() throws Exception {
    // CONNACK with Session Present, so the unacknowledged publish is resent on the same session.
    broker.onConnect(
        Action.reply(
            Frames.frame(
                RawPacket.CONNACK,
                0,
                Frames.concat(Frames.bytes(0x01, 0x00), Frames5.withLength(twoBytes(0x22, 5))))));
    client =
        MqttClient.create(
            "alias",
            v5(5)
                .cleanSession(false)
                .autoReconnect(true)
                .reconnectMinInterval(Duration.ofMillis(50))
                .reconnectJitter(0)
                .build());
    client.connect(broker.uri());
    publish("c/1");
    assertThat(takePublish()).isEqualTo(new Sent("c/1", 1));
    // The QoS 1 publish goes with the alias alone; the broker drops the connection instead of
    // acknowledging it, and the client resends it on the next connection [MQTT-3.3.2-7].
    broker.enqueue(RawPacket.PUBLISH, Action.closeSocket());

    client.publish("c/1", new byte[] {2}, QoS.AT_LEAST_ONCE, false);

    assertThat(takePublish()).isEqualTo(new Sent("", 1));
    RawPacket resent = broker.takePacket(RawPacket.PUBLISH, WAIT);
    int topicLength = Frames.readUnsignedShort(resent.body(), 0);
    assertThat(new String(resent.body(), 2, topicLength, java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("c/1");
  }
}
