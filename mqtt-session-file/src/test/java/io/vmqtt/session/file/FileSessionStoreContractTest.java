package io.vmqtt.session.file;

import io.vmqtt.internal.store.SessionStoreContract;
import io.vmqtt.spi.SessionStore;
import io.vmqtt.spi.SessionStore.FsyncPolicy;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;

/** The file store against the contract, with each fsync policy. */
class FileSessionStoreContractTest {
  @Nested
  class WithFsyncAlways extends SessionStoreContract {
    @Override
    protected SessionStore newStore(Path directory) {
      return SessionStore.file(directory.resolve("sessions"), FsyncPolicy.ALWAYS);
    }
  }

  @Nested
  class WithFsyncInterval extends SessionStoreContract {
    @Override
    protected SessionStore newStore(Path directory) {
      return SessionStore.file(directory.resolve("sessions"), FsyncPolicy.INTERVAL);
    }
  }

  @Nested
  class WithFsyncNever extends SessionStoreContract {
    @Override
    protected SessionStore newStore(Path directory) {
      return SessionStore.file(directory.resolve("sessions"), FsyncPolicy.NEVER);
    }
  }
}
