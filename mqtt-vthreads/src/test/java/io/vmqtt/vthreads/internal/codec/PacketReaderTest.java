package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.TestBytes.bytes;
import static io.vmqtt.vthreads.internal.codec.TestBytes.concat;
import static io.vmqtt.vthreads.internal.codec.TestBytes.filled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.QoS;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketReaderTest {
  private static final int MQTT_3_1_1 = 4;
  private static final int MAX = MqttLimits.MAX_PACKET_SIZE;

  private static final List<Packet> PACKETS =
      List.of(
          new ConnackPacket(false, 0),
          new PublishPacket("a/b", "hello".getBytes(), QoS.AT_LEAST_ONCE, false, false, 1),
          new PubackPacket(1),
          new PubrelPacket(2),
          new SubackPacket(3, List.of(0, 0x80)),
          new PublishPacket("c", new byte[0], QoS.AT_MOST_ONCE, true, false, 0),
          PingrespPacket.INSTANCE,
          new UnsubackPacket(4));

  private static byte[] allPackets() {
    return concat(PACKETS.stream().map(TestBytes::encode).toArray(byte[][]::new));
  }

  private static List<Packet> readAll(PacketReader reader) throws IOException {
    List<Packet> packets = new ArrayList<>();
    for (int i = 0; i < PACKETS.size(); i++) {
      packets.add(reader.read());
    }
    return packets;
  }

  @Test
  void severalPacketsInOneBufferCostOneRead() throws IOException {
    byte[] all = allPackets();
    TestBytes.ChunkedStream in = new TestBytes.ChunkedStream(all, Integer.MAX_VALUE);
    PacketReader reader = new PacketReader(in, TestBytes.codec(MQTT_3_1_1, MAX));

    assertThat(readAll(reader)).isEqualTo(PACKETS);
    assertThat(in.reads).isEqualTo(1);
    assertThat(reader.bytesRead()).isEqualTo(all.length);
  }

  @Test
  void aPacketSplitIntoSingleByteReadsIsReassembled() throws IOException {
    byte[] all = allPackets();
    TestBytes.ChunkedStream in = new TestBytes.ChunkedStream(all, 1);
    PacketReader reader = new PacketReader(in, TestBytes.codec(MQTT_3_1_1, MAX));

    assertThat(readAll(reader)).isEqualTo(PACKETS);
    assertThat(in.reads).isEqualTo(all.length);
    assertThat(reader.bytesRead()).isEqualTo(all.length);
  }

  @Test
  void packetsSplitAcrossBufferRefillsAreReassembled() throws IOException {
    // A 5-byte buffer: headers and bodies straddle every refill, and bodies of 5 bytes or more are
    // read straight into their own array.
    byte[] all = allPackets();
    for (int chunk = 1; chunk <= all.length; chunk++) {
      PacketReader reader =
          new PacketReader(
              new TestBytes.ChunkedStream(all, chunk), TestBytes.codec(MQTT_3_1_1, MAX), 5);
      assertThat(readAll(reader)).as("chunk %d", chunk).isEqualTo(PACKETS);
      assertThatThrownBy(reader::read).isExactlyInstanceOf(EOFException.class);
    }
  }

  @Test
  void aBodyLargerThanTheBufferIsReadStraightIntoItsArray() throws IOException {
    PublishPacket publish =
        new PublishPacket("t", filled(100, 0x42), QoS.AT_MOST_ONCE, false, false, 0);
    byte[] encoded = TestBytes.encode(publish); // 0x30, 103, then the 103-byte body
    List<Integer> requested = new ArrayList<>();
    InputStream in =
        new ByteArrayInputStream(encoded) {
          @Override
          public int read(byte[] b, int off, int len) {
            requested.add(len);
            return super.read(b, off, len);
          }
        };
    PacketReader reader = new PacketReader(in, TestBytes.codec(MQTT_3_1_1, MAX), 16);

    assertThat(reader.read()).isEqualTo(publish);
    // One fill of the 16-byte buffer (2 header and 14 body bytes), then the other 89 at once.
    assertThat(requested).containsExactly(16, 89);
  }

  @Test
  void theStreamEndingBetweenPacketsIsAClosedConnection() throws IOException {
    PacketReader reader =
        new PacketReader(
            new ByteArrayInputStream(TestBytes.encode(new PubackPacket(5))),
            TestBytes.codec(MQTT_3_1_1, MAX));

    assertThat(reader.read()).isEqualTo(new PubackPacket(5));
    assertThatThrownBy(reader::read)
        .isExactlyInstanceOf(EOFException.class)
        .hasMessage("connection closed by peer");
  }

  @Test
  void anEmptyStreamIsAClosedConnection() {
    PacketReader reader =
        new PacketReader(new ByteArrayInputStream(new byte[0]), TestBytes.codec(MQTT_3_1_1, MAX));

    assertThatThrownBy(reader::read)
        .isExactlyInstanceOf(EOFException.class)
        .hasMessage("connection closed by peer");
  }

  @Test
  void theStreamEndingInsideABodySaysHowMuchArrived() {
    // PUBLISH of 30 bytes: 0x30, remaining length 28; only the first 12 bytes arrive.
    byte[] packet =
        TestBytes.encode(
            new PublishPacket("topic", filled(21, 'x'), QoS.AT_MOST_ONCE, false, false, 0));
    assertThat(packet).hasSize(30);
    byte[] truncated = Arrays.copyOf(packet, 12);
    PacketReader reader =
        new PacketReader(new ByteArrayInputStream(truncated), TestBytes.codec(MQTT_3_1_1, MAX));

    assertThatThrownBy(reader::read)
        .isExactlyInstanceOf(EOFException.class)
        .hasMessage("stream ended in the middle of a PUBLISH (12 of 30 bytes)");
  }

  @Test
  void theStreamEndingInsideALargeBodySaysHowMuchArrived() {
    // Body larger than the buffer, read straight into its array when the stream ends.
    byte[] truncated = concat(bytes(0x30, 0x80, 0x01, 0x00, 0x01, 't'), filled(50, 1));
    PacketReader reader =
        new PacketReader(
            new TestBytes.ChunkedStream(truncated, 7), TestBytes.codec(MQTT_3_1_1, MAX), 8);

    assertThatThrownBy(reader::read)
        .isExactlyInstanceOf(EOFException.class)
        .hasMessage("stream ended in the middle of a PUBLISH (56 of 131 bytes)");
  }

  @Test
  void theStreamEndingInsideTheRemainingLengthSaysSo() {
    PacketReader reader =
        new PacketReader(
            new ByteArrayInputStream(bytes(0x30, 0x80)), TestBytes.codec(MQTT_3_1_1, MAX));

    assertThatThrownBy(reader::read)
        .isExactlyInstanceOf(EOFException.class)
        .hasMessage("stream ended in the middle of the fixed header of a PUBLISH (2 bytes read)");
  }

  @Test
  void theStreamEndingAfterTheFirstByteSaysSo() {
    PacketReader reader =
        new PacketReader(new ByteArrayInputStream(bytes(0xD0)), TestBytes.codec(MQTT_3_1_1, MAX));

    assertThatThrownBy(reader::read)
        .isExactlyInstanceOf(EOFException.class)
        .hasMessage("stream ended in the middle of the fixed header of a PINGRESP (1 byte read)");
  }

  @Test
  void invalidFixedHeaderFlagsAreRefusedBeforeTheLengthIsRead() {
    PacketReader reader =
        new PacketReader(
            new TestBytes.TripwireStream(bytes(0x36)), TestBytes.codec(MQTT_3_1_1, MAX));

    assertThatThrownBy(reader::read)
        .isExactlyInstanceOf(ProtocolViolationException.class)
        .hasMessage("Malformed PUBLISH: QoS 3 is not allowed [MQTT-3.3.1-4]");
  }

  @Test
  void aReservedPacketTypeIsRefusedBeforeTheLengthIsRead() {
    PacketReader reader =
        new PacketReader(
            new TestBytes.TripwireStream(bytes(0xF0)), TestBytes.codec(MQTT_3_1_1, MAX));

    assertThatThrownBy(reader::read)
        .isExactlyInstanceOf(ProtocolViolationException.class)
        .hasMessage("Malformed packet: packet type 15 is reserved [MQTT-2.2.1]");
  }

  @Test
  void bytesReadCountsOnlyPacketsReadNotTheBufferedRest() throws IOException {
    byte[] puback = TestBytes.encode(new PubackPacket(1));
    byte[] publish =
        TestBytes.encode(new PublishPacket("t", filled(10, 1), QoS.AT_MOST_ONCE, false, false, 0));
    PacketReader reader =
        new PacketReader(
            new ByteArrayInputStream(concat(puback, publish)), TestBytes.codec(MQTT_3_1_1, MAX));

    reader.read();
    assertThat(reader.bytesRead()).isEqualTo(puback.length);
    reader.read();
    assertThat(reader.bytesRead()).isEqualTo(puback.length + publish.length);
  }

  @Test
  void aConnectIsReadWhateverLevelTheReaderWasGiven() throws IOException {
    // A broker reads CONNECT before it knows the client's level: the packet carries it.
    ConnectPacket v31 = new ConnectPacket(3, "old", true, 10, null, null, null);
    ConnectPacket v311 = new ConnectPacket(4, "new", true, 10, null, null, null);
    PacketReader reader =
        new PacketReader(
            new ByteArrayInputStream(concat(TestBytes.encode(v31), TestBytes.encode(v311))),
            TestBytes.codec(MQTT_3_1_1, MAX));

    assertThat(reader.read()).isEqualTo(v31);
    assertThat(reader.read()).isEqualTo(v311);
  }

  @Test
  void anIoExceptionFromTheStreamPropagates() {
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection reset");
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            throw new IOException("connection reset");
          }
        };
    PacketReader reader = new PacketReader(failing, TestBytes.codec(MQTT_3_1_1, MAX));

    assertThatThrownBy(reader::read)
        .isExactlyInstanceOf(IOException.class)
        .hasMessage("connection reset");
  }

  @Test
  void aBufferGrownByABurstGoesBackTo512BytesAtTheFirstRefillASecondAfterItWasLastFilled()
      throws IOException {
    List<byte[]> burst = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      burst.add(
          TestBytes.encode(
              new PublishPacket("t", new byte[200], QoS.AT_MOST_ONCE, false, false, 0)));
    }
    byte[] ping = TestBytes.encode(PingrespPacket.INSTANCE);
    long[] now = {0};
    InputStream in = new SegmentedStream(concat(burst.toArray(byte[][]::new)), ping, ping);
    PacketReader reader =
        new PacketReader(
            in, TestBytes.codec(MQTT_3_1_1, MAX), 8 * 1024, PacketReader.SMALL_BODY, () -> now[0]);
    for (int i = 0; i < 64; i++) {
      reader.read();
    }
    int grown = reader.bufferSize();
    assertThat(grown).as("grown by reads that filled it").isGreaterThan(512);

    assertThat(reader.read()).isEqualTo(PingrespPacket.INSTANCE);
    assertThat(reader.bufferSize()).as("a refill right after the burst").isEqualTo(grown);

    now[0] += PacketReader.SHRINK_AFTER_NANOS + 1;
    assertThat(reader.read()).isEqualTo(PingrespPacket.INSTANCE);
    assertThat(reader.bufferSize()).as("a refill a quiet second later").isEqualTo(512);
  }

  /** A stream whose every read returns bytes of one segment only, as separate arrivals would. */
  private static final class SegmentedStream extends InputStream {
    private final byte[][] segments;
    private int segment;
    private int pos;

    SegmentedStream(byte[]... segments) {
      this.segments = segments;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      while (segment < segments.length && pos == segments[segment].length) {
        segment++;
        pos = 0;
      }
      if (segment == segments.length) {
        return -1;
      }
      int n = Math.min(len, segments[segment].length - pos);
      System.arraycopy(segments[segment], pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
