package io.vmqtt.vthreads.internal;

import io.vmqtt.ProtocolException;
import io.vmqtt.vthreads.internal.codec.AuthPacket;
import io.vmqtt.vthreads.internal.codec.ConnackPacket;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.PacketReader;
import io.vmqtt.vthreads.internal.codec.PingrespPacket;

/**
 * The inbound side of one connection: reads packets and hands each on, on the connection's reader
 * thread. It never blocks on the writer, on the application or on a full queue: everything it calls
 * only queues. One wait, before the connection is in use: with MQTT 5 enhanced authentication, the
 * accepting CONNACK waits for the authenticating thread to accept the server's data ({@link
 * AuthChannel#approve}, bounded by {@code connect_timeout}), since nothing may be read or sent on a
 * connection whose server did not prove itself. Any failure, including a malformed packet, fails
 * the connection.
 */
final class Reader implements Runnable {
  private final PacketReader in;
  private final Connection connection;
  private final PacketTrace trace;

  Reader(PacketReader in, Connection connection, PacketTrace trace) {
    this.in = in;
    this.connection = connection;
    this.trace = trace;
  }

  @Override
  public void run() {
    try {
      readConnack();
      while (connection.isOpen()) {
        Packet p = read();
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
    } catch (ProtocolException e) {
      connection.failWithDisconnect(e);
    } catch (Throwable t) {
      connection.fail(t);
    } finally {
      connection.onEndOfRead();
    }
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
