package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener that does not keep up: it slows only its own deliveries, and past {@code
 * incoming_queue_bytes} the client stops reading (QoS 1/2; TCP pushes back on the broker) or drops
 * QoS 0 messages, never growing the heap with the flood. The heap is measured after a full
 * collection once the flood has stalled, against the heap before it.
 */
class ListenerBackPressureTest {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerBackPressureTest.class);
  private static final long STALL_MILLIS = 500;
  private static final Duration FLOOD_WAIT = Duration.ofSeconds(90);

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aListenerThatDoesNotReturnStopsTheReaderWithinIncomingQueueBytesThenAllArriveInOrder()
      throws Exception {
    int budget = 4 << 20;
    int messages = 100_000; // of 1 KiB: 100 MiB, 25 times the budget
    MqttConfig config =
        config()
            .incomingQueueBytes(budget)
            .keepAlive(Duration.ofSeconds(1))
            .pingDelay(Duration.ZERO)
            .build();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger received = new AtomicInteger();
    AtomicInteger outOfOrder = new AtomicInteger();
    try (FakeBroker broker = FakeBroker.start();
        MqttClient client = MqttClient.create("listener-flood", config)) {
      client.addMessageListener(
          "flood",
          m -> {
            if (sequence(m) != received.get()) {
              outOfOrder.incrementAndGet();
            }
            if (received.incrementAndGet() == 1) {
              release.await(2, TimeUnit.MINUTES); // "never" returns, until the test says so
            }
          });
      client.connect(broker.uri());
      long before = Heap.usedAfterGc();
      try (Flood flood =
          new Flood(
              broker,
              messages,
              64,
              i -> Frames.publish("flood", payload(i, 1024), 1, false, false, 1 + i % 65_535))) {
        await("the flood to stall")
            .atMost(FLOOD_WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> flood.isDone() || flood.stalledFor(STALL_MILLIS));
        long grown = Heap.usedAfterGc() - before;
        LOG.info(
            "QoS 1 flood to a listener that does not return: the client's socket took {} of {}"
                + " messages of 1 KiB before TCP pushed back; heap grew by {} (incoming_queue_bytes"
                + " {}, asserted bound: that + 8 MiB)",
            flood.framesSent(),
            messages,
            Heap.mib(grown),
            Heap.mib(budget));
        assertThat(flood.isDone()).as("the client stopped reading: TCP pushed back").isFalse();
        assertThat(flood.framesSent()).isLessThan(messages / 4);
        assertThat(grown).as("heap growth").isLessThan(budget + (8L << 20));
        assertThat(received.get()).isEqualTo(1);
        // Paused on purpose, the reader reads nothing for several keep-alive intervals.
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(10))
            .until(client::isConnected);

        release.countDown();

        await("every message to reach the listener")
            .atMost(FLOOD_WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> received.get() == messages);
        assertThat(outOfOrder.get()).as("messages out of order").isZero();
        await().atMost(WAIT).until(flood::isDone);
        assertThat(flood.endedByTheConnection()).isFalse();
      }
      for (int id = 1; id <= 100; id++) {
        assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(id);
      }
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aSlowListenerLosesOnlyItsOwnQos0MessagesWhileAnotherListenerGetsThemAll() throws Exception {
    int queueSize = 1_000;
    int messages = 20_000;
    MqttConfig config = config().incomingQueueSize(queueSize).build();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger slow = new AtomicInteger();
    AtomicInteger fast = new AtomicInteger();
    try (FakeBroker broker = FakeBroker.start();
        MqttClient client = MqttClient.create("qos0-slow-listener", config)) {
      client.addMessageListener(
          "t",
          m -> {
            if (slow.incrementAndGet() == 1) {
              release.await(1, TimeUnit.MINUTES);
            }
          });
      client.addMessageListener("t", m -> fast.incrementAndGet());
      client.connect(broker.uri());
      // In bursts of half the bound, each once the fast listener has taken the one before: so
      // only the slow listener's queue can fill up.
      for (int sent = 0; sent < messages; sent += queueSize / 2) {
        byte[][] burst = new byte[queueSize / 2][];
        for (int j = 0; j < burst.length; j++) {
          burst[j] = Frames.publish("t", payload(sent + j, 64), 0, false, false, 0);
        }
        broker.sendRaw(Frames.concat(burst));
        int expected = sent + burst.length;
        await().atMost(WAIT).until(() -> fast.get() == expected);
      }
      // The slow one holds the message it is on (and the few its thread took with it, at most 64)
      // and at most incoming_queue_size queued: the rest of its copies were dropped, and counted.
      long dropped = client.droppedMessages();
      assertThat(dropped).isBetween((long) messages - queueSize - 64, (long) messages - queueSize);
      release.countDown();
      await().atMost(WAIT).until(() -> slow.get() + dropped == messages);
      assertThat(client.droppedMessages()).isEqualTo(dropped);
      assertThat(client.isConnected()).isTrue();
    }
  }

  /** The sequence number {@link #payload} wrote. */
  private static int sequence(Message m) {
    return ByteBuffer.wrap(m.payload()).getInt();
  }

  /** A payload of {@code size} bytes starting with {@code i}. */
  private static byte[] payload(int i, int size) {
    return ByteBuffer.allocate(size).putInt(i).array();
  }
}
