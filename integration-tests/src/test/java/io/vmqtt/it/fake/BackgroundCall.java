package io.vmqtt.it.fake;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A blocking client call running on a virtual thread of its own, so a test can watch it wait, wake
 * it (interrupt, a broker answer, a failure) and then inspect its outcome.
 *
 * <pre>{@code
 * BackgroundCall<Message> delivery = BackgroundCall.start("deliver", client::deliverMessage);
 * delivery.awaitBlocked();
 * broker.sendRaw(garbage);
 * assertThat(delivery.failure()).isInstanceOf(ConnectionLostException.class);
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @param <T> the call's result
 */
final class BackgroundCall<T> {
  /** How long a call may take to end once it should have: generous, it never delays a pass. */
  static final Duration WAIT = Duration.ofSeconds(10);

  private final CompletableFuture<T> outcome = new CompletableFuture<>();
  private final Thread thread;

  /** The interrupt flag of the thread right after the call returned or threw. */
  private volatile boolean interruptedAfterwards;

  private BackgroundCall(String name, Callable<T> call) {
    this.thread =
        Thread.ofVirtual()
            .name("test-call-" + name)
            .start(
                () -> {
                  try {
                    T value = call.call();
                    interruptedAfterwards = Thread.currentThread().isInterrupted();
                    outcome.complete(value);
                  } catch (Throwable t) {
                    interruptedAfterwards = Thread.currentThread().isInterrupted();
                    outcome.completeExceptionally(t);
                  }
                });
  }

  /** Starts {@code call} on a new virtual thread named {@code test-call-<name>}. */
  static <T> BackgroundCall<T> start(String name, Callable<T> call) {
    return new BackgroundCall<>(name, call);
  }

  /** The thread running the call. */
  Thread thread() {
    return thread;
  }

  /** Whether the call has returned or thrown. */
  boolean isDone() {
    return outcome.isDone();
  }

  /**
   * Waits until the call's thread is parked (WAITING or TIMED_WAITING): it is inside the blocking
   * call, waiting for something.
   */
  BackgroundCall<T> awaitBlocked() {
    await("the call on " + thread.getName() + " to block")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(5))
        .until(
            () ->
                outcome.isDone()
                    || thread.getState() == Thread.State.WAITING
                    || thread.getState() == Thread.State.TIMED_WAITING);
    if (outcome.isDone()) {
      throw new AssertionError("the call ended instead of blocking: " + describeOutcome());
    }
    return this;
  }

  /**
   * The call's result.
   *
   * @throws AssertionError when it threw, or has not returned within {@link #WAIT}
   */
  T result() throws InterruptedException {
    try {
      return outcome.get(WAIT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the call threw instead of returning", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("the call has not returned within " + WAIT.toMillis() + " ms");
    }
  }

  /**
   * What the call threw.
   *
   * @throws AssertionError when it returned, or has not ended within {@link #WAIT}
   */
  Throwable failure() throws InterruptedException {
    try {
      T value = outcome.get(WAIT.toNanos(), TimeUnit.NANOSECONDS);
      throw new AssertionError("the call returned " + value + " instead of throwing");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("the call has not ended within " + WAIT.toMillis() + " ms");
    }
  }

  /** The interrupt flag of the call's thread right after the call ended. */
  boolean interruptedAfterwards() throws InterruptedException {
    failureOrResult();
    return interruptedAfterwards;
  }

  private void failureOrResult() throws InterruptedException {
    try {
      outcome.get(WAIT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      // Ended by throwing: that is an end too.
    } catch (TimeoutException e) {
      throw new AssertionError("the call has not ended within " + WAIT.toMillis() + " ms");
    }
  }

  private String describeOutcome() {
    try {
      return "returned " + outcome.getNow(null);
    } catch (RuntimeException e) {
      return "threw " + e.getCause();
    }
  }
}
