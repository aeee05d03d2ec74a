package io.vmqtt.bench.codec;

import io.vmqtt.QoS;
import io.vmqtt.vthreads.internal.codec.ByteSink;
import io.vmqtt.vthreads.internal.codec.CodecContext;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.PacketCodec;
import io.vmqtt.vthreads.internal.codec.PacketReader;
import io.vmqtt.vthreads.internal.codec.ProtocolLevel;
import io.vmqtt.vthreads.internal.codec.PubackPacket;
import io.vmqtt.vthreads.internal.codec.PubcompPacket;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import io.vmqtt.vthreads.internal.codec.PubrecPacket;
import io.vmqtt.vthreads.internal.codec.PubrelPacket;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The codec on its own: encoding PUBLISH (QoS 0 and 1, 64-byte payload) and the four publish
 * acknowledgements into a reused {@link ByteSink}, as the writer thread does; decoding them from a
 * body, as the reader thread does after {@link PacketReader} has read it; and reading a stream of
 * QoS 0 PUBLISH packets through {@link PacketReader}; and reading one large PUBLISH (64 KiB to 16
 * MiB) from a stream that hands out at most 64 KiB per read, as a socket does. Run with {@code
 * ./bench --jmh}, which adds {@code -prof gc} for the bytes allocated per operation ({@code
 * gc.alloc.rate.norm}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CodecBenchmark {
  private static final String TOPIC = "bench/sensors/42";

  /** The connection's codec, as the reader and writer threads of an MQTT 3.1.1 connection have. */
  private static final PacketCodec CODEC =
      ProtocolLevel.MQTT_3_1_1.newCodec(new CodecContext(1 << 20));

  private static final int STREAM_PACKETS = 1000;

  private final byte[] payload = new byte[64];
  private final ByteSink sink = new ByteSink(1024);
  private PublishPacket publish0;
  private PublishPacket publish1;
  private byte[] publish0Body;
  private byte[] publish1Body;
  private ByteArrayInputStream stream;
  private PacketReader reader;

  @Setup
  public void setUp() {
    Arrays.fill(payload, (byte) 'x');
    publish0 = new PublishPacket(TOPIC, payload, QoS.AT_MOST_ONCE, false, false, 0);
    publish1 = new PublishPacket(TOPIC, payload, QoS.AT_LEAST_ONCE, false, false, 4242);
    publish0Body = body(CODEC.encode(publish0));
    publish1Body = body(CODEC.encode(publish1));
    byte[] one = CODEC.encode(publish0);
    byte[] many = new byte[one.length * STREAM_PACKETS];
    for (int i = 0; i < STREAM_PACKETS; i++) {
      System.arraycopy(one, 0, many, i * one.length, one.length);
    }
    stream = new ByteArrayInputStream(many);
    reader = new PacketReader(stream, ProtocolLevel.MQTT_3_1_1.newCodec(new CodecContext(1 << 20)));
  }

  /** The bytes after the fixed header (all packets here have a one-byte Remaining Length). */
  private static byte[] body(byte[] packet) {
    return Arrays.copyOfRange(packet, 2, packet.length);
  }

  @Benchmark
  public int encodePublishQos0() {
    sink.reset();
    CODEC.encode(publish0, sink);
    return sink.size();
  }

  @Benchmark
  public int encodePublishQos1() {
    sink.reset();
    CODEC.encode(publish1, sink);
    return sink.size();
  }

  @Benchmark
  public int encodeAck(AckState a) {
    sink.reset();
    CODEC.encode(a.packet, sink);
    return sink.size();
  }

  @Benchmark
  public Packet decodePublishQos0() {
    return CODEC.decode(0x30, publish0Body);
  }

  @Benchmark
  public Packet decodePublishQos1() {
    return CODEC.decode(0x32, publish1Body);
  }

  @Benchmark
  public Packet decodeAck(AckState a) {
    return CODEC.decode(a.firstByte, a.body);
  }

  /** Per packet: reading 1,000 QoS 0 PUBLISH packets from a buffered stream and decoding them. */
  @Benchmark
  @OperationsPerInvocation(STREAM_PACKETS)
  public void readPublishStream(Blackhole bh) throws IOException {
    stream.reset();
    for (int i = 0; i < STREAM_PACKETS; i++) {
      bh.consume(reader.read());
    }
  }

  /**
   * One large QoS 0 PUBLISH read through {@link PacketReader}: the body buffer, the payload copy
   * and the decoding. B/op shows what the reader allocates beyond the body and payload (2 × size).
   */
  @Benchmark
  public Packet readLargePublish(LargeState s) throws IOException {
    s.stream.reset();
    return s.reader.read();
  }

  /** A stream holding one PUBLISH whose payload is {@code size} bytes. */
  @State(Scope.Thread)
  public static class LargeState {
    @Param({"65536", "1048576", "16777216"})
    public int size;

    SocketLikeStream stream;
    PacketReader reader;

    @Setup
    public void setUp() {
      byte[] payload = new byte[size];
      Arrays.fill(payload, (byte) 'y');
      byte[] encoded =
          CODEC.encode(new PublishPacket(TOPIC, payload, QoS.AT_MOST_ONCE, false, false, 0));
      stream = new SocketLikeStream(encoded);
      reader =
          new PacketReader(stream, ProtocolLevel.MQTT_3_1_1.newCodec(new CodecContext(1 << 28)));
    }
  }

  /** A byte array stream that hands out at most 64 KiB per read, as a socket's receive buffer. */
  static final class SocketLikeStream extends ByteArrayInputStream {
    SocketLikeStream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      return super.read(b, off, Math.min(len, 64 * 1024));
    }
  }

  /** One of the four publish acknowledgements, packet id 4242. */
  @State(Scope.Thread)
  public static class AckState {
    @Param({"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    public String ack;

    Packet packet;
    int firstByte;
    byte[] body;

    @Setup
    public void setUp() {
      packet =
          switch (ack) {
            case "PUBACK" -> new PubackPacket(4242);
            case "PUBREC" -> new PubrecPacket(4242);
            case "PUBREL" -> new PubrelPacket(4242);
            case "PUBCOMP" -> new PubcompPacket(4242);
            default -> throw new IllegalArgumentException(ack);
          };
      byte[] a = CODEC.encode(packet);
      firstByte = a[0] & 0xFF;
      body = body(a);
    }
  }
}
