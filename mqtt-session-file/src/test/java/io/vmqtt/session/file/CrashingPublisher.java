package io.vmqtt.session.file;

import io.vmqtt.QoS;
import io.vmqtt.spi.PersistentSession;
import io.vmqtt.spi.SessionStore;
import io.vmqtt.spi.SessionStore.FsyncPolicy;
import io.vmqtt.spi.StoredPublish;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A child JVM for {@link CrossProcessTest}: {@code <dir> <count>} adds messages 1 to count with
 * {@link FsyncPolicy#NEVER}, printing each packet id once its add has returned, then "done", then
 * waits for its standard input to end. The test kills it on the way.
 */
public final class CrashingPublisher {
  private CrashingPublisher() {}

  /** Message {@code id}: QoS alternating, a payload of 50 to 99 bytes, or 20,000 every 97th. */
  static StoredPublish message(int id) {
    byte[] payload = new byte[id % 97 == 0 ? 20_000 : 50 + id % 50];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (id + i);
    }
    QoS qos = id % 2 == 0 ? QoS.EXACTLY_ONCE : QoS.AT_LEAST_ONCE;
    return new StoredPublish(id, "crash/" + id, payload, qos, id % 3 == 0, false);
  }

  public static void main(String[] args) throws IOException {
    // Unbuffered but for a line: each id is out as soon as it is printed.
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    int count = Integer.parseInt(args[1]);
    SessionStore store = SessionStore.file(Path.of(args[0]), FsyncPolicy.NEVER);
    try (PersistentSession session = store.open("publisher")) {
      for (int id = 1; id <= count; id++) {
        session.outboundAdded(message(id));
        out.println(id);
      }
      out.println("done");
      System.in.transferTo(OutputStream.nullOutputStream());
    }
  }
}
