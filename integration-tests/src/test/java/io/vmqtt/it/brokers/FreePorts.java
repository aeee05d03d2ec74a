package io.vmqtt.it.brokers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Free TCP ports on {@code 127.0.0.1} for brokers that cannot be told to bind port 0 and report it.
 * A port found free may be taken by another process before the broker binds it: the fixtures retry
 * with other ports when the broker says so. Thread-safe.
 */
final class FreePorts {
  static final String HOST = "127.0.0.1";

  private FreePorts() {}

  /** {@code count} distinct free ports: all bound at once, so they differ, then all released. */
  static List<Integer> allocate(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(HOST, 0));
        ports.add(socket.getLocalPort());
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find " + count + " free ports on " + HOST, e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // a probe socket that fails to close holds nothing we need
        }
      }
    }
  }

  /** Whether every port accepts a TCP connection on {@code 127.0.0.1} now. */
  static boolean allAccept(Collection<Integer> ports) {
    for (int port : ports) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(HOST, port), 500);
      } catch (IOException notYet) {
        return false;
      }
    }
    return true;
  }
}
