package io.vmqtt.vthreads.internal;

import io.vmqtt.ListenerRegistration;
import io.vmqtt.Message;
import io.vmqtt.MessageListener;
import io.vmqtt.MessageSelector;
import io.vmqtt.Topics;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which lanes a received message goes to: the registered selectors, ordered by priority (highest
 * first) and then by registration, each with the lane of its listener. A message goes to every lane
 * whose selector's filter matches its topic and whose condition holds, once per lane, until an
 * exclusive selector has taken it. Matching is {@link Topics#matches}, the one the configuration's
 * {@code topics} defaults use.
 *
 * <p>Thread-safe. Routing reads an immutable snapshot without a lock (it runs on the reader for
 * every message); changes copy the snapshot under {@link #lock}.
 */
final class MessageRouter {
  private static final Logger LOG = LoggerFactory.getLogger(MessageRouter.class);

  private final String clientId;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile Route[] routes = new Route[0];
  private long sequence; // guarded by lock

  MessageRouter(String clientId) {
    this.clientId = clientId;
  }

  /** A selector, its listener and their lane; the {@link ListenerRegistration} handed out. */
  final class Route implements ListenerRegistration {
    final MessageSelector selector;
    final String filter;
    final Predicate<? super Message> condition;
    final boolean exclusive;
    final int priority;
    final long order;
    final Lane lane;
    private final Object listener;
    private final Runnable onRemove;
    private final AtomicLong conditionFailures = new AtomicLong();
    private volatile boolean active = true;

    Route(MessageSelector selector, Object listener, Lane lane, long order, Runnable onRemove) {
      this.selector = selector;
      this.filter = selector.topicFilter();
      this.condition = selector.condition();
      this.exclusive = selector.isExclusive();
      this.priority = selector.priority();
      this.order = order;
      this.lane = lane;
      this.listener = listener;
      this.onRemove = onRemove;
    }

    @Override
    public MessageSelector selector() {
      return selector;
    }

    @Override
    public MessageListener listener() {
      return listener instanceof MessageListener l ? l : m -> {};
    }

    /** The object the lane is keyed by: the listener, or a stream's subscription. */
    Object key() {
      return listener;
    }

    @Override
    public boolean isActive() {
      return active;
    }

    @Override
    public void remove() {
      if (MessageRouter.this.remove(this)) {
        onRemove.run();
      }
    }

    @Override
    public void close() {
      remove();
    }

    /** Whether this route takes {@code m}; runs the condition, on the reader. */
    boolean takes(Message m) {
      if (!Topics.matches(filter, m.topic())) {
        return false;
      }
      try {
        return condition.test(m);
      } catch (RuntimeException | Error e) {
        long n = conditionFailures.incrementAndGet();
        if (n == 1 || n % 10_000 == 0) {
          LOG.warn(
              "client {}: the condition of {} threw on a message to '{}' ({} time(s) so far);"
                  + " it counts as false",
              clientId,
              selector,
              m.topic(),
              n,
              e);
        }
        return false;
      }
    }

    @Override
    public String toString() {
      return "ListenerRegistration["
          + selector
          + ", "
          + listener
          + (active ? "" : ", removed")
          + "]";
    }
  }

  /**
   * Adds a route; {@code onRemove} runs once when it is removed (it releases the lane).
   *
   * @param listener what the lane is keyed by
   */
  Route add(MessageSelector selector, Object listener, Lane lane, Runnable onRemove) {
    lock.lock();
    try {
      Route r = new Route(selector, listener, lane, sequence++, onRemove);
      Route[] next = Arrays.copyOf(routes, routes.length + 1);
      next[next.length - 1] = r;
      Arrays.sort(
          next,
          (a, b) ->
              a.priority != b.priority
                  ? Integer.compare(b.priority, a.priority)
                  : Long.compare(a.order, b.order));
      routes = next;
      return r;
    } finally {
      lock.unlock();
    }
  }

  /** Removes a route; false when it was not there. */
  boolean remove(Route r) {
    lock.lock();
    try {
      Route[] current = routes;
      int i = Arrays.asList(current).indexOf(r);
      if (i < 0) {
        return false;
      }
      Route[] next = new Route[current.length - 1];
      System.arraycopy(current, 0, next, 0, i);
      System.arraycopy(current, i + 1, next, i, current.length - i - 1);
      routes = next;
      r.active = false;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Every route of {@code listener}, for removal. */
  Route[] routesOf(Object listener) {
    return Arrays.stream(routes).filter(r -> r.key() == listener).toArray(Route[]::new);
  }

  /** Every route, for closing. */
  Route[] all() {
    return routes;
  }

  /** Whether any route exists. */
  boolean isEmpty() {
    return routes.length == 0;
  }

  /**
   * The lanes {@code m} goes to, written into {@code out} (grown when too small), each once. Runs
   * on the reader.
   *
   * @return the number of lanes; 0 when no route takes it
   */
  int route(Message m, Lanes out) {
    Route[] snapshot = routes;
    int n = 0;
    for (Route r : snapshot) {
      if (!r.takes(m)) {
        continue;
      }
      if (!contains(out.lanes, n, r.lane)) {
        out.lanes = n < out.lanes.length ? out.lanes : Arrays.copyOf(out.lanes, n * 2 + 1);
        out.lanes[n++] = r.lane;
      }
      if (r.exclusive) {
        break;
      }
    }
    return n;
  }

  private static boolean contains(Lane[] lanes, int n, Lane lane) {
    for (int i = 0; i < n; i++) {
      if (lanes[i] == lane) {
        return true;
      }
    }
    return false;
  }

  /** A reusable array of lanes, owned by one reader; empty until a message has a listener. */
  static final class Lanes {
    Lane[] lanes = NO_LANES;
  }

  private static final Lane[] NO_LANES = new Lane[0];
}
