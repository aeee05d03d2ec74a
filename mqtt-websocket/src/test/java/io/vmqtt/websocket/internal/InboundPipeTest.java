package io.vmqtt.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vmqtt.ProtocolException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link InboundPipe}: order across the ring's wrap-around, the bound, and how it ends. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InboundPipeTest {
  private final AtomicInteger closes = new AtomicInteger();

  @Test
  void bytesComeOutInOrderAcrossTheEndOfTheRing() throws IOException {
    InboundPipe pipe = new InboundPipe(8, closes::incrementAndGet);

    pipe.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6}));
    assertThat(pipe.readNBytes(5)).containsExactly(1, 2, 3, 4, 5);
    pipe.write(ByteBuffer.wrap(new byte[] {7, 8, 9, 10, 11, 12, 13}));

    assertThat(pipe.available()).isEqualTo(8);
    assertThat(pipe.readNBytes(8)).containsExactly(6, 7, 8, 9, 10, 11, 12, 13);
  }

  @Test
  void aWriteLargerThanTheRoomWaitsUntilTheReaderMakesRoom() throws Exception {
    InboundPipe pipe = new InboundPipe(4, closes::incrementAndGet);
    byte[] data = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    CompletableFuture<Void> written = new CompletableFuture<>();
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  pipe.write(ByteBuffer.wrap(data));
                  written.complete(null);
                });
    await("the writer waiting for room")
        .atMost(Duration.ofSeconds(10))
        .until(() -> writer.getState() == Thread.State.WAITING && pipe.available() == 4);
    assertThat(written).isNotDone();

    assertThat(pipe.readNBytes(10)).isEqualTo(data);
    written.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aCleanEndGivesTheBufferedBytesThenEndOfStream() throws IOException {
    InboundPipe pipe = new InboundPipe(8, closes::incrementAndGet);
    pipe.write(ByteBuffer.wrap(new byte[] {1, 2}));

    pipe.end(null);

    assertThat(pipe.read()).isEqualTo(1);
    assertThat(pipe.read(new byte[4], 0, 4)).isEqualTo(1);
    assertThat(pipe.read()).isEqualTo(-1);
    assertThat(pipe.read()).isEqualTo(-1);
  }

  @Test
  void aFailureIsThrownOnceTheBufferedBytesAreReadAndTheFirstEndWins() throws IOException {
    InboundPipe pipe = new InboundPipe(8, closes::incrementAndGet);
    pipe.write(ByteBuffer.wrap(new byte[] {1}));
    IOException first = new IOException("reset by peer");

    pipe.end(first);
    pipe.end(new IOException("second"));

    assertThat(pipe.read()).isEqualTo(1);
    assertThatThrownBy(pipe::read).isSameAs(first);
  }

  @Test
  void aProtocolViolationIsThrownAsItIs() {
    InboundPipe pipe = new InboundPipe(8, closes::incrementAndGet);
    ProtocolException violation = new ProtocolException("text frame [MQTT-6.0.0-1]");

    pipe.end(violation);

    assertThatThrownBy(pipe::read).isSameAs(violation);
  }

  @Test
  void endingWakesAWaitingWriterWhichDropsTheRest() throws Exception {
    InboundPipe pipe = new InboundPipe(2, closes::incrementAndGet);
    CompletableFuture<Void> written = new CompletableFuture<>();
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  pipe.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
                  written.complete(null);
                });
    await("the writer waiting")
        .atMost(Duration.ofSeconds(10))
        .until(() -> writer.getState() == Thread.State.WAITING);

    pipe.end(null);

    written.get(10, TimeUnit.SECONDS);
    assertThat(pipe.readNBytes(4)).containsExactly(1, 2);
  }

  @Test
  void endingWakesAWaitingReader() throws Exception {
    InboundPipe pipe = new InboundPipe(2, closes::incrementAndGet);
    CompletableFuture<Integer> read = new CompletableFuture<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    read.complete(pipe.read());
                  } catch (IOException e) {
                    read.completeExceptionally(e);
                  }
                });
    await("the reader waiting")
        .atMost(Duration.ofSeconds(10))
        .until(() -> reader.getState() == Thread.State.WAITING);

    pipe.end(new IOException("gone"));

    assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .hasMessage("gone");
  }

  @Test
  void anInterruptedReaderGetsInterruptedIoExceptionAndKeepsItsFlag() throws Exception {
    InboundPipe pipe = new InboundPipe(2, closes::incrementAndGet);
    CompletableFuture<Boolean> flagKept = new CompletableFuture<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    pipe.read();
                    flagKept.completeExceptionally(new AssertionError("read returned"));
                  } catch (InterruptedIOException e) {
                    flagKept.complete(Thread.currentThread().isInterrupted());
                  } catch (IOException e) {
                    flagKept.completeExceptionally(e);
                  }
                });
    await("the reader waiting")
        .atMost(Duration.ofSeconds(10))
        .until(() -> reader.getState() == Thread.State.WAITING);

    reader.interrupt();

    assertThat(flagKept.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void closingTheStreamClosesTheTransport() {
    InboundPipe pipe = new InboundPipe(2, closes::incrementAndGet);

    pipe.close();

    assertThat(closes).hasValue(1);
  }
}
