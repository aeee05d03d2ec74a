package io.vmqtt.session.file;

import static io.vmqtt.internal.store.SessionStoreContract.ids;
import static io.vmqtt.internal.store.SessionStoreContract.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.QoS;
import io.vmqtt.spi.PersistentSession;
import io.vmqtt.spi.SessionStore;
import io.vmqtt.spi.SessionStore.FsyncPolicy;
import io.vmqtt.spi.StoredPublish;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a log that a crash, a disk or a person damaged. */
class LogRecoveryTest {
  @TempDir Path directory;
  private SessionStore store;
  private Path log;

  /** The last record written by {@link #writeFiveRecords()}, larger than the others. */
  private static final StoredPublish LAST =
      new StoredPublish(5, "a/long/topic", new byte[100], QoS.EXACTLY_ONCE, true, false);

  @BeforeEach
  void createStore() throws IOException {
    store = SessionStore.file(directory, FsyncPolicy.NEVER);
    log = directory.toRealPath().resolve(LogFiles.fileName("c"));
  }

  /** Five OUTBOUND_ADDED records, ids 1 to 5; returns the log's bytes. */
  private byte[] writeFiveRecords() throws IOException {
    try (PersistentSession s = store.open("c")) {
      for (int id = 1; id <= 4; id++) {
        s.outboundAdded(message(id));
      }
      s.outboundAdded(LAST);
    }
    return Files.readAllBytes(log);
  }

  private static int size(StoredPublish p) {
    return LogCodec.encode(new LogRecord.OutboundAdded(p)).length;
  }

  @Test
  void aLogCutAnywhereInItsLastRecordRecoversEveryRecordBeforeIt() throws IOException {
    byte[] full = writeFiveRecords();
    int last = size(LAST);
    for (int cut = 1; cut <= last; cut++) {
      Files.write(log, Arrays.copyOf(full, full.length - cut));
      try (LogCapture warnings = new LogCapture(SessionLog.class);
          PersistentSession s = store.open("c")) {
        assertThat(ids(s)).as("cut by %d bytes", cut).containsExactly(1, 2, 3, 4);
        if (cut < last) {
          assertThat(warnings.messages())
              .singleElement()
              .asString()
              .startsWith("WARN session log " + log + " of client id 'c': ")
              .endsWith(
                  " at offset "
                      + (full.length - last)
                      + "; kept 4 records before it and cut off "
                      + (last - cut)
                      + (last - cut == 1 ? " byte" : " bytes"));
        } else {
          assertThat(warnings.messages()).as("a whole record gone is no damage").isEmpty();
        }
      }
      assertThat(Files.size(log)).isEqualTo(full.length - last);
    }
  }

  @Test
  void aRecordCutShortRightAfterItsLengthIsReportedAsIncomplete() throws IOException {
    byte[] full = writeFiveRecords();
    int last = size(LAST);
    Files.write(log, Arrays.copyOf(full, full.length - last + 4));
    try (LogCapture warnings = new LogCapture(SessionLog.class);
        PersistentSession s = store.open("c")) {
      assertThat(ids(s)).containsExactly(1, 2, 3, 4);
      assertThat(warnings.messages())
          .singleElement()
          .asString()
          .contains("'c': an incomplete record of 4 bytes at offset " + (full.length - last));
    }
  }

  @Test
  void aFlippedByteInTheLastRecordsChecksumLosesThatRecordOnly() throws IOException {
    byte[] full = writeFiveRecords();
    for (int i = 1; i <= 4; i++) {
      byte[] damaged = full.clone();
      damaged[damaged.length - i] ^= 0x01;
      Files.write(log, damaged);
      try (LogCapture warnings = new LogCapture(SessionLog.class);
          PersistentSession s = store.open("c")) {
        assertThat(ids(s)).containsExactly(1, 2, 3, 4);
        assertThat(warnings.messages())
            .singleElement()
            .asString()
            .contains("a record with a bad checksum at offset " + (full.length - size(LAST)));
      }
    }
  }

