package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.ConnectionState;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.it.pinning.WithoutPinningGuard;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 14, items 2 and 3: a broker that floods a client which cannot keep up — because the broker
 * itself stops reading, or because the application does not take messages — must meet a bound in
 * bytes, never a heap that grows with the flood. Each test measures the heap in use after a full
 * collection once the flood has stalled (the client stopped reading, so TCP pushes back on the
 * broker) and compares it with the heap before; the bounds asserted are several times what the
 * client may hold, far below what the unbounded engine held (+92 MiB for 5 million PUBRELs, 430 MiB
 * for 6,886 unread 64 KiB messages).
 */
@WithoutPinningGuard("measures the heap in use; the buffers of a JFR stream would blur it")
class BoundedMemoryTest {
  private static final Logger LOG = LoggerFactory.getLogger(BoundedMemoryTest.class);

  /** How long the flood's count must stand still to count as stalled by back-pressure. */
  private static final long STALL_MILLIS = 500;

  private static final Duration FLOOD_WAIT = Duration.ofSeconds(60);

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aBrokerSendingMillionsOfPubrelsWithoutReadingMeetsABoundedAnswerQueueAndIsDroppedInTime()
      throws Exception {
    Duration operationTimeout = Duration.ofSeconds(5);
    try (FakeBroker broker = FakeBroker.start();
        MqttClient client =
            MqttClient.create(
                "pubrel-flood", config().operationTimeout(operationTimeout).build())) {
      broker.onConnect(Action.replyThenStall(Frames.connack(false, 0)));
      client.connect(broker.uri());
      long before = Heap.usedAfterGc();
      try (Flood flood = new Flood(broker, 5_000_000, 16_384, i -> Frames.pubrel(1 + i % 65_535))) {
        await("the flood to stall or end")
            .atMost(FLOOD_WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> flood.isDone() || flood.stalledFor(STALL_MILLIS));
        long grown = Heap.usedAfterGc() - before;
        LOG.info(
            "PUBREL flood: {} PUBRELs taken by the client's socket, then {}; heap grew by {}",
            flood.framesSent(),
            flood.isDone() ? "done" : "stalled",
            Heap.mib(grown));
        assertThat(flood.isDone()).as("the client stopped reading: TCP pushed back").isFalse();
        assertThat(grown).as("heap growth").isLessThan(8L << 20);

        long stalledAt = System.nanoTime();
        await("the connection to be declared dead")
            .atMost(operationTimeout.plus(WAIT))
            .until(() -> client.state() == ConnectionState.DISCONNECTED);
        assertThat(Duration.ofNanos(System.nanoTime() - stalledAt))
            .isLessThan(operationTimeout.plus(Duration.ofSeconds(3)));
        await().atMost(WAIT).until(flood::endedByTheConnection);
      }
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void unread64KibQos0MessagesHoldNoMoreThanIncomingQueueBytesAndTheRestAreDroppedAndCounted()
      throws Exception {
    int budget = 4 << 20;
    try (FakeBroker broker = FakeBroker.start();
        MqttClient client =
            MqttClient.create("qos0-flood", config().incomingQueueBytes(budget).build())) {
      client.connect(broker.uri());
      long before = Heap.usedAfterGc();
      int messages = 2_000; // 125 MiB
      try (Flood flood =
          new Flood(
              broker,
              messages,
              8,
              i -> Frames.publish("flood", new byte[65_536], 0, false, false, 0))) {
        await("the flood to end").atMost(FLOOD_WAIT).until(flood::isDone);
        await("every message counted")
            .atMost(WAIT)
            .until(() -> client.droppedMessages() + queuedAtMost(budget) >= messages);
        long grown = Heap.usedAfterGc() - before;
        LOG.info(
            "QoS 0 flood: {} messages of 64 KiB, {} dropped; heap grew by {} (incoming_queue_bytes"
                + " {})",
            messages,
            client.droppedMessages(),
            Heap.mib(grown),
            Heap.mib(budget));
        assertThat(flood.endedByTheConnection()).isFalse();
        assertThat(grown).as("heap growth").isLessThan(budget + (8L << 20));
        assertThat(client.droppedMessages())
            .isGreaterThanOrEqualTo(messages - queuedAtMost(budget));
      }
      int taken = 0;
      while (true) {
        try {
          client.deliverMessage(Duration.ofMillis(200));
          taken++;
        } catch (java.util.concurrent.TimeoutException e) {
          break;
        }
      }
      assertThat(taken + client.droppedMessages()).isEqualTo(2_000);
      assertThat(client.isConnected()).isTrue();
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void unread16KibQos1MessagesStopTheReaderAtIncomingQueueBytesAndAllArriveOnceTaken()
      throws Exception {
    int budget = 4 << 20;
    int messages = 20_000; // 312 MiB: far more than the heap would hold unbounded
    MqttConfig config =
        config()
            .incomingQueueBytes(budget)
            .keepAlive(Duration.ofSeconds(1))
            .pingDelay(Duration.ZERO)
            .build();
    try (FakeBroker broker = FakeBroker.start();
        MqttClient client = MqttClient.create("qos1-flood", config)) {
      client.connect(broker.uri());
      long before = Heap.usedAfterGc();
      try (Flood flood =
          new Flood(
              broker,
              messages,
              8,
              i -> Frames.publish("flood", payload(i, 16_384), 1, false, false, 1 + i % 65_535))) {
        await("the flood to stall")
            .atMost(FLOOD_WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> flood.isDone() || flood.stalledFor(STALL_MILLIS));
        long grown = Heap.usedAfterGc() - before;
        LOG.info(
            "QoS 1 flood: the client's socket took {} of {} messages of 16 KiB before TCP pushed"
                + " back; heap grew by {} (incoming_queue_bytes {})",
            flood.framesSent(),
            messages,
            Heap.mib(grown),
            Heap.mib(budget));
        assertThat(flood.isDone()).as("the client stopped reading: TCP pushed back").isFalse();
        assertThat(grown).as("heap growth").isLessThan(budget + (8L << 20));

        // Paused on purpose, the reader reads nothing for several keep-alive intervals: that is
        // no sign of a dead connection.
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(10))
            .until(client::isConnected);

        for (int i = 0; i < messages; i++) {
          Message m = client.deliverMessage(WAIT);
          assertThat(m.payload()).startsWith(payload(i, 16).clone());
        }
        await().atMost(WAIT).until(flood::isDone);
        assertThat(flood.endedByTheConnection()).isFalse();
      }
      assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(1);
    }
  }

  /** What the queue can hold at most within {@code budget} bytes of 64 KiB messages. */
  private static int queuedAtMost(int budget) {
    return budget / 65_536 + 1;
  }

  /** A payload that tells message {@code i} from its neighbours. */
  private static byte[] payload(int i, int size) {
    byte[] b = new byte[size];
    b[0] = (byte) (i >> 24);
    b[1] = (byte) (i >> 16);
    b[2] = (byte) (i >> 8);
    b[3] = (byte) i;
    return b;
  }
}
