package io.vmqtt.vthreads.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.vmqtt.ProtocolException;
import io.vmqtt.QoS;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bodies larger than {@link PacketReader#SMALL_BODY}: what the reader allocates while one arrives,
 * in proportion to the bytes received and not to the Remaining Length the peer claimed (issue 14,
 * item 4); that they are reassembled exactly; and that a large PUBLISH, read as its head and its
 * payload, decodes, and fails, exactly as when decoded from one body array.
 *
 * <p>Allocation is measured with the bytes the reading thread allocated ({@code
 * com.sun.management.ThreadMXBean}), which JUnit's platform test thread reports exactly enough:
 * each stream below reads the counter itself, inside the reader's {@code read} call, at the moment
 * more bytes are asked for.
 */
class PacketReaderLargeBodyTest {
  private static final int MQTT_3_1_1 = 4;
  private static final int SIXTEEN_MIB = 16 * 1024 * 1024;

  /**
   * What a stalled claim may cost: the reader and its read buffer (512 bytes to 1 KiB here), the
   * first chunk of the body (8 KiB) and small objects.
   */
  private static final long STALL_BOUND = 16 * 1024;

  private static com.sun.management.ThreadMXBean threads;

  @BeforeAll
  static void allocationCounting() {
    threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
    threads.setThreadAllocatedMemoryEnabled(true);
    assumeThat(Thread.currentThread().isVirtual()).isFalse();
  }

  private static long allocated() {
    return threads.getCurrentThreadAllocatedBytes();
  }

  /** A PUBLISH header announcing a body of {@code bodyLength} bytes (topic "t", QoS 0). */
  private static byte[] publishHeader(int bodyLength) {
    byte[] length = remainingLength(bodyLength);
    byte[] header = new byte[1 + length.length + 3];
    header[0] = 0x30;
    System.arraycopy(length, 0, header, 1, length.length);
    // The body starts with the topic: length 1, "t".
    header[1 + length.length] = 0;
    header[2 + length.length] = 1;
    header[3 + length.length] = 't';
    return header;
  }

  private static byte[] remainingLength(int length) {
    byte[] out = new byte[4];
    int n = 0;
    do {
      int digit = length % 128;
      length /= 128;
      out[n++] = (byte) (length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
    return Arrays.copyOf(out, n);
  }

  @Test
  void aSixteenMebibyteClaimThatStallsCostsAFewKibibytes() {
    // 0x30, Remaining Length 16 MiB - 5 (a 16 MiB packet), the topic, 1,000 payload bytes, and
    // then nothing more: the stream records what the reading thread had allocated when the reader
    // asked for the byte that never comes, then ends.
    byte[] arrived = TestBytes.concat(publishHeader(SIXTEEN_MIB - 5), TestBytes.filled(1_000, 'x'));
    String message = "stream ended in the middle of a PUBLISH (1008 of 16777216 bytes)";
    allocatedWhenStalled(arrived, message); // a first run loads and initializes the classes

    assertThat(allocatedWhenStalled(arrived, message))
        .as("bytes allocated with 1,008 of 16 MiB received")
        .isLessThan(STALL_BOUND);
  }

  @Test
  void aClaimWithNoBodyByteAtAllCostsAFewKibibytes() {
    byte[] header = {0x30, (byte) 0xFB, (byte) 0xFF, (byte) 0xFF, 0x07}; // 16 MiB - 5
    String message = "stream ended in the middle of a PUBLISH (5 of 16777216 bytes)";
    allocatedWhenStalled(header, message);

    assertThat(allocatedWhenStalled(header, message))
        .as("bytes allocated with the header of a 16 MiB packet received")
        .isLessThan(STALL_BOUND);
  }

  /**
   * Reads a packet of which only {@code arrived} arrives; returns the bytes the reading thread had
   * allocated, reader included, when it asked for the first byte that never came.
   */
  private static long allocatedWhenStalled(byte[] arrived, String expectedMessage) {
    CheckpointStream in = new CheckpointStream(arrived, 64 * 1024, List.of(arrived.length));
    long before = allocated();
    PacketReader reader = new PacketReader(in, TestBytes.codec(MQTT_3_1_1, SIXTEEN_MIB));

    assertThatThrownBy(reader::read)
        .isExactlyInstanceOf(EOFException.class)
        .hasMessage(expectedMessage);
    assertThat(in.reached).isEqualTo(1);
    return in.allocatedAt[0] - before;
  }

  @Test
  void whileALargeBodyArrivesTheReaderHoldsAtMostThreeTimesTheBytesReceived() throws IOException {
    // A 16 MiB PUBLISH arriving 64 KiB per read, as from a socket; at every read the reading
    // thread's allocation so far must be within 3 × the bytes received + 16 KiB (the buffer, the
    // first chunk). Reading the whole body at once would be 16 MiB at the first checkpoint.
    byte[] payload = new byte[SIXTEEN_MIB - 5 - 3];
    new Random(14).nextBytes(payload);
    PublishPacket publish = new PublishPacket("t", payload, QoS.AT_MOST_ONCE, false, false, 0);
    byte[] encoded = TestBytes.encode(publish);
    assertThat(encoded).hasSize(SIXTEEN_MIB);
    List<Integer> checkpoints = new ArrayList<>();
    for (int at = 64 * 1024; at < encoded.length; at += 64 * 1024) {
      checkpoints.add(at);
    }
    CheckpointStream in = new CheckpointStream(encoded, 64 * 1024, checkpoints);
    long before = allocated();
    PacketReader reader = new PacketReader(in, TestBytes.codec(MQTT_3_1_1, SIXTEEN_MIB));

    assertThat(reader.read()).isEqualTo(publish);
    assertThat(in.reached).isEqualTo(checkpoints.size());
    for (int i = 0; i < checkpoints.size(); i++) {
      long received = checkpoints.get(i);
      assertThat(in.allocatedAt[i] - before)
          .as("bytes allocated with %d of %d bytes received", received, encoded.length)
          .isLessThanOrEqualTo(3 * received + 16 * 1024);
    }
  }

  @ParameterizedTest(name = "a body of {0} bytes read {1} bytes at a time, buffer {2}")
  @CsvSource({
    "8193, 1, 8192",
    "8193, 100000, 8192",
    "8194, 7, 5",
    "16384, 4096, 8192",
    "16385, 8192, 8192",
    "20000, 3000, 512",
    "100001, 65536, 8192",
    "1048579, 65536, 8192",
    "1048579, 1000000, 16",
    "262144, 1, 8192"
  })
  void aLargeBodyIsReassembledExactlyAcrossItsChunks(int bodyLength, int chunk, int bufferSize)
      throws IOException {
    byte[] payload = new byte[bodyLength - 3 - 2];
    new Random(bodyLength).nextBytes(payload);
    PublishPacket large = new PublishPacket("t", payload, QoS.AT_LEAST_ONCE, false, true, 7);
    PublishPacket small =
        new PublishPacket("s", "after".getBytes(), QoS.AT_MOST_ONCE, false, false, 0);
    byte[] encoded = TestBytes.encode(large);
    byte[] all =
        TestBytes.concat(TestBytes.encode(small), encoded, encoded, TestBytes.encode(small));
    PacketReader reader =
        new PacketReader(
            new TestBytes.ChunkedStream(all, chunk),
            TestBytes.codec(MQTT_3_1_1, 1 << 21),
            bufferSize);

    assertThat(reader.read()).isEqualTo(small);
    assertThat(reader.read()).isEqualTo(large);
    assertThat(reader.read()).isEqualTo(large);
    assertThat(reader.read()).isEqualTo(small);
    assertThat(reader.bytesRead()).isEqualTo(all.length);
  }

  @ParameterizedTest(name = "a 20,004-byte PUBLISH ending after {0} bytes")
  @CsvSource({"4", "5", "8195", "8196", "8197", "10003", "10004", "10005", "20003"})
  void aLargeBodyEndingAnywhereSaysHowMuchArrived(int arrived) {
    // Body 20,000 bytes, header 4: the chunks hold bytes 1..10,000 of the body, the body's own
    // array the rest.
    byte[] packet =
        TestBytes.encode(
            new PublishPacket("t", new byte[20_000 - 3], QoS.AT_MOST_ONCE, false, false, 0));
    assertThat(packet).hasSize(20_004);
    byte[] truncated = Arrays.copyOf(packet, arrived);
    PacketReader reader =
        new PacketReader(
            new TestBytes.ChunkedStream(truncated, 1_000), TestBytes.codec(MQTT_3_1_1, 1 << 20));

    assertThatThrownBy(reader::read)
        .isExactlyInstanceOf(EOFException.class)
        .hasMessage("stream ended in the middle of a PUBLISH (" + arrived + " of 20004 bytes)");
    assertThat(reader.bytesRead()).isEqualTo(arrived);
  }

  /** Large PUBLISH bodies, valid and malformed, each 20,000 bytes: topic bytes, then the rest. */
  static List<Arguments> largePublishes() {
    return List.of(
        Arguments.of("QoS 0", 0x30, topic("a/b"), new byte[0]),
        Arguments.of("QoS 1 with DUP and retain", 0x3B, topic("a/b"), TestBytes.bytes(0x12, 0x34)),
        Arguments.of("QoS 2, a 60,000-byte topic", 0x34, topic("x".repeat(60_000)), bytes2(9)),
        Arguments.of("an empty topic", 0x30, topic(""), new byte[0]),
        Arguments.of("a wildcard in the topic", 0x32, topic("a/+/b"), bytes2(1)),
        Arguments.of("U+0000 in the topic", 0x30, topic("a\u0000b"), new byte[0]),
        Arguments.of(
            "ill-formed UTF-8", 0x30, TestBytes.bytes(0x00, 0x03, 'a', 0xC0, 0x80), new byte[0]),
        Arguments.of("packet identifier 0", 0x32, topic("a"), bytes2(0)),
        Arguments.of(
            "a topic length beyond the body", 0x30, TestBytes.bytes(0xFF, 0xFF), new byte[0]),
        Arguments.of(
            "a topic that leaves no room for the packet identifier",
            0x32,
            TestBytes.bytes(0x4E, 0x1E), // 19,998: the whole body after the length
            new byte[0]),
        Arguments.of(
            "one byte of packet identifier", 0x32, TestBytes.bytes(0x4E, 0x1D), new byte[0]));
  }

  private static byte[] topic(String topic) {
    byte[] utf8 = topic.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return TestBytes.concat(TestBytes.bytes(utf8.length >> 8, utf8.length & 0xFF), utf8);
  }

  private static byte[] bytes2(int packetId) {
    return TestBytes.bytes(packetId >> 8, packetId & 0xFF);
  }

  @ParameterizedTest(name = "a large PUBLISH with {0} reads as the decoder decodes its whole body")
  @MethodSource("largePublishes")
  void aLargePublishReadsAsItsWholeBodyDecodes(
      String what, int firstByte, byte[] topic, byte[] packetId) throws IOException {
    byte[] start = TestBytes.concat(topic, packetId);
    byte[] body = Arrays.copyOf(start, Math.max(20_000, start.length));
    for (int i = start.length; i < body.length; i++) {
      body[i] = (byte) i;
    }
    byte[] packet =
        TestBytes.concat(TestBytes.bytes(firstByte), remainingLength(body.length), body);
    Object expected;
    try {
      expected = TestBytes.codec(MQTT_3_1_1).decode(firstByte, body);
    } catch (ProtocolException e) {
      expected = e.getMessage();
    }
    for (int chunk : new int[] {1, 1_000, 1 << 20}) {
      PacketReader reader =
          new PacketReader(
              new TestBytes.ChunkedStream(packet, chunk), TestBytes.codec(MQTT_3_1_1, 1 << 20));
      Object actual;
      try {
        actual = reader.read();
      } catch (ProtocolException e) {
        actual = e.getMessage();
      }
      assertThat(actual).as("%s, %d bytes per read", what, chunk).isEqualTo(expected);
      assertThat(reader.bytesRead()).isEqualTo(packet.length);
    }
  }

  /**
   * Serves {@code data} at most {@code chunk} bytes per read, and never past the next checkpoint;
   * when a read starts at a checkpoint it records the reading thread's allocated bytes. Ends after
   * the data.
   */
  private static final class CheckpointStream extends InputStream {
    private final byte[] data;
    private final int chunk;
    private final int[] checkpoints;

    /** The reading thread's allocated bytes at each checkpoint reached; preallocated. */
    final long[] allocatedAt;

    /** How many checkpoints were reached. */
    int reached;

    private int pos;

    CheckpointStream(byte[] data, int chunk, List<Integer> checkpoints) {
      this.data = data;
      this.chunk = chunk;
      this.checkpoints = checkpoints.stream().mapToInt(Integer::intValue).toArray();
      this.allocatedAt = new long[checkpoints.size()];
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException("the reader reads arrays");
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (reached < checkpoints.length && pos == checkpoints[reached]) {
        allocatedAt[reached++] = allocated(); // into a preallocated array: allocates nothing
      }
      if (pos == data.length) {
        return -1;
      }
      int end = reached < checkpoints.length ? checkpoints[reached] : data.length;
      int n = Math.min(Math.min(len, chunk), end - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
