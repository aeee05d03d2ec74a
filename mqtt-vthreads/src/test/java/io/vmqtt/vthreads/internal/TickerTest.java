package io.vmqtt.vthreads.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

class TickerTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final long PERIOD_NANOS = Duration.ofMillis(Ticker.PERIOD_MS).toNanos();

  @Test
  void registeringMoreTasksDoesNotMakeTheTickerSweepBeforeItsPeriod() {
    Ticker ticker = new Ticker();
    List<Long> sweeps = new CopyOnWriteArrayList<>();
    List<Ticker.Task> registered = new ArrayList<>();
    registered.add(task(sweeps::add));
    ticker.register(registered.get(0));
    await().atMost(BOUND).until(() -> sweeps.size() >= 2);

    // Opening connections registers a task each, while the ticker waits between sweeps.
    for (int i = 0; i < 50; i++) {
      Ticker.Task t = task(now -> {});
      registered.add(t);
      ticker.register(t);
      int seen = sweeps.size();
      await().atMost(BOUND).until(() -> sweeps.size() > seen);
    }

    try {
      for (int i = 1; i < sweeps.size(); i++) {
        assertThat(sweeps.get(i) - sweeps.get(i - 1))
            .as("nanoseconds between sweep %d and %d", i - 1, i)
            .isGreaterThanOrEqualTo(PERIOD_NANOS);
      }
    } finally {
      registered.forEach(ticker::unregister);
    }
  }

  @Test
  void aTaskRegisteredEverySecondRunsAtEveryTenthSweepOnly() {
    Ticker ticker = new Ticker();
    List<Long> fast = new CopyOnWriteArrayList<>();
    List<Long> slow = new CopyOnWriteArrayList<>();
    Ticker.Task everyTick = task(fast::add);
    Ticker.Task everySecond = task(slow::add);
    ticker.register(everyTick);
    ticker.registerEverySecond(everySecond);
    try {
      await().atMost(BOUND).until(() -> slow.size() >= 3);
    } finally {
      ticker.unregister(everyTick);
      ticker.unregister(everySecond);
    }

    for (int i = 1; i < 3; i++) {
      long from = slow.get(i - 1);
      long to = slow.get(i);
      assertThat(to - from).isGreaterThanOrEqualTo(10 * PERIOD_NANOS);
      assertThat(fast.stream().filter(t -> t > from && t <= to))
          .as("sweeps between two of the once-a-second task's")
          .hasSize(10);
    }
  }

  @Test
  void aTaskUnregisteredFromTheOnceASecondSetIsNoLongerTicked() {
    Ticker ticker = new Ticker();
    List<Long> slow = new CopyOnWriteArrayList<>();
    List<Long> fast = new CopyOnWriteArrayList<>();
    Ticker.Task everySecond = task(slow::add);
    Ticker.Task everyTick = task(fast::add);
    ticker.registerEverySecond(everySecond);
    ticker.register(everyTick);
    try {
      await().atMost(BOUND).until(() -> !slow.isEmpty());
      ticker.unregister(everySecond);
      int seen = slow.size();
      int sweeps = fast.size();
      await().atMost(BOUND).until(() -> fast.size() >= sweeps + 25);
      assertThat(slow).hasSize(seen);
    } finally {
      ticker.unregister(everyTick);
    }
  }

  @Test
  void aTaskRegisteredAfterTheLastOneLeftIsTickedByANewThread() {
    Ticker ticker = new Ticker();
    List<Long> first = new CopyOnWriteArrayList<>();
    Ticker.Task a = task(first::add);
    ticker.register(a);
    await().atMost(BOUND).until(() -> !first.isEmpty());
    ticker.unregister(a);

    List<Long> second = new CopyOnWriteArrayList<>();
    Ticker.Task b = task(second::add);
    ticker.register(b);
    try {
      await().atMost(BOUND).until(() -> second.size() >= 2);
    } finally {
      ticker.unregister(b);
    }
  }

  private static Ticker.Task task(LongConsumer onTick) {
    return new Ticker.Task() {
      @Override
      public void tick(long nowNanos) {
        onTick.accept(nowNanos);
      }

      @Override
      public void failed(Throwable cause) {}
    };
  }
}
