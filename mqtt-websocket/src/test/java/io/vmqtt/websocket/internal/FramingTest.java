package io.vmqtt.websocket.internal;

import static io.vmqtt.websocket.internal.Targets.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vmqtt.MqttConfig;
import io.vmqtt.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.enums.Opcode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MQTT is a byte stream over binary frames [MQTT-6.0.0-2]: frames from the server, split and merged
 * every way, come out as the same bytes; what the client writes goes out one frame per flush, and a
 * large packet spans frames. The test server sends frames of its choosing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FramingTest {
  /** Three MQTT packets, byte for byte: CONNACK (accepted), PUBACK id 1, PINGRESP. */
  private static final byte[] CONNACK = {0x20, 0x02, 0x00, 0x00};

  private static final byte[] PUBACK = {0x40, 0x02, 0x00, 0x01};
  private static final byte[] PINGRESP = {(byte) 0xD0, 0x00};

  /** PUBLISH QoS 0 to "a/b" with payload "hello" (MQTT 3.1.1 3.3). */
  private static final byte[] PUBLISH = {
    0x30, 0x0C, 0x00, 0x03, 'a', '/', 'b', 'h', 'e', 'l', 'l', 'o', '!', '!'
  };

  @Test
  void framesFromTheServerSplitAndMergedComeOutAsTheSameBytes() throws Exception {
    try (TestWebSocketServer server = TestWebSocketServer.running("mqtt");
        WebSocketTransport t = open(server.uri("/mqtt"))) {
      WebSocket conn = server.connection();

      conn.send(concat(CONNACK, PUBACK)); // two whole packets in one frame
      int split = PUBLISH.length - 2;
      for (int i = 0; i < split; ) { // most of a packet in frames of 1 and 3 bytes
        int n = Math.min((i / 4) % 2 == 0 ? 1 : 3, split - i);
        conn.send(Arrays.copyOfRange(PUBLISH, i, i + n));
        i += n;
      }
      // the end of one packet and the start of the next; that one's end and a whole packet
      conn.send(
          concat(Arrays.copyOfRange(PUBLISH, split, PUBLISH.length), new byte[] {0x40, 0x02}));
      conn.send(concat(new byte[] {0x00, 0x01}, PINGRESP));
      // a fragmented message: BINARY without FIN, then CONTINUATION frames
      conn.sendFragmentedFrame(Opcode.BINARY, ByteBuffer.wrap(new byte[] {0x40}), false);
      conn.sendFragmentedFrame(Opcode.BINARY, ByteBuffer.wrap(new byte[] {0x02, 0x00}), false);
      conn.sendFragmentedFrame(Opcode.BINARY, ByteBuffer.wrap(new byte[] {0x07}), true);

      byte[] expected =
          concat(CONNACK, PUBACK, PUBLISH, PUBACK, PINGRESP, new byte[] {0x40, 0x02, 0x00, 0x07});
      assertThat(t.input().readNBytes(expected.length)).isEqualTo(expected);
      assertThat(t.input().available()).isZero();
    }
  }

  /** The engine's writer flushes once per batch: a batch of packets is one frame. */
  @Test
  void eachFlushIsOneBinaryFrameWithEverythingWrittenSinceTheLastOne() throws Exception {
    try (TestWebSocketServer server = TestWebSocketServer.running("mqtt");
        WebSocketTransport t = open(server.uri("/mqtt"))) {
      OutputStream out = t.output();

      out.write(PUBLISH);
      out.write(PUBACK, 0, 2);
      out.write(PUBACK, 2, 2);
      out.write(PINGRESP[0]);
      out.write(PINGRESP[1]);
      out.flush();
      out.flush(); // nothing written since: no frame
      out.write(CONNACK);
      out.flush();

      assertThat(server.takeMessage()).isEqualTo(concat(PUBLISH, PUBACK, PINGRESP));
      assertThat(server.takeMessage()).isEqualTo(CONNACK);
      t.close();
      server.takeClose();
      assertThat(server.noMessageWaiting()).isTrue();
    }
  }

  @Test
  void morePayloadThanOneFrameHoldsSpansFramesOf64KiB() throws Exception {
    byte[] big = new byte[100 * 1024];
    new Random(1).nextBytes(big);
    try (TestWebSocketServer server = TestWebSocketServer.running("mqtt");
        WebSocketTransport t = open(server.uri("/mqtt"))) {
      t.output().write(big);
      t.output().flush();

      byte[] first = server.takeMessage();
      byte[] second = server.takeMessage();
      assertThat(first).hasSize(FrameOutputStream.MAX_FRAME_PAYLOAD);
      assertThat(second).hasSize(big.length - FrameOutputStream.MAX_FRAME_PAYLOAD);
      assertThat(concat(first, second)).isEqualTo(big);
    }
  }

  @Test
  void aTextFrameFromTheServerIsAProtocolViolation_MQTT_6_0_0_1() throws Exception {
    try (TestWebSocketServer server = TestWebSocketServer.running("mqtt");
        WebSocketTransport t = open(server.uri("/mqtt"))) {
      server.connection().send(CONNACK);
      server.connection().send("{\"not\": \"mqtt\"}");

      InputStream in = t.input();
      assertThat(in.readNBytes(CONNACK.length)).isEqualTo(CONNACK);
      assertThatThrownBy(in::read)
          .isInstanceOf(ProtocolException.class)
          .hasMessage(
              "Protocol violation: "
                  + server.uri("/mqtt")
                  + " sent a WebSocket text frame; MQTT control packets travel in binary frames"
                  + " only [MQTT-6.0.0-1]");
      assertThat(server.takeClose()).as("1003: data of a type it cannot accept").startsWith("1003");
    }
  }

  @Test
  void aCloseFrameFromTheServerEndsTheStreamAfterTheBytesBeforeIt() throws Exception {
    try (TestWebSocketServer server = TestWebSocketServer.running("mqtt");
        WebSocketTransport t = open(server.uri("/mqtt"))) {
      server.connection().send(PUBACK);
      server.connection().close(1001, "going away");

      InputStream in = t.input();
      assertThat(in.readNBytes(PUBACK.length)).isEqualTo(PUBACK);
      assertThatThrownBy(in::read)
          .isInstanceOf(EOFException.class)
          .hasMessage(server.uri("/mqtt") + " closed the WebSocket: close code 1001 (going away)");
      assertThat(server.takeClose()).as("the client answered the Close frame").startsWith("1001");
    }
  }

  @Test
  void aConnectionThatEndsWithoutACloseFrameEndsTheStream() throws Exception {
    ScriptedHttpServer server =
        new ScriptedHttpServer(
            request ->
                ScriptedHttpServer.switchingProtocols(request, "Sec-WebSocket-Protocol: mqtt"));
    try (WebSocketTransport t = open(server.uri("/mqtt"))) {
      server.close();

      assertThat(t.input().read()).isEqualTo(-1);
    }
  }

  @Test
  void aPingFromTheServerIsAnsweredWithAPong() throws Exception {
    try (TestWebSocketServer server = TestWebSocketServer.running("mqtt");
        WebSocketTransport t = open(server.uri("/mqtt"))) {
      server.connection().sendPing();

      assertThat(server.takePong()).isZero();
    }
  }

  /**
   * Flow control: with nobody reading, the read thread fills the buffer and then waits, so the
   * server's bytes stay in TCP; nothing is lost once reading starts.
   */
  @Test
  void whileNobodyReadsTheBufferFillsToItsLimitAndLosesNothing() throws Exception {
    int total = 4 * WebSocketTransport.INBOUND_BUFFER_BYTES;
    byte[] data = new byte[total];
    new Random(2).nextBytes(data);
    try (TestWebSocketServer server = TestWebSocketServer.running("mqtt");
        WebSocketTransport t = open(server.uri("/mqtt"))) {
      for (int i = 0; i < total; i += 16 * 1024) {
        server.connection().send(Arrays.copyOfRange(data, i, i + 16 * 1024));
      }

      await("the inbound buffer full")
          .atMost(Duration.ofSeconds(10))
          .until(() -> t.input().available() == WebSocketTransport.INBOUND_BUFFER_BYTES);

      assertThat(t.input().readNBytes(total)).isEqualTo(data);
    }
  }

  /** The limit is max_packet_size, or 1 MiB when that is smaller, checked before allocating. */
  @Test
  void aMessageOverTheLimitFailsTheStreamNamingCloseCode1009() throws Exception {
    MqttConfig config = MqttConfig.builder().maxPacketSize(1000).build();
    try (TestWebSocketServer server = TestWebSocketServer.running("mqtt");
        WebSocketTransport t = open(server.uri("/mqtt"), config)) {
      server.connection().send(new byte[WebSocketTransport.MIN_MESSAGE_LIMIT + 1]);

      assertThatThrownBy(() -> t.input().read())
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith(
              "the WebSocket to " + server.uri("/mqtt") + " failed: close code 1009");
      assertThat(server.takeClose()).startsWith("1009");
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
