package io.vmqtt.session.file;

import static io.vmqtt.internal.store.SessionStoreContract.ids;
import static io.vmqtt.internal.store.SessionStoreContract.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.QoS;
import io.vmqtt.spi.PersistentSession;
import io.vmqtt.spi.SessionStore;
import io.vmqtt.spi.SessionStore.FsyncPolicy;
import io.vmqtt.spi.StoredPublish;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log is rewritten to its live state as dead records pile up. */
class CompactionTest {
  @TempDir Path directory;

  private static final StoredPublish BIG =
      new StoredPublish(100, "big", new byte[100_000], QoS.AT_LEAST_ONCE, false, false);

  @Test
  void fiftyThousandAddRemovePairsLeaveALogOfBoundedSizeWithExactlyTheLiveState()
      throws IOException {
    SessionStore store = SessionStore.file(directory, FsyncPolicy.NEVER);
    long written = 0;
    long largest = 0;
    int compactions = 0;
    try (SessionLog s = (SessionLog) store.open("c")) {
      for (int id = 1; id <= 10; id++) {
        s.outboundAdded(message(id, QoS.EXACTLY_ONCE));
      }
      s.outboundReleased(3);
      s.inboundReceived(7);
      for (int i = 0; i < 50_000; i++) {
        int id = 100 + i % 1000;
        long before = s.length();
        s.outboundAdded(message(id));
        s.outboundRemoved(id);
        written += sizeOf(message(id)) + LogCodec.PACKET_ID_RECORD_SIZE;
        if (s.length() < before) {
          compactions++;
        }
        largest = Math.max(largest, s.length());
      }
      assertThat(ids(s)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
      assertThat(s.outbound().get(2)).isEqualTo(message(3, QoS.EXACTLY_ONCE).asReleased());
      assertThat(s.inboundAwaitingRelease()).containsExactly(7);
    }
    // Each compaction comes after 10,000 dead records, about 200 kB here.
    assertThat(written).isGreaterThan(2_000_000);
    assertThat(largest).isLessThan(300_000);
    assertThat(compactions).isBetween(9, 11);
    try (PersistentSession s = store.open("c")) {
      assertThat(ids(s)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
      assertThat(s.outbound().get(2).released()).isTrue();
      assertThat(s.inboundAwaitingRelease()).containsExactly(7);
    }
    try (Stream<Path> files = Files.list(directory)) {
      assertThat(files).singleElement().matches(p -> p.toString().endsWith(LogFiles.SUFFIX));
    }
  }

  @Test
  void aCompactedLogHoldsOneRecordPerLiveMessageAndInboundIdInTheirOrder() throws IOException {
    SessionStore store = SessionStore.file(directory, FsyncPolicy.ALWAYS);
    long compactedLength;
    try (SessionLog s = (SessionLog) store.open("c")) {
      for (int id = 1; id <= 5; id++) {
        s.outboundAdded(message(id, QoS.EXACTLY_ONCE));
      }
      s.outboundReleased(2);
      s.outboundReleased(4);
      s.outboundAdded(message(1, QoS.EXACTLY_ONCE)); // moves to the end
      s.inboundReceived(8);
      s.inboundReceived(7);
      long before;
      do { // until a compaction shrinks it: after 1 MiB of dead bytes, some 11 pairs
        before = s.length();
        s.outboundAdded(BIG);
        s.outboundRemoved(BIG.packetId());
      } while (s.length() > before);
      compactedLength = s.length();
    }
    long expected = LogCodec.header("c").length;
    for (int id = 1; id <= 5; id++) {
      expected += sizeOf(message(id, QoS.EXACTLY_ONCE));
    }
    expected += 2L * LogCodec.PACKET_ID_RECORD_SIZE;
    // The compaction ran within the change that tipped it over: when that was the add, the
    // compacted log holds the big message, and its removal follows.
    assertThat(compactedLength)
        .isIn(expected, expected + sizeOf(BIG) + LogCodec.PACKET_ID_RECORD_SIZE);
    try (PersistentSession s = store.open("c")) {
      assertThat(s.outbound())
          .containsExactly(
              message(2, QoS.EXACTLY_ONCE).asReleased(),
              message(3, QoS.EXACTLY_ONCE),
              message(4, QoS.EXACTLY_ONCE).asReleased(),
              message(5, QoS.EXACTLY_ONCE),
              message(1, QoS.EXACTLY_ONCE));
      assertThat(s.inboundAwaitingRelease()).containsExactlyInAnyOrder(7, 8);
    }
  }

  @Test
  void deadRecordsReplayedWhenALogIsOpenedCountTowardsItsNextCompaction() throws IOException {
    SessionStore store = SessionStore.file(directory, FsyncPolicy.NEVER);
    Path log;
    try (SessionLog s = (SessionLog) store.open("c")) {
      log = s.path();
      s.outboundAdded(message(1));
      // Below the threshold while open; a crash would leave the log like this.
      for (int i = 0; i < 4_000; i++) {
        s.inboundReceived(2);
        s.inboundReleased(2);
      }
    }
    long grown = Files.size(log);
    assertThat(grown).isGreaterThan(80_000);
    try (SessionLog s = (SessionLog) store.open("c")) {
      assertThat(ids(s)).containsExactly(1);
      assertThat(s.length()).isEqualTo(grown);
      for (int i = 0; i < 1_001; i++) {
        s.inboundReceived(2);
        s.inboundReleased(2);
      }
      assertThat(s.length()).isLessThan(1_000);
    }
  }

  private static long sizeOf(StoredPublish p) {
    return LogCodec.encode(new LogRecord.OutboundAdded(p)).length;
  }
}
