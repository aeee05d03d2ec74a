package io.vmqtt.cli;

import static io.vmqtt.cli.MosquittoClients.id;
import static io.vmqtt.cli.MosquittoClients.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.testkit.MosquittoBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vmqtt pub}, flag by flag, against mosquitto: what it publishes is received by
 * mosquitto_sub (the round trip), and what it sends in CONNECT is read from the broker's packet
 * log. One broker for the class; each test has topics and client ids of its own.
 */
class PubCommandTest {
  private static final Duration LOG_WAIT = Duration.ofSeconds(10);
  private static MosquittoBroker broker;
  private static MosquittoBroker secured;

  @BeforeAll
  static void startBrokers() {
    broker = MosquittoBroker.builder().verboseLog().start();
    secured = MosquittoBroker.builder().user("alice", "s3cret").start();
  }

  @AfterAll
  static void stopBrokers() {
    broker.close();
    secured.close();
  }

  private static String port() {
    return Integer.toString(broker.port());
  }

  @Test
  void aMessageGoesToMosquittoSubWithItsQosAndStatusZero() {
    for (String qos : new String[] {"0", "1", "2"}) {
      String topic = "pub/qos/" + qos;
      MosquittoClients.Subscriber sub =
          subscribe(broker, topic, "-q", "2", "-C", "1", "-F", "%q %p");

      Cli.Result result =
          Cli.run("pub", "-p", port(), "-t", topic, "-m", "hello " + qos, "-q", qos);

      assertThat(result.status()).as(result.toString()).isZero();
      assertThat(result.out()).isEmpty();
      assertThat(result.err()).isEmpty();
      assertThat(sub.output()).isEqualTo(qos + " hello " + qos + "\n");
    }
  }

  @Test
  void retainKeepsTheMessageForLaterSubscribers() {
    String topic = "pub/retain/" + id("t");
    assertThat(Cli.run("pub", "-p", port(), "-t", topic, "-m", "kept", "-r").status()).isZero();

    MosquittoClients.Subscriber sub = subscribe(broker, topic, "-C", "1", "-F", "%r %p");

    assertThat(sub.output()).isEqualTo("1 kept\n");
  }

  @Test
  void aFileIsSentWhole(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("payload.bin");
    byte[] bytes = {0, 1, 2, (byte) 0xff, '\n', 'x'};
    Files.write(file, bytes);
    String topic = "pub/file";
    MosquittoClients.Subscriber sub = subscribe(broker, topic, "-C", "1", "-F", "%x");

    Cli.Result result = Cli.run("pub", "-p", port(), "-t", topic, "-f", file.toString());

    assertThat(result.status()).as(result.toString()).isZero();
    assertThat(sub.output()).isEqualTo("000102ff0a78\n");
  }

  @Test
  void aMissingFileExitsWithOneAndSaysWhichFile(@TempDir Path dir) {
    Path missing = dir.resolve("missing.txt");

    Cli.Result result = Cli.run("pub", "-p", port(), "-t", "pub/x", "-f", missing.toString());

    assertThat(result.status()).isEqualTo(1);
    assertThat(result.err().lines())
        .singleElement()
        .asString()
        .startsWith("vmqtt pub: cannot read " + missing);
  }

  @Test
  void stdinIsSentAsOneMessageWithDashS() {
    String topic = "pub/stdin";
    MosquittoClients.Subscriber sub = subscribe(broker, topic, "-C", "1", "-F", "%l:%p");

    Cli.Result result =
        Cli.runWithInput(utf8("two\nlines"), "pub", "-p", port(), "-t", topic, "-s");

    assertThat(result.status()).as(result.toString()).isZero();
    assertThat(sub.output()).isEqualTo("9:two\nlines\n");
  }

  @Test
  void eachLineOfStdinIsAMessageWithDashLAndEmptyLinesAreSkipped() {
    String topic = "pub/lines";
    MosquittoClients.Subscriber sub = subscribe(broker, topic, "-C", "3", "-q", "1");

    Cli.Result result =
        Cli.runWithInput(
            utf8("one\n\ntwo\r\nthree"), "pub", "-p", port(), "-t", topic, "-l", "-q", "1");

    assertThat(result.status()).as(result.toString()).isZero();
    assertThat(sub.output()).isEqualTo("one\ntwo\nthree\n");
  }

  @Test
  void dashNSendsAnEmptyMessage() {
    String topic = "pub/null";
    MosquittoClients.Subscriber sub = subscribe(broker, topic, "-C", "1", "-F", "[%l]");

    assertThat(Cli.run("pub", "-p", port(), "-t", topic, "-n").status()).isZero();

    assertThat(sub.output()).isEqualTo("[0]\n");
  }

