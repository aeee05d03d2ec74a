package io.vmqtt.cli;

import static io.vmqtt.cli.MosquittoClients.id;
import static io.vmqtt.cli.MosquittoClients.subscribe;
import static io.vmqtt.cli.PubCommandTest.assertUsage;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.testkit.MosquittoBroker;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code -D}, MQTT 5 properties in mosquitto's style, against mosquitto: PUBLISH properties are
 * read back by mosquitto_sub's {@code -F} (its {@code %C %D %E %F %P %R}), CONNECT properties from
 * the broker's log and behaviour; what cannot be sent is refused with the reason.
 */
class PropertyFlagsTest {
  private static final Duration LOG_WAIT = Duration.ofSeconds(10);
  private static MosquittoBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = MosquittoBroker.builder().verboseLog().start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  private static String port() {
    return Integer.toString(broker.port());
  }

  @Test
  void publishPropertiesReachAnMqtt5Subscriber() {
    String topic = "props/" + id("t");
    MosquittoClients.Subscriber sub =
        subscribe(broker, topic, "-V", "5", "-C", "1", "-F", "%C|%D|%F|%R|%P|%p");

    Cli.Result result =
        Cli.run(
            "pub",
            "-p",
            port(),
            "-t",
            topic,
            "-m",
            "hi",
            "-q",
            "1",
            "-V",
            "mqttv5",
            "-D",
            "publish",
            "content-type",
            "text/plain",
            "-D",
            "publish",
            "correlation-data",
            "c-42",
            "-D",
            "publish",
            "payload-format-indicator",
            "1",
            "-D",
            "publish",
            "response-topic",
            "replies/7",
            "-D",
            "publish",
            "user-property",
            "trace",
            "a1",
            "-D",
            "publish",
            "user-property",
            "trace",
            "b2",
            "-D",
            "publish",
            "message-expiry-interval",
            "600");

    assertThat(result.status()).as(result.toString()).isZero();
    assertThat(sub.output()).isEqualTo("text/plain|c-42|1|replies/7|trace:a1 trace:b2|hi\n");
  }

  @Test
  void aMessageExpiryIntervalReachesTheSubscriberAsWhatIsLeftOfIt() {
    String topic = "props/" + id("e");
    MosquittoClients.Subscriber sub = subscribe(broker, topic, "-V", "5", "-C", "1", "-F", "%E");

    assertThat(
            Cli.run(
                    "pub",
                    "-p",
                    port(),
                    "-t",
                    topic,
                    "-m",
                    "x",
                    "-V",
                    "mqttv5",
                    "-D",
                    "publish",
                    "message-expiry-interval",
                    "600")
                .status())
        .isZero();

    assertThat(Integer.parseInt(sub.output().strip())).isBetween(590, 600);
  }

  @Test
  void connectPropertiesReachTheBroker() {
    String id = id("dcon");
    Cli.Result result =
        Cli.run(
            "pub",
            "-p",
            port(),
            "-t",
            "props/c",
            "-m",
            "x",
            "-i",
            id,
            "-V",
            "mqttv5",
            "-D",
            "connect",
            "session-expiry-interval",
            "60",
            "-D",
            "connect",
            "receive-maximum",
            "7",
            "-D",
            "connect",
            "maximum-packet-size",
            "9000",
            "-D",
            "connect",
            "topic-alias-maximum",
            "3",
            "-D",
            "connect",
            "user-property",
            "region",
            "eu");

    assertThat(result.status()).as(result.toString()).isZero();
    // mosquitto's log shows the protocol level and clean start; the session it kept for 60 s
    // shows that the session expiry interval arrived: a resumed session is present.
    broker.awaitLog("as " + id + " (p5, c1, k60)", LOG_WAIT);
    Cli.Result again =
        Cli.run(
            "pub",
            "-p",
            port(),
            "-t",
            "props/c",
            "-m",
            "x",
            "-i",
            id,
            "-V",
            "mqttv5",
            "-c",
            "-D",
            "connect",
            "session-expiry-interval",
            "60");
    assertThat(again.status()).as(again.toString()).isZero();
    broker.awaitLog("Sending CONNACK to " + id + " (1, 0)", LOG_WAIT); // session present
  }

  @Test
  void propertiesTheClientCannotSendOrThatAreWrongAreRefusedWithTheReason() {
    assertUsage(
        Cli.run("pub", "-t", "a", "-m", "x", "-D", "publish", "content-type", "t"),
        "-D publish content-type: MQTT 5 properties need -V mqttv5");
    assertUsage(
        Cli.run("pub", "-t", "a", "-m", "x", "-V", "5", "-D", "publish", "topic-alias", "1"),
        "-D publish topic-alias is not supported: the client chooses its topic aliases itself");
    assertUsage(
        Cli.run(
            "pub",
            "-t",
            "a",
            "-m",
            "x",
            "-V",
            "5",
            "-D",
            "connect",
            "authentication-method",
            "SCRAM-SHA-256"),
        "is not supported: the command line has no enhanced authentication");
    assertUsage(
        Cli.run("pub", "-t", "a", "-m", "x", "-V", "5", "-D", "will", "content-type", "t"),
        "-D will content-type is not supported: the command line does not set will properties yet");
    assertUsage(
        Cli.run("pub", "-t", "a", "-m", "x", "-V", "5", "-D", "publish", "colour", "red"),
        "-D publish colour: not a property of PUBLISH; one of content-type, correlation-data,");
    assertUsage(
        Cli.run("pub", "-t", "a", "-m", "x", "-V", "5", "-D", "pubrel", "x", "y"),
        "-D: 'pubrel' is not a packet with properties");
    assertUsage(
        Cli.run("pub", "-t", "a", "-m", "x", "-V", "5", "-D", "connect", "receive-maximum", "0"),
        "-D connect receive-maximum: must be 1..65535, was 0");
    assertUsage(
        Cli.run(
            "pub",
            "-t",
            "a",
            "-m",
            "x",
            "-V",
            "5",
            "-D",
            "publish",
            "message-expiry-interval",
            "soon"),
        "-D publish message-expiry-interval: 'soon' is not a whole number");
    assertUsage(
        Cli.run("sub", "-t", "a", "-V", "5", "-D", "publish", "content-type", "t"),
        "-D publish content-type: this command sends no PUBLISH");
    assertUsage(Cli.run("pub", "-t", "a", "-m", "x", "-D", "publish"), "-D needs a property");
  }
}
