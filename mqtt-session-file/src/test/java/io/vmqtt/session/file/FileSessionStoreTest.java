package io.vmqtt.session.file;

import static io.vmqtt.internal.store.SessionStoreContract.ids;
import static io.vmqtt.internal.store.SessionStoreContract.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vmqtt.QoS;
import io.vmqtt.spi.PersistentSession;
import io.vmqtt.spi.SessionStore;
import io.vmqtt.spi.SessionStore.FsyncPolicy;
import io.vmqtt.spi.StoredPublish;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the file store does beyond the contract: restarts, names, files, interrupts. */
class FileSessionStoreTest {
  @TempDir Path directory;

  private List<String> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void everyFieldOfAStoredMessageSurvivesARestart() throws IOException {
    byte[] big = new byte[1 << 20];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    List<StoredPublish> messages =
        List.of(
            new StoredPublish(1, "ü/日本/\uD83D\uDE00", new byte[0], QoS.AT_LEAST_ONCE, true, false),
            new StoredPublish(65535, "big", big, QoS.EXACTLY_ONCE, false, false),
            new StoredPublish(2, "released", new byte[] {1}, QoS.EXACTLY_ONCE, true, true),
            new StoredPublish(
                3, "t".repeat(65535), new byte[] {0, -1}, QoS.AT_LEAST_ONCE, false, false));
    try (PersistentSession s = SessionStore.file(directory, FsyncPolicy.ALWAYS).open("c")) {
      for (StoredPublish m : messages) {
        s.outboundAdded(m);
      }
      s.inboundReceived(1);
      s.inboundReceived(65535);
    }
    // A new store instance: what a restarted process has.
    try (PersistentSession s = SessionStore.file(directory, FsyncPolicy.ALWAYS).open("c")) {
      assertThat(s.outbound()).containsExactlyElementsOf(messages);
      assertThat(s.inboundAwaitingRelease()).containsExactlyInAnyOrder(1, 65535);
    }
  }

  @Test
  void theDirectoryIsCreatedWhenMissing() throws IOException {
    Path nested = directory.resolve("a/b/c");
    try (PersistentSession s = SessionStore.file(nested, FsyncPolicy.NEVER).open("c")) {
      s.outboundAdded(message(1));
    }
    assertThat(filesIn(nested)).containsExactly(LogFiles.fileName("c"));
  }

  @Test
  void logNamesAreDistinctPlainFileNamesWhateverTheClientId() {
    List<String> clientIds =
        List.of(
            "",
            ".",
            "..",
            "a/b",
            "a\\b",
            "../../etc/passwd",
            "ü",
            "u",
            "日本",
            "x".repeat(65535),
            "A",
            "a",
            "a b",
            "con",
            "-rf");
    Set<String> names = new HashSet<>();
    for (String id : clientIds) {
      String name = LogFiles.fileName(id);
      assertThat(name).as(id).matches("session-[A-Za-z0-9_-]{0,32}-[0-9a-f]{64}\\.log");
      names.add(name);
    }
    assertThat(names).hasSameSizeAs(clientIds);
    assertThat(LogFiles.fileName("sensor/7"))
        .isEqualTo("session-sensor_7-" + "%s.log".formatted(sha256Hex("sensor/7")));
  }

