package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.OperationTimeoutException;
import io.vmqtt.QoS;
import io.vmqtt.spi.SessionStore;
import io.vmqtt.spi.SessionStore.FsyncPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new client with the same client id and session store completes what an earlier one left. */
class StoredSessionTest {
  private static final int DUP = 0x08;

  @TempDir Path dir;
  private FakeBroker broker;

  @BeforeEach
  void start() throws Exception {
    broker = FakeBroker.start();
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private MqttConfig config(SessionStore store) {
    return ClientSupport.config()
        .cleanSession(false)
        .sessionStore(store)
        .operationTimeout(Duration.ofMillis(300))
        .build();
  }

  private void leaveUnacknowledged(SessionStore store, QoS qos, String payload) throws Exception {
    broker.enqueue(RawPacket.PUBLISH, Action.ignore());
    try (MqttClient first = MqttClient.create("stored", config(store))) {
      first.connect(broker.uri());
      assertThatThrownBy(
              () -> first.publish("a/b", payload.getBytes(StandardCharsets.UTF_8), qos, false))
          .isInstanceOf(OperationTimeoutException.class);
    }
  }

  @Test
  void aFileStoreLetsANewClientResendWhatTheOldOneLeftUnacknowledged() throws Exception {
    leaveUnacknowledged(SessionStore.file(dir, FsyncPolicy.ALWAYS), QoS.AT_LEAST_ONCE, "kept");
    int id = broker.takePacket(RawPacket.PUBLISH, WAIT).packetId();

    try (MqttClient second =
        MqttClient.create("stored", config(SessionStore.file(dir, FsyncPolicy.ALWAYS)))) {
      second.connect(broker.uri());
      RawPacket resent = broker.takePacket(RawPacket.PUBLISH, WAIT);
      assertThat(resent.packetId()).isEqualTo(id);
      assertThat(resent.flags() & DUP).isEqualTo(DUP);
      assertThat(resent.asPublish().payloadAsString()).isEqualTo("kept");
    }
    try (MqttClient third =
        MqttClient.create("stored", config(SessionStore.file(dir, FsyncPolicy.ALWAYS)))) {
      third.connect(broker.uri());
      assertThat(broker.pollPacket(ClientSupport.QUIET).filter(p -> p.type() == RawPacket.PUBLISH))
          .as("acknowledged after the resend: nothing is left to resend")
          .isEmpty();
    }
  }

  @Test
  void aSharedInMemoryStoreDoesTheSameWithinOneProcess() throws Exception {
    SessionStore store = SessionStore.inMemory();
    leaveUnacknowledged(store, QoS.EXACTLY_ONCE, "kept");
    int id = broker.takePacket(RawPacket.PUBLISH, WAIT).packetId();

    try (MqttClient second = MqttClient.create("stored", config(store))) {
      second.connect(broker.uri());
      RawPacket resent = broker.takePacket(RawPacket.PUBLISH, WAIT);
      assertThat(resent.packetId()).isEqualTo(id);
      assertThat(resent.qos()).isEqualTo(2);
      broker.takePacket(RawPacket.PUBREL, WAIT);
    }
  }

  @Test
  void aSecondClientCannotOpenASessionThatIsInUse() throws Exception {
    SessionStore store = SessionStore.file(dir, FsyncPolicy.NEVER);
    try (MqttClient first = MqttClient.create("busy", config(store))) {
      assertThatThrownBy(() -> MqttClient.create("busy", config(store)))
          .hasMessageContaining("already open");
    }
  }
}
