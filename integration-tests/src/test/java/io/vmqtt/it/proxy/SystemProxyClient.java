package io.vmqtt.it.proxy;

import io.vmqtt.ConnectException;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A client run in a child JVM by {@link SystemProxyTest}, so that the environment variables and
 * system properties it reads are its own: {@code SystemProxyClient <uri> <proxy_from_system>}
 * connects, publishes one QoS 1 message and disconnects, then prints {@link #CONNECTED} and exits
 * with 0; when connecting fails it prints {@link #FAILED} and the message, and exits with 2.
 */
public final class SystemProxyClient {
  static final String CONNECTED = "SYSTEM-PROXY-CLIENT CONNECTED";
  static final String FAILED = "SYSTEM-PROXY-CLIENT FAILED: ";

  private SystemProxyClient() {}

  public static void main(String[] args) throws InterruptedException {
    MqttConfig config =
        MqttConfig.from(
            Map.of(
                "proxy_from_system",
                Boolean.parseBoolean(args[1]),
                "auto_reconnect",
                false,
                "connect_timeout",
                20));
    try (MqttClient client = MqttClient.create("system-proxy-client", config)) {
      client.connect(args[0]);
      client.publish(
          "system-proxy", "hello".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false);
      client.disconnect();
      System.out.println(CONNECTED);
    } catch (ConnectException e) {
      System.out.println(FAILED + e.getMessage());
      System.out.flush();
      System.exit(2);
    }
  }
}
