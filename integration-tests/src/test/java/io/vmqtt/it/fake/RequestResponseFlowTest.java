package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.ConnectionLostException;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request/response against the scripted broker, for what mosquitto will not do on demand: the
 * subscription to the response topic made again only when the broker lost the session, and a
 * request that fails as soon as its connection is lost for good.
 */
class RequestResponseFlowTest {
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

  private static MqttConfig.Builder v5() {
    return config()
        .protocolVersion(5)
        .connectTimeout(Duration.ofSeconds(10))
        .operationTimeout(Duration.ofSeconds(10));
  }

  private static byte[] connack(boolean sessionPresent) {
    return Frames.frame(RawPacket.CONNACK, 0, Frames.bytes(sessionPresent ? 1 : 0, 0x00, 0x00));
  }

  /** The first topic filter of an MQTT 5 SUBSCRIBE without properties (packet id, 0, filter). */
  private static String filter(RawPacket subscribe) {
    int length = Frames.readUnsignedShort(subscribe.body(), 3);
    return new String(subscribe.body(), 5, length, StandardCharsets.UTF_8);
  }

  /** The broker grants every SUBSCRIBE with an MQTT 5 SUBACK (Property Length 0, QoS 2). */
  private void grantSubscriptions() {
    broker.on(
        RawPacket.SUBSCRIBE,
        Action.reply(
            p ->
                Frames.frame(
                    RawPacket.SUBACK,
                    0,
                    Frames.bytes(p.packetId() >> 8, p.packetId() & 0xFF, 0x00, 0x02))));
  }

  /**
   * The broker answers every QoS 0 request itself: "re:" and the payload, to its response topic.
   */
  private void answerRequests() {
    grantSubscriptions();
    broker.on(
        RawPacket.PUBLISH,
        Action.reply(
            p -> {
              int topicLength = Frames.readUnsignedShort(p.body(), 0);
              Map<Integer, List<byte[]>> props = Frames5.properties(p.body(), 2 + topicLength);
              String responseTopic = new String(props.get(0x08).get(0), StandardCharsets.UTF_8);
              byte[] correlation = props.get(0x09).get(0);
              int propertiesEnd = p.body().length - 1; // one payload byte in these requests
              String payload = new String(p.body(), propertiesEnd, 1, StandardCharsets.UTF_8);
              return Frames5.publish(
                  responseTopic, "re:" + payload, Frames5.binaryProperty(0x09, correlation));
            }));
  }

  @Test
  void theResponseTopicIsSubscribedOncePerBrokerSessionAndAgainAfterTheSessionWasLost()
      throws Exception {
    answerRequests();
    broker.onConnect(Action.reply(connack(false)));
    client = MqttClient.create("rr", v5().cleanSession(false).build());
    client.connect(broker.uri());

    assertThat(client.request("svc/a", "1".getBytes(), WAIT).payloadAsString()).isEqualTo("re:1");
    assertThat(client.request("svc/a", "2".getBytes(), WAIT).payloadAsString()).isEqualTo("re:2");
    assertThat(filter(broker.takePacket(RawPacket.SUBSCRIBE, WAIT))).isEqualTo("vmqtt/response/rr");

    client.disconnect();
    broker.onConnect(Action.reply(connack(true))); // the session, and its subscription, are kept
    client.connect(broker.uri());
    assertThat(client.request("svc/a", "3".getBytes(), WAIT).payloadAsString()).isEqualTo("re:3");
    broker.takePacket(RawPacket.CONNECT, WAIT);
    assertThat(broker.pollPacket(WAIT).map(RawPacket::typeName))
        .as("the first packet after CONNECT: the request, no SUBSCRIBE")
        .contains("PUBLISH");

    client.disconnect();
    broker.onConnect(Action.reply(connack(false))); // the session was lost: subscribe again
    client.connect(broker.uri());
    assertThat(client.request("svc/a", "4".getBytes(), WAIT).payloadAsString()).isEqualTo("re:4");
    assertThat(filter(broker.takePacket(RawPacket.SUBSCRIBE, WAIT))).isEqualTo("vmqtt/response/rr");
  }

  @Test
  void withRequestResponseInformationTheResponseTopicIsUnderTheBrokersResponseInformation()
      throws Exception {
    answerRequests();
    broker.onConnect(
        Action.reply(Frames5.connack(0x00, Frames5.stringProperty(0x1A, "replies/rr-7"))));
    client = MqttClient.create("rr", v5().requestResponseInformation(true).build());
    client.connect(broker.uri());

    assertThat(client.request("svc/a", "1".getBytes(), WAIT).payloadAsString()).isEqualTo("re:1");

    RawPacket connect = broker.takePacket(RawPacket.CONNECT, WAIT);
    assertThat(Frames5.connectProperties(connect.body()).get(0x19))
        .as("Request Response Information 1")
        .singleElement()
        .isEqualTo(new byte[] {1});
    assertThat(filter(broker.takePacket(RawPacket.SUBSCRIBE, WAIT)))
        .isEqualTo("replies/rr-7/responses");
  }

  @Test
  void aRequestFailsAsSoonAsItsConnectionIsLostForGood() throws Exception {
    broker.onConnect(Action.reply(connack(false)));
    grantSubscriptions();
    broker.on(RawPacket.PUBLISH, Action.ignore()); // nobody answers
    client = MqttClient.create("rr", v5().build());
    client.connect(broker.uri());

    CompletableFuture<Message> request = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                request.complete(client.request("svc/a", "1".getBytes(), Duration.ofMinutes(5)));
              } catch (Throwable t) {
                request.completeExceptionally(t);
              }
            });
    broker.takePacket(RawPacket.PUBLISH, WAIT);
    broker.closeConnection();

    assertThatThrownBy(
            () -> request.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
        .cause()
        .isInstanceOf(ConnectionLostException.class)
        .hasMessageContaining("request to 'svc/a' failed: the connection was lost");
  }
}
