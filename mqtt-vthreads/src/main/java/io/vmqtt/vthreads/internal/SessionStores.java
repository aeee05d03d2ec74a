package io.vmqtt.vthreads.internal;

import io.vmqtt.MqttConfig;
import io.vmqtt.spi.PersistentSession;
import io.vmqtt.spi.SessionStore;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Opens the stored session of a client id in the configured {@link SessionStore}: when the client
 * is created, or, for a client created with the empty id, when the broker has assigned one ({@link
 * Lifecycle}). Stateless.
 */
final class SessionStores {
  private SessionStores() {}

  /**
   * The open session of {@code clientId}, or {@link NoStore} when no store is configured.
   *
   * @throws UncheckedIOException when the store cannot read it
   * @throws IllegalStateException when it is open already, in this process or another
   */
  static PersistentSession open(String clientId, MqttConfig config) {
    if (config.sessionStore().isEmpty()) {
      return NoStore.INSTANCE;
    }
    SessionStore store = config.sessionStore().get();
    try {
      return store.open(clientId);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the session of client '" + clientId + "' in " + store + ": " + e, e);
    }
  }
}
