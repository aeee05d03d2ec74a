package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.QoS;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the encoder refuses, and what it writes although a receiver would refuse it. */
class PacketEncoderTest {

  @Test
  void aConnectForAnUnsupportedProtocolLevelIsRefused() {
    assertThatThrownBy(() -> TestBytes.encode(new ConnectPacket(5, "c", true, 0, null, null, null)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("protocol level must be 3 (MQTT 3.1) or 4 (MQTT 3.1.1), was 5");
  }

  @Test
  void aStringWithAnUnpairedSurrogateIsRefusedNamingTheField() {
    assertThatThrownBy(
            () ->
                TestBytes.encode(
                    new PublishPacket("a\uD800", new byte[0], QoS.AT_MOST_ONCE, false, false, 0)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "PUBLISH topic: string contains an unpaired surrogate at index 1" + " [MQTT-1.5.3-1]");
  }

  @Test
  void aReturnCodeThatDoesNotFitInAByteIsRefused() {
    assertThatThrownBy(() -> TestBytes.encode(new SubackPacket(1, List.of(0, 256))))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("SUBACK return code must be in 0..255, was 256");
    assertThatThrownBy(() -> TestBytes.encode(new ConnackPacket(false, -1)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("CONNACK return code must be in 0..255, was -1");
  }

  @Test
  void aFailedEncodingLeavesEarlierPacketsInTheSinkIntact() {
    ByteSink sink = new ByteSink();
    TestBytes.encode(PingreqPacket.INSTANCE, sink);

    assertThatThrownBy(() -> TestBytes.encode(new SubackPacket(1, List.of(0, 0x100)), sink))
        .isExactlyInstanceOf(IllegalArgumentException.class);

    assertThat(hex(sink.toByteArray())).isEqualTo("c0 00");
  }

  @Test
  void malformedButEncodablePacketsAreWrittenSoTestsCanSendThem() {
    // Packet identifier 0 and a wildcard topic: the decoder refuses both, the encoder writes them.
    byte[] publish =
        TestBytes.encode(new PublishPacket("a/#", new byte[0], QoS.AT_LEAST_ONCE, false, false, 0));
    byte[] puback = TestBytes.encode(new PubackPacket(0));

    assertThat(hex(publish)).isEqualTo("32 07 00 03 61 2f 23 00 00");
    assertThat(hex(puback)).isEqualTo("40 02 00 00");
  }

  @Test
  void encodingIntoANewArrayEqualsEncodingIntoASink() {
    PublishPacket p = new PublishPacket("t", new byte[] {1}, QoS.EXACTLY_ONCE, true, true, 3);
    ByteSink sink = new ByteSink();

    TestBytes.encode(p, sink);

    assertThat(TestBytes.encode(p)).isEqualTo(sink.toByteArray());
  }

  @Test
  void aDuplicateOfAPublishDiffersOnlyInTheDupFlag() {
    PublishPacket p = new PublishPacket("t", new byte[0], QoS.AT_LEAST_ONCE, false, false, 9);

    byte[] first = TestBytes.encode(p);
    byte[] resent = TestBytes.encode(p.asDuplicate());

    assertThat(hex(first)).isEqualTo("32 05 00 01 74 00 09");
    assertThat(hex(resent)).isEqualTo("3a 05 00 01 74 00 09");
  }
}
