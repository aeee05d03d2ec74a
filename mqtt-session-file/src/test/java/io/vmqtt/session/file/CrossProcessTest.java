package io.vmqtt.session.file;

import static io.vmqtt.internal.store.SessionStoreContract.ids;
import static io.vmqtt.internal.store.SessionStoreContract.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.spi.PersistentSession;
import io.vmqtt.spi.SessionStore;
import io.vmqtt.spi.SessionStore.FsyncPolicy;
import io.vmqtt.spi.StoredPublish;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Sessions shared with, and left by, other processes: child JVMs, killed with SIGKILL. */
@Timeout(120)
class CrossProcessTest {
  @TempDir Path directory;

  private Path logOf(String clientId) throws IOException {
    return directory.toRealPath().resolve(LogFiles.fileName(clientId));
  }

  private List<String> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static void kill(Process child) throws InterruptedException {
    child.destroyForcibly(); // SIGKILL on Unix
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aSessionHeldByAnotherProcessIsRefusedUntilThatProcessIsKilled() throws Exception {
    String clientId = "dev/1 ü";
    SessionStore store = SessionStore.file(directory, FsyncPolicy.ALWAYS);
    Process child =
        ChildJvm.start(SessionHolder.class, "hold", directory.toString(), ChildJvm.hex(clientId));
    try {
      assertThat(ChildJvm.output(child).readLine()).isEqualTo("opened");
      assertThatThrownBy(() -> store.open(clientId))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "the session of client id 'dev/1 ü' is already open (file " + logOf(clientId) + ")");
      kill(child);
      try (PersistentSession s = store.open(clientId)) {
        assertThat(ids(s)).containsExactly(7);
      }
      assertThat(filesIn(directory)).containsExactly(LogFiles.fileName(clientId));
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void aSessionHeldHereIsRefusedToAnotherProcessEvenAfterASecondOpenHereWasRefused()
      throws Exception {
    SessionStore store = SessionStore.file(directory, FsyncPolicy.NEVER);
    try (PersistentSession s = store.open("c")) {
      s.outboundAdded(message(1));
      // On Unix, closing any descriptor of a locked file drops the process's lock: a second open
      // must be refused before it opens the file.
      assertThatThrownBy(() -> store.open("c")).isInstanceOf(IllegalStateException.class);
      assertThat(runTry("c"))
          .isEqualTo(
              "refused: the session of client id 'c' is already open (file " + logOf("c") + ")");
    }
    assertThat(runTry("c")).isEqualTo("opened");
  }

  private String runTry(String clientId) throws Exception {
    Process child =
        ChildJvm.start(SessionHolder.class, "try", directory.toString(), ChildJvm.hex(clientId));
    try {
      String line = ChildJvm.output(child).readLine();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      return line;
    } finally {
      child.destroyForcibly();
    }
  }

  @RepeatedTest(3)
  void aPublisherKilledMidStreamLosesNoMessageWhoseAddHadReturned() throws Exception {
    long seed = System.nanoTime();
    int killAfter = 1 + new Random(seed).nextInt(9_000);
    Process child = ChildJvm.start(CrashingPublisher.class, directory.toString(), "10000");
    int acknowledged = 0;
    try {
      BufferedReader out = ChildJvm.output(child);
      String line;
      while (acknowledged < killAfter && (line = out.readLine()) != null) {
        acknowledged = line.equals("done") ? 10_000 : Integer.parseInt(line);
      }
      // SIGKILL through the handle, which leaves our end of its output open to be drained:
      // what it printed before it died was acknowledged too; a last line may be cut short.
      child.toHandle().destroyForcibly();
      while ((line = out.readLine()) != null) {
        if (line.matches("\\d+")) {
          acknowledged = Math.max(acknowledged, Integer.parseInt(line));
        }
      }
      kill(child);
    } finally {
      child.destroyForcibly();
    }
    try (PersistentSession s = SessionStore.file(directory, FsyncPolicy.NEVER).open("publisher")) {
      List<StoredPublish> recovered = s.outbound();
      System.out.printf(
          "seed %d: killed after %d, %d acknowledged, %d recovered%n",
          seed, killAfter, acknowledged, recovered.size());
      assertThat(recovered.size()).as("seed %d", seed).isGreaterThanOrEqualTo(acknowledged);
      assertThat(recovered)
          .as("seed %d", seed)
          .containsExactlyElementsOf(
              IntStream.rangeClosed(1, recovered.size())
                  .mapToObj(CrashingPublisher::message)
                  .toList());
    }
  }
}
