package io.vmqtt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The demo end to end, against the embedded broker, with the engine found through ServiceLoader.
 */
class DemoTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Demo demo =
      new Demo(
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
  private final ListAppender<ILoggingEvent> trace = new ListAppender<>();

  @BeforeEach
  void captureTheTrace() {
    trace.start();
    Logger logger = (Logger) LoggerFactory.getLogger("io.vmqtt.trace");
    logger.addAppender(trace);
    logger.setLevel(Level.DEBUG); // DemoCommand turns it on; logback.xml has it off
  }

  @AfterEach
  void stopCapturing() {
    Logger logger = (Logger) LoggerFactory.getLogger("io.vmqtt.trace");
    logger.detachAppender(trace);
    logger.setLevel(Level.OFF);
  }

  @Test
  void theThreeExamplesRunAgainstTheEmbeddedBrokerAndTheSubscriberGetsAllSixMessages()
      throws InterruptedException {
    int status = demo.run(Optional.empty(), DemoCommand.DEFAULT_COUNT);

    assertThat(err()).isEmpty();
    assertThat(status).isZero();
    List<String> received =
        out()
            .lines()
            .filter(line -> line.matches("\\d+: a/b => .*"))
            .map(line -> line.substring(line.indexOf(':') + 2))
            .toList();
    // Each publisher's three, in no fixed order: MQTT 3.1.1 orders a publisher's messages per QoS
    // level only, and a broker may hold QoS 1/2 messages back behind its in-flight window.
    assertThat(received)
        .containsExactlyInAnyOrder(
            "a/b => TEST MESSAGE WITH QOS_0",
            "a/b => TEST MESSAGE WITH QOS_1",
            "a/b => TEST MESSAGE WITH QOS_2",
            "a/b => TEST MESSAGE WITH QOS_0",
            "a/b => TEST MESSAGE WITH QOS_1",
            "a/b => TEST MESSAGE WITH QOS_2");
    assertThat(out())
        .contains(
            "the embedded broker publishes no $SYS topics",
            "== 1. Subscriber",
            "== 2. Sequential publisher",
            "== 3. Concurrent publisher",
            "sequential publisher: QoS 2 publish returned on PUBCOMP",
            "concurrent publisher: QoS 1 publish returned on PUBACK",
            "subscriber: unsubscribed",
            "Done.");
  }

  @Test
  void everyPacketOfTheDemoAppearsOnTheTraceLogger() throws InterruptedException {
    assertThat(demo.run(Optional.empty(), DemoCommand.DEFAULT_COUNT)).isZero();

    List<String> lines = trace.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines).anyMatch(l -> l.contains(" -out-> ") && l.contains("PublishPacket"));
    assertThat(lines).anyMatch(l -> l.contains(" <-in-- ") && l.contains("PubcompPacket"));
    assertThat(lines).anyMatch(l -> l.contains(" <-in-- ") && l.contains("PublishPacket"));
  }

  @Test
  void anUnreachableBrokerEndsTheDemoWithStatusOneAndOneLineSayingSo()
      throws IOException, InterruptedException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String url = "mqtt://127.0.0.1:" + closedPort;

    int status = demo.run(Optional.of(url), DemoCommand.DEFAULT_COUNT);

    assertThat(status).isEqualTo(1);
    assertThat(err().lines().toList())
        .singleElement()
        .satisfies(line -> assertThat(line).startsWith("vmqtt demo: ").contains(url));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
