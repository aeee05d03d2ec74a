package io.vmqtt.internal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.Message;
import io.vmqtt.QoS;
import org.junit.jupiter.api.Test;

/** {@link ApiAccess}: how the engine attaches its receipt to a {@link Message}. */
class ApiAccessTest {
  private static final ApiAccess.MessageAccess MESSAGES = ApiAccess.messages();

  private record Receipt(int packetId, long epoch) {}

  @Test
  void theEngineReadsBackTheReceiptItAttached() {
    Receipt receipt = new Receipt(7, 3);
    Message m = MESSAGES.newMessage("a/b", new byte[] {1}, QoS.AT_LEAST_ONCE, false, true, receipt);

    assertThat(MESSAGES.receipt(m)).isSameAs(receipt);
    assertThat(m.topic()).isEqualTo("a/b");
    assertThat(m.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
    assertThat(m.dup()).isTrue();
  }

  @Test
  void theReceivedPayloadIsHandedOverWithoutACopy() {
    byte[] payload = {1, 2, 3};
    Message m = MESSAGES.newMessage("t", payload, QoS.AT_MOST_ONCE, false, false, null);

    assertThat(m.payload()).isSameAs(payload);
  }

  @Test
  void aMessageMadeByTheApiHasNoReceipt() {
    assertThat(MESSAGES.receipt(Message.of("t", "x", QoS.AT_LEAST_ONCE, false))).isNull();
  }

  @Test
  void receiptsTakeNoPartInEqualityHashOrText() {
    Message a =
        MESSAGES.newMessage("t", new byte[] {1}, QoS.EXACTLY_ONCE, false, false, new Receipt(1, 1));
    Message b =
        MESSAGES.newMessage("t", new byte[] {1}, QoS.EXACTLY_ONCE, false, false, new Receipt(2, 9));
    Message made = Message.builder("t").payload(new byte[] {1}).qos(QoS.EXACTLY_ONCE).build();

    assertThat(a).isEqualTo(b).isEqualTo(made).hasSameHashCodeAs(made);
    assertThat(a.toString()).isEqualTo(made.toString()).doesNotContain("Receipt");
  }

  @Test
  void aSecondRegistrationIsRefused() {
    assertThatThrownBy(() -> ApiAccess.register(MESSAGES))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a MessageAccess is already registered");
  }
}
