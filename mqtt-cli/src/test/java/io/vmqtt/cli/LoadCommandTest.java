package io.vmqtt.cli;

import static io.vmqtt.cli.PubCommandTest.assertUsage;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.testkit.MosquittoBroker;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code vmqtt load} against mosquitto: small runs, so the counts are exact. */
class LoadCommandTest {
  private static MosquittoBroker broker;

  @BeforeAll
  static void start() {
    broker = MosquittoBroker.start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void everyQos1MessageArrivesAndTheReportSaysSo() {
    Cli.Result result =
        Cli.run("load", "-L", broker.uri(), "--clients", "3", "--messages", "50", "-q", "1");

    assertThat(result.status()).as(result.toString()).isZero();
    assertThat(result.out())
        .startsWith(
            "vmqtt load: 3 clients x 50 messages, QoS 1, 64-byte payloads, no rate limit, "
                + broker.uri()
                + "\n")
        .contains("connected   3 clients in ")
        .contains("published   150 messages in ")
        .contains("received    150 of 150 in ")
        .contains("lost        0 (0.00 %), duplicates 0\n")
        .containsPattern("latency, publish to receipt, ms: +min [0-9.]+  p50 [0-9.]+  p90 ")
        .containsPattern("publish call \\(until PUBACK\\), ms: +min ");
    assertThat(result.err()).as("no progress bar without a terminal").isEmpty();
  }

  @Test
  void theJsonReportHasTheCountsAndPercentiles() {
    Cli.Result result =
        Cli.run(
            "load",
            "-p",
            Integer.toString(broker.port()),
            "-h",
            "127.0.0.1",
            "--clients",
            "2",
            "--messages",
            "20",
            "-q",
            "2",
            "--size",
            "100",
            "--rate",
            "400",
            "--json");

    assertThat(result.status()).as(result.toString()).isZero();
    assertThat(result.out())
        .startsWith("{\"uri\":\"mqtt://127.0.0.1:" + broker.port() + "\",\"clients\":2,")
        .contains(
            "\"messages_per_client\":20,\"qos\":2,\"rate_limit\":400.000,\"payload_bytes\":100")
        .contains("\"published\":40,", "\"received\":40,", "\"lost\":0,", "\"duplicates\":0,")
        .containsPattern(
            "\"latency_ms\":\\{\"min\":[0-9.]+,\"p50\":[0-9.]+,\"p90\":[0-9.]+,"
                + "\"p99\":[0-9.]+,\"p999\":[0-9.]+,\"max\":[0-9.]+}")
        .endsWith("}\n");
  }

  @Test
  void qos0RunsReportWhatArrivedAndTheProgressBarCanBeForced() {
    Cli.Result result =
        Cli.run(
            "load",
            "-L",
            broker.uri(),
            "--clients",
            "2",
            "--messages",
            "10",
            "-q",
            "0",
            "--progress");

    assertThat(result.status()).as(result.toString()).isZero();
    assertThat(result.out()).contains("QoS 0", "publish call (until written), ms:");
    assertThat(result.err()).contains("received 100%", "20/20", " sent 20");
  }

  @Test
  void badArgumentsAndAnUnreachableBrokerEndTheRun() throws IOException {
    assertUsage(Cli.run("load", "--clients", "0"), "--clients must be 1-10000, was 0");
    assertUsage(Cli.run("load", "--messages", "0"), "--messages must be at least 1");
    assertUsage(Cli.run("load", "--size", "8"), "--size must be 16 to 16777216 bytes, was 8");
    assertUsage(Cli.run("load", "--rate", "-1"), "--rate must be 0");
    assertUsage(Cli.run("load", "-t", "a/+"), "wildcard '+'");

    Cli.Result unreachable =
        Cli.run("load", "-p", Integer.toString(PubCommandTest.closedPort()), "--messages", "1");
    assertThat(unreachable.status()).isEqualTo(1);
    assertThat(unreachable.err()).startsWith("vmqtt load: cannot connect to mqtt://localhost:");
  }
}
