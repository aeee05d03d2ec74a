package io.vmqtt.it.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Self-tests of the fixture, with plain sockets and hand-written byte vectors: the fake broker must
 * be right before the engine tests can trust it.
 */
class FakeBrokerTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration QUIET = Duration.ofMillis(300);

  /**
   * CONNECT, MQTT 3.1.1, clean session, keep-alive 60 s, client id "c1": 10 0E | 00 04 'M' 'Q' 'T'
   * 'T' | 04 (level) | 02 (flags: clean) | 00 3C (keep-alive) | 00 02 'c' '1'.
   */
  private static final byte[] CONNECT = {
    0x10, 0x0E, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x02, 'c', '1'
  };

  /** PINGREQ: C0 00. */
  private static final byte[] PINGREQ = {(byte) 0xC0, 0x00};

  /** PINGRESP: D0 00. */
  private static final byte[] PINGRESP = {(byte) 0xD0, 0x00};

  /** CONNACK, no session present, accepted: 20 02 00 00. */
  private static final byte[] CONNACK_ACCEPTED = {0x20, 0x02, 0x00, 0x00};

  private FakeBroker broker;
  private Socket socket;
  private InputStream in;

  @BeforeEach
  void startBroker() throws IOException {
    broker = FakeBroker.start();
  }

  @AfterEach
  void stop() throws IOException {
    if (socket != null) {
      socket.close();
    }
    broker.close();
  }

  private void connectSocket() throws IOException {
    socket = new Socket("127.0.0.1", broker.port());
    socket.setTcpNoDelay(true); // round trips of two-byte packets: no wait for delayed ACKs
    socket.setSoTimeout((int) WAIT.toMillis());
    in = socket.getInputStream();
  }

  private void send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  private byte[] read(int n) throws IOException {
    return in.readNBytes(n);
  }

  /** Asserts nothing arrives on the socket for a moment. */
  private void assertNothingArrives() throws IOException {
    socket.setSoTimeout((int) QUIET.toMillis());
    assertThatThrownBy(() -> in.read()).isInstanceOf(SocketTimeoutException.class);
    socket.setSoTimeout((int) WAIT.toMillis());
  }

  @Test
  void theUriNamesTheLoopbackAddressAndThePort() {
    assertThat(broker.uri()).isEqualTo("mqtt://127.0.0.1:" + broker.port());
    assertThat(broker.port()).isPositive();
  }

  @Test
  void aConnectIsAnsweredWithConnackZeroAndRecordedForTakePacket() throws Exception {
    connectSocket();
    send(CONNECT);

    assertThat(read(4)).containsExactly(CONNACK_ACCEPTED);
    RawPacket connect = broker.takePacket(WAIT);
    assertThat(connect.type()).isEqualTo(RawPacket.CONNECT);
    Frames.Connect fields = connect.asConnect();
    assertThat(fields.protocolName()).isEqualTo("MQTT");
    assertThat(fields.protocolLevel()).isEqualTo(4);
    assertThat(fields.cleanSession()).isTrue();
    assertThat(fields.hasWill()).isFalse();
    assertThat(fields.keepAliveSeconds()).isEqualTo(60);
    assertThat(fields.clientId()).isEqualTo("c1");
    assertThat(broker.connectionCount()).isEqualTo(1);
  }

  @Test
  void aConnectWithWillAndCredentialsIsParsed() throws Exception {
    connectSocket();
    // 10 1F | 00 04 MQTT | 04 | EE (user, password, will retain, will QoS 1, will, clean)
    // | 00 0A | 00 01 'c' | 00 03 'w' '/' 't' | 00 02 'b' 'y' | 00 02 'u' 's' | 00 03 'p' 'w' 'd'
    byte[] connect = {
      0x10,
      0x1F,
      0x00,
      0x04,
      'M',
      'Q',
      'T',
      'T',
      0x04,
      (byte) 0xEE,
      0x00,
      0x0A,
      0x00,
      0x01,
      'c',
      0x00,
      0x03,
      'w',
      '/',
      't',
      0x00,
      0x02,
      'b',
      'y',
      0x00,
      0x02,
      'u',
      's',
      0x00,
      0x03,
      'p',
      'w',
      'd'
    };
    send(connect);

    assertThat(read(4)).containsExactly(CONNACK_ACCEPTED);
    Frames.Connect fields = broker.takePacket(WAIT).asConnect();
    assertThat(fields.clientId()).isEqualTo("c");
    assertThat(fields.hasWill()).isTrue();
    assertThat(fields.willQos()).isEqualTo(1);
    assertThat(fields.willRetain()).isTrue();
    assertThat(fields.willTopic()).isEqualTo("w/t");
    assertThat(fields.willMessage()).asString(StandardCharsets.UTF_8).isEqualTo("by");
    assertThat(fields.username()).isEqualTo("us");
    assertThat(fields.password()).asString(StandardCharsets.UTF_8).isEqualTo("pwd");
  }

  @Test
  void publishesAreAnsweredWithPubackOrPubrecAndPubrelWithPubcomp() throws Exception {
    connectSocket();
    send(CONNECT);
    read(4);
    // PUBLISH QoS 1, topic "a/b", id 7, payload "hi": 32 09 00 03 'a' '/' 'b' 00 07 'h' 'i'
    send(new byte[] {0x32, 0x09, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x07, 'h', 'i'});
    assertThat(read(4)).containsExactly(0x40, 0x02, 0x00, 0x07);
    // PUBLISH QoS 2, id 0x0102, no payload: 34 07 00 03 'a' '/' 'b' 01 02
    send(new byte[] {0x34, 0x07, 0x00, 0x03, 'a', '/', 'b', 0x01, 0x02});
    assertThat(read(4)).containsExactly(0x50, 0x02, 0x01, 0x02);
    // PUBREL id 0x0102: 62 02 01 02
    send(new byte[] {0x62, 0x02, 0x01, 0x02});
    assertThat(read(4)).containsExactly(0x70, 0x02, 0x01, 0x02);
    // PUBLISH QoS 0 gets no answer: 30 05 00 03 'a' '/' 'b'
    send(new byte[] {0x30, 0x05, 0x00, 0x03, 'a', '/', 'b'});
    assertNothingArrives();

    broker.takePacket(RawPacket.CONNECT, WAIT);
    Frames.Publish qos1 = broker.takePacket(WAIT).asPublish();
    assertThat(qos1)
        .isEqualTo(
            new Frames.Publish("a/b", 1, false, false, 7, "hi".getBytes(StandardCharsets.UTF_8)));
    RawPacket qos2 = broker.takePacket(WAIT);
    assertThat(qos2.qos()).isEqualTo(2);
    assertThat(qos2.packetId()).isEqualTo(0x0102);
    RawPacket pubrel = broker.takePacket(WAIT);
    assertThat(pubrel.type()).isEqualTo(RawPacket.PUBREL);
    assertThat(pubrel.flags()).isEqualTo(2);
    assertThat(broker.takePacket(WAIT).asPublish().qos()).isZero();
  }

  @Test
  void subscribeIsGrantedTheRequestedQosAndUnsubscribeIsAcknowledged() throws Exception {
    connectSocket();
    send(CONNECT);
    read(4);
    // SUBSCRIBE id 5: "a" QoS 1, "b/#" QoS 2: 82 0C 00 05 | 00 01 'a' 01 | 00 03 'b' '/' '#' 02
    send(
        Frames.bytes(
            0x82, 0x0C, 0x00, 0x05, 0x00, 0x01, 'a', 0x01, 0x00, 0x03, 'b', '/', '#', 0x02));
    assertThat(read(6)).containsExactly(0x90, 0x04, 0x00, 0x05, 0x01, 0x02);
    // UNSUBSCRIBE id 6: "a": A2 05 00 06 00 01 'a'
    send(new byte[] {(byte) 0xA2, 0x05, 0x00, 0x06, 0x00, 0x01, 'a'});
    assertThat(read(4)).containsExactly(0xB0, 0x02, 0x00, 0x06);

    RawPacket subscribe = broker.takePacket(RawPacket.SUBSCRIBE, WAIT);
    assertThat(subscribe.packetId()).isEqualTo(5);
    assertThat(subscribe.asSubscribe())
        .containsExactly(new Frames.TopicRequest("a", 1), new Frames.TopicRequest("b/#", 2));
    assertThat(broker.takePacket(RawPacket.UNSUBSCRIBE, WAIT).asUnsubscribe()).containsExactly("a");
  }

  @Test
  void anIgnoredConnectGetsNoAnswerButTheBrokerKeepsReading() throws Exception {
    broker.onConnect(Action.ignore());
    connectSocket();
    send(CONNECT);

    assertNothingArrives();
    send(PINGREQ);
    assertThat(read(2)).containsExactly(PINGRESP);
    assertThat(broker.takePacket(WAIT).type()).isEqualTo(RawPacket.CONNECT);
    assertThat(broker.takePacket(WAIT).type()).isEqualTo(RawPacket.PINGREQ);
  }

  @Test
  void aOneShotRuleAppliesOnceAndThenTheStandingRuleAppliesAgain() throws Exception {
    broker.enqueue(RawPacket.PINGREQ, Action.ignore());
    connectSocket();
    send(CONNECT);
    read(4);

    send(PINGREQ);
    assertNothingArrives();
    send(PINGREQ);
    assertThat(read(2)).containsExactly(PINGRESP);
  }

  @Test
  void aOneShotRuleQueuedAfterTakingAPacketScriptsTheNextPacketNotTheOneTaken() throws Exception {
    connectSocket();
    send(CONNECT);
    read(4);

    for (int round = 0; round < 500; round++) {
      send(PINGREQ);
      broker.takePacket(RawPacket.PINGREQ, WAIT);
      broker.enqueue(RawPacket.PINGREQ, Action.ignore());
      assertThat(read(2))
          .as("round %d: the PINGREQ taken is answered", round)
          .containsExactly(PINGRESP);
      send(PINGREQ); // the one the rule scripts: no answer
      broker.takePacket(RawPacket.PINGREQ, WAIT);
    }
    send(PINGREQ);
    assertThat(read(2)).containsExactly(PINGRESP);
    assertNothingArrives();
  }

  @Test
  void closeSocketClosesTheConnectionWithoutAnswering() throws Exception {
    broker.on(RawPacket.PINGREQ, Action.closeSocket());
    connectSocket();
    send(CONNECT);
    read(4);

    send(PINGREQ);
    assertThat(in.read()).isEqualTo(-1);
    assertThat(broker.awaitConnectionClosed(WAIT)).isTrue();
    assertThat(broker.takePacket(RawPacket.PINGREQ, WAIT)).isNotNull();
  }

  @Test
  void theBrokerSeesTheClientCloseTheConnection() throws Exception {
    connectSocket();
    send(CONNECT);
    read(4);
    assertThat(broker.awaitConnectionClosed(Duration.ZERO)).isFalse();

    socket.close();

    assertThat(broker.awaitConnectionClosed(WAIT)).isTrue();
  }

  @Test
  void aReplyIsWrittenInsteadOfTheAutomaticAnswerAndMayUseThePacket() throws Exception {
    broker.onConnect(Action.reply(Frames.connack(true, 5)));
    broker.on(RawPacket.SUBSCRIBE, Action.reply(p -> Frames.suback(p.packetId(), 0x80)));
    connectSocket();
    send(CONNECT);
    assertThat(read(4)).containsExactly(0x20, 0x02, 0x01, 0x05);

    send(new byte[] {(byte) 0x82, 0x06, 0x01, 0x00, 0x00, 0x01, 'a', 0x01});
    assertThat(read(5)).containsExactly(0x90, 0x03, 0x01, 0x00, 0x80);
  }

  @Test
  void replyThenCloseWritesTheBytesAndThenEndsTheStream() throws Exception {
    broker.onConnect(Action.replyThenClose(Frames.connack(false, 5)));
    connectSocket();
    send(CONNECT);

    assertThat(read(4)).containsExactly(0x20, 0x02, 0x00, 0x05);
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void aHeldAnswerGoesOutOnReleaseWhileLaterPacketsAreAnswered() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    broker.on(RawPacket.PUBLISH, Action.holdUntil(release));
    connectSocket();
    send(CONNECT);
    read(4);

    send(new byte[] {0x32, 0x07, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x01});
    send(PINGREQ);
    assertThat(read(2)).containsExactly(PINGRESP);
    assertNothingArrives();

    release.countDown();
    assertThat(read(4)).containsExactly(0x40, 0x02, 0x00, 0x01);
  }

  @Test
  void aDelayedAnswerGoesOutAfterTheDelay() throws Exception {
    broker.on(RawPacket.PINGREQ, Action.delay(Duration.ofMillis(200)));
    connectSocket();
    send(CONNECT);
    read(4);

    long start = System.nanoTime();
    send(PINGREQ);
    assertThat(read(2)).containsExactly(PINGRESP);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aStalledConnectionIsNoLongerReadUntilTheBrokerClosesIt() throws Exception {
    broker.on(RawPacket.PINGREQ, Action.stall());
    connectSocket();
    send(CONNECT);
    read(4);

    send(PINGREQ);
    send(new byte[] {0x30, 0x05, 0x00, 0x03, 'a', '/', 'b'});
    assertNothingArrives();
    assertThat(broker.takePacket(RawPacket.PINGREQ, WAIT)).isNotNull();
    assertThat(broker.pollPacket(QUIET)).isEmpty();

    broker.closeConnection();
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void publishToClientAndSendRawWriteExactlyTheseBytes() throws Exception {
    connectSocket();
    send(CONNECT);
    read(4);

    broker.publishToClient("a/b", "hi".getBytes(StandardCharsets.UTF_8), 1, true, true, 7);
    // 3B (PUBLISH, DUP, QoS 1, RETAIN) 09 | 00 03 'a' '/' 'b' | 00 07 | 'h' 'i'
    assertThat(read(11))
        .containsExactly(0x3B, 0x09, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x07, 'h', 'i');
    broker.publishToClient("t", new byte[0], 0, false, false, 0);
    // 30 03 | 00 01 't'
    assertThat(read(5)).containsExactly(0x30, 0x03, 0x00, 0x01, 't');
    broker.sendRaw(new byte[] {0x36, (byte) 0xFF});
    assertThat(read(2)).containsExactly(0x36, 0xFF);
  }

  @Test
  void theClientsPubrecToAPushedQos2PublishIsAnsweredWithPubrel() throws Exception {
    connectSocket();
    send(CONNECT);
    read(4);
    broker.publishToClient("t", new byte[0], 2, false, false, 9);
    assertThat(read(7)).containsExactly(0x34, 0x05, 0x00, 0x01, 't', 0x00, 0x09);

    send(new byte[] {0x50, 0x02, 0x00, 0x09});
    assertThat(read(4)).containsExactly(0x62, 0x02, 0x00, 0x09);
    assertThat(broker.takePacket(RawPacket.PUBREC, WAIT).packetId()).isEqualTo(9);
  }

  @Test
  void aDisconnectMakesTheBrokerCloseTheConnection() throws Exception {
    connectSocket();
    send(CONNECT);
    read(4);

    send(new byte[] {(byte) 0xE0, 0x00});

    assertThat(in.read()).isEqualTo(-1);
    assertThat(broker.awaitConnectionClosed(WAIT)).isTrue();
  }

  @Test
  void theBrokerAcceptsANewConnectionAfterTheFirstEnded() throws Exception {
    connectSocket();
    send(CONNECT);
    read(4);
    broker.closeConnection();
    assertThat(in.read()).isEqualTo(-1);
    socket.close();

    connectSocket();
    send(CONNECT);
    assertThat(read(4)).containsExactly(CONNACK_ACCEPTED);
    assertThat(broker.connectionCount()).isEqualTo(2);
  }

  @Test
  void takePacketFailsWhenNothingArrives() {
    assertThatThrownBy(() -> broker.takePacket(QUIET))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no packet within 300 ms");
    assertThatThrownBy(() -> broker.takePacket(RawPacket.PUBACK, QUIET))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no PUBACK within 300 ms");
  }

  @Test
  void theRemainingLengthIsEncodedAtItsBoundaries() {
    assertThat(Frames.remainingLength(0)).containsExactly(0x00);
    assertThat(Frames.remainingLength(127)).containsExactly(0x7F);
    assertThat(Frames.remainingLength(128)).containsExactly(0x80, 0x01);
    assertThat(Frames.remainingLength(16_383)).containsExactly(0xFF, 0x7F);
    assertThat(Frames.remainingLength(16_384)).containsExactly(0x80, 0x80, 0x01);
    assertThat(Frames.remainingLength(10_000_000)).containsExactly(0x80, 0xAD, 0xE2, 0x04);
    assertThat(Frames.remainingLength(268_435_455)).containsExactly(0xFF, 0xFF, 0xFF, 0x7F);
    assertThatThrownBy(() -> Frames.remainingLength(268_435_456))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readingRefusesAFifthRemainingLengthByteAndATruncatedBody() {
    byte[] fiveBytes = {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F};
    assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(fiveBytes)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("four bytes");
    byte[] truncated = {0x40, 0x02, 0x00};
    assertThatThrownBy(() -> Frames.read(new ByteArrayInputStream(truncated)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("1 of 2 body bytes");
  }

  @Test
  void readingSplitsAFrameIntoTypeFlagsAndBody() throws IOException {
    RawPacket p = Frames.read(new ByteArrayInputStream(new byte[] {0x62, 0x02, 0x12, 0x34}));
    assertThat(p).isEqualTo(new RawPacket(RawPacket.PUBREL, 2, new byte[] {0x12, 0x34}));
    assertThat(p.packetId()).isEqualTo(0x1234);
  }
}
