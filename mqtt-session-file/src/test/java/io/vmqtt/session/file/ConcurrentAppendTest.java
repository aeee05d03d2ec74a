package io.vmqtt.session.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.QoS;
import io.vmqtt.spi.PersistentSession;
import io.vmqtt.spi.SessionStore;
import io.vmqtt.spi.SessionStore.FsyncPolicy;
import io.vmqtt.spi.StoredPublish;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many virtual threads adding at once. Prints the rate of each fsync policy for comparison; the
 * figures are not asserted (benchmarks live in benchmarks/).
 */
class ConcurrentAppendTest {
  private static final int THREADS = 32;
  private static final int ADDS_PER_THREAD = 200;

  @TempDir Path directory;

  @Test
  void thirtyTwoVirtualThreadsAddingTwoHundredMessagesEachAreAllKeptWithEveryPolicy()
      throws Exception {
    for (FsyncPolicy policy : FsyncPolicy.values()) {
      addConcurrently(policy, THREADS, ADDS_PER_THREAD);
    }
    addConcurrently(FsyncPolicy.ALWAYS, 1, 1_000);
  }

  private void addConcurrently(FsyncPolicy policy, int threads, int addsPerThread)
      throws Exception {
    SessionStore store = SessionStore.file(directory.resolve(policy + "-" + threads), policy);
    int total = threads * addsPerThread;
    long nanos;
    long forces;
    try (SessionLog s = (SessionLog) store.open("c")) {
      CountDownLatch start = new CountDownLatch(1);
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int first = t * addsPerThread + 1;
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int id = first; id < first + addsPerThread; id++) {
                      s.outboundAdded(
                          new StoredPublish(
                              id, "load/" + id, new byte[100], QoS.AT_LEAST_ONCE, false, false));
                    }
                    return null;
                  }));
        }
        long began = System.nanoTime();
        start.countDown();
        for (Future<?> f : futures) {
          f.get();
        }
        nanos = System.nanoTime() - began;
      }
      forces = s.forces();
      assertThat(s.outbound()).hasSize(total);
    }
    try (PersistentSession s = store.open("c")) {
      assertThat(s.outbound()).hasSize(total);
    }
    System.out.printf(
        "fsync %-8s, virtual threads: %2d, %,6d adds in %,7.1f ms = %,9.0f adds/s, %,5d forces%n",
        policy, threads, total, nanos / 1e6, total / (nanos / 1e9), forces);
  }
}
