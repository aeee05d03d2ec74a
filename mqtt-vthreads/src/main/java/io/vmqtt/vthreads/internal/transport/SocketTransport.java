package io.vmqtt.vthreads.internal.transport;

import io.vmqtt.spi.Transport;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Transport} over a connected socket. {@link #close()} is thread-safe and idempotent.
 *
 * <p>Over a socket channel the input can be parked ({@link ParkableInput}): the channel is then in
 * non-blocking mode and registered with the JVM-wide {@link IdleReads} selector. A write meanwhile
 * writes what the socket takes at once (a PINGREQ, a lone publish: all of it), and has the channel
 * taken back into blocking mode for the rest (the mode is the channel's, both directions'). Writes
 * and the mode switches share one lock; the reader only tries it, so a write stuck behind a broker
 * that stopped reading never keeps the reader waiting.
 */
public final class SocketTransport implements Transport, ParkableInput {
  /** How long a write waits for the idle selector to give the socket back; a bug past this. */
  private static final long UNPARK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /**
   * What the idle selector reads of a readable parked channel: more than a few keep-alive answers;
   * a read that fills it leaves the rest to the reader.
   */
  private static final int QUIET_READ_BYTES = 64;

  private final Socket socket;
  private final SocketChannel channel;
  private final String description;
  private final TimedInput input;
  private final OutputStream output;
  private final ReentrantLock modeLock = new ReentrantLock();
  private final Condition unparked = modeLock.newCondition();

  /** Written under {@link #modeLock}; read without it by {@link #close()}. */
  private volatile boolean parked;

  /** What {@link #unpark} runs; under {@link #modeLock}. */
  private Runnable onReadable;

  /** What may take the bytes that arrive while parked; under {@link #modeLock}. */
  private QuietBytes quiet;

  /**
   * Bytes read while parked and not handled there, or the failure of that read: the next reads
   * return them first. Set by the idle selector while parked, read by the reader started after.
   */
  private byte[] pushback;

  private int pushbackStart;
  private int pushbackEnd;
  private IOException pushbackFailure;

  public SocketTransport(Socket socket, String description) {
    this.socket = socket;
    this.channel = socket.getChannel();
    this.description = description;
    try {
      this.input = new TimedInput(socket.getInputStream());
      this.output = new ParkAwareOutput(socket.getOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public InputStream input() {
    return input;
  }

  @Override
  public OutputStream output() {
    return output;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() throws IOException {
    socket.close();
    if (parked) {
      IdleReads.INSTANCE.wake(this); // the selector lets go of the socket, which closes it
    }
  }

  @Override
  public void timeNextRead(int millis) {
    input.nextTimeout = millis;
  }

  @Override
  public boolean park(QuietBytes quiet, Runnable onReadable) {
    if (channel == null || !modeLock.tryLock()) {
      return false;
    }
    try {
      if (!channel.isOpen()) {
        return false;
      }
      channel.configureBlocking(false);
      // Parked before the selector may see it: its unpark, which can come at once, checks this.
      this.onReadable = onReadable;
      this.quiet = quiet;
      parked = true;
      try {
        IdleReads.INSTANCE.register(this);
      } catch (IOException e) {
        parked = false;
        this.onReadable = null;
        this.quiet = null;
        channel.configureBlocking(true);
        return false;
      }
      return true;
    } catch (IOException e) {
      return false; // closed meanwhile: the next read says so
    } finally {
      modeLock.unlock();
    }
  }

  SocketChannel channel() {
    return channel;
  }

  /**
   * The parked channel is readable: reads what it holds, without blocking, and offers it to the
   * {@link QuietBytes}. On the idle selector's thread.
   *
   * @return true when the channel stays parked (the bytes were handled, or there were none); false
   *     when the reader must come back: the bytes are kept for it, or the read failed or saw the
   *     end of the stream, or a write holds the socket now
   */
  boolean readWhileParked() {
    if (!parked || !modeLock.tryLock()) {
      return false;
    }
    try {
      if (!parked) {
        return false;
      }
      byte[] bytes = new byte[QUIET_READ_BYTES];
      int n;
      try {
        n = channel.read(ByteBuffer.wrap(bytes));
      } catch (IOException e) {
        pushbackFailure = e;
        return false;
      }
      if (n == 0) {
        return true;
      }
      if (n < 0) {
        return false; // the end of the stream stays: the reader's read sees it too
      }
      if (n < bytes.length && handledQuietly(bytes, n)) {
        return true;
      }
      pushback = bytes;
      pushbackStart = 0;
      pushbackEnd = n;
      return false;
    } finally {
      modeLock.unlock();
    }
  }

  private boolean handledQuietly(byte[] bytes, int n) {
    try {
      return quiet.handled(bytes, n);
    } catch (RuntimeException | Error e) {
      return false; // the reader reads the bytes again, and its handling says what is wrong
    }
  }

  /**
   * The selector has let go of the channel (it was readable, a write wanted it, or it closed):
   * blocking mode again, waiting writes go on, and the reader is restarted. On the idle selector's
   * thread, the only one that unparks, so a channel seen parked stays parked until it does.
   */
  void unpark() {
    if (!parked) {
      // A late wake for a channel given back meanwhile. Not waiting for the lock: a write that a
      // stalled broker keeps may hold it, and this thread serves every parked connection.
      return;
    }
    Runnable resume;
    modeLock.lock(); // held only briefly while parked: by park(), or a write that does not block
    try {
      if (!parked) {
        return;
      }
      try {
        channel.configureBlocking(true);
      } catch (IOException e) {
        // Closed: the restarted reader's read fails and says so.
      }
      parked = false;
      resume = onReadable;
      onReadable = null;
      quiet = null;
      unparked.signalAll();
    } finally {
      modeLock.unlock();
    }
    resume.run();
  }

  /**
   * Under {@link #modeLock}, the channel parked (non-blocking): writes what the socket takes at
   * once, so a PINGREQ or a lone publish on a quiet connection leaves without taking the socket
   * back from the selector; the caller writes the rest, if any, once it has.
   *
   * @return the bytes written
   */
  private int writeWhileParked(byte[] b, int off, int len) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
    int written = 0;
    for (int n; buffer.hasRemaining() && (n = channel.write(buffer)) > 0; ) {
      written += n;
    }
    return written;
  }

  /** Under {@link #modeLock}: has the selector let go of a parked channel before a write. */
  private void awaitUnparked() throws IOException {
    if (!parked) {
      return;
    }
    IdleReads.INSTANCE.wake(this);
    long left = UNPARK_TIMEOUT_NANOS;
    try {
      while (parked) {
        if (left <= 0) {
          throw new IOException(
              description + ": the idle-read selector did not give the socket back in 10 s");
        }
        left = unparked.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the socket left the idle-read selector");
    }
  }

  /** The socket's input; one read at a time may be given a timeout. */
  private final class TimedInput extends FilterInputStream {
    /** The next read's timeout in milliseconds, 0 for none; reader thread only. */
    private int nextTimeout;

    TimedInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (pushback != null || pushbackFailure != null) {
        return readPushback(b, off, len);
      }
      int timeout = nextTimeout;
      if (timeout == 0) {
        return in.read(b, off, len);
      }
      nextTimeout = 0;
      socket.setSoTimeout(timeout);
      try {
        return in.read(b, off, len);
      } finally {
        resetTimeout();
      }
    }

    /** What the idle selector read and did not handle, before anything more from the socket. */
    private int readPushback(byte[] b, int off, int len) throws IOException {
      if (pushback == null) {
        IOException e = pushbackFailure;
        pushbackFailure = null;
        throw e;
      }
      if (len == 0) {
        return 0;
      }
      int n = Math.min(len, pushbackEnd - pushbackStart);
      System.arraycopy(pushback, pushbackStart, b, off, n);
      pushbackStart += n;
      if (pushbackStart == pushbackEnd) {
        pushback = null;
      }
      return n;
    }

    private void resetTimeout() {
      try {
        socket.setSoTimeout(0);
      } catch (SocketException e) {
        // Closed: nothing reads it any more.
      }
    }
  }

  /**
   * The socket's output; on a parked channel, what the socket does not take at once waits for it.
   */
  private final class ParkAwareOutput extends OutputStream {
    private final OutputStream out;

    ParkAwareOutput(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      modeLock.lock();
      try {
        int written = parked ? writeWhileParked(b, off, len) : 0;
        if (written < len) {
          awaitUnparked();
          out.write(b, off + written, len - written);
        }
      } finally {
        modeLock.unlock();
      }
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
