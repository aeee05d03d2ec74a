package io.vmqtt.cli;

import static io.vmqtt.cli.MosquittoClients.id;
import static io.vmqtt.cli.MosquittoClients.publish;
import static io.vmqtt.cli.PubCommandTest.assertUsage;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.testkit.MosquittoBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vmqtt sub}, flag by flag, against mosquitto, with mosquitto_pub on the other end. Output
 * formats are checked on retained messages (which arrive at once on subscribing); live messages are
 * published once the broker has logged the SUBACK. One broker for the class.
 */
class SubCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static MosquittoBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = MosquittoBroker.builder().verboseLog().websockets().start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  private static String port() {
    return Integer.toString(broker.port());
  }

  /** Runs {@code vmqtt sub -i id ...} on another thread; returns once it has subscribed. */
  private static CompletableFuture<Cli.Result> subscribed(String id, String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "sub";
    all[1] = "-p";
    all[2] = port();
    all[3] = "-i";
    all[4] = id;
    System.arraycopy(args, 0, all, 5, args.length);
    CompletableFuture<Cli.Result> result = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> result.complete(Cli.run(all)));
    broker.awaitLog("Sending SUBACK to " + id, WAIT);
    return result;
  }

  private static Cli.Result done(CompletableFuture<Cli.Result> run) throws Exception {
    return run.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void mosquittoPubReachesVmqttSubWhichPrintsTopicAndPayloadAndExitsAfterCount() throws Exception {
    String id = id("vsub");
    CompletableFuture<Cli.Result> sub = subscribed(id, "-t", "live/#", "-v", "-C", "2", "-q", "1");

    publish(broker, "live/a", "-m", "first", "-q", "1");
    publish(broker, "live/b", "-m", "second", "-q", "1");

    Cli.Result result = done(sub);
    assertThat(result.status()).as(result.toString()).isZero();
    assertThat(result.out()).isEqualTo("live/a first\nlive/b second\n");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void thePayloadAloneIsPrintedByDefaultAndDashNLeavesOutTheNewline() {
    String topic = "fmt/plain/" + id("t");
    publish(broker, topic, "-m", "kept", "-r");

    assertThat(Cli.run("sub", "-p", port(), "-t", topic, "-C", "1").out()).isEqualTo("kept\n");
    assertThat(Cli.run("sub", "-p", port(), "-t", topic, "-C", "1", "-N").out()).isEqualTo("kept");
  }

  @Test
  void aTemplatePrintsEveryFieldMosquittoSubKnows() {
    String topic = "fmt/template/" + id("t");
    publish(broker, topic, "-m", "hi\"", "-r", "-q", "1");

    Cli.Result result =
        Cli.run(
            "sub",
            "-p",
            port(),
            "-t",
            topic,
            "-C",
            "1",
            "-q",
            "1",
            "-F",
            "%t|%p|%q|%r|%l|%x|%X|%%|%j\\t.");

    assertThat(result.status()).as(result.toString()).isZero();
    assertThat(result.out())
        .isEqualTo(
            topic
                + "|hi\"|1|1|3|686922|686922|%|{\"topic\":\""
                + topic
                + "\",\"qos\":1,\"retain\":true,\"payload\":\"hi\\\"\"}\t.\n");
    Cli.Result times = Cli.run("sub", "-p", port(), "-t", topic, "-C", "1", "-F", "%I %U");
    assertThat(times.out())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z \\d+\\.\\d{9}\n");
  }

  @Test
  void jsonLinesCarryTextPayloadsAsTextAndOthersAsBase64(@TempDir Path dir) throws IOException {
    String text = "fmt/json/text/" + id("t");
    String binary = "fmt/json/bin/" + id("t");
    Path file = dir.resolve("bytes");
    Files.write(file, new byte[] {(byte) 0xff, 0, 1});
    publish(broker, text, "-m", "line\nbreak", "-r");
    publish(broker, binary, "-f", file.toString(), "-r");

    assertThat(Cli.run("sub", "-p", port(), "-t", text, "-C", "1", "--json").out())
        .isEqualTo(
            "{\"topic\":\""
                + text
                + "\",\"qos\":0,\"retain\":true,\"payload\":\"line\\nbreak\"}\n");
    assertThat(Cli.run("sub", "-p", port(), "-t", binary, "-C", "1", "--json").out())
        .isEqualTo(
            "{\"topic\":\""
                + binary
                + "\",\"qos\":0,\"retain\":true,\"payload_base64\":\"/wAB\"}\n");
  }

  @Test
  void theGrantedQosIsTheLowerOfPublishAndSubscription() {
    String topic = "qos/" + id("t");
    publish(broker, topic, "-m", "x", "-r", "-q", "2");

    assertThat(Cli.run("sub", "-p", port(), "-t", topic, "-C", "1", "-q", "1", "-F", "%q").out())
        .isEqualTo("1\n");
    assertThat(Cli.run("sub", "-p", port(), "-t", topic, "-C", "1", "-q", "2", "-F", "%q").out())
        .isEqualTo("2\n");
  }

  @Test
  void severalTopicsCanBeSubscribedAndMatchingOnesFilteredOut() {
    String base = "multi/" + id("t");
    publish(broker, base + "/x", "-m", "x", "-r");
    publish(broker, base + "/y", "-m", "y", "-r");
    publish(broker, base + "/z/1", "-m", "z", "-r");

    Cli.Result both =
        Cli.run("sub", "-p", port(), "-t", base + "/x", "-t", base + "/y", "-C", "2", "-v");
    assertThat(both.out().lines()).containsExactlyInAnyOrder(base + "/x x", base + "/y y");

    Cli.Result filtered =
        Cli.run(
            "sub",
            "-p",
            port(),
            "-t",
            base + "/#",
            "-T",
            base + "/y",
            "-T",
            base + "/z/+",
            "-C",
            "1",
            "-v");
    assertThat(filtered.out()).isEqualTo(base + "/x x\n");
  }

  @Test
  void noStaleSkipsRetainedMessagesAndPrintsLiveOnes() throws Exception {
    String topic = "stale/" + id("t");
    publish(broker, topic, "-m", "old", "-r");
    String id = id("vstale");
    CompletableFuture<Cli.Result> sub = subscribed(id, "-t", topic, "-R", "-C", "1");

    publish(broker, topic, "-m", "new");

    assertThat(done(sub).out()).isEqualTo("new\n");
  }

  @Test
  void retainedOnlyPrintsRetainedMessagesAndStopsAtTheFirstLiveOne() throws Exception {
    String topic = "retonly/" + id("t");
    publish(broker, topic, "-m", "old", "-r");
    String id = id("vret");
    CompletableFuture<Cli.Result> sub = subscribed(id, "-t", topic, "--retained-only");

    publish(broker, topic, "-m", "new");

    Cli.Result result = done(sub);
    assertThat(result.status()).isZero();
    assertThat(result.out()).isEqualTo("old\n");
  }

  @Test
  void removeRetainedClearsWhatItReceives() {
    String topic = "remove/" + id("t");
    publish(broker, topic, "-m", "old", "-r");

    assertThat(Cli.run("sub", "-p", port(), "-t", topic, "-C", "1", "--remove-retained").out())
        .isEqualTo("old\n");

    Cli.Result after = Cli.run("sub", "-p", port(), "-t", topic, "-W", "1");
    assertThat(after.status()).isEqualTo(27);
    assertThat(after.out()).isEmpty();
  }

  @Test
  void timeoutExitsWith27AndOneLine() {
    Cli.Result result = Cli.run("sub", "-p", port(), "-t", "nothing/" + id("t"), "-W", "1");

    assertThat(result.status()).isEqualTo(27);
    assertThat(result.err()).isEqualTo("vmqtt sub: timed out after 1 s (-W) with 0 messages\n");
  }

  @Test
  void exitAfterSubscribeAndUnsubscribeWorkOnAKeptSession() {
    String id = id("vkept");
    String topic = "kept/" + id;
    Cli.Result first = Cli.run("sub", "-p", port(), "-i", id, "-c", "-t", topic, "-q", "1", "-E");
    assertThat(first.status()).as(first.toString()).isZero();
    assertThat(first.out()).isEmpty();
    broker.awaitLog("as " + id + " (p2, c0, k60)", WAIT);

    Cli.Result second =
        Cli.run("sub", "-p", port(), "-i", id, "-c", "-U", topic, "-t", topic + "/other", "-E");

    assertThat(second.status()).as(second.toString()).isZero();
    broker.awaitLog("Received UNSUBSCRIBE from " + id, WAIT);
  }

  @Test
  void aWebSocketUrlReachesTheBrokersWebSocketListener() {
    String topic = "ws/" + id("t");
    publish(broker, topic, "-m", "over ws", "-r");

    Cli.Result result =
        Cli.run("sub", "-L", broker.uri(MosquittoBroker.WEBSOCKETS), "-t", topic, "-C", "1");

    assertThat(result.status()).as(result.toString()).isZero();
    assertThat(result.out()).isEqualTo("over ws\n");
  }

  @Test
  void anMqttUrlPathIsTheTopicFilter() {
    String topic = "urlsub/" + id("t");
    publish(broker, topic, "-m", "x", "-r");

    assertThat(Cli.run("sub", "-L", broker.uri() + "/" + topic, "-C", "1").out()).isEqualTo("x\n");
  }

  @Test
  void badFlagsExitWithTwo() throws IOException {
    assertUsage(Cli.run("sub", "-p", port()), "a topic filter is needed");
    assertUsage(Cli.run("sub", "-t", "a/#/b"), "'#'");
    assertUsage(Cli.run("sub", "-t", "a", "-F", "%Q"), "-F has an unknown field %Q");
    assertUsage(Cli.run("sub", "-t", "a", "-F", "%t", "--json"), "choose one of");
    assertUsage(Cli.run("sub", "-t", "a", "-C", "0"), "-C/--count must be at least 1");
    assertUsage(Cli.run("sub", "-t", "a", "-W", "0"), "-W/--timeout must be at least 1");
    assertUsage(Cli.run("sub", "-t", "a", "-R", "--retained-only"), "exclude each other");

    Cli.Result unreachable =
        Cli.run("sub", "-p", Integer.toString(PubCommandTest.closedPort()), "-t", "a");
    assertThat(unreachable.status()).isEqualTo(1);
    assertThat(unreachable.err()).startsWith("vmqtt sub: cannot connect to mqtt://localhost:");
  }
}
