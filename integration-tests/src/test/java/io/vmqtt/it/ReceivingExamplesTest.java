package io.vmqtt.it;

import static io.vmqtt.it.ItSupport.RECEIVE_TIMEOUT;
import static io.vmqtt.it.ItSupport.clientId;
import static io.vmqtt.it.ItSupport.connected;
import static io.vmqtt.it.ItSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.Message;
import io.vmqtt.MessageSelector;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.it.fixture.MosquittoTest;
import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/**
 * The examples of the README's "Receiving messages" section, as written there (the broker's URI and
 * unique client ids aside), against mosquitto: they must compile and do what the README says.
 */
@MosquittoTest
class ReceivingExamplesTest {

  @Test
  void listenersDeliverMessageAndPollMessageMixOnOneClientAsTheReadmeShows(MosquittoBroker broker)
      throws Exception {
    Map<String, String> temperatures = new ConcurrentHashMap<>();
    List<String> alarms = new CopyOnWriteArrayList<>();
    try (MqttClient pub = connected(broker, clientId("ex-pub"));
        MqttClient client = MqttClient.create(clientId("dashboard"))) {
      client.connect(broker.uri());
      // --- README: begin
      // Listeners, per filter, on virtual threads of the client (paho's message_callback_add):
      client.subscribe(
          "sensors/+/temp",
          QoS.AT_LEAST_ONCE,
          m -> temperatures.put(m.topic(), m.payloadAsString()));
      // With a condition and a priority (Zerynth's on(condition, callback, priority)):
      client.addMessageListener(
          MessageSelector.topic("alarms/#")
              .when(m -> m.payloadAsString().startsWith("!"))
              .priority(10),
          m -> alarms.add(m.payloadAsString()));
      client.subscribe(List.of(Subscription.of("alarms/#", QoS.AT_LEAST_ONCE)));
      // --- README: end
      pub.publish("sensors/kitchen/temp", utf8("21.5"), QoS.AT_LEAST_ONCE, false);
      pub.publish("alarms/door", utf8("!open"), QoS.AT_LEAST_ONCE, false);
      pub.publish("alarms/door", utf8("closed"), QoS.AT_LEAST_ONCE, false);
      pub.publish("alarms/window", utf8("closed"), QoS.AT_LEAST_ONCE, false);

      // --- README: begin
      // What no listener takes, in arrival order: deliverMessage waits (hbmqtt; umqtt's wait_msg),
      Message next = client.deliverMessage(Duration.ofSeconds(5));
      // pollMessage does not (umqtt's check_msg).
      Optional<Message> waiting = client.pollMessage();
      // --- README: end
      assertThat(next.topic() + " " + next.payloadAsString()).isEqualTo("alarms/door closed");
      Message window = waiting.isPresent() ? waiting.get() : client.deliverMessage(RECEIVE_TIMEOUT);
      assertThat(window.topic()).isEqualTo("alarms/window");
      await().atMost(RECEIVE_TIMEOUT).until(() -> temperatures.size() == 1 && alarms.size() == 1);
      assertThat(temperatures).containsEntry("sensors/kitchen/temp", "21.5");
      assertThat(alarms).containsExactly("!open");
    }
  }

  @Test
  void aStreamSubscriberThatRequestsOneAtATimeGetsEveryMessageInOrder(MosquittoBroker broker)
      throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    try (MqttClient pub = connected(broker, clientId("ex-pub"));
        MqttClient client = connected(broker, clientId("ex-logs"))) {
      // --- README: begin
      client
          .messages("logs/#")
          .subscribe(
              new Flow.Subscriber<Message>() {
                private Flow.Subscription subscription;

                @Override
                public void onSubscribe(Flow.Subscription s) {
                  subscription = s;
                  s.request(1);
                }

                @Override
                public void onNext(Message m) {
                  lines.add(m.payloadAsString()); // the next one comes once it asks for it
                  subscription.request(1);
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onComplete() {} // when the client is closed
              });
      client.subscribe(List.of(Subscription.of("logs/#", QoS.AT_LEAST_ONCE)));
      // --- README: end
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        sent.add("line " + i);
        pub.publish("logs/app", utf8("line " + i), QoS.AT_LEAST_ONCE, false);
      }
      await().atMost(RECEIVE_TIMEOUT).until(() -> lines.size() == 100);
      assertThat(lines).isEqualTo(sent);
    }
  }

  @Test
  void manualAcknowledgementFromAnotherThreadAcknowledgesEveryJobInArrivalOrder(
      MosquittoBroker broker) throws Exception {
    List<String> done = new CopyOnWriteArrayList<>();
    String id = clientId("worker");
    try (MqttClient pub = connected(broker, clientId("ex-pub"));
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      // --- README: begin
      MqttConfig config = MqttConfig.from(Map.of("manual_ack", true, "cleansession", false));
      try (MqttClient worker = MqttClient.create(id, config)) {
        worker.connect(broker.uri());
        worker.subscribe(
            "jobs/#",
            QoS.AT_LEAST_ONCE,
            job ->
                pool.submit(
                    () -> {
                      done.add(job.payloadAsString()); // the work, on a thread of the pool
                      worker.ack(job); // then the PUBACK, in its turn
                    }));
        // --- README: end
        for (int i = 0; i < 50; i++) { // more than mosquitto's window of 20 unacknowledged
          pub.publish("jobs/" + i, utf8("job " + i), QoS.AT_LEAST_ONCE, false);
        }
        await().atMost(RECEIVE_TIMEOUT).until(() -> done.size() == 50);
        worker.disconnect();
        // Every job was acknowledged: the persistent session has nothing to send again.
        List<Message> again = new CopyOnWriteArrayList<>();
        worker.addMessageListener("jobs/#", again::add);
        worker.connect(broker.uri());
        worker.ping();
        await().during(Duration.ofMillis(300)).atMost(RECEIVE_TIMEOUT).until(again::isEmpty);
        worker.disconnect();
      }
    } finally {
      try (MqttClient c = MqttClient.create(id, MqttConfig.defaults())) {
        c.connect(broker.uri()); // clean session: ends the persistent one
        c.disconnect();
      }
    }
  }
}
