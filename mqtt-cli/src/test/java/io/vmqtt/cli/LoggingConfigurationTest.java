package io.vmqtt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The command line's logback.xml, which is on the test class path too, and {@link Logging}. */
class LoggingConfigurationTest {

  @Test
  void thePacketTraceIsOffUntilACommandTurnsItOn() {
    Logger trace = (Logger) LoggerFactory.getLogger(Logging.TRACE_LOGGER);
    assertThat(trace.isDebugEnabled()).isFalse();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (Logging.Trace on = Logging.packetTrace(new java.io.PrintStream(out, true))) {
      assertThat(trace.isDebugEnabled()).isTrue();
      assertThat(trace.isAdditive()).isFalse();
      LoggerFactory.getLogger(Logging.TRACE_LOGGER).debug("c1 -out-> PingreqPacket[]");
    }
    assertThat(out.toString()).endsWith(" c1 -out-> PingreqPacket[]\n");
    assertThat(trace.isDebugEnabled()).isFalse();
  }

  @Test
  void vmqttMoquetteAndNettyAreShownOnlyFromWarnSoTheOutputStaysTheMessages() {
    for (String name :
        new String[] {
          "io.vmqtt.vthreads.Session", "io.moquette.broker.Server", "io.netty.channel.Channel"
        }) {
      assertThat(LoggerFactory.getLogger(name).isWarnEnabled()).as(name).isTrue();
      assertThat(LoggerFactory.getLogger(name).isInfoEnabled()).as(name).isFalse();
    }
  }
}
