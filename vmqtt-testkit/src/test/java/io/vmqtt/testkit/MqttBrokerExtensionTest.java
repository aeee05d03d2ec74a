package io.vmqtt.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.ConnectionState;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension's lifecycle: one broker per class or per test, parameters, clients closed. */
class MqttBrokerExtensionTest {

  /** With @MqttBrokerTest: one embedded broker shared by the class; clients closed per test. */
  @Nested
  @MqttBrokerTest
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class PerClass {
    static final List<TestBroker> brokers = new ArrayList<>();
    static final List<MqttClient> clients = new ArrayList<>();

    @Test
    @Order(1)
    void theBrokerIsEmbeddedRunningAndTheSameForEveryParameter(
        TestBroker broker, EmbeddedBroker same, MqttClient client) {
      assertThat(broker.kind()).isEqualTo(TestBroker.Kind.EMBEDDED);
      assertThat(broker.isRunning()).isTrue();
      assertThat(same).isSameAs(broker);
      assertThat(client.isConnected()).isTrue();
      brokers.add(broker);
      clients.add(client);
    }

    @Test
    @Order(2)
    void theNextTestGetsTheSameBrokerAndTheLastTestsClientWasClosed(TestBroker broker) {
      assertThat(broker).isSameAs(brokers.get(0));
      assertThat(clients.get(0).state()).isEqualTo(ConnectionState.CLOSED);
    }
  }

  /** A registered extension with perTest(): a broker of its own for each test. */
  @Nested
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class PerTest {
    @RegisterExtension
    static final MqttBrokerExtension mqtt = MqttBrokerExtension.mosquitto().perTest();

    static final List<TestBroker> brokers = new ArrayList<>();

    @Test
    @Order(1)
    void theFirstTestGetsABroker(MosquittoBroker broker) {
      assertThat(broker.isRunning()).isTrue();
      assertThat(mqtt.broker()).isSameAs(broker);
      brokers.add(broker);
    }

    @Test
    @Order(2)
    void theSecondTestGetsAnotherOneAndTheFirstIsStopped(MosquittoBroker broker) {
      assertThat(broker).isNotSameAs(brokers.get(0));
      assertThat(brokers.get(0).isRunning()).isFalse();
    }
  }

  /** Clients and recorders made in @BeforeAll live until the class ends. */
  @Nested
  class BeforeAllClients {
    @RegisterExtension static final MqttBrokerExtension mqtt = MqttBrokerExtension.embedded();

    static MqttClient shared;

    @BeforeAll
    static void connect() throws InterruptedException {
      shared = mqtt.client("shared-client", MqttConfig.builder().autoReconnect(false).build());
    }

    @AfterAll
    static void closedAfterTheClass() {
      // the extension's afterAll runs after this method: still open here
      assertThat(shared.isConnected()).isTrue();
    }

    @Test
    void aClientFromBeforeAllStaysOpenDuringTheTests() throws InterruptedException {
      assertThat(shared.isConnected()).isTrue();
      MessageRecorder recorder = mqtt.recorder("x/#");
      shared.publish("x/1", new byte[] {1}, io.vmqtt.QoS.AT_LEAST_ONCE, false);
      MqttAssertions.assertThat(recorder).receivedOn("x/1").hasPayload(new byte[] {1});
      assertThat(mqtt.uri()).isEqualTo(mqtt.broker().uri());
    }

    @Test
    void theBrokerOfAnotherClassIsRefusedWithAClearMessage() {
      assertThatThrownBy(() -> mqtt.broker(MosquittoBroker.class))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the broker is a EmbeddedBroker, not a MosquittoBroker");
    }
  }

  @Test
  void anExtensionOutsideATestSaysHowToUseIt() {
    assertThatThrownBy(() -> MqttBrokerExtension.embedded().broker())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("register it with @RegisterExtension");
    assertThatThrownBy(() -> new MqttBrokerExtension().perTest())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@MqttBrokerTest(perTest = true)");
  }
}
