package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static io.vmqtt.it.fake.ClientSupport.messages;
import static io.vmqtt.it.fake.Frames.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.vmqtt.Connack;
import io.vmqtt.ConnectException;
import io.vmqtt.MqttClient;
import io.vmqtt.ProtocolException;
import io.vmqtt.ReasonCode;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** connect() against a broker whose CONNACK is late, refusing or malformed. */
class ConnectFailureTest {
  private FakeBroker broker;
  private MqttClient client;

  @BeforeEach
  void start() throws Exception {
    broker = FakeBroker.start();
    client = MqttClient.create("fake-connect", config().build());
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    broker.close();
  }

  private ConnectException connectFails() {
    Throwable t = catchThrowable(() -> client.connect(broker.uri()));
    assertThat(t).isInstanceOf(ConnectException.class);
    return (ConnectException) t;
  }

  @Test
  void aConnackThatNeverComesFailsConnectAfterConnectTimeoutAndTheClientCanConnectAgain()
      throws Exception {
    broker.enqueue(RawPacket.CONNECT, Action.ignore());

    long start = System.nanoTime();
    ConnectException e = connectFails();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(e.isRefusal()).isFalse();
    assertThat(e.returnCode()).isEqualTo(ConnectException.NO_RETURN_CODE);
    assertThat(messages(e)).containsPattern("(?i)connack|connect_timeout|timed? ?out");
    assertThat(took).as("connect_timeout is 1 s").isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(client.isConnected()).isFalse();
    assertThat(broker.awaitConnectionClosed(WAIT)).as("the client closed the socket").isTrue();

    // The next CONNECT gets the automatic CONNACK 0.
    assertThat(client.connect(broker.uri())).isEqualTo(Connack.accepted(false));
    assertThat(client.isConnected()).isTrue();
    assertThat(broker.connectionCount()).isEqualTo(2);
  }

  @ParameterizedTest(name = "return code {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void aRefusingConnackFailsConnectWithItsReturnCodeAndTheClientClosesTheSocket(int code)
      throws Exception {
    broker.onConnect(Action.reply(Frames.connack(false, code)));

    ConnectException e = connectFails();

    assertThat(e.isRefusal()).isTrue();
    assertThat(e.returnCode()).isEqualTo(code);
    assertThat(e.reasonCode()).isEqualTo(ReasonCode.ofConnack(code, 4));
    assertThat(client.isConnected()).isFalse();
    assertThat(broker.awaitConnectionClosed(WAIT)).as("the client closed the socket").isTrue();
  }

  @Test
  void aReservedReturnCodeIsARefusalWithAnUnspecifiedErrorAndItsCodeKept() throws Exception {
    broker.onConnect(Action.reply(Frames.connack(false, 6)));

    ConnectException e = connectFails();

    assertThat(e.returnCode()).isEqualTo(6);
    assertThat(e.reasonCode()).contains(ReasonCode.UNSPECIFIED_ERROR);
    assertThat(e).hasMessageEndingWith("return code 6 (unspecified error)");
  }

  @Test
  void aRefusalThatClaimsASessionIsStillARefusalWithoutOne() throws Exception {
    // [MQTT-3.2.2-4]: a refusing CONNACK has session present 0; a broker that sets it is not
    // believed, and the refusal is reported as such.
    broker.onConnect(Action.reply(Frames.connack(true, 5)));

    ConnectException e = connectFails();

    assertThat(e.connack()).contains(Connack.ofMqtt3(5, false));
    assertThat(e).hasMessageEndingWith("return code 5 (not authorized)");
  }

  @Test
  void aRefusalFollowedAtOnceByTheBrokerClosingTheSocketStillReportsTheReturnCode() {
    // What a real broker does [MQTT-3.2.2-5]: the CONNACK, then the end of the stream.
    broker.onConnect(Action.replyThenClose(Frames.connack(false, 5)));

    ConnectException e = connectFails();

    assertThat(e.returnCode()).isEqualTo(5);
    assertThat(e.reasonCode()).contains(ReasonCode.NOT_AUTHORIZED);
    assertThat(e.connack()).contains(Connack.ofMqtt3(5, false));
    assertThat(client.isConnected()).isFalse();
  }

  /** What the broker sends instead of a valid CONNACK, and a fragment of the error's message. */
  static Stream<Arguments> malformedConnacks() {
    return Stream.of(
        arguments(
            "a CONNACK with remaining length 3",
            // 20 (CONNACK) 03 (must be 2) | 00 00 | 00 (one byte too many)
            bytes(0x20, 0x03, 0x00, 0x00, 0x00),
            "CONNACK"),
        arguments(
            "a PINGRESP before any CONNACK [MQTT-3.2.0-1]",
            // D0 00: a valid packet, but the first one from the server must be CONNACK
            bytes(0xD0, 0x00),
            "[MQTT-3.2.0-1]"),
        arguments(
            "a Remaining Length of five bytes [MQTT-2.2.3]",
            // 20 (CONNACK) | FF FF FF FF (a fourth byte that still says "more follows") 7F
            bytes(0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F),
            "remaining length"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedConnacks")
  void aMalformedAnswerToConnectFailsConnectWithItsProtocolException(
      String description, byte[] malformed, String fragment) throws Exception {
    broker.onConnect(Action.reply(malformed));

    ConnectException e = connectFails();

    assertThat(e.isRefusal()).isFalse();
    assertThat(e.getCause()).isInstanceOf(ProtocolException.class);
    assertThat(e.getCause().getMessage()).containsIgnoringCase(fragment);
    assertThat(client.isConnected()).isFalse();
    assertThat(broker.awaitConnectionClosed(WAIT)).as("the client closed the socket").isTrue();
  }

  @Test
  void aPeerThatIsNotAnMqttBrokerIsNamedAsSuchInTheError() throws Exception {
    broker.onConnect(
        Action.replyThenClose(
            "HTTP/1.1 400 Bad Request\r\n\r\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));

    ConnectException e = connectFails();

    assertThat(e.isRefusal()).isFalse();
    assertThat(e.getCause()).isInstanceOf(ProtocolException.class);
    assertThat(e.getCause().getMessage())
        .contains("is not a valid CONNACK (is it an MQTT broker?)")
        .contains(broker.uri().replace("mqtt://", "tcp://"));
  }
}
