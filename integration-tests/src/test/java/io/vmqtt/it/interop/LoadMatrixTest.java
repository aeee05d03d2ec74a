package io.vmqtt.it.interop;

import static io.vmqtt.it.interop.CompatibilityReport.record;
import static io.vmqtt.it.interop.MatrixSupport.assertNoMessagePending;
import static io.vmqtt.it.interop.MatrixSupport.connected;
import static io.vmqtt.it.interop.MatrixSupport.min;
import static io.vmqtt.it.interop.MatrixSupport.receive;
import static io.vmqtt.it.interop.MatrixSupport.subscriber;
import static io.vmqtt.it.interop.MatrixSupport.topic;
import static io.vmqtt.it.interop.MatrixSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import io.vmqtt.it.brokers.Broker;
import io.vmqtt.it.interop.CompatibilityReport.Feature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Many threads publishing through one client, against every broker of the matrix. */
@Tag(BrokerMatrix.TAG)
class LoadMatrixTest {
  @RegisterExtension static final BrokerMatrix matrix = new BrokerMatrix();

  private static final int THREADS = 200;
  private static final int EACH = 10;

  /**
   * 200 virtual threads publish 10 messages each through one client at once, at QoS 2, while a
   * subscriber takes them: every publish returns and every message arrives exactly once. RabbitMQ
   * 3.10 acknowledges each with PUBACK and forwards it at QoS 1 (at least once); NATS 2.9, which
   * closes the connection on a QoS 2 publish, gets them at QoS 1. The subscriber takes messages as
   * they come: mosquitto and HiveMQ drop what is queued for a client past 1,000 messages.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(BrokerKind.class)
  void twoHundredThreadsPublishingTenAtQos2AllReturnAndEveryMessageArrivesOnce(BrokerKind kind)
      throws Exception {
    Broker broker = matrix.broker(kind);
    Behaviour.Qos2Publish qos2 = Behaviour.of(kind).qos2Publish();
    QoS qos =
        qos2 == Behaviour.Qos2Publish.CONNECTION_CLOSED ? QoS.AT_LEAST_ONCE : QoS.EXACTLY_ONCE;
    QoS acknowledged = qos2 == Behaviour.Qos2Publish.PUBACK ? QoS.AT_LEAST_ONCE : qos;
    QoS delivered = min(qos, broker.capabilities().maximumQos());
    String topic = topic("load");
    Map<String, Integer> counts = new HashMap<>();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        MqttClient sub = subscriber(broker, "lsub", topic, QoS.EXACTLY_ONCE, delivered);
        MqttClient pub = connected(broker, "lpub")) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<PublishResult>>> publishers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        publishers.add(
            executor.submit(
                () -> {
                  if (!go.await(30, TimeUnit.SECONDS)) {
                    throw new AssertionError("no start signal within 30 s");
                  }
                  List<PublishResult> results = new ArrayList<>();
                  for (int i = 0; i < EACH; i++) {
                    results.add(pub.publish(topic, utf8(thread + ":" + i), qos, false));
                  }
                  return results;
                }));
      }
      go.countDown();

      while (counts.size() < THREADS * EACH) {
        Message m = receive(sub);
        assertThat(m.qos()).isEqualTo(delivered);
        counts.merge(m.payloadAsString(), 1, Integer::sum);
      }
      for (Future<List<PublishResult>> publisher : publishers) {
        for (PublishResult result : publisher.get(2, TimeUnit.MINUTES)) {
          assertThat(result.qos()).isEqualTo(acknowledged);
        }
      }
      if (delivered == QoS.EXACTLY_ONCE) {
        assertNoMessagePending(sub);
        assertThat(counts.values()).as("each message exactly once").containsOnly(1);
      }
    }
    long duplicates = counts.values().stream().filter(n -> n > 1).count();
    record(
        kind,
        Feature.LOAD,
        switch (qos2) {
          case EXACTLY_ONCE -> "2,000 exactly once";
          case PUBACK -> "2,000 at QoS 1 (" + duplicates + " duplicates)";
          case CONNECTION_CLOSED -> "at QoS 1 instead: 2,000 (" + duplicates + " duplicates)";
        });
  }
}
