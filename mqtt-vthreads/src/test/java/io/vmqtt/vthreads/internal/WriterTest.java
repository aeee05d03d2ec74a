package io.vmqtt.vthreads.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vmqtt.ConnectionLostException;
import io.vmqtt.OperationTimeoutException;
import io.vmqtt.QoS;
import io.vmqtt.vthreads.internal.codec.AuthPacket;
import io.vmqtt.vthreads.internal.codec.CodecContext;
import io.vmqtt.vthreads.internal.codec.DisconnectPacket;
import io.vmqtt.vthreads.internal.codec.MqttLimits;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.PacketCodec;
import io.vmqtt.vthreads.internal.codec.Properties;
import io.vmqtt.vthreads.internal.codec.ProtocolLevel;
import io.vmqtt.vthreads.internal.codec.PubackPacket;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WriterTest {
  private static final PacketCodec CODEC =
      ProtocolLevel.MQTT_3_1_1.newCodec(new CodecContext(MqttLimits.MAX_PACKET_SIZE));

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final RecordingOutput out = new RecordingOutput();
  private final RecordingOwner owner = new RecordingOwner();

  /** The test ticks the writer itself ({@link Writer#retireIfIdle}), with the times it picks. */
  private final WatchedTasks ticks = new WatchedTasks();

  private final Writer writer =
      new Writer(out, CODEC, new PacketTrace("writer-test"), owner, Duration.ofSeconds(30), ticks);

  @AfterEach
  void stopWriter() throws InterruptedException {
    writer.fail(new IOException("test over"));
    out.release.countDown();
    assertThat(writer.awaitEnd(TIMEOUT)).as("the writer thread ended").isTrue();
  }

  @Test
  void packetsQueuedWhileACallerWritesLeaveInOneWriteOfTheWriterThread() throws Exception {
    PublishPacket lone = occupyOutput();
    List<Packet> sent = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      PublishPacket p = publish(i, 64);
      sent.add(p);
      writer.sendQueued(p, true);
    }
    assertThat(writer.thread()).as("none started while the caller writes").isNull();
    out.release.countDown();
    List<Packet> all = new ArrayList<>(List.of(lone));
    all.addAll(sent);
    await().atMost(TIMEOUT).until(() -> out.bytes().length == encoded(all).length);
    assertThat(out.bytes()).isEqualTo(encoded(all));
    assertThat(out.writes.get()).as("the caller's, then one of the writer thread").isEqualTo(2);
  }

  @Test
  void urgentPacketsOvertakeQueuedPublishes() throws Exception {
    PublishPacket lone = occupyOutput();
    PublishPacket first = publish(1, 10);
    PublishPacket second = publish(2, 10);
    writer.sendQueued(first, true);
    writer.sendQueued(second, true);
    PubackPacket ack = new PubackPacket(7);
    assertThat(writer.sendUrgent(ack)).isTrue();
    out.release.countDown();
    byte[] expected = encoded(List.of(lone, ack, first, second));
    await().atMost(TIMEOUT).until(() -> out.bytes().length == expected.length);
    assertThat(out.bytes()).isEqualTo(expected);
  }

  @Test
  void noWriterThreadExistsUntilSomethingIsQueuedAndItEndsWhenIdleForTheLingerTime()
      throws Exception {
    assertThat(writer.thread()).isNull();
    PublishPacket first = publish(1, 10);
    writer.sendQueued(first, true);
    Thread started = writer.thread();
    assertThat(started).as("queuing started a writer thread").isNotNull();
    await().atMost(TIMEOUT).until(() -> out.bytes().length == encoded(List.of(first)).length);
    // Parked for more work: done writing, lastWriteNanos is the write's.
    await().atMost(TIMEOUT).until(() -> started.getState() == Thread.State.WAITING);

    writer.retireIfIdle(writer.lastWriteNanos() + Writer.LINGER_NANOS - 1);
    assertThat(started.join(Duration.ofMillis(50))).as("not idle long enough yet").isFalse();
    assertThat(writer.thread()).isSameAs(started);

    writer.retireIfIdle(writer.lastWriteNanos() + Writer.LINGER_NANOS);
    assertThat(started.join(TIMEOUT)).as("idle for the linger time: ended").isTrue();
    assertThat(writer.thread()).isNull();
    assertThat(out.bytes()).isEqualTo(encoded(List.of(first)));

    PubackPacket ack = new PubackPacket(3);
    assertThat(writer.sendUrgent(ack)).isTrue();
    byte[] expected = encoded(List.of(first, ack));
    await().atMost(TIMEOUT).until(() -> out.bytes().length == expected.length);
    assertThat(out.bytes()).as("the next packet started another").isEqualTo(expected);
  }

  @Test
  void aSenderPastTheHighWaterMarkWaitsUntilTheWriterMakesRoom() throws Exception {
    out.blockWrites();
    writer.sendQueued(publish(0, 100), true); // the writer thread takes it and blocks in write
    await().atMost(TIMEOUT).until(() -> out.blockedWriters.get() == 1);
    fillToHighWater();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch sent = new CountDownLatch(1);
    Thread sender =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    writer.send(publish(9, 1000), () -> "publish", deadline(), TIMEOUT);
                    sent.countDown();
                  } catch (Throwable t) {
                    failure.set(t);
                  }
                });
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                sender.getState() == Thread.State.WAITING
                    || sender.getState() == Thread.State.TIMED_WAITING);
    assertThat(sent.getCount()).isEqualTo(1);
    out.release.countDown();
    assertThat(sent.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(failure.get()).isNull();
  }

  @Test
  void aSenderThatFindsNoRoomByItsDeadlineTimesOut() throws Exception {
    out.blockWrites();
    writer.sendQueued(publish(0, 100), true); // the writer thread takes it and blocks in write
    await().atMost(TIMEOUT).until(() -> out.blockedWriters.get() == 1);
    fillToHighWater();
    long shortDeadline = System.nanoTime() + Duration.ofMillis(200).toNanos();
    assertThatThrownBy(
            () ->
                writer.send(
                    publish(9, 1000), () -> "publish 9", shortDeadline, Duration.ofMillis(200)))
        .isInstanceOf(OperationTimeoutException.class)
        .hasMessageContaining("publish 9 waited for room in the outgoing queue");
  }

  @Test
  void failingTheWriterWakesASenderWaitingForRoom() throws Exception {
    out.blockWrites();
    writer.sendQueued(publish(0, 100), true); // the writer thread takes it and blocks in write
    await().atMost(TIMEOUT).until(() -> out.blockedWriters.get() == 1);
    fillToHighWater();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread sender =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    writer.send(publish(9, 1000), () -> "publish 9", deadline(), TIMEOUT);
                  } catch (Throwable t) {
                    failure.set(t);
                  }
                });
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                sender.getState() == Thread.State.WAITING
                    || sender.getState() == Thread.State.TIMED_WAITING);
    IOException cause = new IOException("socket reset");
    writer.fail(cause);
    sender.join(TIMEOUT);
    assertThat(failure.get())
        .isInstanceOf(ConnectionLostException.class)
        .hasMessageContaining("publish 9")
        .hasCause(cause);
  }

  @Test
  void theLastPacketEndsTheWriterAndLaterSendsFail() throws Exception {
    PublishPacket p = publish(1, 10);
    writer.sendQueued(p, true);
    assertThat(writer.sendLast(DisconnectPacket.INSTANCE)).isTrue();
    await().atMost(TIMEOUT).until(() -> owner.finished.get() && writer.thread() == null);
    assertThat(out.bytes()).isEqualTo(encoded(List.of(p, DisconnectPacket.INSTANCE)));
    assertThat(writer.sendUrgent(new PubackPacket(1))).isFalse();
    assertThatThrownBy(() -> writer.send(publish(2, 1), () -> "publish 2", deadline(), TIMEOUT))
        .isInstanceOf(ConnectionLostException.class)
        .hasMessageContaining("closing");
  }

  @Test
  void aFailedWriteFailsTheConnectionWithItsCause() throws Exception {
    IOException broken = new IOException("broken pipe");
    out.failWith(broken);
    writer.sendQueued(publish(1, 10), true);
    await().atMost(TIMEOUT).until(() -> owner.failure.get() != null);
    assertThat(owner.failure.get()).isSameAs(broken);
  }

  @Test
  void anIdleWriterLetsTheCallerWriteItsPacketItself() throws Exception {
    PublishPacket p = publish(1, 10);
    writer.send(p, () -> "publish", deadline(), TIMEOUT);
    assertThat(out.bytes()).as("written before send returned").isEqualTo(encoded(List.of(p)));
    assertThat(out.writers).containsExactly(Thread.currentThread());
  }

  @Test
  void aConnectionWrittenToDirectlyDropsItsEncodingBufferOnceIdleForTheLingerTime()
      throws Exception {
    writer.send(publish(1, 10), () -> "publish", deadline(), TIMEOUT);
    assertThat(writer.thread()).as("written directly: no writer thread").isNull();
    assertThat(writer.holdsEncodingBuffer()).isTrue();

    writer.retireIfIdle(writer.lastWriteNanos() + Writer.LINGER_NANOS - 1);
    assertThat(writer.holdsEncodingBuffer()).as("not idle long enough yet").isTrue();
    writer.retireIfIdle(writer.lastWriteNanos() + Writer.LINGER_NANOS);
    assertThat(writer.holdsEncodingBuffer()).isFalse();

    PublishPacket next = publish(2, 10);
    writer.send(next, () -> "publish", deadline(), TIMEOUT);
    assertThat(out.bytes()).endsWith(encoded(List.of(next)));
  }

  @Test
  void aPacketTheCodecRefusesFailsItsCallerWithoutFailingTheConnection() throws Exception {
    AuthPacket auth = new AuthPacket(0x18, Properties.EMPTY); // MQTT 3.1.1 has no AUTH

    assertThatThrownBy(() -> writer.send(auth, () -> "auth", deadline(), TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot send AUTH");
    assertThat(owner.failure.get()).as("the connection did not fail").isNull();

    PublishPacket p = publish(1, 10);
    writer.send(p, () -> "publish", deadline(), TIMEOUT);
    assertThat(out.bytes()).as("only the next packet was written").isEqualTo(encoded(List.of(p)));
  }

  @Test
  void aCallerNeverWritesWhileTheWriterThreadIsWriting() throws Exception {
    out.blockWrites();
    PublishPacket first = publish(1, 10);
    writer.sendQueued(first, true);
    await().atMost(TIMEOUT).until(() -> out.blockedWriters.get() == 1);
    PublishPacket second = publish(2, 10);
    writer.send(second, () -> "publish", deadline(), TIMEOUT); // queued, not written: returns
    assertThat(out.blockedWriters.get()).isEqualTo(1);
    out.release.countDown();
    byte[] expected = encoded(List.of(first, second));
    await().atMost(TIMEOUT).until(() -> out.bytes().length == expected.length);
    assertThat(out.bytes()).isEqualTo(expected);
    assertThat(out.writers).doesNotContain(Thread.currentThread());
  }

  @Test
  void answersTheReaderQueuesWakeTheWriterThreadAtTheEndOfItsReadAllInOneWrite() throws Exception {
    List<Packet> answers = new ArrayList<>();
    for (int id = 1; id <= 10; id++) {
      PubackPacket a = new PubackPacket(id);
      answers.add(a);
      assertThat(writer.answerLater(a)).isTrue();
    }
    assertThat(writer.queued()).as("not woken yet").isEqualTo(10);
    assertThat(writer.thread()).as("nor started").isNull();

    writer.endOfRead();

    byte[] expected = encoded(answers);
    await().atMost(TIMEOUT).until(() -> out.bytes().length == expected.length);
    assertThat(out.bytes()).isEqualTo(expected);
    assertThat(out.writes.get()).isEqualTo(1);
  }

  @Test
  void aFailedDirectWriteFailsTheConnectionAndTellsTheCaller() throws Exception {
    IOException broken = new IOException("broken pipe");
    out.failWith(broken);
    assertThatThrownBy(() -> writer.send(publish(1, 10), () -> "publish 1", deadline(), TIMEOUT))
        .isInstanceOf(ConnectionLostException.class)
        .hasMessageContaining("publish 1")
        .hasCause(broken);
    assertThat(owner.failure.get()).isSameAs(broken);
  }

  @Test
  void answersPastTheirBoundWaitAndFailTheConnectionWhenTheWriterTakesNoneInTime()
      throws Exception {
    Duration writeTimeout = Duration.ofMillis(300);
    Writer short_ =
        new Writer(out, CODEC, new PacketTrace("writer-test"), owner, writeTimeout, ticks);
    out.blockWrites();
    short_.sendQueued(publish(0, 10), true); // the writer thread takes it and blocks in write
    await().atMost(TIMEOUT).until(() -> out.blockedWriters.get() == 1);
    int bound = Writer.ANSWERS_HIGH_WATER_BYTES / 4;
    for (int id = 1; id <= bound; id++) {
      assertThat(short_.sendAnswer(new PubackPacket(id))).isTrue();
    }
    long start = System.nanoTime();
    assertThat(short_.sendAnswer(new PubackPacket(bound + 1))).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(writeTimeout);
    assertThat(owner.failure.get())
        .isInstanceOf(WriteStalledException.class)
        .hasMessageContaining(bound + " answers to the broker waited 300 ms");
    short_.fail(owner.failure.get());
  }

  @Test
  void anAnswerWaitingForRoomIsQueuedOnceTheWriterTakesTheOthers() throws Exception {
    out.blockWrites();
    writer.sendQueued(publish(0, 10), true);
    await().atMost(TIMEOUT).until(() -> out.blockedWriters.get() == 1);
    int bound = Writer.ANSWERS_HIGH_WATER_BYTES / 4;
    for (int id = 1; id <= bound; id++) {
      writer.sendAnswer(new PubackPacket(id));
    }
    AtomicReference<Boolean> queued = new AtomicReference<>();
    Thread sender =
        Thread.ofVirtual().start(() -> queued.set(writer.sendAnswer(new PubackPacket(bound + 1))));
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                sender.getState() == Thread.State.WAITING
                    || sender.getState() == Thread.State.TIMED_WAITING);
    assertThat(queued.get()).isNull();
    out.release.countDown();
    sender.join(TIMEOUT);
    assertThat(queued.get()).isTrue();
    assertThat(owner.failure.get()).isNull();
  }

  @Test
  void aLargeBufferIsWrittenInChunksOfAtMost64KiBEachTimedAsItIsWritten() throws Exception {
    out.blockWrites();
    assertThat(writer.stalledSince()).isZero();
    writer.sendQueued(publish(1, 300 * 1024), true);
    await().atMost(TIMEOUT).until(() -> out.blockedWriters.get() == 1);
    assertThat(writer.stalledSince()).as("a write call in progress").isNotZero();
    out.release.countDown();
    await().atMost(TIMEOUT).until(() -> out.bytes().length > 300 * 1024);
    await().atMost(TIMEOUT).until(() -> writer.stalledSince() == 0);
    assertThat(out.largestWrite.get()).isLessThanOrEqualTo(64 * 1024);
    assertThat(out.writes.get()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void aCallerWhoseOwnWriteWasStuckUntilTheConnectionFailedIsToldTheOperationTimedOut()
      throws Exception {
    out.blockWrites();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread caller =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    writer.send(publish(1, 10), () -> "publish 1", deadline(), TIMEOUT);
                  } catch (Throwable t) {
                    failure.set(t);
                  }
                });
    await().atMost(TIMEOUT).until(() -> out.blockedWriters.get() == 1);
    assertThat(out.writers).isEmpty();
    // What the connection does when its KeepAlive sees the stuck write: fail, then abort the
    // socket.
    WriteStalledException stalled =
        new WriteStalledException("the broker took no bytes for 2000 ms", Duration.ofSeconds(2));
    writer.fail(stalled);
    out.failWith(new java.net.SocketException("Socket closed"));
    out.release.countDown();
    caller.join(TIMEOUT);
    assertThat(failure.get())
        .isInstanceOf(OperationTimeoutException.class)
        .hasMessageContaining("publish 1 could not be written: the broker took no bytes")
        .hasCause(stalled);
  }

  private void fillToHighWater() throws InterruptedException {
    int i = 1;
    while ((writer.queued() + 1) * 1064L <= Writer.HIGH_WATER_BYTES) {
      writer.send(publish(i++, 1000), () -> "publish", deadline(), TIMEOUT);
    }
  }

  /**
   * Blocks writes and has a caller write a lone publish directly, which then blocks in the write
   * and owns the output; returns that publish. Released by {@code out.release}.
   */
  private PublishPacket occupyOutput() {
    out.blockWrites();
    PublishPacket lone = publish(0, 10);
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                writer.send(lone, () -> "publish 0", deadline(), TIMEOUT);
              } catch (Throwable t) {
                // the test's end fails the writer under the blocked write
              }
            });
    await().atMost(TIMEOUT).until(() -> out.blockedWriters.get() == 1);
    assertThat(writer.thread()).as("written directly").isNull();
    return lone;
  }

  private static long deadline() {
    return System.nanoTime() + TIMEOUT.toNanos();
  }

  private static PublishPacket publish(int n, int size) {
    return new PublishPacket("t/" + n, new byte[size], QoS.AT_MOST_ONCE, false, false, 0);
  }

  private static byte[] encoded(List<? extends Packet> packets) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    packets.forEach(p -> b.writeBytes(CODEC.encode(p)));
    return b.toByteArray();
  }

  /** Records writes; can block them until released, or fail them. */
  private static final class RecordingOutput extends OutputStream {
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger largestWrite = new AtomicInteger();
    final java.util.Set<Thread> writers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final AtomicInteger blockedWriters = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private volatile boolean block;
    private volatile IOException failure;

    void blockWrites() {
      block = true;
    }

    void failWith(IOException e) {
      failure = e;
    }

    synchronized byte[] bytes() {
      return data.toByteArray();
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (failure != null) {
        throw failure;
      }
      if (block) {
        blockedWriters.incrementAndGet();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
        if (failure != null) {
          throw failure; // the socket was closed under the blocked write
        }
      }
      writes.incrementAndGet();
      largestWrite.accumulateAndGet(len, Math::max);
      writers.add(Thread.currentThread());
      synchronized (this) {
        data.write(b, off, len);
      }
    }
  }

  private static final class RecordingOwner implements Writer.Owner {
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final java.util.concurrent.atomic.AtomicBoolean finished =
        new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public void fail(Throwable cause) {
      failure.compareAndSet(null, cause);
    }

    @Override
    public void writerFinished() {
      finished.set(true);
    }

    @Override
    public String writerThreadName() {
      return "writer-test";
    }
  }

  @Test
  void theWriterIsTickedOnlyWhileItHoldsAThreadOrABuffer() throws Exception {
    assertThat(ticks.watched).as("a new writer holds nothing").isEmpty();

    PublishPacket first = publish(1, 10);
    writer.sendQueued(first, true);
    Thread started = writer.thread();
    assertThat(ticks.watched).as("a thread started").containsExactly(writer);
    await().atMost(TIMEOUT).until(() -> started.getState() == Thread.State.WAITING);

    writer.retireIfIdle(writer.lastWriteNanos() + Writer.LINGER_NANOS);
    assertThat(started.join(TIMEOUT)).isTrue();
    assertThat(ticks.watched).as("the thread ended; the next tick sees it").hasSize(1);
    writer.retireIfIdle(writer.lastWriteNanos() + Writer.LINGER_NANOS);
    assertThat(ticks.watched).as("nothing held, no longer ticked").isEmpty();
    assertThat(writer.holdsEncodingBuffer()).isFalse();
  }

  /** A tick source that only records what is registered: the test runs the ticks. */
  private static final class WatchedTasks implements TickSource {
    final java.util.Set<Ticker.Task> watched = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public void register(Ticker.Task task) {
      watched.add(task);
    }

    @Override
    public void unregister(Ticker.Task task) {
      watched.remove(task);
    }
  }
}
