package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.QoS;
import org.junit.jupiter.api.Test;

/**
 * The client's Topic Aliases as the MQTT 5 codec writes them (section 3.3.2.3.4), as byte vectors:
 * topic and alias the first time, an empty topic and the alias after; none until CONNACK allows
 * them; a mapping kept only once its PUBLISH was encoded whole.
 */
class OutboundTopicAliasesTest {
  private static PacketCodec codec(int aliases, int serverMaximum, int serverMaxPacketSize) {
    PacketCodec codec = ProtocolLevel.MQTT_5.newCodec(new CodecContext(1024, aliases));
    Properties.Builder connack = Properties.builder().maximumPacketSize(serverMaxPacketSize);
    if (serverMaximum > 0) {
      connack.topicAliasMaximum(serverMaximum);
    }
    codec.context().onConnack(new ConnackPacket(false, 0, connack.build()));
    return codec;
  }

  private static byte[] encode(PacketCodec codec, String topic) {
    ByteSink out = new ByteSink(64);
    codec.encode(new PublishPacket(topic, new byte[] {7}, QoS.AT_MOST_ONCE, false, false, 0), out);
    return out.toByteArray();
  }

  @Test
  void theFirstPublishCarriesTopicAndAliasTheNextOnesTheAliasAlone() {
    PacketCodec codec = codec(1, 5, 1024);

    assertThat(encode(codec, "a/b"))
        .isEqualTo(
            bytes(
                0x30, 0x0A, // PUBLISH QoS 0, Remaining Length 10
                0x00, 0x03, 'a', '/', 'b', // topic name
                0x03, 0x23, 0x00, 0x01, // Property Length 3: Topic Alias 1
                0x07)); // payload
    assertThat(encode(codec, "a/b"))
        .isEqualTo(
            bytes(
                0x30, 0x07, // Remaining Length 7
                0x00, 0x00, // an empty topic name: the alias stands for it [MQTT-3.3.2-7]
                0x03, 0x23, 0x00, 0x01, // Topic Alias 1
                0x07));
  }

  @Test
  void withoutTheServersTopicAliasMaximumNoAliasIsSent() {
    PacketCodec codec = codec(10, 0, 1024);

    assertThat(encode(codec, "a/b"))
        .isEqualTo(bytes(0x30, 0x07, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x07));
    assertThat(encode(codec, "a/b"))
        .isEqualTo(bytes(0x30, 0x07, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x07));
  }

  @Test
  void aPublishThatFailsToEncodeMapsNothingSoTheNextCarriesItsTopic() {
    PacketCodec codec = codec(1, 5, 12); // room for 12 bytes: the aliased PUBLISH of "a/bc" is 13

    assertThatThrownBy(() -> encode(codec, "a/bc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[MQTT-3.2.2-15]");
    assertThat(encode(codec, "a/b"))
        .isEqualTo(bytes(0x30, 0x0A, 0x00, 0x03, 'a', '/', 'b', 0x03, 0x23, 0x00, 0x01, 0x07));
  }
}
