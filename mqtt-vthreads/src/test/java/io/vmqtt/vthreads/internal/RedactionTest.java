package io.vmqtt.vthreads.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.ConnectOptions;
import io.vmqtt.vthreads.internal.codec.ConnectPacket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedactionTest {
  private static final String SECRET = "s3cret-Pa55";

  @Test
  void theTracedConnectPacketNeverShowsThePassword() {
    ConnectPacket connect =
        new ConnectPacket(4, "c", true, 10, null, "alice", SECRET.getBytes(StandardCharsets.UTF_8));
    assertThat(connect.toString()).contains("alice").contains("<redacted>").doesNotContain(SECRET);
  }

  @Test
  void connectOptionsNeverShowThePassword() {
    ConnectOptions options = ConnectOptions.builder().credentials("alice", SECRET).build();
    assertThat(options.toString()).contains("<redacted>").doesNotContain(SECRET);
  }

  @Test
  void aBrokerAddressPrintsNoUserInfo() {
    BrokerAddress address = BrokerAddress.parse("mqtt://alice:" + SECRET + "@127.0.0.1:1883");
    assertThat(address.username()).isEqualTo("alice");
    assertThat(address.password()).isEqualTo(SECRET);
    assertThat(address.toString()).isEqualTo("mqtt://127.0.0.1:1883").doesNotContain(SECRET);
  }

  @Test
  void aMalformedUriErrorDoesNotRepeatThePassword() {
    try {
      BrokerAddress.parse("mqtt://alice:" + SECRET + "@127.0.0.1:18 83");
    } catch (IllegalArgumentException e) {
      assertThat(e).hasNoCause();
      assertThat(e.getMessage()).contains("<user>@").doesNotContain(SECRET);
      return;
    }
    throw new AssertionError("a malformed URI was accepted");
  }
}
