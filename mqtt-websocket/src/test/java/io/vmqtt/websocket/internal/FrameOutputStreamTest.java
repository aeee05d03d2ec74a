package io.vmqtt.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link FrameOutputStream}: one frame per flush, a full buffer as a frame of its own. */
class FrameOutputStreamTest {
  private final List<byte[]> frames = new ArrayList<>();
  private final AtomicInteger closes = new AtomicInteger();
  private final FrameOutputStream out =
      new FrameOutputStream(
          (b, off, len) -> frames.add(Arrays.copyOfRange(b, off, off + len)),
          closes::incrementAndGet,
          4);

  @Test
  void writesUpToAFlushAreOneFrame() throws IOException {
    out.write(1);
    out.write(new byte[] {2, 3});
    out.flush();

    assertThat(frames).containsExactly(new byte[] {1, 2, 3});
  }

  @Test
  void aFlushWithNothingWrittenSendsNoFrame() throws IOException {
    out.flush();
    out.write(1);
    out.flush();
    out.flush();

    assertThat(frames).containsExactly(new byte[] {1});
  }

  @Test
  void aFullBufferGoesOutAsAFrameOfItsOwnWhenMoreIsWritten() throws IOException {
    out.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    assertThat(frames).containsExactly(new byte[] {1, 2, 3, 4}, new byte[] {5, 6, 7, 8});

    out.flush();
    assertThat(frames).last().isEqualTo(new byte[] {9, 10});
  }

  @Test
  void exactlyABufferfulIsSentByTheFlush() throws IOException {
    out.write(new byte[] {1, 2, 3, 4});
    assertThat(frames).isEmpty();

    out.flush();
    assertThat(frames).containsExactly(new byte[] {1, 2, 3, 4});
  }

  @Test
  void theOffsetAndLengthOfAWriteAreHonoured() throws IOException {
    out.write(new byte[] {9, 1, 2, 9}, 1, 2);
    out.flush();

    assertThat(frames).containsExactly(new byte[] {1, 2});
  }

  @Test
  void closingTheStreamClosesTheTransport() {
    out.close();

    assertThat(closes).hasValue(1);
  }
}
