package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.receive;
import static io.vmqtt.it.ItSupport.subscriber;
import static io.vmqtt.it.ItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.Connack;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.testkit.MosquittoBroker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The three usage examples of hbmqtt's MQTTClient documentation, written with vmqtt against
 * mosquitto: the {@code $SYS} subscriber, and the publisher whose three messages (QoS 0, 1, 2) go
 * out one after the other ({@code test_coro2}) or at once ({@code test_coro}).
 */
class HbmqttExamplesTest {

  /** {@code sys_interval 1}: mosquitto publishes its {@code $SYS} tree every second. */
  @RegisterExtension
  static final MosquittoExtension mosquitto =
      new MosquittoExtension(broker -> broker.extraConfig("sys_interval 1"));

  private static final String TOPIC = "a/b";
  private static final String QOS_0 = "TEST MESSAGE WITH QOS_0";
  private static final String QOS_1 = "TEST MESSAGE WITH QOS_1";
  private static final String QOS_2 = "TEST MESSAGE WITH QOS_2";

  @Test
  void theSubscriberExampleReceivesUptimeAtQos1AndLoadAtQos2ThenUnsubscribesAndDisconnects(
      MosquittoBroker broker) throws InterruptedException {
    try (MqttClient c = MqttClient.create(clientId("hbmqtt-sub"), MqttConfig.defaults())) {
      assertThat(c.connect(broker.uri()).returnCode()).isZero();
      // Subscribe to '$SYS/broker/uptime' with QOS=1, to '$SYS/broker/load/#' with QOS=2
      List<Integer> granted =
          c.subscribe(
              List.of(
                  Subscription.of("$SYS/broker/uptime", QoS.AT_LEAST_ONCE),
                  Subscription.of("$SYS/broker/load/#", QoS.EXACTLY_ONCE)));
      assertThat(granted).containsExactly(1, 2);

      // hbmqtt reads 99 messages. Mosquitto first sends its retained $SYS values (one uptime and
      // some 27 load values), then republishes them every second without the retain flag; read
      // until a republished uptime has come, which proves live delivery as well.
      List<Message> messages = new ArrayList<>();
      for (int i = 1; i < 100 && !hasLiveUptime(messages); i++) {
        messages.add(receive(c));
      }
      assertThat(hasLiveUptime(messages))
          .as("a non-retained $SYS/broker/uptime among %s", messages)
          .isTrue();
      assertThat(messages)
          .allSatisfy(
              m -> {
                if (m.topic().equals("$SYS/broker/uptime")) {
                  assertThat(m.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
                  assertThat(m.payloadAsString()).matches("\\d+ seconds");
                } else {
                  assertThat(m.topic()).startsWith("$SYS/broker/load/");
                  assertThat(m.qos()).isEqualTo(QoS.EXACTLY_ONCE);
                }
              });
      assertThat(messages).anySatisfy(m -> assertThat(m.topic()).startsWith("$SYS/broker/load/"));
      assertThat(messages.get(0).retain()).as("the first message is a retained value").isTrue();

      c.unsubscribe(List.of("$SYS/broker/uptime", "$SYS/broker/load/#"));
      c.disconnect();
      assertThat(c.isConnected()).isFalse();
    }
  }

  @Test
  void theSequentialPublisherExamplePublishesQos0Then1Then2AndEachReturnsItsResult(
      MosquittoBroker broker) throws InterruptedException {
    try (MqttClient receiver = subscriber(broker, clientId("hbmqtt-rcv"), TOPIC, QoS.EXACTLY_ONCE);
        MqttClient c = MqttClient.create(clientId("hbmqtt-pub2"), MqttConfig.defaults())) {
      // hbmqtt: C.connect('mqtt://test.mosquitto.org:1883/') -- a URI with an empty path
      Connack ret = c.connect(broker.uri() + "/");
      assertThat(ret).isEqualTo(Connack.accepted(false));

      PublishResult r0 = c.publish(TOPIC, utf8(QOS_0), QoS.AT_MOST_ONCE, false);
      PublishResult r1 = c.publish(TOPIC, utf8(QOS_1), QoS.AT_LEAST_ONCE, false);
      PublishResult r2 = c.publish(TOPIC, utf8(QOS_2), QoS.EXACTLY_ONCE, false);
      c.disconnect();

      assertThat(r0).isEqualTo(PublishResult.of(QoS.AT_MOST_ONCE, 0));
      assertThat(r1.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(r1.packetId()).isNotZero();
      assertThat(r2.qos()).isEqualTo(QoS.EXACTLY_ONCE);
      assertThat(r2.packetId()).isNotZero();
      assertThat(receiveThree(receiver))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(QOS_0, QoS.AT_MOST_ONCE, QOS_1, QoS.AT_LEAST_ONCE, QOS_2, QoS.EXACTLY_ONCE));
    }
  }

  @Test
  void theConcurrentPublisherExamplePublishesQos0And1And2FromThreeThreadsAtOnce(
      MosquittoBroker broker) throws Exception {
    try (MqttClient receiver = subscriber(broker, clientId("hbmqtt-rcv"), TOPIC, QoS.EXACTLY_ONCE);
        MqttClient c = MqttClient.create(clientId("hbmqtt-pub"), MqttConfig.defaults())) {
      assertThat(c.connect(broker.uri()).returnCode()).isZero();

      CountDownLatch go = new CountDownLatch(1);
      Future<PublishResult> f0;
      Future<PublishResult> f1;
      Future<PublishResult> f2;
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        // hbmqtt: C.publish('a/b', b'TEST MESSAGE WITH QOS_0') -- QoS from default_qos (0)
        f0 = threads.submit(() -> awaitThen(go, () -> c.publish(TOPIC, utf8(QOS_0))));
        f1 =
            threads.submit(
                () -> awaitThen(go, () -> c.publish(TOPIC, utf8(QOS_1), QoS.AT_LEAST_ONCE, false)));
        f2 =
            threads.submit(
                () -> awaitThen(go, () -> c.publish(TOPIC, utf8(QOS_2), QoS.EXACTLY_ONCE, false)));
        go.countDown();
        assertThat(f0.get(10, TimeUnit.SECONDS)).isEqualTo(PublishResult.of(QoS.AT_MOST_ONCE, 0));
        assertThat(f1.get(10, TimeUnit.SECONDS).qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(f2.get(10, TimeUnit.SECONDS).qos()).isEqualTo(QoS.EXACTLY_ONCE);
      }
      assertThat(f1.get().packetId()).isNotZero();
      assertThat(f2.get().packetId()).isNotZero();
      c.disconnect();

      assertThat(receiveThree(receiver))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(QOS_0, QoS.AT_MOST_ONCE, QOS_1, QoS.AT_LEAST_ONCE, QOS_2, QoS.EXACTLY_ONCE));
    }
  }

  private interface Publish {
    PublishResult run() throws InterruptedException;
  }

  private static PublishResult awaitThen(CountDownLatch go, Publish publish)
      throws InterruptedException {
    if (!go.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("no start signal within 10 s");
    }
    return publish.run();
  }

  private static boolean hasLiveUptime(List<Message> messages) {
    return messages.stream().anyMatch(m -> m.topic().equals("$SYS/broker/uptime") && !m.retain());
  }

  /** Payload to QoS of the next three messages on {@link #TOPIC}. */
  private static Map<String, QoS> receiveThree(MqttClient receiver) throws InterruptedException {
    Map<String, QoS> received = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      Message m = receive(receiver);
      assertThat(m.topic()).isEqualTo(TOPIC);
      assertThat(m.retain()).isFalse();
      assertThat(received.put(m.payloadAsString(), m.qos())).as("duplicate %s", m).isNull();
    }
    return received;
  }
}
