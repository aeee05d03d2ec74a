package io.vmqtt.testkit;

import static io.vmqtt.testkit.MqttAssertions.assertThat;
import static io.vmqtt.testkit.MqttAwait.awaitMessage;
import static io.vmqtt.testkit.MqttAwait.awaitMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.QoS;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recorder, the assertions and the waits, against one mosquitto for the class (Moquette 0.17
 * clears the RETAIN flag of retained messages sent to a new subscription, [MQTT-3.3.1-8]).
 */
@MqttBrokerTest(kind = TestBroker.Kind.PROCESS)
class MessageRecorderTest {
  private static final Duration SHORT = Duration.ofMillis(200);

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyMessageOnTheSubscribedFiltersIsRecordedInOrder(
      MessageRecorder recorder, MqttClient publisher) throws InterruptedException {
    recorder.subscribe("r1/#", "other/+");
    publisher.publish("r1/a", utf8("1"), QoS.AT_LEAST_ONCE, false);
    publisher.publish("elsewhere", utf8("x"), QoS.AT_LEAST_ONCE, false);
    publisher.publish("other/b", utf8("2"), QoS.EXACTLY_ONCE, false);

    List<Message> two = awaitMessages(recorder, 2);

    assertThat(two).extracting(Message::topic).containsExactly("r1/a", "other/b");
    assertThat(recorder.messages("other/#")).hasSize(1);
    assertThat(recorder.filters()).containsExactly("r1/#", "other/+");
    assertThat(recorder).receivedPayloads("1", "2").receivedNothingOn("elsewhere");
    assertThat(recorder.toString()).contains("r1/a = \"1\" (QoS 1)");
  }

  @Test
  void receivedOnWaitsForTheMessageAndChecksItsFields(
      MessageRecorder recorder, MqttClient publisher) throws InterruptedException {
    publisher.publish("r2/kept", utf8("retained"), QoS.AT_LEAST_ONCE, true);
    recorder.subscribe("r2/#");

    assertThat(recorder)
        .receivedOn("r2/kept")
        .hasTopic("r2/kept")
        .hasQos(QoS.AT_LEAST_ONCE)
        .isRetained()
        .payloadAsString()
        .isEqualTo("retained");
    publisher.publish("r2/kept", new byte[0], QoS.AT_LEAST_ONCE, true); // clear it
  }

  @Test
  void failuresSayWhatWasExpectedAndWhatArrived(MessageRecorder recorder, MqttClient publisher)
      throws InterruptedException {
    recorder.subscribe("r3/#");
    publisher.publish("r3/a", utf8("got this"), QoS.AT_LEAST_ONCE, false);
    awaitMessage(recorder, "r3/a");

    assertThatThrownBy(() -> assertThat(recorder).within(SHORT).receivedOn("r3/b"))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("expected a message on 'r3/b', got 1 message(s):")
        .hasMessageContaining("r3/a = \"got this\" (QoS 1)")
        .hasMessageEndingWith("within 200 ms");
    assertThatThrownBy(() -> awaitMessages(recorder, 2, SHORT))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("expected 2 message(s) on [r3/#], got 1 message(s):");
    assertThatThrownBy(() -> assertThat(recorder).receivedNothing())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected no message, got 1 message(s)");
    assertThatThrownBy(() -> assertThat(recorder).receivedOn("r3/a").hasPayload("other"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected payload \"other\" on 'r3/a', was \"got this\"");
    assertThatThrownBy(() -> assertThat(recorder).receivedOn("r3/a").isRetained())
        .hasMessageContaining("expected a retained message on 'r3/a', it was not");
    assertThatThrownBy(() -> assertThat(recorder).receivedOn("r3/a").hasQos(QoS.EXACTLY_ONCE))
        .hasMessageContaining("expected QoS 2 on 'r3/a', was 1");
  }

  @Test
  void argumentsAreCheckedAndClearForgetsWhatArrived(MessageRecorder recorder, MqttClient publisher)
      throws InterruptedException {
    assertThatThrownBy(() -> recorder.subscribe())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("subscribe needs at least one topic filter");
    assertThatThrownBy(() -> recorder.subscribe("a/#/b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> awaitMessages(recorder, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must be at least 1, was 0");

    recorder.subscribe("r4");
    publisher.publish("r4", utf8("x"), QoS.AT_MOST_ONCE, false);
    assertThat(recorder).hasReceived(1);
    recorder.clear();
    assertThat(recorder).receivedNothing();
  }

  @Test
  void aClosedRecorderStopsRecording(TestBroker broker) throws InterruptedException {
    MessageRecorder recorder = MessageRecorder.connect(broker).subscribe("r5");
    recorder.close();

    assertThat(recorder.client().isConnected()).isFalse();
    recorder.close(); // idempotent
  }
}
