package io.vmqtt.vthreads.internal;

import io.vmqtt.ConnectionListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Runs the application's listeners—{@link ConnectionListener}s and message listeners alike—each on
 * a {@link Lane} of its own: one listener's events and messages one at a time, in order, on a
 * virtual thread that lives while it has work; different listeners in parallel. So listeners never
 * run on the reader or writer, nor under a lock of the client; a slow one delays only itself; and
 * an idle client keeps no thread for them. Lanes are keyed by the listener object: one that is
 * added several times, or is both a connection and a message listener, has one lane, so all it
 * hears comes in one sequence.
 *
 * <p>Thread-safe: {@link #lock} guards the lanes by key and their {@link Lane#refs}. Lock order:
 * this lock, then a lane's.
 */
final class Dispatcher {
  private final String clientId;
  private final ReentrantLock lock = new ReentrantLock();
  // Sized for the few listeners a client has: the default (21 expected) costs a 64-slot table.
  private final IdentityHashMap<Object, Lane> lanes = new IdentityHashMap<>(2);
  private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
  private int laneNames;
  private boolean closed;

  Dispatcher(String clientId) {
    this.clientId = clientId;
  }

  /**
   * The lane of {@code key}, made when it has none; counts one more user of it, until {@link
   * #release}.
   *
   * @param kind what the key is, for the thread's name: {@code vmqtt-<client id>-<kind>-<n>}
   *     ({@code listener}, {@code stream}), or {@code vmqtt-<client id>-events} for connection
   *     listeners
   * @throws IllegalStateException when the client is closed
   */
  Lane acquire(Object key, String kind) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("client " + clientId + " is closed");
      }
      Lane lane = lanes.get(key);
      if (lane == null) {
        // Connection listeners' lanes keep the name the events thread always had.
        String name =
            kind.equals("events")
                ? "vmqtt-" + clientId + "-events"
                : "vmqtt-" + clientId + "-" + kind + "-" + ++laneNames;
        lane = new Lane(key, name, this);
        lanes.put(key, lane);
      }
      lane.refs++;
      return lane;
    } finally {
      lock.unlock();
    }
  }

  /** One user of {@code lane} fewer; without users, it is forgotten once it has nothing to do. */
  void release(Lane lane) {
    lock.lock();
    try {
      if (--lane.refs == 0 && lane.isIdle()) {
        lanes.remove(lane.key, lane);
      }
    } finally {
      lock.unlock();
    }
  }

  /** A lane's thread ended: a lane without users and work is forgotten. */
  void laneEnded(Lane lane) {
    lock.lock();
    try {
      if (lane.refs == 0 && lane.isIdle()) {
        lanes.remove(lane.key, lane);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Adds a connection listener; on a closed client it would hear nothing, and is not kept. */
  void addConnectionListener(ConnectionListener listener) {
    Objects.requireNonNull(listener, "listener");
    try {
      acquire(listener, "events");
    } catch (IllegalStateException closed) {
      return;
    }
    connectionListeners.add(listener);
  }

  void removeConnectionListener(ConnectionListener listener) {
    if (connectionListeners.remove(listener)) {
      Lane lane;
      lock.lock();
      try {
        lane = lanes.get(listener);
      } finally {
        lock.unlock();
      }
      if (lane != null) {
        release(lane);
      }
    }
  }

  /** Queues an event for every connection listener, each on its lane; returns at once. */
  void fire(Consumer<ConnectionListener> event) {
    for (ConnectionListener l : connectionListeners) {
      Lane lane;
      lock.lock();
      try {
        lane = lanes.get(l);
      } finally {
        lock.unlock();
      }
      if (lane != null) {
        lane.submit(() -> event.accept(l));
      }
    }
  }

  /**
   * Closes every lane: messages not yet delivered are dropped, events already queued still run,
   * streams complete; listeners still running are interrupted. Waits, at most {@code timeout}, for
   * the lanes' threads to end (not for the calling thread, when it is one of them).
   */
  void close(Duration timeout) throws InterruptedException {
    List<Lane> all;
    lock.lock();
    try {
      closed = true;
      all = new ArrayList<>(lanes.values());
    } finally {
      lock.unlock();
    }
    for (Lane lane : all) {
      Thread running = lane.close();
      if (running != null && running != Thread.currentThread()) {
        running.interrupt();
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Lane lane : all) {
      lane.awaitEnd(deadline);
    }
  }

  /** Lanes alive now, for tests. */
  int lanes() {
    lock.lock();
    try {
      return lanes.size();
    } finally {
      lock.unlock();
    }
  }
}
