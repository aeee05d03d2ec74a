package io.vmqtt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The {@code vmqtt} command itself: help, version, a missing command, and {@code demo}. */
class MainTest {

  @Test
  void helpListsTheCommands() {
    Cli.Result result = Cli.run("--help");

    assertThat(result.status()).isZero();
    assertThat(result.out()).contains("Usage: vmqtt", "pub", "sub", "load", "demo");
  }

  @Test
  void eachCommandHasHelpAndTheVersion() {
    for (String command : new String[] {"pub", "sub", "load", "demo"}) {
      Cli.Result help = Cli.run(command, "--help");
      assertThat(help.status()).isZero();
      assertThat(help.out()).startsWith("Usage: vmqtt " + command).contains("Exit status:");
    }
    assertThat(Cli.run("--version").out()).startsWith("vmqtt ").contains("Java ");
    assertThat(Cli.run("sub", "--version").out()).startsWith("vmqtt ");
  }

  @Test
  void noCommandOrAnUnknownOneIsAUsageError() {
    Cli.Result none = Cli.run();
    assertThat(none.status()).isEqualTo(2);
    assertThat(none.err()).startsWith("vmqtt: a command is needed: pub, sub, load or demo\n");

    Cli.Result unknown = Cli.run("publish");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("vmqtt: Unmatched argument at index 0: 'publish'");
  }

  @Test
  void theDemoRunsAgainstItsEmbeddedBrokerAndPrintsThePacketTrace() {
    Cli.Result result = Cli.run("demo", "--url=", "--count=");

    assertThat(result.status()).as(result.toString()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out())
        .contains("Broker: embedded Moquette at mqtt://127.0.0.1:", "Done.")
        .contains(" -out-> PublishPacket[topic=a/b, qos=2", " <-in-- PubcompPacket");
  }

  @Test
  void theDemoRefusesACountBelowOne() {
    PubCommandTest.assertUsage(Cli.run("demo", "--count", "-1"), "--count must be at least 1");
  }
}
