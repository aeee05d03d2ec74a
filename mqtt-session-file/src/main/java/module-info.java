/**
 * The crash-safe file session store of vmqtt: {@code SessionStore.file(directory, fsync)} (or the
 * config keys {@code session_dir} and {@code session_fsync}) finds it through {@link
 * java.util.ServiceLoader}. One append-only, checksummed log per client id, compacted as it grows,
 * locked while open. Depending on {@code io.vmqtt:mqtt-session-file} is all it takes; nothing here
 * is public API.
 *
 * <p>Threads: with the fsync policy {@code INTERVAL}, one virtual thread per open session, {@code
 * vmqtt-fsync <log>}, forces the log every 100 ms while something was written. It logs through
 * SLF4J, under the names of its classes ({@code io.vmqtt.session.file.*}).
 */
module io.vmqtt.session.file {
  requires io.vmqtt;
  requires org.slf4j;

  provides io.vmqtt.spi.FileSessionStoreProvider with
      io.vmqtt.session.file.FileStoreProvider;
}
