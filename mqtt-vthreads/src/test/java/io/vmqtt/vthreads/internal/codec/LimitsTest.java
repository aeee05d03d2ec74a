package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.TestBytes.bytes;
import static io.vmqtt.vthreads.internal.codec.TestBytes.concat;
import static io.vmqtt.vthreads.internal.codec.TestBytes.filled;
import static io.vmqtt.vthreads.internal.codec.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Boundary tests for every limit in {@link MqttLimits}: the last value accepted, the next not. */
class LimitsTest {
  private static final int MQTT_3_1_1 = 4;

  @Test
  void theLimitsHaveTheValuesOfTheSpecification() {
    assertThat(MqttLimits.MAX_REMAINING_LENGTH).isEqualTo(268_435_455);
    assertThat(MqttLimits.MAX_PACKET_SIZE).isEqualTo(268_435_460);
    assertThat(MqttLimits.MAX_STRING_BYTES).isEqualTo(65_535);
    assertThat(MqttLimits.MAX_PACKET_ID).isEqualTo(65_535);
    assertThat(MqttLimits.MAX_REMAINING_LENGTH_BYTES).isEqualTo(4);
  }

  // Remaining Length [MQTT-2.2.3], Table 2.4: the first and last value of each byte count.

  static Stream<Arguments> remainingLengths() {
    return Stream.of(
        arguments(0, bytes(0x00)),
        arguments(127, bytes(0x7F)),
        arguments(128, bytes(0x80, 0x01)),
        arguments(16_383, bytes(0xFF, 0x7F)),
        arguments(16_384, bytes(0x80, 0x80, 0x01)),
        arguments(2_097_151, bytes(0xFF, 0xFF, 0x7F)),
        arguments(2_097_152, bytes(0x80, 0x80, 0x80, 0x01)),
        arguments(268_435_455, bytes(0xFF, 0xFF, 0xFF, 0x7F)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("remainingLengths")
  void theRemainingLengthIsWrittenAsInTable2_4(int length, byte[] encoded) {
    ByteSink sink = new ByteSink(0);

    sink.writeRemainingLength(length);

    assertThat(hex(sink.toByteArray())).isEqualTo(hex(encoded));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {127, 128, 16_383, 16_384, 2_097_151, 2_097_152})
  void aPublishWithThisRemainingLengthIsReadBack(int length) throws IOException {
    // Topic "t" (3 bytes with its length), QoS 0: the payload makes up the rest.
    PublishPacket publish =
        new PublishPacket("t", filled(length - 3, 0x5A), QoS.AT_MOST_ONCE, false, false, 0);
    byte[] encoded = TestBytes.encode(publish);
    byte[] header =
        remainingLengths()
            .filter(a -> (int) a.get()[0] == length)
            .map(a -> (byte[]) a.get()[1])
            .findFirst()
            .orElseThrow();
    assertThat(hex(Arrays.copyOfRange(encoded, 1, 1 + header.length))).isEqualTo(hex(header));
    PacketReader reader =
        new PacketReader(
            new ByteArrayInputStream(encoded),
            TestBytes.codec(MQTT_3_1_1, MqttLimits.MAX_PACKET_SIZE));

    assertThat(reader.read()).isEqualTo(publish);
    assertThat(reader.bytesRead()).isEqualTo(1 + header.length + length);
  }

  @Test
  void aRemainingLengthOfZeroIsReadBack() throws IOException {
    PacketReader reader =
        new PacketReader(
            new ByteArrayInputStream(bytes(0xD0, 0x00)),
            TestBytes.codec(MQTT_3_1_1, MqttLimits.MAX_PACKET_SIZE));

    assertThat(reader.read()).isEqualTo(PingrespPacket.INSTANCE);
  }

  @Test
  void theLargestRemainingLengthIsRefusedBeforeTheBodyIsReadOrAllocated() {
    // 0xFF 0xFF 0xFF 0x7F = 268,435,455; with the header, 268,435,460 bytes. The stream fails the
    // test if the reader asks for one byte more than the header.
    PacketReader reader =
        new PacketReader(
            new TestBytes.TripwireStream(bytes(0x30, 0xFF, 0xFF, 0xFF, 0x7F)),
            TestBytes.codec(MQTT_3_1_1, 1 << 20));

    assertThatThrownBy(reader::read)
        .isExactlyInstanceOf(ProtocolViolationException.class)
        .hasMessage(
            "PUBLISH of 268435460 bytes exceeds the maximum packet size 1048576"
                + " (max_packet_size)");
    assertThat(reader.bytesRead()).isEqualTo(5);
  }

  @Test
  void aFifthRemainingLengthByteIsMalformedAndNotRead() {
    // Four bytes with the continuation bit: the fifth is never read [MQTT-2.2.3].
    PacketReader reader =
        new PacketReader(
            new TestBytes.TripwireStream(bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF)),
            TestBytes.codec(MQTT_3_1_1, MqttLimits.MAX_PACKET_SIZE));

    assertThatThrownBy(reader::read)
        .isExactlyInstanceOf(ProtocolViolationException.class)
        .hasMessage("Malformed remaining length: more than 4 bytes [MQTT-2.2.3]");
  }

  @Test
  void aFifthRemainingLengthByteIsRefusedEvenWhenItWouldEndTheLength() {
    PacketReader reader =
        new PacketReader(
            new ByteArrayInputStream(bytes(0x30, 0x80, 0x80, 0x80, 0x80, 0x01)),
            TestBytes.codec(MQTT_3_1_1, MqttLimits.MAX_PACKET_SIZE));

    assertThatThrownBy(reader::read)
        .isExactlyInstanceOf(ProtocolViolationException.class)
        .hasMessage("Malformed remaining length: more than 4 bytes [MQTT-2.2.3]");
  }

  @Test
  void theEncoderRefusesARemainingLengthAboveTheMaximum() {
    ByteSink sink = new ByteSink();

    assertThatThrownBy(() -> sink.writeRemainingLength(268_435_456))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("remaining length must be in 0..268435455, was 268435456");
    assertThatThrownBy(() -> sink.writeRemainingLength(-1))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("remaining length must be in 0..268435455, was -1");
    assertThat(sink.size()).isZero();
  }

  @Test
  void theEncoderRefusesAPacketWhoseRemainingLengthWouldExceedTheMaximum() {
    // 4,097 filters of 65,535 bytes: 2 + 4,097 * (2 + 65,535 + 1) = 268,509,188 bytes. The filter
    // is one shared String, so the test needs no large memory.
    String filter = "f".repeat(65_535);
    List<Subscription> subscriptions =
        Collections.nCopies(4_097, Subscription.of(filter, QoS.AT_MOST_ONCE));
    ByteSink sink = new ByteSink();

    assertThatThrownBy(() -> TestBytes.encode(new SubscribePacket(1, subscriptions), sink))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("SUBSCRIBE remaining length 268509188 exceeds the maximum 268435455");
    assertThat(sink.size()).isZero();
  }

  // Maximum packet size: checked on the whole packet, header included, before the body is read.

  @Test
  void aPacketOfExactlyTheMaximumSizeIsRead() throws IOException {
    byte[] packet =
        TestBytes.encode(new PublishPacket("t", filled(95, 1), QoS.AT_MOST_ONCE, false, false, 0));
    assertThat(packet).hasSize(100);
    PacketReader reader =
        new PacketReader(new ByteArrayInputStream(packet), TestBytes.codec(MQTT_3_1_1, 100));

    assertThat(reader.read()).isInstanceOf(PublishPacket.class);
  }

  @Test
  void aPacketOneByteOverTheMaximumSizeIsRefusedWithoutReadingItsBody() {
    byte[] packet =
        TestBytes.encode(new PublishPacket("t", filled(95, 1), QoS.AT_MOST_ONCE, false, false, 0));
    PacketReader reader =
        new PacketReader(
            new TestBytes.TripwireStream(Arrays.copyOf(packet, 2)),
            TestBytes.codec(MQTT_3_1_1, 99));

    assertThatThrownBy(reader::read)
        .isExactlyInstanceOf(ProtocolViolationException.class)
        .hasMessage("PUBLISH of 100 bytes exceeds the maximum packet size 99 (max_packet_size)");
  }

  @Test
  void theSizeCheckCountsEveryRemainingLengthByte() {
    // 1 + 3 + 16,384 = 16,388 bytes: one over a limit of 16,387.
    PacketReader reader =
        new PacketReader(
            new TestBytes.TripwireStream(bytes(0x30, 0x80, 0x80, 0x01)),
            TestBytes.codec(MQTT_3_1_1, 16_387));

    assertThatThrownBy(reader::read)
        .isExactlyInstanceOf(ProtocolViolationException.class)
        .hasMessage(
            "PUBLISH of 16388 bytes exceeds the maximum packet size 16387" + " (max_packet_size)");
  }

  @Test
  void theMaximumPacketSizeMustBeBetweenTwoAndTheProtocolMaximum() {
    var in = new ByteArrayInputStream(new byte[0]);

    assertThatThrownBy(() -> new PacketReader(in, TestBytes.codec(MQTT_3_1_1, 1)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxPacketSize must be in 2..268435460, was 1");
    assertThatThrownBy(
            () -> new PacketReader(in, TestBytes.codec(MQTT_3_1_1, MqttLimits.MAX_PACKET_SIZE + 1)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxPacketSize must be in 2..268435460, was 268435461");
    assertThat(new PacketReader(in, TestBytes.codec(MQTT_3_1_1, 2))).isNotNull();
    assertThat(new PacketReader(in, TestBytes.codec(MQTT_3_1_1, MqttLimits.MAX_PACKET_SIZE)))
        .isNotNull();
  }

  // Strings: at most 65,535 bytes in UTF-8 [MQTT-1.5.3].

  @Test
  void aTopicOf65535BytesIsEncodedAndDecoded() {
    PublishPacket publish =
        new PublishPacket("a".repeat(65_535), new byte[0], QoS.AT_MOST_ONCE, false, false, 0);
    byte[] encoded = TestBytes.encode(publish);

    assertThat(hex(Arrays.copyOf(encoded, 6))).isEqualTo("30 81 80 04 ff ff");
    assertThat(TestBytes.decodeWhole(encoded, MQTT_3_1_1)).isEqualTo(publish);
  }

  @Test
  void aTopicOf65536BytesIsRefusedByTheEncoder() {
    ByteSink sink = new ByteSink();
    PublishPacket publish =
        new PublishPacket("a".repeat(65_536), new byte[0], QoS.AT_MOST_ONCE, false, false, 0);

    assertThatThrownBy(() -> TestBytes.encode(publish, sink))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("PUBLISH topic is 65536 bytes in UTF-8; at most 65535 allowed");
    assertThat(sink.size()).isZero();
  }

  @Test
  void theStringLimitCountsUtf8BytesNotChars() {
    String euros = "€".repeat(21_845); // 3 bytes each: 65,535 bytes
    ByteSink sink = new ByteSink();

    sink.writeUtf8(euros);
    assertThat(sink.size()).isEqualTo(2 + 65_535);
    assertThatThrownBy(() -> sink.writeUtf8(euros + "a"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("a string of 65536 bytes in UTF-8 exceeds the maximum 65535");
    assertThat(sink.size()).isEqualTo(2 + 65_535);
  }

  @Test
  void binaryDataOf65535BytesIsWrittenAnd65536IsRefused() {
    ByteSink sink = new ByteSink();

    sink.writeBinary(new byte[65_535]);
    assertThat(sink.size()).isEqualTo(2 + 65_535);
    assertThatThrownBy(() -> sink.writeBinary(new byte[65_536]))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("binary data of 65536 bytes exceeds the maximum 65535");
  }

  @Test
  void aPasswordOf65536BytesIsRefusedByTheEncoder() {
    ConnectPacket connect = new ConnectPacket(4, "c", true, 0, null, "u", new byte[65_536]);

    assertThatThrownBy(() -> TestBytes.encode(connect))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("CONNECT password is 65536 bytes; at most 65535 allowed");
  }

  @Test
  void aPasswordOf65535BytesIsEncodedAndDecoded() {
    ConnectPacket connect = new ConnectPacket(4, "c", true, 0, null, "u", filled(65_535, 0xAB));

    assertThat(TestBytes.decodeWhole(TestBytes.encode(connect), MQTT_3_1_1)).isEqualTo(connect);
  }

  // Packet identifiers: 1..65535 [MQTT-2.3.1-1].

  @ParameterizedTest(name = "packet identifier {0}")
  @ValueSource(ints = {1, 65_535})
  void theSmallestAndLargestPacketIdentifiersAreAccepted(int id) {
    List<Packet> packets =
        List.of(
            new PublishPacket("t", new byte[0], QoS.AT_LEAST_ONCE, false, false, id),
            new PubackPacket(id),
            new PubrecPacket(id),
            new PubrelPacket(id),
            new PubcompPacket(id),
            new SubscribePacket(id, List.of(Subscription.of("t", QoS.AT_MOST_ONCE))),
            new SubackPacket(id, List.of(0)),
            new UnsubscribePacket(id, List.of("t")),
            new UnsubackPacket(id));
    for (Packet p : packets) {
      assertThat(TestBytes.decodeWhole(TestBytes.encode(p), MQTT_3_1_1)).isEqualTo(p);
    }
  }

  @Test
  void packetIdentifier65535IsWrittenAsFfFf() {
    assertThat(hex(TestBytes.encode(new PubackPacket(65_535)))).isEqualTo("40 02 ff ff");
    assertThat(hex(TestBytes.encode(new PubackPacket(1)))).isEqualTo("40 02 00 01");
  }

  @Test
  void packetIdentifier0IsRefusedByTheDecoder() {
    assertThatThrownBy(() -> TestBytes.decodeWhole(bytes(0x40, 0x02, 0x00, 0x00), MQTT_3_1_1))
        .isExactlyInstanceOf(ProtocolViolationException.class)
        .hasMessage("Malformed PUBACK: packet identifier must not be 0 [MQTT-2.3.1-1]");
  }

  @Test
  void packetIdentifier65536HasNoEncodingAndLeavesTheSinkUnchanged() {
    ByteSink sink = new ByteSink();
    sink.writeByte(0x01);

    assertThatThrownBy(() -> TestBytes.encode(new PubackPacket(65_536), sink))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("a 16-bit field must be in 0..65535, was 65536");
    assertThat(hex(sink.toByteArray())).isEqualTo("01");
  }

  @Test
  void aKeepAliveOf65535IsEncodedAnd65536IsRefused() {
    ConnectPacket max = new ConnectPacket(4, "c", true, 65_535, null, null, null);

    assertThat(TestBytes.decodeWhole(TestBytes.encode(max), MQTT_3_1_1)).isEqualTo(max);
    assertThatThrownBy(
            () -> TestBytes.encode(new ConnectPacket(4, "c", true, 65_536, null, null, null)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("a 16-bit field must be in 0..65535, was 65536");
  }

  @Test
  void aLargeBodyIsReadWholeThroughTheDefaultBuffer() throws IOException {
    PublishPacket big =
        new PublishPacket("big", filled(100_000, 7), QoS.AT_LEAST_ONCE, false, false, 9);
    byte[] encoded = TestBytes.encode(big);
    PacketReader reader =
        new PacketReader(
            new TestBytes.ChunkedStream(concat(encoded, encoded), 3_000),
            TestBytes.codec(MQTT_3_1_1, 1 << 20));

    assertThat(reader.read()).isEqualTo(big);
    assertThat(reader.read()).isEqualTo(big);
    assertThat(reader.bytesRead()).isEqualTo(2L * encoded.length);
  }
}
