package io.vmqtt.vthreads.internal;

import io.vmqtt.ConnectionListener;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the application's {@link ConnectionListener}s, one event at a time in the order the events
 * happened, on a virtual thread of its own that lives only while there are events to deliver: so
 * listeners never run on the reader or writer, nor under a lock of the client, and an idle client
 * keeps no thread for them. Thread-safe.
 */
final class EventDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

  private final String clientId;
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Consumer<ConnectionListener>> events = new ArrayDeque<>();
  private Thread running;

  EventDispatcher(String clientId) {
    this.clientId = clientId;
  }

  void add(ConnectionListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  void remove(ConnectionListener listener) {
    listeners.remove(listener);
  }

  /** Queues an event for every listener; returns at once. */
  void fire(Consumer<ConnectionListener> event) {
    if (listeners.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      events.add(event);
      if (running == null) {
        running = ClientThreads.start("vmqtt-" + clientId + "-events", this::drain);
      }
    } finally {
      lock.unlock();
    }
  }

  private void drain() {
    while (true) {
      Consumer<ConnectionListener> event;
      lock.lock();
      try {
        event = events.poll();
        if (event == null) {
          running = null;
          return;
        }
      } finally {
        lock.unlock();
      }
      for (ConnectionListener l : listeners) {
        try {
          event.accept(l);
        } catch (Throwable e) {
          // An AssertionError in a test's listener, say: later events must still be delivered.
          LOG.warn("client {}: connection listener {} failed", clientId, l, e);
        }
      }
    }
  }

  /** Waits, bounded, for the events queued so far to be delivered. */
  void awaitIdle(java.time.Duration timeout) throws InterruptedException {
    Thread t;
    lock.lock();
    try {
      t = running;
    } finally {
      lock.unlock();
    }
    if (t != null && t != Thread.currentThread()) {
      t.join(timeout);
    }
  }
}
