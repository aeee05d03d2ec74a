package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.QUIET;
import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A broker that announces a large PUBLISH and then stalls must cost the client the bytes that
 * arrived, not the bytes announced (issue 14, item 4): before the fix, each connection allocated
 * the whole 16 MiB body as soon as the fixed header arrived, so N connections × a claimed maximum
 * was an easy way to run a client out of memory.
 *
 * <p>Two measures, both with wide margins: the bytes the whole JVM allocated while the claims
 * arrived (every platform thread, the carriers of the client's virtual threads included: {@code
 * com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes}), and the heap in use after a full
 * GC, before and after.
 */
class ClaimedLengthTest {
  private static final int CLIENTS = 8;

  /** A PUBLISH of 16 MiB, the default {@code max_packet_size}: 1 + 4 header bytes, topic "big". */
  private static final int PAYLOAD = 16 * 1024 * 1024 - 10;

  /** What arrives of each announced PUBLISH before the broker stalls. */
  private static final int ARRIVED = 1_000;

  /** Less than a single claim; the claims of all the clients are {@code CLIENTS} × 16 MiB. */
  private static final long BOUND = 12L * 1024 * 1024;

  private static com.sun.management.ThreadMXBean threads;
  private static MemoryMXBean memory;

  private final List<FakeBroker> brokers = new ArrayList<>();
  private final List<MqttClient> clients = new ArrayList<>();

  @BeforeAll
  static void measures() {
    threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    threads.setThreadAllocatedMemoryEnabled(true);
    memory = ManagementFactory.getMemoryMXBean();
  }

  @AfterEach
  void stop() {
    clients.forEach(MqttClient::close);
    brokers.forEach(FakeBroker::close);
  }

  @Test
  void brokersThatAnnounceSixteenMebibytesAndStallCostTheClientsOnlyTheBytesThatArrived()
      throws Exception {
    for (int i = 0; i < CLIENTS; i++) {
      FakeBroker broker = FakeBroker.start();
      brokers.add(broker);
      MqttClient client = MqttClient.create("fake-claim-" + i, config().build());
      clients.add(client);
      client.connect(broker.uri());
      broker.takePacket(RawPacket.CONNECT, WAIT);
    }
    byte[] payload = new byte[PAYLOAD];
    new Random(4).nextBytes(payload);
    byte[] large = Frames.publish("big", payload, 0, false, false, 0);
    assertThat(large).hasSize(16 * 1024 * 1024);
    int prefix = 1 + 4 + 5 + ARRIVED; // the fixed header, the topic, 1,000 payload bytes
    byte[] small =
        Frames.publish("small", "before".getBytes(StandardCharsets.UTF_8), 0, false, false, 0);
    byte[] smallThenClaim = Frames.concat(small, Arrays.copyOf(large, prefix));
    long heapBefore = heapAfterGc();
    long allocatedBefore = threads.getTotalThreadAllocatedBytes();

    for (FakeBroker broker : brokers) {
      broker.sendRaw(smallThenClaim); // and then nothing: the broker stalls
    }
    // The small PUBLISH delivered proves each reader took the bytes; the claim came right after.
    for (MqttClient client : clients) {
      assertThat(client.deliverMessage(WAIT).topic()).isEqualTo("small");
    }

    await("the JVM to allocate less than one claim while the claims are pending")
        .during(QUIET)
        .atMost(WAIT)
        .until(() -> threads.getTotalThreadAllocatedBytes() - allocatedBefore < BOUND);
    assertThat(heapAfterGc() - heapBefore)
        .as("heap growth after a full GC, with %d claims of 16 MiB pending", CLIENTS)
        .isLessThan(BOUND);
    assertThat(clients).allMatch(MqttClient::isConnected);

    // The rest of the body arrives after all: the message is delivered whole.
    brokers.getFirst().sendRaw(Arrays.copyOfRange(large, prefix, large.length));
    Message message = clients.getFirst().deliverMessage(WAIT);
    assertThat(message.topic()).isEqualTo("big");
    assertThat(message.payload()).isEqualTo(payload);
  }

  private static long heapAfterGc() {
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }
}
