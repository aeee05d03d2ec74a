package io.vmqtt.session.file;

import io.vmqtt.spi.FileSessionStoreProvider;
import io.vmqtt.spi.SessionStore;
import java.nio.file.Path;

/**
 * The {@link FileSessionStoreProvider} of this module: {@link SessionStore#file} finds it with
 * {@link java.util.ServiceLoader} and opens its stores through it. Stateless and thread-safe.
 */
public final class FileStoreProvider implements FileSessionStoreProvider {
  /** For {@link java.util.ServiceLoader}. */
  public FileStoreProvider() {}

  @Override
  public SessionStore create(Path directory, SessionStore.FsyncPolicy fsync) {
    return new FileSessionStore(directory, fsync);
  }
}
