package io.vmqtt.vthreads.internal;

import io.vmqtt.Message;
import io.vmqtt.QoS;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's queue and the virtual thread that works through it: the listener's messages and
 * connection events, one at a time, in the order they were queued. The thread exists while there is
 * work and lingers for {@link #LINGER_NANOS} after it, so a steady stream of messages costs no
 * thread start per message; and a lane whose thread is running takes a new item without a wake-up
 * (no hand-off per message while the listener keeps up).
 *
 * <p>Items are connection events ({@link Runnable}) and messages (anything else; what a message
 * item is and how it is delivered is the {@link Target}'s business). A stream's lane delivers
 * messages only within the demand its subscriber signalled; events are never held back by demand.
 *
 * <p>Waking is split from queueing so that the reader can queue a whole read of messages and wake
 * each lane once, at the end ({@link #offer} says whether a wake is due, {@link #wake} does it).
 *
 * <p>An idle thread waits without a timer of its own: a timed park of a virtual thread schedules
 * and cancels a timer task each time (an allocation and two trips through the scheduler), and a
 * lane that keeps up with its messages parks after nearly every read. While its thread lives the
 * lane is a {@link Ticker} task instead, and the JVM-wide ticker ends the wait once it has lasted
 * {@link #LINGER_NANOS}: the wait is bounded, the thread ends within a tick after the linger.
 *
 * <p>Thread-safe; the fields below {@link #lock} are guarded by it, except {@link #refs}, which the
 * {@link Dispatcher}'s lock guards.
 */
final class Lane implements Ticker.Task {
  private static final Logger LOG = LoggerFactory.getLogger(Lane.class);

  /** How long an idle lane's thread waits for more work before it ends. */
  static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** The most items taken from the queue at once. */
  private static final int BATCH = 64;

  /** What a lane does with its message items. */
  interface Target {
    /** Runs the application's code for one message item, and what goes with it; lane thread. */
    void deliver(Object item);

    /**
     * A message item that will not be delivered: the lane was closed or its subscriber cancelled.
     * Any thread.
     */
    void discard(Object item);

    /** The lane was closed: the last thing it runs, on its thread (a stream completes). */
    void closed();
  }

  /** How QoS 0 messages dropped by the overflow policy are counted. */
  interface Drops {
    void dropped(Message m);
  }

  /** What {@link #offerQos0} did. */
  enum Offered {
    QUEUED,
    /** Queued, and the lane must be woken ({@link #wake}). */
    WAKE,
    DROPPED
  }

  final Object key;
  private final String threadName;
  private final Dispatcher owner;

  /** Registrations that route to this lane; guarded by the dispatcher's lock. */
  int refs;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<Object> items = new ArrayDeque<>();
  private Target target;
  private int qos0;
  private Thread thread;

  /** The thread started last, which may still be ending after {@link #thread} was cleared. */
  private Thread lastThread;

  private boolean parked;

  /** When the thread parked, while {@link #parked} (nanoTime). */
  private long parkedAt;

  /** The ticker ended the thread's wait: it lingered {@link #LINGER_NANOS} without work. */
  private boolean lingerOver;

  /** The ticker failed (a bug): idle threads wait with a timer of their own again. */
  private volatile boolean untimed = true;

  private boolean wakeDue;
  private long demand = Long.MAX_VALUE;

  /** Closed or cancelled; written under the lock, read without it by the lane's thread. */
  private volatile boolean closed;

  /** The thread while it runs the application's code for a message: what close() interrupts. */
  private volatile Thread inMessage;

  Lane(Object key, String threadName, Dispatcher owner) {
    this.key = key;
    this.threadName = threadName;
    this.owner = owner;
  }

  /** Sets what delivers this lane's messages, unless one is set. */
  void target(Target t) {
    lock.lock();
    try {
      if (target == null) {
        target = t;
      }
    } finally {
      lock.unlock();
    }
  }

  Target target() {
    lock.lock();
    try {
      return target;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Starts limiting messages to what is requested ({@link #request}): from now on none is delivered
   * beyond the demand. For streams, before anything is queued.
   */
  void limitDemand() {
    lock.lock();
    try {
      demand = 0;
    } finally {
      lock.unlock();
    }
  }

  /** Adds {@code n} (positive) to the demand, saturating, and wakes the lane. */
  void request(long n) {
    lock.lock();
    try {
      demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
      if (needsWake(true)) {
        wakeLocked();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Queues an event (or any task for the lane's thread) and wakes the lane at once. */
  void submit(Runnable event) {
    lock.lock();
    try {
      if (closed) {
        return; // the client closed: events from now on are not delivered
      }
      items.add(event);
      if (needsWake(false)) {
        wakeLocked();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues a QoS 1/2 message item already charged to the budget.
   *
   * @return whether the lane must be woken ({@link #wake}); false when its thread runs and will
   *     find the item, or a wake is already due
   */
  boolean offer(Object item) {
    lock.lock();
    try {
      if (!closed) {
        items.add(item);
        return needsWake(true);
      }
    } finally {
      lock.unlock();
    }
    target.discard(item);
    return false;
  }

  /**
   * Queues a QoS 0 message unless this lane holds {@code bound} of them or the budget has no room
   * for {@code cost}: then, when {@code dropOldest}, older QoS 0 messages of this lane make room,
   * and otherwise (or when there is none) the new one is dropped; each dropped message goes to
   * {@code drops}.
   */
  Offered offerQos0(
      Message m, long cost, InboundBudget budget, int bound, boolean dropOldest, Drops drops) {
    List<Message> evicted = null;
    Offered result;
    lock.lock();
    try {
      if (closed) {
        return Offered.DROPPED; // the lane is going; not a drop of the overflow policy
      }
      while (true) {
        if (qos0 < bound && budget.tryReserve(cost)) {
          items.add(m);
          qos0++;
          result = needsWake(true) ? Offered.WAKE : Offered.QUEUED;
          break;
        }
        Message oldest = dropOldest ? removeOldestQos0() : null;
        if (oldest == null) {
          result = Offered.DROPPED;
          break;
        }
        budget.release(InboundBudget.cost(oldest.topic(), oldest.payload().length));
        if (evicted == null) {
          evicted = new ArrayList<>(1);
        }
        evicted.add(oldest);
      }
    } finally {
      lock.unlock();
    }
    if (evicted != null) {
      evicted.forEach(drops::dropped);
    }
    if (result == Offered.DROPPED) {
      drops.dropped(m);
    }
    return result;
  }

  private Message removeOldestQos0() {
    if (qos0 == 0) {
      return null;
    }
    for (Iterator<Object> it = items.iterator(); it.hasNext(); ) {
      if (it.next() instanceof Message m && m.qos() == QoS.AT_MOST_ONCE) {
        it.remove();
        qos0--;
        return m;
      }
    }
    return null;
  }

  /**
   * Whether queueing an item (a message, when {@code message}) needs the thread to be started or
   * woken; marks the wake as due. Under the lock.
   */
  private boolean needsWake(boolean message) {
    if (wakeDue || (thread != null && !parked) || (message && demand == 0)) {
      return false;
    }
    wakeDue = true;
    return true;
  }

  /** Starts the lane's thread, or wakes it, if {@link #offer} said so. */
  void wake() {
    lock.lock();
    try {
      wakeLocked();
    } finally {
      lock.unlock();
    }
  }

  private void wakeLocked() {
    if (!wakeDue) {
      return;
    }
    wakeDue = false;
    if (thread == null) {
      Ticker.INSTANCE.register(this);
      thread = ClientThreads.start(threadName, this::run);
      lastThread = thread;
    } else if (parked) {
      notEmpty.signal();
    }
  }

  /**
   * Closes the lane: message items still queued are discarded (their target's {@link
   * Target#discard}), events still run, the target's {@link Target#closed} runs last, and the
   * thread ends. Later offers are discarded.
   *
   * @return the thread while it runs the application's code for a message, or null
   */
  Thread close() {
    List<Object> discarded = new ArrayList<>();
    Thread running;
    Target t;
    lock.lock();
    try {
      if (closed) {
        return inMessage;
      }
      closed = true;
      t = target;
      for (Iterator<Object> it = items.iterator(); it.hasNext(); ) {
        Object item = it.next();
        if (!(item instanceof Runnable)) {
          it.remove();
          discarded.add(item);
        }
      }
      qos0 = 0;
      if (t != null) {
        items.add((Runnable) t::closed);
      }
      if (!items.isEmpty()) {
        wakeDue = true;
        wakeLocked();
      }
      running = inMessage;
    } finally {
      lock.unlock();
    }
    if (t != null) {
      discarded.forEach(t::discard);
    }
    return running;
  }

  /**
   * Stops delivering messages (a stream's subscriber cancelled): queued ones are discarded, later
   * ones too; events still run. Unlike {@link #close} it runs no {@link Target#closed}.
   */
  void cancel() {
    List<Object> discarded = new ArrayList<>();
    Target t;
    lock.lock();
    try {
      closed = true;
      t = target;
      for (Iterator<Object> it = items.iterator(); it.hasNext(); ) {
        Object item = it.next();
        if (!(item instanceof Runnable)) {
          it.remove();
          discarded.add(item);
        }
      }
      qos0 = 0;
    } finally {
      lock.unlock();
    }
    if (t != null) {
      discarded.forEach(t::discard);
    }
  }

  /** Whether the lane has nothing to do and no thread. */
  boolean isIdle() {
    lock.lock();
    try {
      return thread == null && items.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the lane's thread has ended, at most until {@code deadline} (nanoTime). */
  boolean awaitEnd(long deadline) throws InterruptedException {
    while (true) {
      Thread t;
      lock.lock();
      try {
        t = lastThread;
      } finally {
        lock.unlock();
      }
      if (t == null || t == Thread.currentThread() || !t.isAlive()) {
        return true;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || !t.join(java.time.Duration.ofNanos(left))) {
        return false;
      }
    }
  }

  /** The lane's thread: runs items until there are none for {@link #LINGER_NANOS}. */
  private void run() {
    Object[] batch = new Object[BATCH];
    try {
      while (true) {
        int n = take(batch);
        if (n == 0) {
          return;
        }
        for (int i = 0; i < n; i++) {
          Object item = batch[i];
          batch[i] = null;
          Thread
              .interrupted(); // what an earlier item left (or close() meant for it) is not for this
          if (item instanceof Runnable event) {
            runEvent(event);
          } else if (closed) {
            target.discard(item); // taken before close() or cancel(): not delivered after it
          } else {
            inMessage = Thread.currentThread();
            try {
              target.deliver(item);
            } finally {
              inMessage = null;
            }
          }
        }
      }
    } finally {
      ended();
    }
  }

  /**
   * The thread ends: normally it has already given up its place ({@link #end}); after an unexpected
   * failure (a bug: the application's exceptions are caught) it gives it up here, and a new thread
   * takes over what is queued, so the lane never looks busy with nobody working.
   */
  private void ended() {
    lock.lock();
    try {
      if (thread == Thread.currentThread()) {
        end();
        if (!items.isEmpty()) {
          wakeDue = true;
          wakeLocked();
        }
      }
    } finally {
      lock.unlock();
    }
    owner.laneEnded(this);
  }

  /** Takes the next items, waiting (lingering) for some; 0 when the thread is to end. */
  private int take(Object[] batch) {
    lock.lock();
    try {
      while (true) {
        int n = takeLocked(batch);
        if (n > 0) {
          return n;
        }
        if (closed && items.isEmpty()) {
          return end();
        }
        Thread.interrupted();
        if (park() && !wakeDue && takeable() == 0) {
          return end();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for work, at most {@link #LINGER_NANOS} (ended by {@link #tick}); under the lock.
   *
   * @return whether the wait lasted the linger
   */
  private boolean park() {
    parked = true;
    parkedAt = System.nanoTime();
    lingerOver = false;
    try {
      if (untimed) {
        notEmpty.await();
        return lingerOver;
      }
      return notEmpty.awaitNanos(LINGER_NANOS) <= 0;
    } catch (InterruptedException e) {
      return false; // close() interrupts; look again
    } finally {
      parked = false;
    }
  }

  /** Ends the wait of a thread idle for {@link #LINGER_NANOS}; on the ticker, never blocking. */
  @Override
  public void tick(long nowNanos) {
    if (!lock.tryLock()) {
      return; // busy now: not idle; the next tick looks again
    }
    try {
      if (parked && !lingerOver && nowNanos - parkedAt >= LINGER_NANOS) {
        lingerOver = true;
        notEmpty.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void failed(Throwable cause) {
    untimed = false;
    lock.lock();
    try {
      lingerOver = true;
      notEmpty.signal(); // it waits with a timer from now on
    } finally {
      lock.unlock();
    }
  }

  private int end() {
    thread = null;
    wakeDue = false;
    Ticker.INSTANCE.unregister(this);
    return 0;
  }

  /** How many items could be taken now. Under the lock. */
  private int takeable() {
    Object head = items.peek();
    if (head == null) {
      return 0;
    }
    return head instanceof Runnable || demand > 0 ? 1 : 0;
  }

  private int takeLocked(Object[] batch) {
    int n = 0;
    while (n < batch.length) {
      Object head = items.peek();
      if (head == null) {
        break;
      }
      if (!(head instanceof Runnable)) {
        if (demand == 0) {
          break;
        }
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        if (head instanceof Message m && m.qos() == QoS.AT_MOST_ONCE) {
          qos0--;
        }
      }
      batch[n++] = items.poll();
    }
    return n;
  }

  private void runEvent(Runnable event) {
    try {
      event.run();
    } catch (Throwable e) {
      // An AssertionError in a test's listener, say: later events must still be delivered.
      LOG.warn("{}: a listener failed", threadName, e);
    }
  }

  @Override
  public String toString() {
    return "Lane[" + threadName + "]";
  }
}
