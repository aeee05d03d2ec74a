package io.vmqtt.vthreads.internal.codec;

import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vmqtt.ProtocolException;
import io.vmqtt.QoS;
import io.vmqtt.Will;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the decoder (issue 14) with Jazzer: any bytes from a broker are
 * packets or a {@link ProtocolException} ({@link EOFException} when they end inside a packet),
 * never another exception, and never an allocation out of proportion to the bytes.
 *
 * <p>Each input is read as a stream of packets by {@link PacketReader} at every protocol level (3,
 * 4 and 5) and with a small and the largest maximum packet size, each time twice: whole, through
 * the default buffer; and in uneven pieces (1 to 9,000 bytes per read) through a 5-byte buffer,
 * with bodies over 16 bytes taking the large-body path (chunks, PUBLISH read as head and payload).
 * The two must give the same packets, the same failure with the same message, and the same byte
 * count; and the same packets and kind of failure as a plain reference reader that copies each body
 * out of the input and hands it to the codec ({@link PacketCodec#decode}). Each packet read must
 * encode ({@link PacketCodec#encode}) to bytes that read back as an equal packet.
 *
 * <p>The bytes the reading thread allocates are bounded by {@value #BYTES_PER_INPUT_BYTE} per input
 * byte plus {@value #CONSTANT_ALLOCATION}: decoded values cost more than their bytes (a SUBACK
 * return code 0x80 becomes an {@code Integer} of 16 bytes, a one-character filter a {@code String}
 * and a {@code Subscription}), but a length the input claims and does not contain must cost
 * nothing; a claimed 16 MiB would exceed the bound by far for any input the fuzzer makes.
 *
 * <p>Regression mode (the ordinary test run) runs the seeds below, which are the specification
 * vectors of {@link PacketVectorsTest}, {@link Mqtt5PacketVectorsTest} and {@link
 * Mqtt5AckVectorsTest}, and the malformed packets of {@link MalformedPacketsTest} and of those two,
 * and the files in {@code src/test/resources/io/vmqtt/vthreads/internal/codec/
 * PacketReaderFuzzTestInputs/anyBytesArePacketsOrAProtocolError/}: the findings of fuzzing runs.
 * {@code ./fuzz decoder} fuzzes; see the README.
 */
class PacketReaderFuzzTest {
  private static final int[] LEVELS = {3, 4, 5};
  private static final int[] MAX_PACKET_SIZES = {64, MqttLimits.MAX_PACKET_SIZE};
  private static final int[] PIECES = {1, 7, 2, 9_000, 3, 300, 5, 64};
  static final int BYTES_PER_INPUT_BYTE = 32;
  static final int CONSTANT_ALLOCATION = 64 * 1024;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  static {
    THREADS.setThreadAllocatedMemoryEnabled(true);
  }

  /** The specification's vectors, valid and malformed, alone and as one stream. */
  static Stream<Arguments> seeds() {
    List<Arguments> seeds = new ArrayList<>();
    List<byte[]> all = new ArrayList<>();
    PacketVectorsTest.vectors()
        .forEach(
            a -> {
              byte[] vector = (byte[]) a.get()[2];
              all.add(vector);
              seeds.add(arguments(named((String) a.get()[0], vector)));
            });
    MalformedPacketsTest.malformed()
        .forEach(a -> seeds.add(arguments(named("malformed: " + a.get()[0], (byte[]) a.get()[1]))));
    // MQTT 5: each vector is also read at levels 3 and 4, where most are malformed.
    Stream.concat(Mqtt5PacketVectorsTest.vectors(), Mqtt5AckVectorsTest.vectors())
        .forEach(a -> seeds.add(arguments(named("MQTT 5: " + a.get()[0], (byte[]) a.get()[1]))));
    Stream.concat(Mqtt5PacketVectorsTest.malformed(), Mqtt5AckVectorsTest.malformed())
        .forEach(
            a ->
                seeds.add(
                    arguments(named("MQTT 5 malformed: " + a.get()[0], (byte[]) a.get()[1]))));
    seeds.add(
        arguments(
            named(
                "every vector, one after the other",
                TestBytes.concat(all.toArray(new byte[0][])))));
    byte[] large =
        TestBytes.encode(
            new PublishPacket(
                "large/payload", TestBytes.filled(20_000, 'p'), QoS.EXACTLY_ONCE, true, false, 9));
    seeds.add(arguments(named("a PUBLISH over 8 KiB", large)));
    seeds.add(
        arguments(
            named(
                "a PUBLISH announcing 16 MiB with 20 bytes of it",
                TestBytes.concat(
                    TestBytes.bytes(0x30, 0xFB, 0xFF, 0xFF, 0x07, 0x00, 0x01, 't'),
                    TestBytes.filled(20, 'x')))));
    seeds.add(
        arguments(
            named(
                "CONNECT with every field",
                TestBytes.encode(
                    new ConnectPacket(
                        4,
                        "client-ü",
                        false,
                        65_535,
                        Will.of("will/topic", "bye".getBytes(), QoS.AT_LEAST_ONCE, true),
                        "user",
                        "password".getBytes())))));
    return seeds.stream();
  }

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "5m")
  void anyBytesArePacketsOrAProtocolError(byte[] input) {
    check(input);
  }

  private static void check(byte[] input) {
    for (int level : LEVELS) {
      for (int max : MAX_PACKET_SIZES) {
        Outcome whole =
            measured(
                input,
                () ->
                    new PacketReader(new ByteArrayInputStream(input), TestBytes.codec(level, max)));
        Outcome pieces =
            measured(
                input,
                () ->
                    new PacketReader(new PiecesStream(input), TestBytes.codec(level, max), 5, 16));
        if (!whole.equals(pieces)) {
          throw new AssertionError(
              "level "
                  + level
                  + ", max "
                  + max
                  + ": read whole "
                  + whole
                  + ", in pieces "
                  + pieces);
        }
        Outcome reference = reference(input, max, level);
        if (!whole.packets.equals(reference.packets)
            || !Objects.equals(kind(whole.failure), kind(reference.failure))) {
          throw new AssertionError(
              "level " + level + ", max " + max + ": reader " + whole + ", reference " + reference);
        }
        for (Packet packet : whole.packets) {
          roundTrip(packet, level);
        }
      }
    }
  }

  /**
   * Reads packets until the input ends or fails; fails itself past the allocation bound. The first
   * time a line of code runs, it may allocate for itself (class initialization, the linkage of a
   * string concatenation): so a reading over the bound is repeated, on a fresh reader from {@code
   * readers}, and only a second one over the bound fails. An allocation caused by the input happens
   * every time.
   */
  private static Outcome measured(byte[] input, Supplier<PacketReader> readers) {
    long allocated = Long.MAX_VALUE;
    Outcome outcome = null;
    long bound = (long) BYTES_PER_INPUT_BYTE * input.length + CONSTANT_ALLOCATION;
    for (int attempt = 0; attempt < 2 && allocated > bound; attempt++) {
      PacketReader reader = readers.get();
      long before = THREADS.getCurrentThreadAllocatedBytes();
      outcome = readAll(reader);
      allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    }
    if (allocated > bound) {
      throw new AssertionError(
          "reading "
              + input.length
              + " bytes allocated "
              + allocated
              + " bytes, more than "
              + bound
              + ": "
              + outcome);
    }
    return outcome;
  }

  private static Outcome readAll(PacketReader reader) {
    List<Packet> packets = new ArrayList<>();
    Exception failure;
    try {
      while (true) {
        packets.add(reader.read());
      }
    } catch (ProtocolException | EOFException e) {
      failure = e;
    } catch (IOException e) {
      throw new AssertionError("an in-memory stream cannot fail", e);
    }
    // Any other exception escapes: a finding.
    return new Outcome(packets, describe(failure), reader.bytesRead());
  }

  /**
   * The plain reader the real one is compared with: each body copied out of the input whole and
   * decoded; only the kind of failure is compared, not its message.
   */
  private static Outcome reference(byte[] input, int max, int level) {
    List<Packet> packets = new ArrayList<>();
    int pos = 0;
    try {
      while (true) {
        if (pos == input.length) {
          throw new EOFException("end");
        }
        int first = input[pos++] & 0xFF;
        TestBytes.codec(level).checkFixedHeader(first);
        int length = 0;
        int digits = 0;
        int digit;
        do {
          if (digits == 4) {
            throw ProtocolViolationException.malformed("five length bytes");
          }
          if (pos == input.length) {
            throw new EOFException("end in the length");
          }
          digit = input[pos++] & 0xFF;
          length |= (digit & 0x7F) << (7 * digits++);
        } while ((digit & 0x80) != 0);
        if (level == 5 && digits > 1 && digit == 0) {
          throw ProtocolViolationException.malformed("overlong length [MQTT-1.5.5-1]");
        }
        if (1 + digits + length > max) {
          throw new ProtocolViolationException(
              ProtocolViolationException.PACKET_TOO_LARGE, "too large");
        }
        if (input.length - pos < length) {
          throw new EOFException("end in the body");
        }
        packets.add(
            TestBytes.codec(level).decode(first, Arrays.copyOfRange(input, pos, pos + length)));
        pos += length;
      }
    } catch (ProtocolException | EOFException e) {
      return new Outcome(packets, describe(e), pos);
    }
  }

  /**
   * "EOFException: message", or for a violation with its reason code, "ProtocolViolationException
   * 0x81: message": the kind of a failure is the part before the colon.
   */
  private static String describe(Exception e) {
    String kind = e.getClass().getSimpleName();
    if (e instanceof ProtocolViolationException v) {
      kind += " " + Utf8.hex(v.reasonCode());
    }
    return kind + ": " + e.getMessage();
  }

  private static String kind(String failure) {
    return failure.substring(0, failure.indexOf(':'));
  }

  /** Encodes {@code packet} and reads it back: it must be equal, and the only packet. */
  private static void roundTrip(Packet packet, int level) {
    byte[] encoded = TestBytes.codec(level).encode(packet);
    PacketReader reader =
        new PacketReader(
            new ByteArrayInputStream(encoded), TestBytes.codec(level, MqttLimits.MAX_PACKET_SIZE));
    Outcome again = readAll(reader);
    if (!again.packets.equals(List.of(packet))
        || !again.failure.equals("EOFException: connection closed by peer")) {
      throw new AssertionError(
          packet + " encoded to " + TestBytes.hex(encoded) + ", read back as " + again);
    }
  }

  /**
   * What reading a stream gave: the packets, then the failure that ended it, and the bytes read.
   */
  private record Outcome(List<Packet> packets, String failure, long bytesRead) {}

  /** Serves the input in pieces of varying size, from {@link #PIECES}. */
  private static final class PiecesStream extends InputStream {
    private final byte[] data;
    private int pos;
    private int reads;

    PiecesStream(byte[] data) {
      this.data = data;
      this.reads = data.length; // where the cycle of piece sizes starts depends on the input
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException("the reader reads arrays");
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos == data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, PIECES[reads++ % PIECES.length]), data.length - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
