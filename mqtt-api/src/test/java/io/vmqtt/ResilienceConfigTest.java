package io.vmqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.MqttConfig.OfflinePolicy;
import io.vmqtt.MqttConfig.QueueOverflow;
import io.vmqtt.spi.SessionStore;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResilienceConfigTest {
  @Test
  void theResilienceKeysDefaultToReconnectingWithJitterQueueingAndRestoringSubscriptions() {
    MqttConfig c = MqttConfig.defaults();
    assertThat(c.reconnectMinInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.reconnectJitter()).isEqualTo(0.5);
    assertThat(c.restoreSubscriptions()).isTrue();
    assertThat(c.offlineQos0()).isEqualTo(OfflinePolicy.QUEUE);
    assertThat(c.maxQueuedMessages()).isEqualTo(1000);
    assertThat(c.queueOverflow()).isEqualTo(QueueOverflow.BLOCK);
    assertThat(c.sessionStore()).isEmpty();
  }

  @Test
  void theDl7450ScheduleIsExpressibleAsConfig() {
    MqttConfig c =
        MqttConfig.from(
            Map.of(
                "reconnect_min_interval", 1,
                "reconnect_max_interval", 60,
                "reconnect_jitter", 0,
                "reconnect_retries", -1));
    assertThat(c.reconnectMinInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.reconnectMaxInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.reconnectJitter()).isZero();
    assertThat(c.reconnectRetries()).isNegative();
  }

  @Test
  void theMapAndTheBuilderAgreeOnTheResilienceKeys() {
    MqttConfig fromMap =
        MqttConfig.from(
            Map.of(
                "restore_subscriptions",
                false,
                "offline_qos0",
                "FAIL",
                "max_queued_messages",
                5,
                "max_queued_bytes",
                4096,
                "queue_overflow",
                "fail",
                "reconnect_jitter",
                0.25));
    MqttConfig built =
        MqttConfig.builder()
            .restoreSubscriptions(false)
            .offlineQos0(OfflinePolicy.FAIL)
            .maxQueuedMessages(5)
            .maxQueuedBytes(4096)
            .queueOverflow(QueueOverflow.FAIL)
            .reconnectJitter(0.25)
            .build();
    assertThat(fromMap).isEqualTo(built);
  }

  @Test
  void aSessionStoreIsCarriedByIdentity() {
    SessionStore store = SessionStore.inMemory();
    assertThat(MqttConfig.builder().sessionStore(store).build().sessionStore()).containsSame(store);
  }
}
