package io.vmqtt.vthreads.internal;

import io.vmqtt.ProtocolException;
import io.vmqtt.vthreads.internal.codec.AuthPacket;
import io.vmqtt.vthreads.internal.codec.ConnackPacket;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.PacketReader;
import io.vmqtt.vthreads.internal.codec.PacketType;
import io.vmqtt.vthreads.internal.codec.PingrespPacket;
import io.vmqtt.vthreads.internal.transport.ParkableInput;

/**
 * The inbound side of one connection: reads packets and hands each on, on the connection's reader
 * thread. It never blocks on the writer, on the application or on a full queue: everything it calls
 * only queues. One wait, before the connection is in use: with MQTT 5 enhanced authentication, the
 * accepting CONNACK waits for the authenticating thread to accept the server's data ({@link
 * AuthChannel#approve}, bounded by {@code connect_timeout}), since nothing may be read or sent on a
 * connection whose server did not prove itself. Any failure, including a malformed packet, fails
 * the connection.
 *
 * <p>Over a transport that can park its input (plain TCP), the thread ends while the connection is
 * quiet: a read between packets that sees no byte for {@link #PARK_AFTER_MILLIS} parks the input
 * with the JVM-wide idle selector, and so does a PINGRESP with nothing after it (the keep-alive
 * pings only a connection that sent nothing for most of a period), and when bytes arrive (or a
 * write needs the socket back) {@link Connection#resumeReader} starts a new thread here. An idle
 * connection then holds no stack.
 */
final class Reader implements Runnable {
  /**
   * A connection whose transport can park its input ({@link ParkableInput}) gives its reader thread
   * up after this long without a byte, between packets: one second.
   */
  static final int PARK_AFTER_MILLIS = 1000;

  /**
   * At most this many reads per second are timed for parking: a timed read that waits costs the JDK
   * a timer task, which a busy connection should not pay per read. A connection busy until a moment
   * ago parks at its next quiet read after the next packet (at the latest the PINGRESP of its
   * keep-alive).
   */
  private static final int TIMED_READS_PER_SECOND = 16;

  /** A PINGRESP is this byte and a remaining length of 0, at every protocol level. */
  private static final byte PINGRESP_FIRST_BYTE = (byte) (PacketType.PINGRESP.value() << 4);

  private final PacketReader in;
  private final Connection connection;
  private final PacketTrace trace;
  private final ParkableInput parkable;
  private long windowStartNanos;
  private int timedReadsInWindow;

  /**
   * @param parkable the transport's input when it can be parked, else null: the reader then keeps
   *     its thread for the connection's life
   */
  Reader(PacketReader in, Connection connection, PacketTrace trace, ParkableInput parkable) {
    this.in = in;
    this.connection = connection;
    this.trace = trace;
    this.parkable = parkable;
  }

  /** Reads the connection from its first packet, CONNACK. */
  @Override
  public void run() {
    read(true);
  }

  /** Reads on after the input was parked, on a new thread ({@link Connection#resumeReader}). */
  void resume() {
    read(false);
  }

  private void read(boolean first) {
    boolean parked = false;
    try {
      if (first) {
        readConnack();
      }
      parked = readPackets();
    } catch (ProtocolException e) {
      connection.failWithDisconnect(e);
    } catch (Throwable t) {
      connection.fail(t);
    } finally {
      if (!parked) {
        connection.onEndOfRead();
      }
    }
  }

  /**
   * Reads until the connection ends.
   *
   * @return true when the input was parked instead: the thread ends, and a new one resumes
   */
  private boolean readPackets() throws java.io.IOException, InterruptedException {
    boolean pingAnswered = false;
    while (connection.isOpen()) {
      Packet p;
      if (pingAnswered && in.isEmpty() && park()) {
        return true; // the keep-alive's exchange on a quiet connection: no second of waiting
      }
      if (in.isEmpty() && timesThisRead()) {
        parkable.timeNextRead(PARK_AFTER_MILLIS);
        try {
          p = read();
        } catch (java.net.SocketTimeoutException quiet) {
          if (park()) {
            return true;
          }
          continue; // a write holds the socket: read on
        }
      } else {
        p = read();
      }
      pingAnswered = p instanceof PingrespPacket && parkable != null;
      switch (p) {
        case PingrespPacket ignored -> connection.onPingresp();
        case ConnackPacket ignored ->
            throw new ProtocolException(
                "Protocol violation: a second CONNACK on one connection [MQTT-3.2.0-1]");
        default -> connection.onPacket(p);
      }
      if (!in.hasBufferedPacket()) {
        // Before waiting for the network: a burst read at once wakes each consumer once.
        connection.onEndOfRead();
      }
    }
    return false;
  }

  /** Parks the empty input: true when this thread may end, false when a write holds the socket. */
  private boolean park() {
    // Before parking: once parked, a new reader may start at once and owns the buffer.
    in.releaseBuffer();
    if (parkable.park(this::pingrespsWhileParked, connection::resumeReader)) {
      connection.readerParked();
      return true;
    }
    return false;
  }

  /**
   * Bytes that arrived while the input was parked, on the idle selector's thread: the keep-alive's
   * answer alone (one PINGRESP or more, whole) is taken there, so a quiet connection keeps no
   * reader thread across its keep-alive exchange; anything else is left to a new reader thread.
   */
  private boolean pingrespsWhileParked(byte[] bytes, int length) {
    if (length % 2 != 0 || !connection.isOpen()) {
      return false;
    }
    for (int i = 0; i < length; i += 2) {
      if (bytes[i] != PINGRESP_FIRST_BYTE || bytes[i + 1] != 0) {
        return false;
      }
    }
    connection.bytesArrived();
    if (trace.enabled()) {
      for (int i = 0; i < length; i += 2) {
        trace.in(PingrespPacket.INSTANCE);
      }
    }
    connection.onPingresp(); // answers every ping waiting, however many PINGRESPs came
    return true;
  }

  /** Whether the next read is timed for parking: see {@link #TIMED_READS_PER_SECOND}. */
  private boolean timesThisRead() {
    if (parkable == null) {
      return false;
    }
    long now = System.nanoTime();
    if (now - windowStartNanos > 1_000_000_000L) {
      windowStartNanos = now;
      timedReadsInWindow = 0;
    }
    return timedReadsInWindow++ < TIMED_READS_PER_SECOND;
  }

  /**
   * Reads up to CONNACK. MQTT 5 enhanced authentication puts AUTH packets before it (section 4.12):
   * each is handed to the authenticating thread, which answers it.
   */
  private void readConnack() throws java.io.IOException, InterruptedException {
    Packet p = readFirst();
    while (p instanceof AuthPacket auth) {
      connection.onAuth(auth);
      p = read();
    }
    if (!(p instanceof ConnackPacket connack)) {
      throw new ProtocolException(
          "Protocol violation: the first packet from the server must be CONNACK, was "
              + p.type()
              + " [MQTT-3.2.0-1]");
    }
    connection.onConnack(connack);
  }

  private Packet readFirst() throws java.io.IOException {
    Packet p;
    try {
      p = read();
    } catch (ProtocolException e) {
      // A peer that is not an MQTT broker (an HTTP server, say) fails here; say so plainly.
      throw new ProtocolException(
          "the first packet from "
              + connection.describe()
              + " is not a valid CONNACK (is it an MQTT broker?): "
              + e.getMessage(),
          e);
    }
    return p;
  }

  private Packet read() throws java.io.IOException {
    Packet p = in.read();
    if (trace.enabled()) {
      trace.in(p);
    }
    return p;
  }
}
