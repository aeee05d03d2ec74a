package io.vmqtt.session.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Forces shared among writers, driven by latches in place of a disk. */
class GroupCommitTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final AtomicLong written = new AtomicLong();
  private final AtomicInteger forces = new AtomicInteger();
  private final CountDownLatch firstForceStarted = new CountDownLatch(1);
  private final CountDownLatch firstForceMayEnd = new CountDownLatch(1);

  /** A force whose first run blocks until {@link #firstForceMayEnd}. */
  private final GroupCommit commit =
      new GroupCommit(
          () -> {
            if (forces.incrementAndGet() == 1) {
              firstForceStarted.countDown();
              try {
                if (!firstForceMayEnd.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                  throw new IOException("the test never released the first force");
                }
              } catch (InterruptedException e) {
                throw new InterruptedIOException();
              }
            }
          },
          written::get);

  private Thread awaitDurableOf(long record, AtomicReference<Throwable> failure) {
    return Thread.ofVirtual()
        .start(
            () -> {
              try {
                commit.awaitDurable(record);
              } catch (Throwable t) {
                failure.set(t);
              }
            });
  }

  @Test
  void callersWhoseRecordsWereWrittenDuringAForceShareTheNextOne() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread leader = awaitDurableOf(written.incrementAndGet(), failure);
    assertThat(firstForceStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    List<Thread> followers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      followers.add(awaitDurableOf(written.incrementAndGet(), failure));
    }
    await()
        .atMost(WAIT)
        .until(() -> followers.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
    firstForceMayEnd.countDown();
    assertThat(leader.join(WAIT)).isTrue();
    for (Thread t : followers) {
      assertThat(t.join(WAIT)).isTrue();
    }
    assertThat(failure.get()).isNull();
    assertThat(forces).hasValue(2);
    assertThat(commit.forces()).isEqualTo(2);
  }

  @Test
  void aCallerWhoseRecordAForceAlreadyCoveredDoesNotForceAgain() throws IOException {
    firstForceMayEnd.countDown();
    written.set(3);
    commit.awaitDurable(1);
    commit.awaitDurable(3);
    commit.forceIfBehind();
    assertThat(forces).hasValue(1);
    written.set(4);
    commit.forceIfBehind();
    assertThat(forces).hasValue(2);
  }

  @Test
  void aFailedForceFailsItsWaitersAndEveryLaterCall() throws Exception {
    GroupCommit failing =
        new GroupCommit(
            () -> {
              throw new IOException("disk on fire");
            },
            written::get);
    written.set(1);
    assertThatThrownBy(() -> failing.awaitDurable(1))
        .isInstanceOf(IOException.class)
        .hasMessage("an earlier force of the session log to disk failed")
        .rootCause()
        .hasMessage("disk on fire");
    assertThatThrownBy(failing::throwIfFailed).hasRootCauseMessage("disk on fire");
    assertThatThrownBy(failing::forceIfBehind).hasRootCauseMessage("disk on fire");
    assertThatThrownBy(() -> failing.awaitDurable(0)).hasRootCauseMessage("disk on fire");
    assertThat(failing.forces()).isEqualTo(1);
  }

  @Test
  void aCallerInterruptedWhileAnotherForcesGetsAnInterruptedIoExceptionAndKeepsItsFlag()
      throws Exception {
    AtomicReference<Throwable> leaderFailure = new AtomicReference<>();
    Thread leader = awaitDurableOf(written.incrementAndGet(), leaderFailure);
    assertThat(firstForceStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    long mine = written.incrementAndGet();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<Boolean> flagKept = new AtomicReference<>();
    Thread waiter =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    commit.awaitDurable(mine);
                  } catch (Throwable t) {
                    failure.set(t);
                  }
                  flagKept.set(Thread.currentThread().isInterrupted());
                });
    await().atMost(WAIT).until(() -> waiter.getState() == Thread.State.WAITING);
    waiter.interrupt();
    assertThat(waiter.join(WAIT)).isTrue();
    assertThat(failure.get())
        .isInstanceOf(InterruptedIOException.class)
        .hasMessage("interrupted while waiting for the session log to reach the disk");
    assertThat(flagKept.get()).isTrue();
    firstForceMayEnd.countDown();
    assertThat(leader.join(WAIT)).isTrue();
    assertThat(leaderFailure.get()).isNull();
  }

  @Test
  void anExclusiveActionWaitsForTheForceInProgressAndMayCoverWhatWasWritten() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread leader = awaitDurableOf(written.incrementAndGet(), failure);
    assertThat(firstForceStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    written.incrementAndGet();
    AtomicInteger ran = new AtomicInteger();
    Thread exclusive =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    commit.exclusively(
                        () -> {
                          assertThat(forces).hasValue(1);
                          ran.incrementAndGet();
                          return true;
                        });
                  } catch (Throwable t) {
                    failure.set(t);
                  }
                });
    await().atMost(WAIT).until(() -> exclusive.getState() == Thread.State.WAITING);
    assertThat(ran).hasValue(0);
    firstForceMayEnd.countDown();
    assertThat(exclusive.join(WAIT)).isTrue();
    assertThat(leader.join(WAIT)).isTrue();
    assertThat(ran).hasValue(1);
    commit.awaitDurable(2); // covered by the exclusive action
    assertThat(failure.get()).isNull();
    assertThat(forces).hasValue(1);
  }
}
