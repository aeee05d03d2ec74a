package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.connected;
import static io.vmqtt.it.ItSupport.receive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.Connack;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.OperationTimeoutException;
import io.vmqtt.Publish;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.UserProperty;
import io.vmqtt.it.fixture.FaultProxy;
import io.vmqtt.spi.SessionStore;
import io.vmqtt.spi.SessionStore.FsyncPolicy;
import io.vmqtt.testkit.MosquittoBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file session store at MQTT 5, against mosquitto: a message left unacknowledged when a client
 * ends (its PUBLISH lost in a black hole) is resent by the next client of the same id and store
 * with its MQTT 5 properties; and a client created without a client id keeps its session under the
 * identifier the broker assigned, the one the next process resumes with.
 */
class StoredSession5Test {
  @TempDir Path dir;

  private static MqttConfig.Builder v5(SessionStore store) {
    return MqttConfig.builder()
        .protocolVersion(5)
        .autoReconnect(false)
        .cleanSession(false)
        .sessionStore(store)
        .operationTimeout(Duration.ofMillis(500));
  }

  private static Publish withProperties(String topic) {
    return Publish.builder(topic)
        .payload("kept")
        .qos(QoS.AT_LEAST_ONCE)
        .contentType("text/plain")
        .responseTopic("replies/7")
        .correlationData(new byte[] {4, 2})
        .userProperty("trace", "a1")
        .userProperty("trace", "b2")
        .payloadUtf8(true)
        .messageExpiryInterval(Duration.ofSeconds(600))
        .build();
  }

  /** Publishes through a proxy that swallows it, so the message stays in the store; then ends. */
  private static void leaveInFlight(MqttClient client, FaultProxy proxy, String topic)
      throws InterruptedException {
    proxy.blackhole(true);
    assertThatThrownBy(() -> client.publish(withProperties(topic)))
        .isInstanceOf(OperationTimeoutException.class);
    client.close();
  }

  private static void assertSameProperties(Message m) {
    assertThat(m.payloadAsString()).isEqualTo("kept");
    assertThat(m.contentType()).contains("text/plain");
    assertThat(m.responseTopic()).contains("replies/7");
    assertThat(m.correlationData()).hasValueSatisfying(d -> assertThat(d).containsExactly(4, 2));
    assertThat(m.userProperties())
        .containsExactly(new UserProperty("trace", "a1"), new UserProperty("trace", "b2"));
    assertThat(m.payloadUtf8()).isTrue();
    assertThat(m.messageExpiryInterval())
        .hasValueSatisfying(
            d -> assertThat(d).isBetween(Duration.ofSeconds(590), Duration.ofSeconds(600)));
  }

  @Test
  void aMessageLeftInFlightIsResentWithItsPropertiesByTheNextClient() throws Exception {
    String id = clientId("stored5");
    try (MosquittoBroker broker = MosquittoBroker.start();
        FaultProxy proxy = FaultProxy.to(broker);
        MqttClient sub =
            connected(
                broker, clientId("sub"), v5(SessionStore.inMemory()).cleanSession(true).build())) {
      sub.subscribe(List.of(Subscription.of("kept/#", QoS.AT_LEAST_ONCE)));
      MqttClient first =
          MqttClient.create(id, v5(SessionStore.file(dir, FsyncPolicy.ALWAYS)).build());
      first.connect(proxy.uri());
      leaveInFlight(first, proxy, "kept/1");

      try (MqttClient next =
          MqttClient.create(id, v5(SessionStore.file(dir, FsyncPolicy.ALWAYS)).build())) {
        next.connect(broker.uri());
        assertSameProperties(receive(sub));
      }
    }
  }

  @Test
  void aClientWithoutAnIdKeepsItsSessionUnderTheAssignedOne() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start();
        FaultProxy proxy = FaultProxy.to(broker);
        MqttClient sub =
            connected(
                broker, clientId("sub"), v5(SessionStore.inMemory()).cleanSession(true).build())) {
      sub.subscribe(List.of(Subscription.of("kept/#", QoS.AT_LEAST_ONCE)));
      MqttClient first =
          MqttClient.create("", v5(SessionStore.file(dir, FsyncPolicy.ALWAYS)).build());
      Connack ack = first.connect(proxy.uri());
      String assigned = ack.assignedClientIdentifier().orElseThrow();
      leaveInFlight(first, proxy, "kept/2");

      assertThat(logs())
          .singleElement()
          .asString()
          .startsWith("session-" + logPrefix(assigned) + "-");
      try (MqttClient next =
          MqttClient.create(assigned, v5(SessionStore.file(dir, FsyncPolicy.ALWAYS)).build())) {
        assertThat(next.connect(broker.uri()).sessionPresent()).isTrue();
        assertSameProperties(receive(sub));
      }
    }
  }

  @Test
  void clientsWithoutAnIdShareAStoreDirectoryEachUnderItsAssignedId() throws Exception {
    SessionStore store = SessionStore.file(dir, FsyncPolicy.NEVER);
    try (MosquittoBroker broker = MosquittoBroker.start();
        MqttClient one = MqttClient.create("", v5(store).build());
        MqttClient two = MqttClient.create("", v5(store).build())) {
      String first = one.connect(broker.uri()).assignedClientIdentifier().orElseThrow();
      String second = two.connect(broker.uri()).assignedClientIdentifier().orElseThrow();

      assertThat(first).isNotEqualTo(second);
      one.publish("shared/1", new byte[0], QoS.AT_LEAST_ONCE, false);
      two.publish("shared/2", new byte[0], QoS.AT_LEAST_ONCE, false);
      assertThat(one.isConnected()).isTrue();
      assertThat(two.isConnected()).isTrue();
    }
  }

  /** The session logs in the store's directory, by file name. */
  private List<String> logs() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log")).toList();
    }
  }

  /** The readable part of a log's name: the id's first 32 characters, others replaced by '_'. */
  private static String logPrefix(String clientId) {
    String head = clientId.length() > 32 ? clientId.substring(0, 32) : clientId;
    return head.replaceAll("[^A-Za-z0-9_-]", "_");
  }
}
