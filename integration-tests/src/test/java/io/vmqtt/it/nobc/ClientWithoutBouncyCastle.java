package io.vmqtt.it.nobc;

import io.vmqtt.ConnectException;
import io.vmqtt.ConnectOptions;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.TlsOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * The child JVM of {@link WithoutBouncyCastleTest}: a class path without BouncyCastle, as a plain
 * {@code mqtt://} user's is. Reads the cases from the properties file given as its argument and
 * prints one line per case, {@code <case>: ok} or {@code <case>: failed: <message>}, then {@code
 * done}. References nothing of BouncyCastle's, nor of the test kit's (which uses it).
 */
public final class ClientWithoutBouncyCastle {
  private ClientWithoutBouncyCastle() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(Path.of(args[0]))) {
      p.load(in);
    }
    out.println("bouncycastle: " + (bouncyCastleThere() ? "there" : "absent"));
    Path ca = Path.of(p.getProperty("ca"));
    Path cert = Path.of(p.getProperty("cert"));
    char[] password = p.getProperty("password").toCharArray();
    run(out, "mqtt", p.getProperty("plain"), null);
    run(out, "mqtts cafile", p.getProperty("tls"), TlsOptions.builder().caFile(ca).build());
    for (String form : List.of("pkcs8", "pkcs8-der", "encrypted-pkcs8", "pkcs1", "sec1")) {
      TlsOptions.Builder tls =
          TlsOptions.builder()
              .caFile(ca)
              .certFile(cert)
              .keyFile(Path.of(p.getProperty("key." + form)));
      if (form.startsWith("encrypted")) {
        tls.keyFilePassword(password);
      }
      run(out, "mutual " + form, p.getProperty("mutual"), tls.build());
    }
    run(
        out,
        "psk",
        p.getProperty("psk"),
        TlsOptions.builder()
            .psk(p.getProperty("psk.identity"), HexFormat.of().parseHex(p.getProperty("psk.key")))
            .build());
    run(
        out,
        "bcjsse",
        p.getProperty("tls"),
        TlsOptions.builder().caFile(ca).provider(TlsOptions.Provider.BCJSSE).build());
    out.println("done");
  }

  private static boolean bouncyCastleThere() {
    try {
      Class.forName("org.bouncycastle.jce.provider.BouncyCastleProvider");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** Connects, and sends itself a QoS 1 message through the broker. */
  private static void run(PrintStream out, String name, String uri, TlsOptions tls)
      throws InterruptedException {
    MqttConfig config = MqttConfig.builder().autoReconnect(false).build();
    ConnectOptions.Builder options = ConnectOptions.builder();
    if (tls != null) {
      options.tls(tls);
    }
    try (MqttClient client = MqttClient.create("nobc-" + name.replace(' ', '-'), config)) {
      client.connect(uri, options.build());
      String topic = "nobc/" + client.clientId();
      client.subscribe(List.of(Subscription.of(topic, QoS.AT_LEAST_ONCE)));
      client.publish(topic, name.getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false);
      Message m = client.deliverMessage(Duration.ofSeconds(30));
      out.println(name + ": " + (m.payloadAsString().equals(name) ? "ok" : "wrong message"));
      client.disconnect();
    } catch (ConnectException e) {
      out.println(name + ": failed: " + e.getMessage().replace('\n', ' '));
    } catch (RuntimeException | java.util.concurrent.TimeoutException e) {
      out.println(name + ": failed: " + e);
    }
  }
}
