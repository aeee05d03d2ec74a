package io.vmqtt.session.file;

import io.vmqtt.QoS;
import io.vmqtt.spi.PersistentSession;
import io.vmqtt.spi.SessionStore;
import io.vmqtt.spi.SessionStore.FsyncPolicy;
import io.vmqtt.spi.StoredPublish;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A child JVM for {@link CrossProcessTest}. {@code hold <dir> <hex client id>}: opens the session,
 * adds message 7, prints "opened", and holds it until its standard input ends. {@code try <dir>
 * <hex client id>}: prints "opened" and closes, or "refused: " and the message.
 */
public final class SessionHolder {
  private SessionHolder() {}

  public static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    SessionStore store = SessionStore.file(Path.of(args[1]), FsyncPolicy.ALWAYS);
    String clientId = ChildJvm.unhex(args[2]);
    PersistentSession session;
    try {
      session = store.open(clientId);
    } catch (IllegalStateException e) {
      out.println("refused: " + e.getMessage());
      return;
    }
    if (args[0].equals("hold")) {
      session.outboundAdded(
          new StoredPublish(7, "held", new byte[] {7}, QoS.AT_LEAST_ONCE, false, false));
      out.println("opened");
      System.in.transferTo(OutputStream.nullOutputStream());
    } else {
      out.println("opened");
    }
    session.close();
  }
}
