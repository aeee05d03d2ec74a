package io.vmqtt.vthreads.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vmqtt.vthreads.internal.codec.PubackPacket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class FlowResultTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  @Test
  void aResultCompletedBeforeTheWaitIsReturnedAtOnce() throws Exception {
    FlowResult r = new FlowResult();
    PubackPacket ack = new PubackPacket(7);

    assertThat(r.complete(ack)).isTrue();

    assertThat(r.isDone()).isTrue();
    assertThat(r.await()).isSameAs(ack);
  }

  @Test
  void onlyTheFirstOutcomeCounts() throws Exception {
    FlowResult r = new FlowResult();
    PubackPacket ack = new PubackPacket(7);

    assertThat(r.complete(ack)).isTrue();
    assertThat(r.fail(new FlowTimedOut())).isFalse();
    assertThat(r.complete(new PubackPacket(8))).isFalse();

    assertThat(r.await()).isSameAs(ack);
  }

  @Test
  void aFailureReachesTheWaiterAsTheCauseOfAnExecutionException() {
    FlowResult r = new FlowResult();
    IllegalStateException cause = new IllegalStateException("gone");

    r.fail(cause);

    assertThatThrownBy(r::await).isInstanceOf(ExecutionException.class).hasCause(cause);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aParkedWaiterWakesWhenAnotherThreadCompletesTheResult() throws Exception {
    FlowResult r = new FlowResult();
    AtomicReference<Object> got = new AtomicReference<>();
    Thread waiter = Thread.ofVirtual().start(() -> got.set(awaitQuietly(r)));
    await().atMost(BOUND).until(() -> waiter.getState() == Thread.State.WAITING);

    PubackPacket ack = new PubackPacket(3);
    r.complete(ack);

    assertThat(waiter.join(BOUND)).isTrue();
    assertThat(got.get()).isSameAs(ack);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void noWakeUpIsLostWhenTheResultIsSetWhileTheWaiterIsAboutToPark() throws Exception {
    for (int round = 0; round < 50_000; round++) {
      FlowResult r = new FlowResult();
      PubackPacket ack = new PubackPacket(1 + round % 65_535);
      AtomicReference<Object> got = new AtomicReference<>();
      Thread waiter = Thread.ofVirtual().start(() -> got.set(awaitQuietly(r)));
      Thread.ofVirtual().start(() -> r.complete(ack));
      assertThat(waiter.join(BOUND)).as("round %d: the waiter woke", round).isTrue();
      assertThat(got.get()).isSameAs(ack);
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void anInterruptedWaiterStopsWaitingAndTheResultCanStillBeSet() throws Exception {
    FlowResult r = new FlowResult();
    AtomicReference<Object> got = new AtomicReference<>();
    Thread waiter = Thread.ofVirtual().start(() -> got.set(awaitQuietly(r)));
    await().atMost(BOUND).until(() -> waiter.getState() == Thread.State.WAITING);

    waiter.interrupt();

    assertThat(waiter.join(BOUND)).isTrue();
    assertThat(got.get()).isInstanceOf(InterruptedException.class);
    assertThat(r.isDone()).isFalse();
    PubackPacket ack = new PubackPacket(4);
    assertThat(r.complete(ack)).isTrue();
    assertThat(r.await()).isSameAs(ack);
  }

  @Test
  void aThreadInterruptedBeforeItWaitsForAnUnsetResultThrowsAtOnce() {
    FlowResult r = new FlowResult();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(r::await).isInstanceOf(InterruptedException.class);
    } finally {
      Thread.interrupted();
    }
  }

  private static Object awaitQuietly(FlowResult r) {
    try {
      return r.await();
    } catch (InterruptedException | ExecutionException e) {
      return e;
    }
  }
}
