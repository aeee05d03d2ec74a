package io.vmqtt.spi;

import io.vmqtt.internal.store.FileSessionStoreHandle;
import io.vmqtt.internal.store.MemorySessionStore;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a client keeps the MQTT session state that must outlive a connection, and with the file
 * store a process: outbound QoS 1/2 messages not yet acknowledged, and inbound QoS 2 packet
 * identifiers awaiting PUBREL. A client created with the same client id and store completes what an
 * earlier one left.
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
   * Opens the stored session of one client id. At most one {@link PersistentSession} of a client id
   * is open at a time, across processes for a file store.
   *
   * @throws IOException when the state cannot be read
   * @throws IllegalStateException when the session of this client id is already open
   */
  PersistentSession open(String clientId) throws IOException;

  /** A store in memory: state survives reconnects and new clients, not the process. */
  static SessionStore inMemory() {
    return new MemorySessionStore();
  }

  /**
   * A store in a directory, one append-only log per client id, compacted as it grows. It survives a
   * crash of the process; with {@link FsyncPolicy#ALWAYS} also a crash of the machine. No lock file
   * is left behind: the log is locked while open, and the operating system releases the lock when
   * the process ends, however it ends.
   *
   * <p>A log is named {@code session-<prefix>-<sha256>.log}: the hex SHA-256 of the client id's
   * UTF-8 bytes, after its first 32 characters with all but ASCII letters, digits, {@code -} and
   * {@code _} replaced by {@code _}. A session that holds nothing when it is closed deletes its
   * log. Within one process, open a log only through this store: on Unix, closing any other
   * descriptor of an open log releases its lock.
   *
   * <p>A client created with the empty client id opens its session once an MQTT 5 broker has
   * assigned it one (CONNACK's Assigned Client Identifier), under that identifier: the one a new
   * process creates its client with to resume the session. Without an assigned identifier (MQTT
   * 3.1.1) such a client stores nothing.
   *
   * <p>Stores of the same directory and policy are equal. The directory is created on the first
   * {@link #open} when missing.
   *
   * <p>The file store is in its own artifact, {@code io.vmqtt:mqtt-session-file}, found through
   * {@link FileSessionStoreProvider} when the store is first opened (which a client does when it is
   * created): without it, that {@link #open} throws an {@link IllegalStateException} that names the
   * artifact to add. Making the store, or a configuration with {@code session_dir}, needs nothing.
   *
   * @param directory where the logs are
   * @param fsync when writes are forced to disk
   * @throws NullPointerException when an argument is null
   */
  static SessionStore file(Path directory, FsyncPolicy fsync) {
    return new FileSessionStoreHandle(directory, fsync);
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
