package io.vmqtt.it.interop;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An MQTT 3.1.1 client on a plain socket that does what vmqtt never does: it sends CONNECT (with a
 * keep-alive and a will) and then stays silent, as a device that hangs would. Not thread-safe.
 */
final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  RawClient(String host, int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 10_000);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /**
   * Sends CONNECT (clean session) with this keep-alive and a QoS 1 will, and returns the CONNACK
   * return code.
   */
  int connect(String clientId, int keepAliveSeconds, String willTopic, String willMessage)
      throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeString(body, "MQTT");
    body.write(4); // protocol level 4: MQTT 3.1.1
    body.write(0x02 | 0x04 | 0x08); // clean session, will flag, will QoS 1
    body.write(keepAliveSeconds >> 8);
    body.write(keepAliveSeconds & 0xFF);
    writeString(body, clientId);
    writeString(body, willTopic);
    writeString(body, willMessage);
    out.write(0x10);
    writeLength(out, body.size());
    body.writeTo(out);
    out.flush();
    int type = in.readUnsignedByte();
    if (type != 0x20) {
      throw new IOException(String.format("expected CONNACK (0x20), got 0x%02X", type));
    }
    int length = in.readUnsignedByte();
    byte[] connack = new byte[length];
    in.readFully(connack);
    return connack[1] & 0xFF;
  }

  /**
   * Waits up to {@code timeout} for the broker to close the connection, reading (and discarding)
   * anything it sends meanwhile.
   *
   * @return true when it closed the connection, false when the wait timed out
   */
  boolean awaitClosed(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      socket.setSoTimeout((int) Math.max(1, left));
      try {
        if (in.read() < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (SocketException e) {
        return true; // reset
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static void writeLength(OutputStream out, int length) throws IOException {
    do {
      int digit = length % 128;
      length /= 128;
      out.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.write(bytes.length >> 8);
    out.write(bytes.length & 0xFF);
    out.writeBytes(bytes);
  }
}
