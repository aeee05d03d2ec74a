package io.vmqtt.vthreads.internal;

import io.vmqtt.vthreads.internal.codec.Packet;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * How an {@link OutboundFlow} ended, set once, for the one caller that waits on it.
 *
 * <p>A {@code CompletableFuture} did this before. Its {@code get} parks five frames deeper (the
 * signaller, the managed blocker) and allocates a signaller per wait; a request thread that parks
 * for its acknowledgement has its whole stack copied to the heap, once per acknowledged publish, so
 * those frames were the largest allocation of a publish made by a new thread.
 *
 * <p>Only one thread waits: the caller that made the flow. The wait is untimed because the
 * session's tick source ends every flow at its deadline ({@link FlowTimedOut}).
 */
final class FlowResult {
  private static final VarHandle OUTCOME;

  static {
    try {
      OUTCOME = MethodHandles.lookup().findVarHandle(FlowResult.class, "outcome", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A failure, told apart from a packet. */
  private record Failure(Throwable cause) {}

  /** Null until done; then the acknowledgement or a {@link Failure}. */
  @SuppressWarnings("unused") // through OUTCOME
  private volatile Object outcome;

  private volatile Thread waiter;

  /** Ends the flow with its acknowledgement; false when it had ended already. */
  boolean complete(Packet ack) {
    return settle(ack);
  }

  /** Ends the flow with a failure; false when it had ended already. */
  boolean fail(Throwable cause) {
    return settle(new Failure(cause));
  }

  boolean isDone() {
    return outcome != null;
  }

  /**
   * Waits until the flow ends.
   *
   * @return the acknowledgement that ended it
   * @throws ExecutionException with the cause the flow failed with
   * @throws InterruptedException when the waiting thread is interrupted first; the flow goes on
   */
  Packet await() throws InterruptedException, ExecutionException {
    Object o = outcome;
    if (o == null) {
      o = park();
    }
    if (o instanceof Failure f) {
      throw new ExecutionException(f.cause());
    }
    return (Packet) o;
  }

  private Object park() throws InterruptedException {
    // The waiter is published before outcome is read again, and settle sets outcome before it
    // reads the waiter: one of the two sees the other, so no wake-up is lost.
    waiter = Thread.currentThread();
    try {
      Object o;
      while ((o = outcome) == null) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        LockSupport.park(this);
      }
      return o;
    } finally {
      waiter = null;
    }
  }

  private boolean settle(Object o) {
    if (!OUTCOME.compareAndSet(this, null, o)) {
      return false;
    }
    Thread t = waiter;
    if (t != null) {
      LockSupport.unpark(t);
    }
    return true;
  }
}
