package io.vmqtt.it.resilience;

import io.vmqtt.Connack;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.spi.SessionStore;
import io.vmqtt.spi.SessionStore.FsyncPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The publisher process of {@link ProcessCrashTest}, run in a JVM of its own so the test can kill
 * it with SIGKILL. It connects with a persistent session (cleansession false) and a file session
 * store, and reports on standard output, one flushed line per event:
 *
 * <ul>
 *   <li>{@code CONNECTED <session present>} once connected;
 *   <li>in {@code publish} mode, from several threads at once, {@code CALLING <payload>} just
 *       before each {@code publish} is called and {@code ACCEPTED <payload>} when it has returned,
 *       and {@code DONE} when all have (the test kills it first);
 *   <li>in {@code resume} mode, after connecting (and so after the client resent what the store
 *       held), {@code MARKER} once a marker message published at the same QoS has been
 *       acknowledged: the client resends the stored messages before new traffic, so they reached
 *       the broker before the marker. It then waits until its standard input closes, disconnects
 *       and exits.
 * </ul>
 *
 * <p>Arguments: {@code publish|resume <uri> <clientId> <storeDir> <topic> <qos> <count> <threads>}.
 * Other output (the logging) goes to standard output too; the test reads only these lines.
 */
public final class CrashingPublisher {
  static final String CONNECTED = "CONNECTED ";
  static final String CALLING = "CALLING ";
  static final String ACCEPTED = "ACCEPTED ";
  static final String DONE = "DONE";
  static final String MARKER = "MARKER";
  static final String MARKER_PAYLOAD = "resume-marker";

  private static final ReentrantLock OUT_LOCK = new ReentrantLock();
  private static final PrintStream OUT = new PrintStream(System.out, false, StandardCharsets.UTF_8);

  private CrashingPublisher() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 8) {
      System.err.println(
          "usage: CrashingPublisher publish|resume <uri> <clientId> <storeDir> <topic> <qos>"
              + " <count> <threads>");
      System.exit(2);
    }
    String mode = args[0];
    String uri = args[1];
    String clientId = args[2];
    Path storeDir = Path.of(args[3]);
    String topic = args[4];
    QoS qos = QoS.of(Integer.parseInt(args[5]));
    int count = Integer.parseInt(args[6]);
    int threads = Integer.parseInt(args[7]);

    MqttConfig config =
        MqttConfig.builder()
            .cleanSession(false)
            .sessionStore(SessionStore.file(storeDir, FsyncPolicy.ALWAYS))
            .autoReconnect(true)
            .reconnectMinInterval(Duration.ofMillis(50))
            .reconnectMaxInterval(Duration.ofMillis(500))
            .reconnectRetries(-1)
            .operationTimeout(Duration.ofSeconds(120))
            .build();
    try (MqttClient client = MqttClient.create(clientId, config)) {
      Connack connack = client.connect(uri);
      line(CONNECTED + connack.sessionPresent());
      switch (mode) {
        case "publish" -> publish(client, topic, qos, count, threads);
        case "resume" -> resume(client, topic, qos);
        default -> throw new IllegalArgumentException("mode must be publish or resume: " + mode);
      }
      client.disconnect();
    }
  }

  private static void publish(MqttClient client, String topic, QoS qos, int count, int threads)
      throws InterruptedException {
    int perThread = count / threads;
    List<Thread> publishers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      publishers.add(
          Thread.ofVirtual()
              .name("publisher-" + t)
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < perThread; i++) {
                        String payload = "m-" + thread + "-" + i;
                        line(CALLING + payload);
                        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
                        line(ACCEPTED + payload);
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    for (Thread t : publishers) {
      t.join();
    }
    line(DONE);
  }

  private static void resume(MqttClient client, String topic, QoS qos)
      throws InterruptedException, IOException {
    client.publish(topic, MARKER_PAYLOAD.getBytes(StandardCharsets.UTF_8), qos, false);
    line(MARKER);
    // Stay connected until the test closes our standard input.
    while (System.in.read() >= 0) {
      // the test sends nothing; it only closes
    }
  }

  /** Prints one line and flushes it at once, so a SIGKILL cannot lose a reported event. */
  private static void line(String text) {
    OUT_LOCK.lock();
    try {
      OUT.println(text);
      OUT.flush();
    } finally {
      OUT_LOCK.unlock();
    }
  }
}
