package io.vmqtt.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.QoS;
import io.vmqtt.spi.PersistentSession;
import io.vmqtt.spi.SessionStore;
import io.vmqtt.spi.StoredPublish;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link SessionStore} does, with {@link MemorySessionStore}'s semantics as the
 * reference. Public, in this module's test jar, for the file store of {@code mqtt-session-file}. A
 * subclass gives the store; each test gets a new one (in {@link #directory} for a file store).
 */
public abstract class SessionStoreContract {
  @TempDir Path directory;
  SessionStore store;

  /** A new, empty store. */
  protected abstract SessionStore newStore(Path directory);

  @BeforeEach
  void createStore() {
    store = newStore(directory);
  }

  public static StoredPublish message(int packetId) {
    return message(packetId, QoS.AT_LEAST_ONCE);
  }

  public static StoredPublish message(int packetId, QoS qos) {
    byte[] payload = ("payload " + packetId).getBytes(StandardCharsets.UTF_8);
    return new StoredPublish(packetId, "t/" + packetId, payload, qos, false, false);
  }

  public static List<Integer> ids(PersistentSession session) {
    return session.outbound().stream().map(StoredPublish::packetId).toList();
  }

  @Test
  void aNewSessionHoldsNothing() throws Exception {
    try (PersistentSession s = store.open("fresh")) {
      assertThat(s.outbound()).isEmpty();
      assertThat(s.inboundAwaitingRelease()).isEmpty();
    }
  }

  @Test
  void outboundMessagesAreKeptInTheOrderTheyWereAdded() throws Exception {
    try (PersistentSession s = store.open("c")) {
      for (int id : new int[] {5, 1, 65535, 3}) {
        s.outboundAdded(message(id));
      }
      assertThat(ids(s)).containsExactly(5, 1, 65535, 3);
      assertThat(s.outbound().get(0)).isEqualTo(message(5));
    }
  }

  @Test
  void addingAPacketIdAgainReplacesItsMessageAndMovesItToTheEnd() throws Exception {
    try (PersistentSession s = store.open("c")) {
      s.outboundAdded(message(1));
      s.outboundAdded(message(2));
      StoredPublish replacement =
          new StoredPublish(1, "other", new byte[] {9}, QoS.EXACTLY_ONCE, true, false);
      s.outboundAdded(replacement);
      assertThat(s.outbound()).containsExactly(message(2), replacement);
    }
  }

  @Test
  void releasingAQos2MessageMarksItReleasedWhereItIs() throws Exception {
    try (PersistentSession s = store.open("c")) {
      s.outboundAdded(message(1, QoS.EXACTLY_ONCE));
      s.outboundAdded(message(2, QoS.EXACTLY_ONCE));
      s.outboundReleased(1);
      s.outboundReleased(1);
      assertThat(s.outbound())
          .containsExactly(message(1, QoS.EXACTLY_ONCE).asReleased(), message(2, QoS.EXACTLY_ONCE));
    }
  }

  @Test
  void aMessageAddedAlreadyReleasedStaysReleased() throws Exception {
    try (PersistentSession s = store.open("c")) {
      s.outboundAdded(message(4, QoS.EXACTLY_ONCE).asReleased());
      assertThat(s.outbound()).containsExactly(message(4, QoS.EXACTLY_ONCE).asReleased());
    }
  }

  @Test
  void releasingAQos1MessageIsRefusedAndChangesNothing() throws Exception {
    try (PersistentSession s = store.open("c")) {
      s.outboundAdded(message(1, QoS.AT_LEAST_ONCE));
      assertThatThrownBy(() -> s.outboundReleased(1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("only a QoS 2 message can be released");
      assertThat(s.outbound()).containsExactly(message(1));
    }
  }

  @Test
  void removingAMessageForgetsItAndKeepsTheOthersInOrder() throws Exception {
    try (PersistentSession s = store.open("c")) {
      for (int id = 1; id <= 4; id++) {
        s.outboundAdded(message(id));
      }
      s.outboundRemoved(2);
      s.outboundRemoved(4);
      assertThat(ids(s)).containsExactly(1, 3);
    }
  }

  @Test
  void releasingOrRemovingAnUnknownPacketIdChangesNothing() throws Exception {
    try (PersistentSession s = store.open("c")) {
      s.outboundAdded(message(1));
      s.outboundReleased(9);
      s.outboundRemoved(9);
      s.inboundReleased(9);
      assertThat(s.outbound()).containsExactly(message(1));
      assertThat(s.inboundAwaitingRelease()).isEmpty();
    }
  }

  @Test
  void inboundPacketIdsAreKeptOnceEachUntilReleased() throws Exception {
    try (PersistentSession s = store.open("c")) {
      s.inboundReceived(7);
      s.inboundReceived(8);
      s.inboundReceived(7);
      assertThat(s.inboundAwaitingRelease()).containsExactlyInAnyOrder(7, 8);
      s.inboundReleased(7);
      assertThat(s.inboundAwaitingRelease()).containsExactly(8);
    }
  }

  @Test
  void whatASessionReturnsIsASnapshotThatLaterChangesDoNotTouch() throws Exception {
    try (PersistentSession s = store.open("c")) {
      s.outboundAdded(message(1));
      s.inboundReceived(1);
      List<StoredPublish> outbound = s.outbound();
      var inbound = s.inboundAwaitingRelease();
      s.outboundRemoved(1);
      s.inboundReleased(1);
      assertThat(outbound).containsExactly(message(1));
      assertThat(inbound).containsExactly(1);
      assertThatThrownBy(() -> outbound.add(message(2)))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void aSessionCannotBeOpenedTwiceAtOnce() throws Exception {
    try (PersistentSession s = store.open("twice")) {
      assertThatThrownBy(() -> store.open("twice"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("the session of client id 'twice' is already open");
      s.outboundAdded(message(1));
      assertThat(ids(s)).containsExactly(1);
    }
    store.open("twice").close();
  }

  @Test
  void aReopenedSessionSeesTheStateItWasClosedWith() throws Exception {
    try (PersistentSession s = store.open("c")) {
      s.outboundAdded(message(1, QoS.EXACTLY_ONCE));
      s.outboundAdded(message(2));
      s.outboundAdded(message(3, QoS.EXACTLY_ONCE));
      s.outboundReleased(3);
      s.outboundRemoved(2);
      s.inboundReceived(10);
      s.inboundReceived(11);
      s.inboundReleased(10);
    }
    try (PersistentSession s = store.open("c")) {
      assertThat(s.outbound())
          .containsExactly(message(1, QoS.EXACTLY_ONCE), message(3, QoS.EXACTLY_ONCE).asReleased());
      assertThat(s.inboundAwaitingRelease()).containsExactly(11);
    }
  }

  @Test
  void aSessionThatWasEmptiedIsEmptyWhenReopened() throws Exception {
    try (PersistentSession s = store.open("c")) {
      s.outboundAdded(message(1));
      s.inboundReceived(2);
      s.outboundRemoved(1);
      s.inboundReleased(2);
    }
    try (PersistentSession s = store.open("c")) {
      assertThat(s.outbound()).isEmpty();
      assertThat(s.inboundAwaitingRelease()).isEmpty();
    }
  }

  @Test
  void sessionsOfDifferentClientIdsAreIndependentWhateverTheirIds() throws Exception {
    List<String> clientIds = List.of("", "a/b", "../x", "ü-日本", "a".repeat(300), "A", "a");
    List<PersistentSession> sessions = new ArrayList<>();
    try {
      for (int i = 0; i < clientIds.size(); i++) {
        PersistentSession s = store.open(clientIds.get(i));
        sessions.add(s);
        s.outboundAdded(message(i + 1));
      }
    } finally {
      for (PersistentSession s : sessions) {
        s.close();
      }
    }
    for (int i = 0; i < clientIds.size(); i++) {
      try (PersistentSession s = store.open(clientIds.get(i))) {
        assertThat(ids(s)).as(clientIds.get(i)).containsExactly(i + 1);
      }
    }
  }

  @Test
  void changesFromManyVirtualThreadsAtOnceAreAllKept() throws Exception {
    try (PersistentSession s = store.open("c")) {
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
          int first = t * 100 + 1;
          futures.add(
              threads.submit(
                  () -> {
                    for (int id = first; id < first + 100; id++) {
                      s.outboundAdded(message(id));
                      s.inboundReceived(id);
                      if (id % 2 == 0) {
                        s.outboundRemoved(id);
                        s.inboundReleased(id);
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      }
      assertThat(s.outbound()).hasSize(800).allMatch(p -> p.packetId() % 2 == 1);
      assertThat(s.inboundAwaitingRelease()).hasSize(800);
    }
    try (PersistentSession s = store.open("c")) {
      assertThat(s.outbound()).hasSize(800);
      assertThat(s.inboundAwaitingRelease()).hasSize(800);
    }
  }
}
