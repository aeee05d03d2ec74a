package io.vmqtt.vthreads.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one place that says which protocol levels exist, and the codec each gets. */
class ProtocolLevelTest {

  @Test
  void levels3And4AreMqtt3_1And3_1_1WithTheirProtocolNames() {
    assertThat(ProtocolLevel.of(3)).isSameAs(ProtocolLevel.MQTT_3_1);
    assertThat(ProtocolLevel.of(4)).isSameAs(ProtocolLevel.MQTT_3_1_1);
    assertThat(ProtocolLevel.MQTT_3_1.protocolName()).isEqualTo("MQIsdp");
    assertThat(ProtocolLevel.MQTT_3_1_1.protocolName()).isEqualTo("MQTT"); // [MQTT-3.1.2-1]
    assertThat(ProtocolLevel.MQTT_3_1_1).hasToString("MQTT 3.1.1");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 6, 255, -1})
  void anyOtherLevelIsRefusedWithTheLevelsThatExist(int level) {
    assertThatThrownBy(() -> ProtocolLevel.of(level))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("protocol level must be " + ProtocolLevel.describeAll("or") + ", was " + level);
  }

  @Test
  void typeAuthIsReservedBeforeMqtt5() {
    for (ProtocolLevel level : ProtocolLevel.values()) {
      for (PacketType type : PacketType.values()) {
        assertThat(level.has(type)).as("%s in %s", type, level).isEqualTo(type != PacketType.AUTH);
      }
    }
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
