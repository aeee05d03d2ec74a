package io.vmqtt.websocket.internal;

import static io.vmqtt.websocket.internal.Targets.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link WebSocketTransport#close()}: the Close frame, waking both sides, and its bound. That no
 * thread is left is tested with the whole client, in the integration tests.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CloseTest {
  @Test
  void closeSendsACloseFrameWithCode1000() throws Exception {
    try (TestWebSocketServer server = TestWebSocketServer.running("mqtt")) {
      WebSocketTransport t = open(server.uri("/mqtt"));

      t.close();

      assertThat(server.takeCloseFrame()).isEqualTo("1000 remote=true");
    }
  }

  @Test
  void closeIsIdempotent() throws Exception {
    try (TestWebSocketServer server = TestWebSocketServer.running("mqtt")) {
      WebSocketTransport t = open(server.uri("/mqtt"));

      t.close();
      t.close();
      t.input().close();
      t.output().close();

      assertThat(server.takeCloseFrame()).isEqualTo("1000 remote=true");
    }
  }

  @Test
  void closeWakesAReaderWaitingForBytes() throws Exception {
    try (TestWebSocketServer server = TestWebSocketServer.running("mqtt")) {
      WebSocketTransport t = open(server.uri("/mqtt"));
      CompletableFuture<Integer> read = new CompletableFuture<>();
      Thread reader =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      read.complete(t.input().read());
                    } catch (Throwable e) {
                      read.completeExceptionally(e);
                    }
                  });
      await("the reader waiting").atMost(Duration.ofSeconds(10)).until(() -> isWaiting(reader));

      t.close();

      assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(IOException.class)
          .hasMessage("the WebSocket to " + server.uri("/mqtt") + " was closed by the client");
    }
  }

  @Test
  void writingAfterCloseFailsNamingTheTarget() throws Exception {
    try (TestWebSocketServer server = TestWebSocketServer.running("mqtt")) {
      WebSocketTransport t = open(server.uri("/mqtt"));
      t.close();

      OutputStream out = t.output();
      out.write(new byte[] {(byte) 0xC0, 0x00});
      assertThatThrownBy(out::flush)
          .isInstanceOf(IOException.class)
          .hasMessage("the WebSocket to " + server.uri("/mqtt") + " is closed");
    }
  }

  /**
   * A server that reads nothing: the writer blocks once the socket buffers are full. close() still
   * returns, after at most the Close-frame wait, and the blocked write fails.
   */
  @Test
  void closeReturnsAndFailsABlockedWriteWhenTheServerReadsNothing() throws Exception {
    try (ScriptedHttpServer server =
        new ScriptedHttpServer(
            request ->
                ScriptedHttpServer.switchingProtocols(request, "Sec-WebSocket-Protocol: mqtt"))) {
      WebSocketTransport t = open(server.uri("/mqtt"));
      CompletableFuture<Void> writing = new CompletableFuture<>();
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      byte[] chunk = new byte[64 * 1024];
                      while (true) {
                        t.output().write(chunk);
                        t.output().flush();
                      }
                    } catch (Throwable e) {
                      writing.completeExceptionally(e);
                    }
                  });
      await("the writer blocked on a full socket")
          .atMost(Duration.ofSeconds(20))
          .until(() -> isWaiting(writer));

      long start = System.nanoTime();
      t.close();

      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(WebSocketTransport.CLOSE_FRAME_WAIT.plusSeconds(5));
      assertThatThrownBy(() -> writing.get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(IOException.class);
    }
  }

  private static boolean isWaiting(Thread t) {
    Thread.State s = t.getState();
    return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
  }
}
