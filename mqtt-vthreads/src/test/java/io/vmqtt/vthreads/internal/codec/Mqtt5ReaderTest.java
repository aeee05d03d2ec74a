package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.TestBytes.bytes;
import static io.vmqtt.vthreads.internal.codec.TestBytes.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.QoS;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link PacketReader} at protocol level 5: the Remaining Length in its shortest form only
 * [MQTT-1.5.5-1], and a large PUBLISH, whose variable header now ends with properties, read as
 * variable header and payload, exactly as when it is read whole.
 */
class Mqtt5ReaderTest {
  private static final PacketCodec MQTT_5 = TestBytes.codec(5);

  @Test
  void anOverlongRemainingLengthIsMalformedInMqtt5_MQTT_1_5_5_1() {
    // PINGRESP with Remaining Length 0 written in two bytes.
    PacketReader reader =
        new PacketReader(new ByteArrayInputStream(bytes(0xD0, 0x80, 0x00)), MQTT_5);

    assertThatThrownBy(reader::read)
        .isInstanceOfSatisfying(
            ProtocolViolationException.class, e -> assertThat(e.reasonCode()).isEqualTo(0x81))
        .hasMessage(
            "Malformed remaining length: 2 bytes for 0, which takes 1; it must use the fewest"
                + " bytes [MQTT-1.5.5-1]");
  }

  @Test
  void mqtt311HasNoSuchRuleAndAnOverlongRemainingLengthStaysAccepted() throws IOException {
    PacketReader reader =
        new PacketReader(new ByteArrayInputStream(bytes(0xD0, 0x80, 0x00)), TestBytes.codec(4));

    assertThat(reader.read()).isSameAs(PingrespPacket.INSTANCE);
  }

  @Test
  void aFifthLengthByteCitesMqtt5() {
    PacketReader reader =
        new PacketReader(
            new ByteArrayInputStream(bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F)), MQTT_5);

    assertThatThrownBy(reader::read)
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessage("Malformed remaining length: more than 4 bytes [MQTT-1.5.5]");
  }

  private static PublishPacket largePublish(int payloadLength, Properties properties) {
    byte[] payload = new byte[payloadLength];
    new Random(payloadLength).nextBytes(payload);
    return new PublishPacket("a/b", payload, QoS.AT_LEAST_ONCE, false, false, 9, properties);
  }

  @ParameterizedTest(name = "payload {0} bytes, a User Property of {1} bytes, read {2} at a time")
  @CsvSource({
    "20000, 1, 1",
    "20000, 1, 7",
    "20000, 200, 3",
    "20000, 20000, 4096",
    "40, 40, 1",
    "0, 30000, 1000"
  })
  void aLargePublishWithPropertiesIsReadAsWhenReadWhole(int payload, int value, int chunk)
      throws IOException {
    Properties properties =
        Properties.builder()
            .messageExpiryInterval(60)
            .userProperty("k", "v".repeat(value))
            .subscriptionIdentifier(200)
            .build();
    PublishPacket publish = largePublish(payload, properties);
    byte[] encoded = MQTT_5.encode(publish);
    byte[] all = concat(encoded, MQTT_5.encode(new PubackPacket(3)));
    // Bodies over 16 bytes take the large-body path.
    PacketReader reader = new PacketReader(new TestBytes.ChunkedStream(all, chunk), MQTT_5, 5, 16);

    assertThat(reader.read()).isEqualTo(publish);
    assertThat(reader.read()).isEqualTo(new PubackPacket(3));
    assertThat(reader.bytesRead()).isEqualTo(all.length);
  }

  @Test
  void aLargePublishWhosePropertiesRunPastTheBodyFailsAsWhenReadWhole() {
    byte[] encoded = MQTT_5.encode(largePublish(100, Properties.EMPTY));
    // The Property Length byte (after 0x32 0x6C, topic "a/b", packet identifier): 0 -> 0x7F.
    int at = 2 + 5 + 2;
    assertThat(encoded[at]).isZero();
    encoded[at] = 0x7F;

    assertLargeAndWholeFailAlike(
        encoded,
        "Malformed PUBLISH: property length 127 exceeds the 100 remaining bytes"
            + " [MQTT-3.3.2.3.1]");
  }

  @Test
  void aLargePublishWithAnOverlongPropertyLengthFailsAsWhenReadWhole() {
    // Property Length 0 written as 0x80 0x00, then a 100-byte payload.
    byte[] body = concat(bytes(0x00, 0x03, 'a', '/', 'b', 0x00, 0x09, 0x80, 0x00), new byte[100]);
    byte[] encoded = concat(bytes(0x32, body.length), body);

    assertLargeAndWholeFailAlike(
        encoded,
        "Malformed PUBLISH: property length is a Variable Byte Integer of 2 bytes for 0, which"
            + " takes 1; it must use the fewest bytes [MQTT-1.5.5-1]");
  }

  private static void assertLargeAndWholeFailAlike(byte[] encoded, String message) {
    PacketReader whole = new PacketReader(new ByteArrayInputStream(encoded), MQTT_5);
    PacketReader large = new PacketReader(new TestBytes.ChunkedStream(encoded, 3), MQTT_5, 5, 16);

    assertThatThrownBy(whole::read)
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessage(message);
    assertThatThrownBy(large::read)
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessage(message);
  }
}
