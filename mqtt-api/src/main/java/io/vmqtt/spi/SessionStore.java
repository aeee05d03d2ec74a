package io.vmqtt.spi;

import io.vmqtt.internal.store.MemorySessionStore;
import java.io.IOException;

/**
 * Where a client keeps the MQTT session state that must outlive a connection, and with the file
 * store a process: outbound QoS 1/2 messages not yet acknowledged, and inbound QoS 2 packet
 * identifiers awaiting PUBREL. A client created with the same client id and store completes what
 * an earlier one left.
 *
 * <pre>{@code
 * MqttConfig config = MqttConfig.builder()
 *     .sessionStore(SessionStore.file(Path.of("/var/lib/app/mqtt"), FsyncPolicy.ALWAYS))
 *     .cleanSession(false)
 *     .build();
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
public interface SessionStore {
  /**
   * Opens the stored session of one client id. At most one {@link PersistentSession} of a client
   * id is open at a time, across processes for a file store.
   *
   * @throws IOException when the state cannot be read
   * @throws IllegalStateException when the session of this client id is already open
   */
  PersistentSession open(String clientId) throws IOException;

  /** A store in memory: state survives reconnects and new clients, not the process. */
  static SessionStore inMemory() {
    return new MemorySessionStore();
  }

  /** When a file store forces its writes to the disk. */
  enum FsyncPolicy {
    /**
     * Before a message is sent and before an acknowledgement is given (the default); concurrent
     * writers share one fsync. Survives power loss.
     */
    ALWAYS,
    /** In the background, every 100 ms: a power loss may lose the last 100 ms. */
    INTERVAL,
    /** Never: the operating system writes when it will. Survives the process, not the machine. */
    NEVER
  }
}
