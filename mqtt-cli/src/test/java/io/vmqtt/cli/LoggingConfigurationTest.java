package io.vmqtt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The demo's logback.xml, which is on the test class path too. */
class LoggingConfigurationTest {

  @Test
  void thePacketTraceIsShownAtDebug() {
    assertThat(LoggerFactory.getLogger("io.vmqtt.trace").isDebugEnabled()).isTrue();
  }

  @Test
  void theRestOfVmqttIsShownFromInfo() {
    assertThat(LoggerFactory.getLogger("io.vmqtt.vthreads.Session").isInfoEnabled()).isTrue();
    assertThat(LoggerFactory.getLogger("io.vmqtt.vthreads.Session").isDebugEnabled()).isFalse();
  }

  @Test
  void moquetteAndNettyAreShownOnlyFromWarn() {
    for (String name : new String[] {"io.moquette.broker.Server", "io.netty.channel.Channel"}) {
      assertThat(LoggerFactory.getLogger(name).isWarnEnabled()).as(name).isTrue();
      assertThat(LoggerFactory.getLogger(name).isInfoEnabled()).as(name).isFalse();
    }
  }
}
