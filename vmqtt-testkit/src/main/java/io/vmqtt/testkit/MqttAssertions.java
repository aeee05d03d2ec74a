package io.vmqtt.testkit;

import io.vmqtt.Message;

/**
 * AssertJ entry points for MQTT: {@code assertThat(recorder)} and {@code assertThat(message)}.
 * Import them statically next to AssertJ's own {@code Assertions.assertThat}; overloads do not
 * clash.
 *
 * <pre>{@code
 * import static io.vmqtt.testkit.MqttAssertions.assertThat;
 *
 * assertThat(recorder).receivedOn("a/b").payloadAsString().isEqualTo("hi");
 * assertThat(recorder).receivedOn("a/b").hasQos(QoS.AT_LEAST_ONCE).isRetained();
 * assertThat(recorder).hasReceived(3).receivedNothingOn("errors/#");
 * }</pre>
 */
public final class MqttAssertions {
  private MqttAssertions() {}

  /** Assertions on what a recorder received; the ones that expect a message wait for it. */
  public static RecorderAssert assertThat(MessageRecorder recorder) {
    return new RecorderAssert(recorder);
  }

  /** Assertions on one message. */
  public static MessageAssert assertThat(Message message) {
    return new MessageAssert(message);
  }
}
