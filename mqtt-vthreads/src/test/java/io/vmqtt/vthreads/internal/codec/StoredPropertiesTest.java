package io.vmqtt.vthreads.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The PUBLISH properties a session store keeps: their wire form, without the Topic Alias. */
class StoredPropertiesTest {
  @Test
  void thePropertiesAreStoredAsOnTheWireWithoutTheTopicAlias() {
    Properties sent =
        Properties.builder().payloadFormatIndicator(1).topicAlias(3).userProperty("k", "v").build();

    byte[] stored = StoredProperties.encode(sent);

    assertThat(stored)
        .containsExactly(
            0x09, // Property Length 9
            0x01, 0x01, // Payload Format Indicator 1
            0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v'); // User Property k=v; no Topic Alias (0x23)
    assertThat(StoredProperties.decode(stored))
        .isEqualTo(Properties.builder().payloadFormatIndicator(1).userProperty("k", "v").build());
  }

  @Test
  void noPropertiesOrATopicAliasAloneAreStoredAsNothing() {
    assertThat(StoredProperties.encode(Properties.EMPTY)).isEmpty();
    assertThat(StoredProperties.encode(Properties.builder().topicAlias(1).build())).isEmpty();
    assertThat(StoredProperties.decode(new byte[0])).isSameAs(Properties.EMPTY);
  }

  @Test
  void storedBytesThatAreNoPublishPropertiesAreRefused() {
    // Session Expiry Interval (0x11) belongs to CONNECT, CONNACK and DISCONNECT only.
    assertThatThrownBy(() -> StoredProperties.decode(new byte[] {0x05, 0x11, 0, 0, 0, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("stored PUBLISH properties are not valid: ")
        .hasMessageContaining("Session Expiry Interval");
    assertThatThrownBy(() -> StoredProperties.decode(new byte[] {0x02, 0x01, 0x01, 0x00}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("1 bytes after the stored PUBLISH properties");
  }
}
