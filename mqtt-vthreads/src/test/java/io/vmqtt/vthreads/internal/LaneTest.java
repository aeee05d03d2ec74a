package io.vmqtt.vthreads.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A lane's thread without a timer of its own: it waits untimed for work, and the JVM-wide ticker
 * ends the wait once it has lasted the linger.
 */
class LaneTest {
  private final Dispatcher dispatcher = new Dispatcher("lane-test");

  @AfterEach
  void close() throws InterruptedException {
    dispatcher.close(Duration.ofSeconds(5));
  }

  @Test
  void anIdleLanesThreadEndsWithinATickAfterTheLingerAndALaterItemStartsAnother()
      throws InterruptedException {
    Lane lane = dispatcher.acquire(new Object(), "listener");
    AtomicReference<Thread> first = new AtomicReference<>();
    AtomicLong ranAt = new AtomicLong();
    CountDownLatch ran = new CountDownLatch(1);
    lane.submit(
        () -> {
          first.set(Thread.currentThread());
          ranAt.set(System.nanoTime());
          ran.countDown();
        });
    assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();

    await("the idle lane's thread ends")
        .pollInterval(Duration.ofMillis(10))
        .atMost(Duration.ofSeconds(10))
        .until(() -> lane.isIdle() && !first.get().isAlive());
    long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ranAt.get());
    assertThat(idleMillis)
        .as("milliseconds from the last item to the end of the thread")
        .isGreaterThanOrEqualTo(TimeUnit.NANOSECONDS.toMillis(Lane.LINGER_NANOS));

    AtomicReference<Thread> second = new AtomicReference<>();
    CountDownLatch ranAgain = new CountDownLatch(1);
    lane.submit(
        () -> {
          second.set(Thread.currentThread());
          ranAgain.countDown();
        });
    assertThat(ranAgain.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(second.get()).isNotSameAs(first.get());
  }

  @Test
  void aLaneThatGetsWorkAgainBeforeTheLingerKeepsItsThreadAndRunsItemsInOrder()
      throws InterruptedException {
    Lane lane = dispatcher.acquire(new Object(), "listener");
    List<Integer> seen = new CopyOnWriteArrayList<>();
    List<Thread> threads = new CopyOnWriteArrayList<>();
    for (int burst = 0; burst < 5; burst++) {
      CountDownLatch done = new CountDownLatch(10);
      for (int i = 0; i < 10; i++) {
        int n = burst * 10 + i;
        lane.submit(
            () -> {
              seen.add(n);
              threads.add(Thread.currentThread());
              done.countDown();
            });
      }
      // The burst is done: the thread goes idle and waits, far shorter than the linger.
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(seen).isSorted().hasSize(50);
    assertThat(threads.stream().distinct().count()).isEqualTo(1);
  }
}
