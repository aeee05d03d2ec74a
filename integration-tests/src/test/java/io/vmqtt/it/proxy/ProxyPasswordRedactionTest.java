package io.vmqtt.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.vmqtt.ConnectException;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.ProxyOptions;
import io.vmqtt.QoS;
import io.vmqtt.it.fixture.DanteProxy;
import io.vmqtt.it.fixture.MosquittoExtension;
import io.vmqtt.it.fixture.RealProxy;
import io.vmqtt.testkit.MosquittoBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Proxy passwords never appear in a log line (at any level, the packet trace included), an
 * exception's message, or the {@code toString()} of the configuration, whether the connection
 * through the proxy succeeds or fails.
 */
class ProxyPasswordRedactionTest {
  private static final String WRONG_PASSWORD = "wrong-Pa55-8h3k";

  @RegisterExtension static final MosquittoExtension mosquitto = new MosquittoExtension();

  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private final Logger vmqtt = (Logger) LoggerFactory.getLogger("io.vmqtt");
  private Level level;

  @BeforeEach
  void captureEverythingVmqttLogs() {
    level = vmqtt.getLevel();
    vmqtt.setLevel(Level.TRACE);
    ((Logger) LoggerFactory.getLogger("io.vmqtt.trace")).setLevel(Level.TRACE);
    events.start();
    vmqtt.addAppender(events);
  }

  @AfterEach
  void restoreLogging() {
    vmqtt.detachAppender(events);
    vmqtt.setLevel(level);
    ((Logger) LoggerFactory.getLogger("io.vmqtt.trace")).setLevel(Level.INFO);
  }

  @Test
  void noPasswordInLogsMessagesOrConfigurationsThroughEitherProxy(MosquittoBroker broker)
      throws Exception {
    String uri = "mqtt://localhost:" + broker.port();
    List<String> texts = new ArrayList<>();
    try (RealProxy http = ProxyKind.TINYPROXY_BASIC.startProxy();
        RealProxy socks = ProxyKind.DANTE_USERNAME.startProxy()) {
      for (RealProxy proxy : List.of(http, socks)) {
        MqttConfig right = MqttConfig.builder().proxy(proxy.options()).build();
        texts.add(right.toString());
        try (MqttClient client = MqttClient.create(ProxyTransportsTest.clientId("red"), right)) {
          assertThat(client.connect(uri).returnCode()).isZero();
          client.publish("redaction", "x".getBytes(), QoS.AT_LEAST_ONCE, false);
          client.disconnect();
        }
        ProxyOptions wrong =
            proxy.optionsWithCredentials(proxy.options().username().orElseThrow(), WRONG_PASSWORD);
        MqttConfig config = MqttConfig.builder().proxy(wrong).autoReconnect(false).build();
        texts.add(config.toString());
        try (MqttClient client = MqttClient.create(ProxyTransportsTest.clientId("red"), config)) {
          ConnectException e =
              catchThrowableOfType(ConnectException.class, () -> client.connect(uri));
          assertThat(e).isNotNull();
          texts.add(describe(e));
        }
      }
      // The URL form and the keys, through the configuration map.
      MqttConfig fromMap =
          MqttConfig.from(
              Map.of(
                  "proxy",
                  "socks5://"
                      + DanteProxy.SYSTEM_USER
                      + ":"
                      + WRONG_PASSWORD
                      + "@127.0.0.1:"
                      + socks.port()));
      texts.add(fromMap.toString());
    }
    for (ILoggingEvent event : events.list) {
      texts.add(event.getFormattedMessage());
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        texts.add(t.getClassName() + ": " + t.getMessage());
      }
    }

    assertThat(events.list).as("the client logged what it did").isNotEmpty();
    assertThat(texts)
        .noneMatch(t -> t.contains(ProxyKind.HTTP_PASSWORD))
        .noneMatch(t -> t.contains(DanteProxy.SYSTEM_PASSWORD))
        .noneMatch(t -> t.contains(WRONG_PASSWORD));
    assertThat(texts).anyMatch(t -> t.contains("<redacted>"));
  }

  /** The message of an exception and of every cause and suppressed exception below it. */
  private static String describe(Throwable e) {
    StringBuilder s = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      s.append(t).append('\n');
      for (Throwable suppressed : t.getSuppressed()) {
        s.append(describe(suppressed));
      }
    }
    return s.toString();
  }
}