  @Test
  void repeatSendsTheMessageThatManyTimes() {
    String topic = "pub/repeat";
    MosquittoClients.Subscriber sub = subscribe(broker, topic, "-C", "3", "-q", "1");

    Cli.Result result =
        Cli.run(
            "pub",
            "-p",
            port(),
            "-t",
            topic,
            "-m",
            "again",
            "-q",
            "1",
            "--repeat",
            "3",
            "--repeat-delay",
            "0.01");

    assertThat(result.status()).as(result.toString()).isZero();
    assertThat(sub.output()).isEqualTo("again\nagain\nagain\n");
  }

  @Test
  void anMqttUrlGivesHostPortAndTopic() {
    String topic = "pub/url";
    MosquittoClients.Subscriber sub = subscribe(broker, topic, "-C", "1");

    Cli.Result result =
        Cli.run("pub", "-L", "mqtt://127.0.0.1:" + port() + "/" + topic, "-m", "via url");

    assertThat(result.status()).as(result.toString()).isZero();
    assertThat(sub.output()).isEqualTo("via url\n");
  }

  @Test
  void credentialsFromFlagsOrTheUrlAreAcceptedAndAWrongPasswordExitsWithTheConnackCode() {
    String port = Integer.toString(secured.port());
    assertThat(
            Cli.run("pub", "-p", port, "-t", "a", "-m", "x", "-u", "alice", "-P", "s3cret")
                .status())
        .isZero();
    assertThat(
            Cli.run("pub", "-L", "mqtt://alice:s3cret@127.0.0.1:" + port + "/a", "-m", "x")
                .status())
        .isZero();

    Cli.Result refused =
        Cli.run("pub", "-p", port, "-t", "a", "-m", "x", "-u", "alice", "-P", "wrong");

    assertThat(refused.status()).isEqualTo(5);
    assertThat(refused.err())
        .isEqualTo(
            "vmqtt pub: the broker at mqtt://localhost:"
                + port
                + " refused the connection: CONNACK 5 (not authorized)\n");
  }

  @Test
  void theClientIdKeepAliveCleanSessionAndProtocolVersionReachTheBroker() {
    String id = id("vpub");
    Cli.Result result =
        Cli.run(
            "pub", "-p", port(), "-t", "pub/id", "-m", "x", "-i", id, "-k", "33", "-c", "-V",
            "mqttv31");

    assertThat(result.status()).as(result.toString()).isZero();
    broker.awaitLog("as " + id + " (p1, c0, k33)", LOG_WAIT);
  }

  @Test
  void mqtt5WithASessionExpiryIntervalConnectsAtProtocolLevel5() throws Exception {
    String id = id("vpub5");
    Cli.Result result =
        Cli.run(
            "pub", "-p", port(), "-t", "pub/v5", "-m", "x", "-q", "1", "-i", id, "-V", "mqttv5",
            "-x", "120");

    assertThat(result.status()).as(result.toString()).isZero();
    broker.awaitLog("as " + id + " (p5, c1, k60)", LOG_WAIT);
  }

  @Test
  void anIdPrefixIsFollowedByTheProcessId() {
    String prefix = id("pfx") + "-";

    assertThat(Cli.run("pub", "-p", port(), "-t", "pub/id", "-m", "x", "-I", prefix).status())
        .isZero();

    broker.awaitLog("as " + prefix + ProcessHandle.current().pid() + " (p2, c1, k60)", LOG_WAIT);
  }

  @Test
  void theWillIsSentInConnect() {
    String id = id("vwill");

    Cli.Result result =
        Cli.run(
            "pub",
            "-p",
            port(),
            "-t",
            "pub/will",
            "-m",
            "x",
            "-i",
            id,
            "--will-topic",
            "wills/" + id,
            "--will-payload",
            "gone",
            "--will-qos",
            "1",
            "--will-retain");

    assertThat(result.status()).as(result.toString()).isZero();
    broker.awaitLog("Will message specified (4 bytes) (r1, q1).", LOG_WAIT);
    broker.awaitLog("\twills/" + id, LOG_WAIT);
  }

  @Test
  void debugPrintsEveryPacketOnTheErrorStream() {
    Cli.Result result = Cli.run("pub", "-p", port(), "-t", "pub/debug", "-m", "x", "-q", "1", "-d");

    assertThat(result.status()).isZero();
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .contains("-out-> ConnectPacket", "<-in-- ConnackPacket", "-out-> PublishPacket")
        .contains("<-in-- PubackPacket", "-out-> DisconnectPacket");
  }

