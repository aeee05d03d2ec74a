package io.vmqtt.vthreads.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.QoS;
import org.junit.jupiter.api.Test;

/** What a connection's codec knows and negotiates: the limits each way. */
class CodecContextTest {

  private static PublishPacket publishOfSize(int packetSize) {
    // 2 bytes of fixed header, 3 of topic name "t", 1 of Property Length 0: the rest is payload.
    return new PublishPacket("t", new byte[packetSize - 6], QoS.AT_MOST_ONCE, false, false, 0);
  }

  @Test
  void theMaximumPacketSizeMustBeBetweenTwoAndTheProtocolMaximum() {
    assertThatThrownBy(() -> new CodecContext(1))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxPacketSize must be in 2..268435460, was 1");
    assertThatThrownBy(() -> new CodecContext(MqttLimits.MAX_PACKET_SIZE + 1))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxPacketSize must be in 2..268435460, was 268435461");
    assertThat(new CodecContext(2).maximumPacketSize()).isEqualTo(2);
  }

  @Test
  void untilCONNACKSaysOtherwiseTheServerTakesAnyPacketTheProtocolCanSay() {
    assertThat(new CodecContext(1024).serverMaximumPacketSize())
        .isEqualTo(MqttLimits.MAX_PACKET_SIZE);
  }

  @Test
  void anMqtt5ConnackSetsTheServersMaximumPacketSize() {
    CodecContext context = new CodecContext(1024);

    context.onConnack(
        new ConnackPacket(false, 0, Properties.builder().maximumPacketSize(100).build()));

    assertThat(context.serverMaximumPacketSize()).isEqualTo(100);
  }

  @Test
  void aMaximumAboveWhatTheProtocolCanSayIsTheProtocolMaximum() {
    CodecContext context = new CodecContext(1024);

    context.onConnack(
        new ConnackPacket(false, 0, Properties.builder().maximumPacketSize(0xFFFF_FFFFL).build()));

    assertThat(context.serverMaximumPacketSize()).isEqualTo(MqttLimits.MAX_PACKET_SIZE);
  }

  @Test
  void anMqtt311ConnackChangesNothing() {
    CodecContext context = new CodecContext(1024);

    context.onConnack(new ConnackPacket(true, 0));

    assertThat(context.serverMaximumPacketSize()).isEqualTo(MqttLimits.MAX_PACKET_SIZE);
  }

  @Test
  void theMqtt5CodecSendsNoPacketLargerThanTheServerTakes_MQTT_3_2_2_15() {
    CodecContext context = new CodecContext(1024);
    PacketCodec codec = ProtocolLevel.MQTT_5.newCodec(context);
    context.onConnack(
        new ConnackPacket(false, 0, Properties.builder().maximumPacketSize(100).build()));
    ByteSink sink = new ByteSink();
    sink.writeByte(0xAA); // a packet queued before

    codec.encode(publishOfSize(100), sink);
    assertThat(sink.size()).isEqualTo(101);

    assertThatThrownBy(() -> codec.encode(publishOfSize(101), sink))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "PUBLISH of 101 bytes exceeds the Maximum Packet Size 100 of the server"
                + " [MQTT-3.2.2-15]");
    assertThat(sink.size()).isEqualTo(101);
  }
}
