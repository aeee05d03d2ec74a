package io.vmqtt.vthreads;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's tests run without the optional modules on the class path, as an application that
 * forgot one does: what needs one says which artifact to add.
 */
class MissingModuleTest {
  @TempDir Path directory;

  @Test
  void aClientWithAFileSessionStoreButWithoutItsModuleIsNotCreatedAndTheErrorNamesTheArtifact() {
    MqttConfig config =
        MqttConfig.from(Map.of("session_dir", directory.toString(), "cleansession", false));

    assertThatThrownBy(() -> MqttClient.create("c", config))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("session_dir")
        .hasMessageContaining("add the io.vmqtt:mqtt-session-file module");
  }
}
