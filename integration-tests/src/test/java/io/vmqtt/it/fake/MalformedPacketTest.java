package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static io.vmqtt.it.fake.Frames.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.vmqtt.ConnectionLostException;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.ProtocolException;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bytes from the broker that break MQTT 3.1.1: each is a {@link ProtocolException} that closes the
 * connection and wakes every waiting call with a {@link ConnectionLostException} carrying it.
 */
class MalformedPacketTest {
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

  private void connect(MqttConfig config) throws Exception {
    client = MqttClient.create("fake-malformed", config);
    client.connect(broker.uri());
    broker.takePacket(RawPacket.CONNECT, WAIT);
  }

  /**
   * Each malformed packet, and a fragment of the message its {@link ProtocolException} must have
   * (matched ignoring case): the normative statement where the specification numbers one.
   */
  static Stream<Arguments> malformedPackets() {
    return Stream.of(
        arguments(
            "a PUBLISH with QoS 3 [MQTT-3.3.1-4]",
            // 36 (PUBLISH, QoS bits 11) 07 | 00 03 'a' '/' 'b' | 00 01 (packet id)
            bytes(0x36, 0x07, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x01),
            "[MQTT-3.3.1-4]"),
        arguments(
            "a PUBACK with remaining length 3",
            // 40 (PUBACK) 03 (must be 2) | 00 01 (packet id) | 00 (one byte too many)
            bytes(0x40, 0x03, 0x00, 0x01, 0x00),
            "PUBACK"),
        arguments(
            "a PUBACK with packet identifier 0 [MQTT-2.3.1-1]",
            // 40 (PUBACK) 02 | 00 00 (packet id 0 is not allowed)
            bytes(0x40, 0x02, 0x00, 0x00),
            "[MQTT-2.3.1-1]"),
        arguments(
            "the reserved packet type 0",
            // 00 (type 0: reserved, forbidden) 00
            bytes(0x00, 0x00),
            "type"),
        arguments(
            "the reserved packet type 15",
            // F0 (type 15: reserved, forbidden) 00
            bytes(0xF0, 0x00),
            "type"),
        arguments(
            "a PUBREL with flags 0000 [MQTT-3.6.1-1]",
            // 60 (PUBREL, flags 0000 where 0010 is required) 02 | 00 01 (packet id)
            bytes(0x60, 0x02, 0x00, 0x01),
            "[MQTT-3.6.1-1]"),
        arguments(
            "a Remaining Length of five bytes [MQTT-2.2.3]",
            // 30 (PUBLISH) | FF FF FF FF (a fourth byte that still says "more follows") 7F
            bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F),
            "remaining length"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedPackets")
  void aMalformedPacketClosesTheConnectionAndFailsAWaitingPublishAndDeliverWithItsProtocolException(
      String description, byte[] malformed, String fragment) throws Exception {
    broker.on(RawPacket.PUBLISH, Action.ignore());
    // A long operation timeout: the publish must be woken by the failure, not time out.
    connect(config().operationTimeout(Duration.ofSeconds(30)).build());
    BackgroundCall<PublishResult> publish =
        BackgroundCall.start(
            "publish", () -> client.publish("a/b", utf8("waiting"), QoS.AT_LEAST_ONCE, false));
    broker.takePacket(RawPacket.PUBLISH, WAIT);
    publish.awaitBlocked();
    BackgroundCall<Message> delivery = BackgroundCall.start("deliver", client::deliverMessage);
    delivery.awaitBlocked();

    broker.sendRaw(malformed);

    assertLostWithProtocolException(publish.failure(), fragment);
    assertLostWithProtocolException(delivery.failure(), fragment);
    await("client.isConnected() to turn false").atMost(WAIT).until(() -> !client.isConnected());
    assertThat(broker.awaitConnectionClosed(WAIT)).as("the client closed the socket").isTrue();
  }

  @Test
  void aPacketLargerThanMaxPacketSizeIsRefusedFromItsFixedHeaderBeforeTheBodyIsRead()
      throws Exception {
    connect(config().maxPacketSize(1024).build());
    BackgroundCall<Message> delivery = BackgroundCall.start("deliver", client::deliverMessage);
    delivery.awaitBlocked();

    // 30 (PUBLISH, QoS 0) | 80 AD E2 04 (remaining length 10,000,000) and no body at all: a client
    // that tried to read the body would wait past the test's bound (keep-alive is 60 s).
    broker.sendRaw(Frames.header(RawPacket.PUBLISH, 0, 10_000_000));

    Throwable failure = delivery.failure();
    assertThat(failure).isInstanceOf(ConnectionLostException.class);
    assertThat(failure.getCause()).isInstanceOf(ProtocolException.class);
    assertThat(failure.getCause().getMessage())
        .contains("max_packet_size")
        .contains("1024")
        .containsPattern("10,?000,?00[05]");
    await("client.isConnected() to turn false").atMost(WAIT).until(() -> !client.isConnected());
    assertThat(broker.awaitConnectionClosed(WAIT)).as("the client closed the socket").isTrue();
  }

  private static void assertLostWithProtocolException(Throwable failure, String fragment) {
    assertThat(failure).isInstanceOf(ConnectionLostException.class);
    assertThat(failure.getCause()).isInstanceOf(ProtocolException.class);
    assertThat(failure.getCause().getMessage()).containsIgnoringCase(fragment);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
