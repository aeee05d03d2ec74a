package io.vmqtt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.Message;
import io.vmqtt.QoS;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutputFormatTest {
  private static final Instant AT = Instant.parse("2026-12-04T10:15:30.123456789Z");

  private static Message message(String topic, byte[] payload, QoS qos, boolean retain) {
    return Message.of(topic, payload, qos, retain);
  }

  private static String format(OutputFormat format, Message message) {
    return new String(format.format(message, AT), StandardCharsets.UTF_8);
  }

  @Test
  void everyFieldAndEscapeOfATemplateIsReplaced() {
    Message m = message("a/b", "hé".getBytes(StandardCharsets.UTF_8), QoS.EXACTLY_ONCE, true);

    assertThat(format(OutputFormat.template("%t %p %q %r %l %x %X %%", true), m))
        .isEqualTo("a/b hé 2 1 3 68c3a9 68C3A9 %\n");
    assertThat(format(OutputFormat.template("%I|%U", false), m))
        .isEqualTo("2026-12-04T10:15:30.123456Z|1796379330.123456789");
    assertThat(format(OutputFormat.template("a\\tb\\nc\\\\d\\0", false), m))
        .isEqualTo("a\tb\nc\\d\0");
  }

  @Test
  void unknownFieldsEscapesAndALoneMarkerAreRefusedWithTheirName() {
    assertThatThrownBy(() -> OutputFormat.template("%t %m", true))
        .hasMessageStartingWith("-F field %m (packet id) is not supported");
    assertThatThrownBy(() -> OutputFormat.template("%z", true))
        .hasMessageStartingWith("-F has an unknown field %z");
    assertThatThrownBy(() -> OutputFormat.template("\\q", true))
        .hasMessageStartingWith("-F has an unknown escape \\q");
    assertThatThrownBy(() -> OutputFormat.template("50%", true))
        .hasMessage("-F ends with a lone '%'; write %% for the character itself");
  }

  @Test
  void jsonQuotesControlCharactersAndFallsBackToBase64ForBinary() {
    Message text =
        message(
            "t/\"q\"", "a\"b\\c\n\u0001".getBytes(StandardCharsets.UTF_8), QoS.AT_MOST_ONCE, false);
    assertThat(format(OutputFormat.json(true), text))
        .isEqualTo(
            "{\"topic\":\"t/\\\"q\\\"\",\"qos\":0,\"retain\":false,"
                + "\"payload\":\"a\\\"b\\\\c\\n\\u0001\"}\n");

    Message binary = message("b", new byte[] {(byte) 0xc3, 0x28}, QoS.AT_LEAST_ONCE, false);
    assertThat(format(OutputFormat.json(false), binary))
        .isEqualTo("{\"topic\":\"b\",\"qos\":1,\"retain\":false,\"payload_base64\":\"wyg=\"}");
  }

  @Test
  void plainIsThePayloadAndVerboseAddsTheTopic() {
    Message m = message("a/b", new byte[] {'x'}, QoS.AT_MOST_ONCE, false);
    assertThat(format(OutputFormat.plain(false, true), m)).isEqualTo("x\n");
    assertThat(format(OutputFormat.plain(true, false), m)).isEqualTo("a/b x");
  }
}
