package io.vmqtt.vthreads.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Parking a socket transport's input with the JVM-wide idle selector, over real loopback sockets:
 * the callback runs once the socket is readable, a write takes the socket back and arrives, a close
 * lets the selector go of the socket, and none of it loses a byte.
 */
class SocketTransportParkingTest {
  private static final long WAIT_SECONDS = 5;

  private ServerSocket server;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void listen() throws IOException {
    server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void closeAll() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    server.close();
  }

  @Test
  void aParkedInputRunsItsCallbackOnceBytesArriveAndReadsThemInBlockingModeAgain()
      throws Exception {
    SocketTransport t = connect();
    Socket peer = accept();
    CountDownLatch readable = new CountDownLatch(1);

    assertThat(t.park(readable::countDown)).isTrue();
    assertThat(readable.getCount()).as("nothing to read yet").isEqualTo(1);
    peer.getOutputStream().write(new byte[] {42, 43});

    assertThat(readable.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(t.input().readNBytes(2)).containsExactly(42, 43);
  }

  @Test
  void bytesTheQuietHandlerTakesKeepTheInputParkedAndTheRestAreTheReadersFirst() throws Exception {
    SocketTransport t = connect();
    Socket peer = accept();
    List<byte[]> offered = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch readable = new CountDownLatch(1);
    assertThat(
            t.park(
                (bytes, length) -> {
                  offered.add(java.util.Arrays.copyOf(bytes, length));
                  return bytes[0] == (byte) 0xD0; // takes what starts like a PINGRESP
                },
                readable::countDown))
        .isTrue();

    peer.getOutputStream().write(new byte[] {(byte) 0xD0, 0});
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> offered.size() == 1);
    peer.getOutputStream().write(new byte[] {0x30, 2, 7, 8});

    assertThat(readable.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(offered).hasSize(2);
    assertThat(offered.get(0)).containsExactly(0xD0, 0);
    // The refused bytes come first, then what the socket holds since, and nothing taken twice.
    peer.getOutputStream().write(new byte[] {9});
    assertThat(t.input().readNBytes(5)).containsExactly(0x30, 2, 7, 8, 9);
  }

  @Test
  void aQuietHandlerThatThrowsLeavesTheBytesToTheReader() throws Exception {
    SocketTransport t = connect();
    Socket peer = accept();
    CountDownLatch readable = new CountDownLatch(1);
    assertThat(
            t.park(
                (bytes, length) -> {
                  throw new IllegalStateException("a bug in the handler");
                },
                readable::countDown))
        .isTrue();

    peer.getOutputStream().write(new byte[] {(byte) 0xD0, 0});

    assertThat(readable.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(t.input().readNBytes(2)).containsExactly(0xD0, 0);
  }

  @Test
  void thePeerClosingAParkedInputIsTheReadersEndOfStream() throws Exception {
    SocketTransport t = connect();
    Socket peer = accept();
    CountDownLatch readable = new CountDownLatch(1);
    assertThat(t.park((bytes, length) -> true, readable::countDown)).isTrue();

    peer.close();

    assertThat(readable.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(t.input().read()).isEqualTo(-1);
  }

  @Test
  void anInputParkedWithBytesAlreadyWaitingResumesAtOnceEveryTime() throws Exception {
    // The selector may see the socket readable before park() has returned: the callback must run
    // even then. Many rounds, since how the two threads interleave varies.
    SocketTransport t = connect();
    Socket peer = accept();
    for (int round = 0; round < 200; round++) {
      peer.getOutputStream().write(round & 0x7F);
      await("byte " + round + " to be readable")
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1))
          .atMost(Duration.ofSeconds(WAIT_SECONDS))
          .until(() -> t.channel().socket().getInputStream().available() > 0);
      CountDownLatch readable = new CountDownLatch(1);
      assertThat(t.park(readable::countDown)).isTrue();
      assertThat(readable.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("round %d", round).isTrue();
      assertThat(t.input().read()).isEqualTo(round & 0x7F);
    }
  }

  @Test
  void aCallbackThatFailsEvenWithAnErrorDoesNotStopTheSelectorServingTheOthers() throws Exception {
    SocketTransport failing = connect();
    Socket failingPeer = accept();
    SocketTransport healthy = connect();
    Socket healthyPeer = accept();
    CountDownLatch thrown = new CountDownLatch(1);
    assertThat(
            failing.park(
                () -> {
                  thrown.countDown();
                  throw new OutOfMemoryError("planted: unable to create native thread");
                }))
        .isTrue();
    failingPeer.getOutputStream().write(1);
    assertThat(thrown.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    CountDownLatch readable = new CountDownLatch(1);
    assertThat(healthy.park(readable::countDown)).isTrue();
    healthyPeer.getOutputStream().write(2);

    assertThat(readable.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(healthy.input().read()).isEqualTo(2);
  }

  @Test
  void aSmallWriteOnAParkedInputLeavesAtOnceAndTheInputStaysParked() throws Exception {
    SocketTransport t = connect();
    Socket peer = accept();
    CountDownLatch readable = new CountDownLatch(1);
    assertThat(t.park(readable::countDown)).isTrue();

    t.output().write(new byte[] {1, 2, 3});

    assertThat(peer.getInputStream().readNBytes(3)).containsExactly(1, 2, 3);
    assertThat(readable.getCount()).as("still parked: nothing to read").isEqualTo(1);
    peer.getOutputStream().write(9);
    assertThat(readable.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(t.input().read()).isEqualTo(9);
  }

  @Test
  void aWriteLargerThanTheSocketTakesHasTheSocketTakenBackAndArrivesWhole() throws Exception {
    SocketTransport t = connect();
    Socket peer = accept();
    CountDownLatch resumed = new CountDownLatch(1);
    assertThat(t.park(resumed::countDown)).isTrue();
    byte[] large = new byte[16 << 20];
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) i;
    }
    AtomicInteger failures = new AtomicInteger();
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    t.output().write(large);
                  } catch (IOException e) {
                    failures.incrementAndGet();
                  }
                });

    assertThat(resumed.await(WAIT_SECONDS, TimeUnit.SECONDS))
        .as("the rest of the write took the socket back, which resumes the reader")
        .isTrue();
    assertThat(peer.getInputStream().readNBytes(large.length)).isEqualTo(large);
    assertThat(writer.join(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
    assertThat(failures).hasValue(0);
  }

  @Test
  void closingAParkedTransportClosesTheSocketAndResumesTheReaderToSeeIt() throws Exception {
    SocketTransport t = connect();
    Socket peer = accept();
    CountDownLatch resumed = new CountDownLatch(1);
    assertThat(t.park(resumed::countDown)).isTrue();

    t.close();

    peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertThat(peer.getInputStream().read())
        .as("the peer reads the end of the stream")
        .isEqualTo(-1);
    assertThat(resumed.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(t.park(() -> {})).as("a closed socket is not parked").isFalse();
  }

  @Test
  void aTimedReadGivesUpAndTheNextReadWaitsAsLongAsItTakes() throws Exception {
    SocketTransport t = connect();
    Socket peer = accept();
    InputStream in = t.input();

    t.timeNextRead(50);
    assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);

    AtomicInteger read = new AtomicInteger(-2);
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    read.set(in.read());
                  } catch (IOException e) {
                    read.set(-3);
                  }
                });
    // A timed read would wait TIMED_WAITING; the read after the timeout waits untimed.
    await("the next read to wait untimed")
        .atMost(Duration.ofSeconds(WAIT_SECONDS))
        .until(() -> reader.getState() == Thread.State.WAITING);
    peer.getOutputStream().write(7);
    assertThat(reader.join(Duration.ofSeconds(WAIT_SECONDS))).isTrue();
    assertThat(read).hasValue(7);
  }

  @Test
  void aSocketWithoutAChannelIsNeverParked() throws Exception {
    Socket plain = new Socket();
    sockets.add(plain);
    plain.connect(server.getLocalSocketAddress());
    SocketTransport t = new SocketTransport(plain, "plain");

    assertThat(t.park(() -> {})).isFalse();
  }

  @Test
  void aPeerThatStopsReadingKeepsTheWriteAndTheInputIsNotParkedUnderIt() throws Exception {
    SocketTransport t = connect();
    accept(); // never reads
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    t.output().write(new byte[64 << 20]);
                  } catch (IOException expectedOnClose) {
                    // the socket closes at the end of the test
                  }
                });
    await("the write to block")
        .atMost(Duration.ofSeconds(WAIT_SECONDS))
        .until(() -> writer.getState() == Thread.State.WAITING);

    assertThat(t.park(() -> {})).as("parking while a write holds the socket").isFalse();

    t.close();
    assertThat(writer.join(Duration.ofSeconds(WAIT_SECONDS))).as("the write ended").isTrue();
  }

  @Test
  void twoHundredParkedInputsEachResumeOnceWhenTheirPeerWrites() throws Exception {
    int n = 200;
    List<SocketTransport> transports = new ArrayList<>();
    List<Socket> peers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      transports.add(connect());
      peers.add(accept());
    }
    AtomicInteger resumes = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(n);
    for (SocketTransport t : transports) {
      assertThat(
              t.park(
                  () -> {
                    resumes.incrementAndGet();
                    all.countDown();
                  }))
          .isTrue();
    }
    for (Socket p : peers) {
      p.getOutputStream().write(5);
    }

    assertThat(all.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    for (SocketTransport t : transports) {
      assertThat(t.input().read()).isEqualTo(5);
    }
    assertThat(resumes).hasValue(n);
  }

  private SocketTransport connect() throws IOException {
    Socket s = SocketChannel.open().socket();
    sockets.add(s);
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
    return new SocketTransport(s, "test");
  }

  private Socket accept() throws IOException {
    Socket s = server.accept();
    sockets.add(s);
    return s;
  }
}