  @Test
  void maxInflightIsAcceptedWithinItsRange() {
    assertThat(
            Cli.run("pub", "-p", port(), "-t", "pub/m", "-m", "x", "-q", "1", "-M", "1").status())
        .isZero();
    assertThat(Cli.run("pub", "-p", port(), "-t", "pub/m", "-m", "x", "-M", "0").err())
        .startsWith("vmqtt pub: -M/--max-inflight must be 1-65535, was 0\n");
  }

  @Test
  void anUnreachableBrokerExitsWithOneAndOneLine() throws IOException {
    int closed = closedPort();

    Cli.Result result = Cli.run("pub", "-p", Integer.toString(closed), "-t", "a", "-m", "x");

    assertThat(result.status()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "vmqtt pub: cannot connect to mqtt://localhost:" + closed + ": Connection refused\n");
  }

  @Test
  void quietPrintsNoErrorButKeepsTheStatus() throws IOException {
    Cli.Result result =
        Cli.run("pub", "-p", Integer.toString(closedPort()), "-t", "a", "-m", "x", "--quiet");

    assertThat(result.status()).isEqualTo(1);
    assertThat(result.err()).isEmpty();
  }

  @Test
  void badFlagsExitWithTwoAndOneLineNamingTheProblem() {
    assertUsage(
        Cli.run("pub", "-t", "a"), "Error: Missing required argument (specify one of these)");
    assertUsage(Cli.run("pub", "-m", "x"), "a topic is needed");
    assertUsage(Cli.run("pub", "-t", "a/#", "-m", "x"), "wildcard '#'");
    assertUsage(Cli.run("pub", "-t", "a", "-m", "x", "-q", "3"), "QoS must be 0, 1 or 2, was '3'");
    assertUsage(
        Cli.run("pub", "-t", "a", "-m", "x", "-V", "7"), "must be mqttv5, mqttv311 or mqttv31");
    assertUsage(
        Cli.run("pub", "-t", "a", "-m", "x", "-D", "publish", "user-property", "a"),
        "-D needs a value after -D publish user-property a");
    assertUsage(Cli.run("pub", "-t", "a", "-m", "x", "-x", "60"), "it needs -V mqttv5");
    assertUsage(
        Cli.run("pub", "-t", "a", "-m", "x", "-V", "mqttv5", "-x", "-2"),
        "must be -1 (never expires) or 0..4294967295 seconds, was -2");
    assertUsage(Cli.run("pub", "-t", "a", "-m", "x", "-P", "pw"), "-P/--pw needs a user name");
    assertUsage(
        Cli.run("pub", "-t", "a", "-m", "x", "-L", "mqtt://h", "-p", "1"),
        "-L/--url cannot be combined with -h/--host or -p/--port");
    assertUsage(Cli.run("pub", "-t", "a", "-m", "x", "-L", "http://h"), "-L/--url must start with");
    assertUsage(Cli.run("pub", "-t", "a", "-m", "x", "-c"), "needs a fixed client id");
    assertUsage(Cli.run("pub", "-t", "a", "-m", "x", "-k", "70000"), "-k/--keepalive must be");
    assertUsage(Cli.run("pub", "-t", "a", "-m", "x", "--bogus"), "Unknown option: '--bogus'");
    assertUsage(Cli.run("pub", "-t", "a", "-m", "x", "-n"), "are mutually exclusive");
    assertUsage(
        Cli.run("pub", "-t", "a", "-m", "x", "-L", "mqtt://h", "--cafile", "ca.pem"),
        "TLS options need an mqtts:// or wss:// URL");
    assertUsage(
        Cli.run("pub", "-t", "a", "-m", "x", "--psk", "zz", "--psk-identity", "i"),
        "--psk must be the key in hex digits");
    assertUsage(Cli.run("pub", "-t", "a", "-m", "x", "--psk", "00"), "go together");
    assertUsage(Cli.run("pub", "-t", "a", "-m", "x", "--will-qos", "1"), "need --will-topic");
  }

  static void assertUsage(Cli.Result result, String message) {
    assertThat(result.status()).as(result.toString()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().lines().toList())
        .as(result.toString())
        .last()
        .asString()
        .startsWith("Try 'vmqtt ");
    assertThat(result.err().lines().findFirst())
        .get()
        .asString()
        .as(result.toString())
        .startsWith("vmqtt ")
        .contains(message);
  }

  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