  @Test
  void aDamagedRecordInTheMiddleStopsRecoveryThereAndCutsTheLogThere() throws IOException {
    byte[] full = writeFiveRecords();
    int header = LogCodec.header("c").length;
    int second = header + size(message(1));
    byte[] damaged = full.clone();
    damaged[second + 12] ^= 0x40; // in the second record's topic
    Files.write(log, damaged);
    try (LogCapture warnings = new LogCapture(SessionLog.class);
        PersistentSession s = store.open("c")) {
      assertThat(ids(s)).containsExactly(1);
      assertThat(warnings.messages())
          .singleElement()
          .asString()
          .contains("a record with a bad checksum at offset " + second)
          .endsWith("kept 1 record before it and cut off " + (full.length - second) + " bytes");
      s.outboundAdded(message(9));
    }
    try (PersistentSession s = store.open("c")) {
      assertThat(ids(s)).containsExactly(1, 9);
    }
  }

  @Test
  void aDamagedLengthIsCaughtBeforeAnythingIsAllocatedForIt() throws IOException {
    byte[] full = writeFiveRecords();
    int second = LogCodec.header("c").length + size(message(1));
    byte[] damaged = full.clone();
    damaged[second] = 0x7F; // a body of about 2 GiB
    long claimed = 0x7F00_0000L | (size(message(1)) - LogCodec.RECORD_OVERHEAD);
    Files.write(log, damaged);
    try (LogCapture warnings = new LogCapture(SessionLog.class);
        PersistentSession s = store.open("c")) {
      assertThat(ids(s)).containsExactly(1);
      assertThat(warnings.messages())
          .singleElement()
          .asString()
          .contains(
              "a record whose length (" + claimed + " bytes) exceeds what remains of the file");
    }
  }

  @Test
  void aLogWhoseHeaderWasNotCompletedIsStartedAfresh() throws IOException {
    byte[] header = LogCodec.header("c");
    for (int length : new int[] {0, 1, 8, header.length - 1}) {
      Files.write(log, Arrays.copyOf(header, length));
      try (LogCapture warnings = new LogCapture(SessionLog.class);
          PersistentSession s = store.open("c")) {
        assertThat(s.outbound()).isEmpty();
        assertThat(warnings.messages()).hasSize(length == 0 ? 0 : 1);
        s.outboundAdded(message(1));
      }
      try (PersistentSession s = store.open("c")) {
        assertThat(ids(s)).containsExactly(1);
        s.outboundRemoved(1);
      }
    }
  }

  @Test
  void aFileThatIsNotASessionLogIsRefusedAndLeftAsItWas() throws IOException {
    byte[] text = "a file someone else put here".getBytes(StandardCharsets.UTF_8);
    Files.write(log, text);
    assertThatThrownBy(() -> store.open("c"))
        .isInstanceOf(IOException.class)
        .hasMessage(log + " is not a vmqtt session log: it does not begin with VMQTTLOG");
    assertThat(Files.readAllBytes(log)).isEqualTo(text);
    assertThatThrownBy(() -> store.open("c")).isInstanceOf(IOException.class);
  }

  @Test
  void aLogOfAnotherClientIdIsRefusedAndLeftAsItWas() throws IOException {
    byte[] full = writeFiveRecords();
    Path other = log.resolveSibling(LogFiles.fileName("d"));
    Files.write(other, full);
    assertThatThrownBy(() -> store.open("d"))
        .isInstanceOf(IOException.class)
        .hasMessage(
            other
                + " is not the session log of client id 'd': its header names another client"
                + " id or is damaged");
    assertThat(Files.readAllBytes(other)).isEqualTo(full);
  }

  @Test
  void aLogOfAnotherFormatVersionIsRefused() throws IOException {
    byte[] full = writeFiveRecords();
    full[LogCodec.MAGIC.length + 1] = 2;
    Files.write(log, full);
    assertThatThrownBy(() -> store.open("c"))
        .isInstanceOf(IOException.class)
        .hasMessage(log + " is a session log of format version 2; this vmqtt reads version 1");
  }

  @Test
  void whatACrashDuringACompactionLeftIsDeletedWhenTheLogIsOpened() throws IOException {
    writeFiveRecords();
    Path temp = LogFiles.compactingFile(log);
    Files.write(temp, new byte[] {1, 2, 3});
    try (PersistentSession s = store.open("c")) {
      assertThat(ids(s)).containsExactly(1, 2, 3, 4, 5);
      assertThat(temp).doesNotExist();
    }
  }
}
