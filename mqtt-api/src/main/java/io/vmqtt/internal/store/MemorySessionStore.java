package io.vmqtt.internal.store;

import io.vmqtt.spi.PersistentSession;
import io.vmqtt.spi.SessionStore;
import io.vmqtt.spi.StoredPublish;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link SessionStore#inMemory()}: session state by client id, kept as long as the store is.
 * Thread-safe; every field is guarded by {@link #lock}, which is never held while blocking.
 */
public final class MemorySessionStore implements SessionStore {
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, State> states = new HashMap<>();

  /** The state of one client id. */
  private static final class State {
    final LinkedHashMap<Integer, StoredPublish> outbound = new LinkedHashMap<>();
    final Set<Integer> inbound = new LinkedHashSet<>();
    boolean open;
  }

  @Override
  public PersistentSession open(String clientId) {
    lock.lock();
    try {
      State state = states.computeIfAbsent(clientId, id -> new State());
      if (state.open) {
        throw new IllegalStateException(
            "the session of client id '" + clientId + "' is already open in this store");
      }
      state.open = true;
      return new Session(clientId, state);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "SessionStore.inMemory()";
  }

  private final class Session implements PersistentSession {
    private final String clientId;
    private final State state;

    Session(String clientId, State state) {
      this.clientId = clientId;
      this.state = state;
    }

    @Override
    public List<StoredPublish> outbound() {
      lock.lock();
      try {
        return List.copyOf(state.outbound.values());
      } finally {
        lock.unlock();
      }
    }

    @Override
    public Set<Integer> inboundAwaitingRelease() {
      lock.lock();
      try {
        return Set.copyOf(state.inbound);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void outboundAdded(StoredPublish publish) {
      lock.lock();
      try {
        state.outbound.remove(publish.packetId());
        state.outbound.put(publish.packetId(), publish);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void outboundReleased(int packetId) {
      lock.lock();
      try {
        state.outbound.computeIfPresent(packetId, (id, p) -> p.asReleased());
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void outboundRemoved(int packetId) {
      lock.lock();
      try {
        state.outbound.remove(packetId);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void inboundReceived(int packetId) {
      lock.lock();
      try {
        state.inbound.add(packetId);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void inboundReleased(int packetId) {
      lock.lock();
      try {
        state.inbound.remove(packetId);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      lock.lock();
      try {
        state.open = false;
        if (state.outbound.isEmpty() && state.inbound.isEmpty()) {
          states.remove(clientId, state);
        }
      } finally {
        lock.unlock();
      }
    }
  }
}
