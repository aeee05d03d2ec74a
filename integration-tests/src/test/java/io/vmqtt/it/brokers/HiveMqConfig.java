package io.vmqtt.it.brokers;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a {@link HiveMq} was built with, and the {@code config.xml} and {@code logback.xml} made
 * from it. Immutable.
 *
 * @param listeners by name, in declaration order
 * @param users user name to password, for the authentication extension
 * @param anonymous whether a client without a user name is let in
 * @param refusedSubscriptions topic filters whose SUBSCRIBE the security extension refuses
 * @param maxQos {@code <max-qos>}, or null for HiveMQ's default (2)
 * @param retainedMessages {@code <retained-messages><enabled>}, or null for HiveMQ's default (true)
 * @param mqtt raw elements inside {@code <mqtt>}
 * @param restrictions raw elements inside {@code <restrictions>}
 * @param security raw elements inside {@code <security>}
 * @param filePersistence file persistence instead of in-memory
 * @param logLevel the root level of HiveMQ's log
 */
record HiveMqConfig(
    Map<String, Listener> listeners,
    Map<String, String> users,
    boolean anonymous,
    List<String> refusedSubscriptions,
    Integer maxQos,
    Boolean retainedMessages,
    List<String> mqtt,
    List<String> restrictions,
    List<String> security,
    boolean filePersistence,
    String logLevel) {

  /**
   * A listener: HiveMQ's element for it, the URI scheme, the WebSocket path (or null) and the TLS
   * key store (or null).
   */
  record Listener(String element, String scheme, String path, HiveMq.Tls tls) {}

  HiveMqConfig {
    listeners = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(listeners));
    users = Map.copyOf(users);
    refusedSubscriptions = List.copyOf(refusedSubscriptions);
    mqtt = List.copyOf(mqtt);
    restrictions = List.copyOf(restrictions);
    security = List.copyOf(security);
  }

  /** {@code config.xml} with these listeners on these ports of {@code host}. */
  String configXml(String host, Map<String, Integer> ports) {
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\"?>\n");
    x.append("<!-- written by HiveMq for one test run -->\n<hivemq>\n  <listeners>\n");
    listeners.forEach(
        (name, l) -> {
          x.append("    <").append(l.element()).append(">\n");
          x.append("      <port>").append(ports.get(name)).append("</port>\n");
          x.append("      <bind-address>").append(host).append("</bind-address>\n");
          x.append("      <name>").append(xml(name)).append("</name>\n");
          if (l.path() != null) {
            x.append("      <path>").append(xml(l.path())).append("</path>\n");
          }
          if (l.tls() != null) {
            HiveMq.Tls tls = l.tls();
            x.append("      <tls>\n        <keystore>\n");
            x.append("          <path>").append(xml(tls.keystore().toString())).append("</path>\n");
            x.append("          <password>").append(xml(tls.password())).append("</password>\n");
            x.append("          <private-key-password>")
                .append(xml(tls.privateKeyPassword()))
                .append("</private-key-password>\n");
            x.append("        </keystore>\n      </tls>\n");
          }
          x.append("    </").append(l.element()).append(">\n");
        });
    x.append("  </listeners>\n");
    StringBuilder m = new StringBuilder();
    if (maxQos != null) {
      m.append("    <quality-of-service><max-qos>")
          .append(maxQos)
          .append("</max-qos></quality-of-service>\n");
    }
    if (retainedMessages != null) {
      m.append("    <retained-messages><enabled>")
          .append(retainedMessages)
          .append("</enabled></retained-messages>\n");
    }
    mqtt.forEach(e -> m.append("    ").append(e).append('\n'));
    if (!m.isEmpty()) {
      x.append("  <mqtt>\n").append(m).append("  </mqtt>\n");
    }
    section(x, "restrictions", restrictions);
    section(x, "security", security);
    x.append("  <persistence><mode>")
        .append(filePersistence ? "file" : "in-memory")
        .append("</mode></persistence>\n");
    // HiveMQ CE reports usage to HiveMQ unless told not to.
    x.append(
        "  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n");
    x.append("</hivemq>\n");
    return x.toString();
  }

  /** {@code logback.xml}: HiveMQ's log into {@code logFile}, nothing on the console. */
  String logbackXml(Path logFile) {
    return """
        <configuration scan="false">
          <appender name="FILE" class="ch.qos.logback.core.FileAppender">
            <file>%s</file>
            <encoder><pattern>%%d{HH:mm:ss.SSS} [%%thread] %%-5level %%logger{30} - %%msg%%n%%ex</pattern></encoder>
          </appender>
          <logger name="jetbrains.exodus" level="WARN"/>
          <logger name="oshi" level="ERROR"/>
          <logger name="com.google.common.util.concurrent.Futures.CombinedFuture" level="OFF"/>
          <root level="%s"><appender-ref ref="FILE"/></root>
        </configuration>
        """
        .formatted(xml(logFile.toString()), logLevel);
  }

  private static void section(StringBuilder x, String name, List<String> elements) {
    if (!elements.isEmpty()) {
      x.append("  <").append(name).append(">\n");
      elements.forEach(e -> x.append("    ").append(e).append('\n'));
      x.append("  </").append(name).append(">\n");
    }
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
