package io.vmqtt.spi;

import java.nio.file.Path;

/**
 * Makes the file {@link SessionStore}s of {@link SessionStore#file}. The module {@code
 * io.vmqtt:mqtt-session-file} provides it; {@link SessionStore#file} finds it with {@link
 * java.util.ServiceLoader} when a store is first opened, so the API itself holds no file store.
 */
public interface FileSessionStoreProvider {
  /**
   * A store in {@code directory}, with the semantics {@link SessionStore#file} documents. Making it
   * touches no file; the directory is created on the first {@link SessionStore#open}.
   *
   * @param directory where the logs are
   * @param fsync when writes are forced to disk
   */
  SessionStore create(Path directory, SessionStore.FsyncPolicy fsync);
}
