package io.vmqtt.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.MqttConfig;
import io.vmqtt.spi.SessionStore;
import io.vmqtt.spi.SessionStore.FsyncPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SessionStore#file} in the API alone: mqtt-api's tests run without
 * io.vmqtt:mqtt-session-file on the class path, as an application that forgot it does.
 */
class FileSessionStoreHandleTest {
  @TempDir Path directory;

  @Test
  void aFileStoreAndAConfigNamingOneAreMadeWithoutTheModule() {
    SessionStore store = SessionStore.file(directory, FsyncPolicy.INTERVAL);
    MqttConfig config = MqttConfig.from(Map.of("session_dir", directory.toString()));

    assertThat(store).hasToString("SessionStore.file(" + directory + ", INTERVAL)");
    assertThat(config.sessionStore()).contains(SessionStore.file(directory, FsyncPolicy.ALWAYS));
  }

  @Test
  void openingAFileStoreWithoutTheModuleNamesTheArtifactToAdd() {
    Path sessions = directory.resolve("sessions");
    SessionStore store = SessionStore.file(sessions, FsyncPolicy.ALWAYS);

    assertThatThrownBy(() -> store.open("c"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the file session store SessionStore.file("
                + sessions
                + ", ALWAYS) (config key session_dir) is not available: add the"
                + " io.vmqtt:mqtt-session-file module to the class path or module path");
    assertThat(Files.exists(sessions)).as("nothing was created").isFalse();
  }

  @Test
  void storesOfTheSameDirectoryAndPolicyAreEqual() {
    assertThat(SessionStore.file(directory, FsyncPolicy.ALWAYS))
        .isEqualTo(SessionStore.file(directory, FsyncPolicy.ALWAYS))
        .hasSameHashCodeAs(SessionStore.file(directory, FsyncPolicy.ALWAYS))
        .isNotEqualTo(SessionStore.file(directory, FsyncPolicy.NEVER))
        .isNotEqualTo(SessionStore.file(directory.resolve("x"), FsyncPolicy.ALWAYS));
  }

  @Test
  void aNullArgumentIsRefusedWhenTheStoreIsMade() {
    assertThatThrownBy(() -> SessionStore.file(null, FsyncPolicy.ALWAYS))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("directory");
    assertThatThrownBy(() -> SessionStore.file(directory, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("fsync");
  }
}
