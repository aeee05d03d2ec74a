package io.vmqtt.vthreads.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one place that says which protocol levels exist, and the codec each gets. */
class ProtocolLevelTest {

  @Test
  void levels3To5AreMqtt3_1And3_1_1And5WithTheirProtocolNames() {
    assertThat(ProtocolLevel.of(3)).isSameAs(ProtocolLevel.MQTT_3_1);
    assertThat(ProtocolLevel.of(4)).isSameAs(ProtocolLevel.MQTT_3_1_1);
    assertThat(ProtocolLevel.of(5)).isSameAs(ProtocolLevel.MQTT_5);
    assertThat(ProtocolLevel.MQTT_5.protocolName()).isEqualTo("MQTT"); // MQTT 5.0 [MQTT-3.1.2-1]
    assertThat(ProtocolLevel.MQTT_3_1.protocolName()).isEqualTo("MQIsdp");
    assertThat(ProtocolLevel.MQTT_3_1_1.protocolName()).isEqualTo("MQTT"); // [MQTT-3.1.2-1]
    assertThat(ProtocolLevel.MQTT_3_1_1).hasToString("MQTT 3.1.1");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 6, 255, -1})
  void anyOtherLevelIsRefusedWithTheLevelsThatExist(int level) {
    assertThatThrownBy(() -> ProtocolLevel.of(level))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "protocol level must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0), was " + level);
  }

  @Test
  void typeAuthIsReservedBeforeMqtt5() {
    for (ProtocolLevel level : ProtocolLevel.values()) {
      for (PacketType type : PacketType.values()) {
        boolean expected = type != PacketType.AUTH || level == ProtocolLevel.MQTT_5;
        assertThat(level.has(type)).as("%s in %s", type, level).isEqualTo(expected);
      }
    }
  }

  @Test
  void levels3And4ShareTheMqtt311CodecAnd5HasItsOwn() {
    CodecContext context = new CodecContext(1024);

    assertThat(ProtocolLevel.MQTT_3_1.newCodec(context)).isInstanceOf(Mqtt3Codec.class);
    assertThat(ProtocolLevel.MQTT_3_1_1.newCodec(context)).isInstanceOf(Mqtt3Codec.class);
    assertThat(ProtocolLevel.MQTT_5.newCodec(context)).isInstanceOf(Mqtt5Codec.class);
    assertThat(ProtocolLevel.MQTT_5.newCodec(context).level()).isSameAs(ProtocolLevel.MQTT_5);
  }

  @Test
  void eachConnectionGetsItsOwnCodecWithItsOwnContext() {
    CodecContext first = new CodecContext(1024);
    CodecContext second = new CodecContext(2048);

    PacketCodec a = ProtocolLevel.MQTT_3_1_1.newCodec(first);
    PacketCodec b = ProtocolLevel.MQTT_3_1_1.newCodec(second);

    assertThat(a).isNotSameAs(b);
    assertThat(a.context()).isSameAs(first);
    assertThat(b.context().maximumPacketSize()).isEqualTo(2048);
    assertThat(a.level()).isSameAs(ProtocolLevel.MQTT_3_1_1);
    assertThat(ProtocolLevel.MQTT_3_1.newCodec(first).level()).isSameAs(ProtocolLevel.MQTT_3_1);
  }
}
