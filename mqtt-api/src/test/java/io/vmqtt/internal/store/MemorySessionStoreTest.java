package io.vmqtt.internal.store;

import io.vmqtt.spi.SessionStore;
import java.nio.file.Path;

/** The in-memory store against the contract. */
class MemorySessionStoreTest extends SessionStoreContract {
  @Override
  protected SessionStore newStore(Path directory) {
    return SessionStore.inMemory();
  }
}
