package io.vmqtt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  @Test
  void withoutArgumentsTheEmbeddedBrokerAndSixMessagesAreUsed() {
    DemoOptions options = DemoOptions.parse(new String[0]);

    assertThat(options.brokerUrl()).isEmpty();
    assertThat(options.count()).isEqualTo(DemoOptions.DEFAULT_COUNT).isEqualTo(6);
    assertThat(options.help()).isFalse();
  }

  @Test
  void urlAndCountAreTakenAsSeparateArguments() {
    DemoOptions options =
        DemoOptions.parse(new String[] {"--url", "mqtt://localhost:1883", "--count", "9"});

    assertThat(options.brokerUrl()).contains("mqtt://localhost:1883");
    assertThat(options.count()).isEqualTo(9);
  }

  @Test
  void urlAndCountAreTakenAfterAnEqualsSign() {
    DemoOptions options = DemoOptions.parse(new String[] {"--url=mqtt://h:1", "--count=2"});

    assertThat(options.brokerUrl()).contains("mqtt://h:1");
    assertThat(options.count()).isEqualTo(2);
  }

  @Test
  void emptyValuesAsMavenPassesThemForUnsetPropertiesMeanTheDefaults() {
    DemoOptions options = DemoOptions.parse(new String[] {"--url=", "--count="});

    assertThat(options.brokerUrl()).isEmpty();
    assertThat(options.count()).isEqualTo(DemoOptions.DEFAULT_COUNT);
  }

  @Test
  void helpIsRecognisedInBothSpellings() {
    assertThat(DemoOptions.parse(new String[] {"--help"}).help()).isTrue();
    assertThat(DemoOptions.parse(new String[] {"-h"}).help()).isTrue();
    assertThat(DemoOptions.USAGE).contains("--url <uri>", "--count <n>", "-Ddemo.url=<uri>");
  }

  @Test
  void anUnknownOptionIsNamedInTheError() {
    assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--verbose"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown option: --verbose");
  }

  @Test
  void anOptionWithoutItsValueIsAnError() {
    assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--url"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--url needs a value");
  }

  @Test
  void aCountThatIsNotAPositiveIntegerIsAnError() {
    assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--count", "many"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--count must be a positive integer, was 'many'");
    assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--count=0"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--count must be at least 1, was 0");
  }
}
