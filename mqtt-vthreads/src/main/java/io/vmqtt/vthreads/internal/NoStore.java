package io.vmqtt.vthreads.internal;

import io.vmqtt.spi.PersistentSession;
import io.vmqtt.spi.StoredPublish;
import java.util.List;
import java.util.Set;

/**
 * The session store of a client configured without one: the {@link Session} itself holds the state,
 * which lives as long as the client, so there is nothing to record. Behaves as a client-private
 * {@link io.vmqtt.spi.SessionStore#inMemory()} store would, without keeping a second copy of every
 * message under a second lock. Stateless and thread-safe.
 */
final class NoStore implements PersistentSession {
  static final NoStore INSTANCE = new NoStore();

  private NoStore() {}

  @Override
  public List<StoredPublish> outbound() {
    return List.of();
  }

  @Override
  public Set<Integer> inboundAwaitingRelease() {
    return Set.of();
  }

  @Override
  public void outboundAdded(StoredPublish publish) {}

  @Override
  public void outboundReleased(int packetId) {}

  @Override
  public void outboundRemoved(int packetId) {}

  @Override
  public void inboundReceived(int packetId) {}

  @Override
  public void inboundReleased(int packetId) {}

  @Override
  public void close() {}
}
