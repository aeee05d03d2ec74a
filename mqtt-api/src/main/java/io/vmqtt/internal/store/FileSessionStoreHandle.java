package io.vmqtt.internal.store;

import io.vmqtt.spi.FileSessionStoreProvider;
import io.vmqtt.spi.PersistentSession;
import io.vmqtt.spi.SessionStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * {@link SessionStore#file}: the directory and fsync policy as a value, and the store itself from
 * the {@link FileSessionStoreProvider} of {@code io.vmqtt:mqtt-session-file}, found with {@link
 * ServiceLoader} on the first {@link #open}. So a configuration names a file store ({@code
 * session_dir}) without that module, and creating a client with it fails with an error that names
 * the artifact to add, as an unknown transport scheme does.
 *
 * <p>Two handles of the same directory and policy are equal: configurations built from the same map
 * are equal. Thread-safe: {@link #store} is written once, racily but idempotently (any provider's
 * stores of one directory and policy act alike; the logs' in-process locking is the module's, not
 * the instance's).
 */
public final class FileSessionStoreHandle implements SessionStore {
  /** The artifact that holds the file store, as the error names it. */
  public static final String ARTIFACT = "io.vmqtt:mqtt-session-file";

  private final Path directory;
  private final FsyncPolicy fsync;
  private volatile SessionStore store;

  /**
   * @throws NullPointerException when an argument is null
   */
  public FileSessionStoreHandle(Path directory, FsyncPolicy fsync) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.fsync = Objects.requireNonNull(fsync, "fsync");
  }

  /**
   * Opens the session through the provider's store.
   *
   * @throws IllegalStateException when {@value #ARTIFACT} is not on the class or module path, or as
   *     {@link SessionStore#open} says
   */
  @Override
  public PersistentSession open(String clientId) throws IOException {
    SessionStore s = store;
    if (s == null) {
      s = provider().create(directory, fsync);
      store = s;
    }
    return s.open(clientId);
  }

  private FileSessionStoreProvider provider() {
    return ServiceLoader.load(
            FileSessionStoreProvider.class, FileSessionStoreProvider.class.getClassLoader())
        .findFirst()
        .or(() -> ServiceLoader.load(FileSessionStoreProvider.class).findFirst())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the file session store "
                        + this
                        + " (config key session_dir) is not available: add the "
                        + ARTIFACT
                        + " module to the class path or module path"));
  }

  /** The directory of the logs. */
  public Path directory() {
    return directory;
  }

  /** When the logs are forced to disk. */
  public FsyncPolicy fsync() {
    return fsync;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileSessionStoreHandle h
        && directory.equals(h.directory)
        && fsync == h.fsync;
  }

  @Override
  public int hashCode() {
    return Objects.hash(directory, fsync);
  }

  @Override
  public String toString() {
    return "SessionStore.file(" + directory + ", " + fsync + ")";
  }
}