  private static String sha256Hex(String s) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aClientIdThatIsNotAnMqttStringIsRefused() {
    SessionStore store = SessionStore.file(directory, FsyncPolicy.NEVER);
    assertThatThrownBy(() -> store.open("a\uD800"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clientId contains an unpaired surrogate at index 1 [MQTT-1.5.3-1]");
  }

  @Test
  void aSessionThatHoldsNothingWhenClosedLeavesNoFile() throws IOException {
    SessionStore store = SessionStore.file(directory, FsyncPolicy.ALWAYS);
    store.open("never-used").close();
    try (PersistentSession s = store.open("emptied")) {
      s.outboundAdded(message(1));
      s.inboundReceived(2);
      s.outboundRemoved(1);
      s.inboundReleased(2);
    }
    assertThat(filesIn(directory)).isEmpty();
  }

  @Test
  void onlyTheLogsOfSessionsWithStateAreLeftInTheDirectory() throws IOException {
    SessionStore store = SessionStore.file(directory, FsyncPolicy.NEVER);
    List<PersistentSession> sessions = new ArrayList<>();
    for (String id : List.of("kept-1", "kept-2", "empty", "churned")) {
      sessions.add(store.open(id));
    }
    sessions.get(0).outboundAdded(message(1));
    sessions.get(1).inboundReceived(1);
    PersistentSession churned = sessions.get(3);
    churned.outboundAdded(message(1));
    for (int i = 0; i < 6_000; i++) { // enough dead records for a compaction
      churned.outboundAdded(message(2));
      churned.outboundRemoved(2);
    }
    for (PersistentSession s : sessions) {
      s.close();
    }
    assertThat(filesIn(directory))
        .containsExactlyInAnyOrder(
            LogFiles.fileName("kept-1"), LogFiles.fileName("kept-2"), LogFiles.fileName("churned"));
  }

  @Test
  void aClosedSessionRefusesChangesAndCanBeClosedAgain() throws IOException {
    PersistentSession s = SessionStore.file(directory, FsyncPolicy.NEVER).open("c");
    s.outboundAdded(message(1));
    s.close();
    assertThatThrownBy(() -> s.outboundAdded(message(2)))
        .isInstanceOf(IOException.class)
        .hasMessage("the session of client id 'c' is closed");
    s.close();
    assertThat(ids(s)).containsExactly(1);
  }

  @Test
  void aThreadInterruptedDuringAChangeKeepsItsFlagAndTheLogStaysUsable() throws Exception {
    SessionStore store = SessionStore.file(directory, FsyncPolicy.ALWAYS);
    try (PersistentSession s = store.open("c")) {
      Thread.currentThread().interrupt();
      try {
        s.outboundAdded(message(1));
      } finally {
        assertThat(Thread.interrupted()).as("the interrupt flag is kept").isTrue();
      }
      Thread other = Thread.ofVirtual().start(() -> add(s, message(2)));
      other.join(Duration.ofSeconds(30));
      s.outboundAdded(message(3));
    }
    try (PersistentSession s = store.open("c")) {
      assertThat(ids(s)).containsExactly(1, 2, 3);
    }
  }

  private static void add(PersistentSession s, StoredPublish p) {
    try {
      s.outboundAdded(p);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void withIntervalTheLogIsForcedInTheBackgroundAfterAChange() throws IOException {
    try (SessionLog s = (SessionLog) SessionStore.file(directory, FsyncPolicy.INTERVAL).open("c")) {
      assertThat(s.forces()).isZero();
      s.outboundAdded(message(1));
      await().atMost(Duration.ofSeconds(10)).until(() -> s.forces() >= 1);
    }
  }

  @Test
  void withNeverTheLogIsNotForced() throws IOException {
    try (SessionLog s = (SessionLog) SessionStore.file(directory, FsyncPolicy.NEVER).open("c")) {
      for (int id = 1; id <= 100; id++) {
        s.outboundAdded(message(id));
      }
      assertThat(s.forces()).isZero();
    }
  }

  @Test
  void theStoreAndItsSessionsDescribeThemselvesWithoutPayloads() throws IOException {
    SessionStore store = SessionStore.file(directory, FsyncPolicy.INTERVAL);
    assertThat(store).hasToString("SessionStore.file(" + directory + ", INTERVAL)");
    try (PersistentSession s = store.open("c")) {
      s.outboundAdded(
          new StoredPublish(
              1, "t", "secret".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false, false));
      assertThat(s.toString()).contains("clientId=c").doesNotContain("secret");
      assertThat(s.outbound().toString()).doesNotContain("secret");
    }
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
  void twoStoresOfOneDirectoryInOneProcessShareTheOneSessionOfAClientId() throws IOException {
    try (PersistentSession s = SessionStore.file(directory, FsyncPolicy.NEVER).open("c")) {
      SessionStore other = SessionStore.file(directory.resolve("."), FsyncPolicy.ALWAYS);
      assertThatThrownBy(() -> other.open("c"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "the session of client id 'c' is already open (file "
                  + directory.toRealPath().resolve(LogFiles.fileName("c"))
                  + ")");
      s.outboundAdded(message(1));
    }
  }
}
