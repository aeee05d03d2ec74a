package io.vmqtt.cli;

import io.vmqtt.ConnectOptions;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.TlsOptions;
import io.vmqtt.Topics;
import io.vmqtt.Will;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The connection options every command shares, named as mosquitto_pub and mosquitto_sub name them:
 * where the broker is ({@code -h -p} or {@code -L}), who connects ({@code -i -I -u -P}), the
 * session ({@code -k -c -V --will-*}) and TLS ({@code --cafile --capath --cert --key --insecure
 * --psk --psk-identity ...}).
 *
 * <p>Filled in by picocli on the main thread, then read by the command on the same thread.
 */
final class ConnectionOptions {

  @Spec(Spec.Target.MIXEE)
  private CommandSpec spec;

  @Option(
      names = {"-h", "--host"},
      paramLabel = "<host>",
      description = "The broker's host (default: localhost).")
  String host;

  @Option(
      names = {"-p", "--port"},
      paramLabel = "<port>",
      description = "The broker's port (default: 1883, or 8883 with TLS).")
  Integer port;

  @Option(
      names = {"-L", "--url"},
      paramLabel = "<url>",
      description = {
        "The broker as a URL instead of -h/-p: mqtt://, mqtts://, ws:// or wss://,"
            + " [user[:password]@]host[:port][/path].",
        "For mqtt:// and mqtts:// the path is the topic (as with mosquitto's -L);"
            + " for ws:// and wss:// it is the WebSocket path (e.g. /mqtt)."
      })
  String url;

  @Option(
      names = {"-i", "--id"},
      paramLabel = "<id>",
      description = "The client id (default: vmqtt-<command>-<process id>).")
  String clientId;

  @Option(
      names = {"-I", "--id-prefix"},
      paramLabel = "<prefix>",
      description = "The client id is this prefix and the process id.")
  String idPrefix;

  @Option(
      names = {"-u", "--username"},
      paramLabel = "<user>",
      description = "The user name.")
  String username;

  @Option(
      names = {"-P", "--pw"},
      paramLabel = "<password>",
      description = "The password; needs -u.")
  String password;

  @Option(
      names = {"-k", "--keepalive"},
      paramLabel = "<seconds>",
      defaultValue = "60",
      description =
          "Keep-alive interval, 0-65535 seconds; 0 turns it off (default: ${DEFAULT-VALUE}).")
  int keepAlive;

  @Option(
      names = {"-c", "--disable-clean-session"},
      description = "Ask the broker to keep the session (needs a fixed client id, -i).")
  boolean persistentSession;

  @Option(
      names = {"-V", "--protocol-version"},
      paramLabel = "<version>",
      converter = Converters.ProtocolVersion.class,
      defaultValue = "mqttv311",
      description = "mqttv5, mqttv311 (default) or mqttv31.")
  int protocolVersion;

  @Option(
      names = "--will-topic",
      paramLabel = "<topic>",
      description = "The topic of the last will, sent by the broker if the connection drops.")
  String willTopic;

  @Option(
      names = "--will-payload",
      paramLabel = "<payload>",
      description = "The will's payload (default: empty).")
  String willPayload;

  @Option(
      names = "--will-qos",
      paramLabel = "<qos>",
      converter = Converters.Qos.class,
      description = "The will's QoS, 0-2 (default: 0).")
  QoS willQos;

  @Option(names = "--will-retain", description = "Make the will a retained message.")
  boolean willRetain;

  @Option(
      names = "--cafile",
      paramLabel = "<file>",
      description = "Trusted CA certificates (PEM or DER); turns TLS on.")
  Path caFile;

  @Option(
      names = "--capath",
      paramLabel = "<dir>",
      description = "A directory of trusted CA certificates; turns TLS on.")
  Path caPath;

  @Option(
      names = "--cert",
      paramLabel = "<file>",
      description = "The client certificate (PEM), for brokers that require one; needs --key.")
  Path certFile;

  @Option(
      names = "--key",
      paramLabel = "<file>",
      description = "The client's private key (PEM: PKCS#8, PKCS#1, SEC1, or encrypted).")
  Path keyFile;

  @Option(
      names = "--key-password",
      paramLabel = "<password>",
      description = "The password of an encrypted --key.")
  String keyPassword;

  @Option(
      names = "--insecure",
      description =
          "Do not check that the broker's certificate matches its host name. Only for testing.")
  boolean insecure;

  @Option(
      names = "--tls-use-os-certs",
      description = "TLS with the JDK's trusted certificates (also the default without --cafile).")
  boolean useOsCerts;

  @Option(
      names = "--tls-version",
      paramLabel = "<version>",
      description = "tlsv1.3 or tlsv1.2 (default: both).")
  String tlsVersion;

  @Option(
      names = "--ciphers",
      paramLabel = "<list>",
      description = "Cipher suites by IANA name, separated by ':'.")
  String ciphers;

  @Option(
      names = "--tls-alpn",
      paramLabel = "<protocol>",
      description = "An ALPN protocol name, e.g. x-amzn-mqtt-ca.")
  String alpn;

  @Option(
      names = "--psk",
      paramLabel = "<hex-key>",
      description = "TLS-PSK: the pre-shared key in hex; needs --psk-identity.")
  String psk;

  @Option(
      names = "--psk-identity",
      paramLabel = "<identity>",
      description = "TLS-PSK: the client's identity.")
  String pskIdentity;

  @Option(
      names = {"-d", "--debug"},
      description = "Print every MQTT packet sent and received, on the error stream.")
  boolean debug;

  @Option(names = "--quiet", description = "Print no error messages (the exit status remains).")
  boolean quiet;

  @Option(
      names = {"-x", "--session-expiry-interval"},
      paramLabel = "<seconds>",
      description =
          "MQTT 5 (-V mqttv5): the session expiry interval in CONNECT, in seconds; -1: never"
              + " expires. Without it, -c keeps the session for ever and otherwise it ends with"
              + " the connection.")
  Long sessionExpiry;

  @Option(
      names = {"-D", "--property"},
      paramLabel = "<command identifier value>",
      parameterConsumer = PropertyOptions.Consumer.class,
      description = {
        "An MQTT 5 property (-V mqttv5), as mosquitto's -D: -D <command> <identifier> <value>,"
            + " or -D <command> user-property <name> <value>; repeatable. connect:"
            + " session-expiry-interval, receive-maximum, maximum-packet-size,"
            + " topic-alias-maximum, user-property. publish (pub): content-type,"
            + " correlation-data, message-expiry-interval, payload-format-indicator (0 or 1),"
            + " response-topic, user-property."
      })
  List<PropertyOptions.Entry> properties;

  /**
   * Where to connect and how, or a {@link ParameterException} (a usage error) naming the option at
   * fault.
   *
   * @param command the command's name, for the default client id
   * @param urlTopic set to the topic of an {@code mqtt(s)://} URL's path when there is one
   * @param packets the packets whose {@code -D} properties the command sends, e.g. {@code connect}
   */
  Target target(String command, StringBuilder urlTopic, List<String> packets) {
    PropertyOptions mqtt5 = PropertyOptions.check(properties, protocolVersion, packets, spec);
    if (sessionExpiry != null && protocolVersion != 5) {
      throw usage("-x/--session-expiry-interval is an MQTT 5 property: it needs -V mqttv5");
    }
    if (sessionExpiry != null && (sessionExpiry < -1 || sessionExpiry > 0xFFFF_FFFFL)) {
      throw usage(
          "-x/--session-expiry-interval must be -1 (never expires) or 0..4294967295 seconds, was "
              + sessionExpiry);
    }
    String scheme;
    String brokerHost;
    int brokerPort;
    String path = "";
    String user = username;
    String pass = password;
    boolean tlsOptionsGiven = tlsOptionsGiven();
    if (url != null) {
      if (host != null || port != null) {
        throw usage("-L/--url cannot be combined with -h/--host or -p/--port");
      }
      URI uri = parseUrl(url);
      scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      brokerHost = uri.getHost();
      brokerPort = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
      String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
      if (scheme.startsWith("ws")) {
        path = rawPath + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      } else if (rawPath.length() > 1) {
        urlTopic.append(decode(rawPath.substring(1)));
      }
      if (uri.getRawUserInfo() != null) {
        String info = uri.getRawUserInfo();
        int colon = info.indexOf(':');
        if (user == null) {
          user = decode(colon < 0 ? info : info.substring(0, colon));
        }
        if (pass == null && colon >= 0) {
          pass = decode(info.substring(colon + 1));
        }
      }
      if (tlsOptionsGiven && !isTls(scheme)) {
        throw usage("TLS options need an mqtts:// or wss:// URL, not " + scheme + "://");
      }
    } else {
      scheme = tlsOptionsGiven ? "mqtts" : "mqtt";
      brokerHost = host == null ? "localhost" : host;
      brokerPort = port == null ? defaultPort(scheme) : port;
    }
    if (brokerPort < 1 || brokerPort > 65535) {
      throw usage("port must be 1-65535, was " + brokerPort);
    }
    if (keepAlive < 0 || keepAlive > 65535) {
      throw usage("-k/--keepalive must be 0-65535 seconds, was " + keepAlive);
    }
    if (pass != null && user == null) {
      throw usage("-P/--pw needs a user name (-u/--username)");
    }
    String id = clientId(command);
    if (persistentSession && clientId == null) {
      throw usage("-c/--disable-clean-session needs a fixed client id (-i/--id)");
    }
    String hostPart = brokerHost.indexOf(':') >= 0 ? "[" + brokerHost + "]" : brokerHost;
    String target = scheme + "://" + hostPart + ":" + brokerPort + path;

    MqttConfig.Builder config =
        MqttConfig.builder()
            .keepAlive(Duration.ofSeconds(keepAlive))
            .pingDelay(keepAlive == 1 ? Duration.ofMillis(500) : Duration.ofSeconds(1))
            .protocolVersion(protocolVersion)
            .cleanSession(!persistentSession);
    if (sessionExpiry != null) {
      config.sessionExpiryInterval(
          Duration.ofSeconds(sessionExpiry == -1 ? 0xFFFF_FFFFL : sessionExpiry));
    }
    will().ifPresent(config::will);
    ConnectOptions.Builder options = ConnectOptions.builder().cleanSession(!persistentSession);
    if (user != null) {
      options.credentials(user, pass == null ? null : pass.getBytes(StandardCharsets.UTF_8));
    }
    if (isTls(scheme)) {
      options.tls(tls());
    }
    mqtt5.applyToConnect(config, options);
    return new Target(target, id, config, options.build(), mqtt5);
  }

  /** The client id: {@code -i}, or {@code -I} and the process id, or a default. */
  private String clientId(String command) {
    if (clientId != null && idPrefix != null) {
      throw usage("-i/--id and -I/--id-prefix cannot be combined");
    }
    String id =
        clientId != null
            ? clientId
            : (idPrefix != null ? idPrefix : "vmqtt-" + command + "-")
                + ProcessHandle.current().pid();
    try {
      return Topics.requireValidString(id, "client id");
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private Optional<Will> will() {
    if (willTopic == null) {
      if (willPayload != null || willQos != null || willRetain) {
        throw usage("--will-payload, --will-qos and --will-retain need --will-topic");
      }
      return Optional.empty();
    }
    try {
      return Optional.of(
          Will.of(
              willTopic,
              willPayload == null ? new byte[0] : willPayload.getBytes(StandardCharsets.UTF_8),
              willQos == null ? QoS.AT_MOST_ONCE : willQos,
              willRetain));
    } catch (IllegalArgumentException e) {
      throw usage("--will-topic: " + e.getMessage());
    }
  }

  private boolean tlsOptionsGiven() {
    return caFile != null
        || caPath != null
        || certFile != null
        || keyFile != null
        || insecure
        || useOsCerts
        || tlsVersion != null
        || ciphers != null
        || alpn != null
        || psk != null
        || pskIdentity != null;
  }

  private TlsOptions tls() {
    TlsOptions.Builder tls = TlsOptions.builder();
    if ((psk == null) != (pskIdentity == null)) {
      throw usage("--psk and --psk-identity go together");
    }
    if ((certFile == null) != (keyFile == null)) {
      throw usage("--cert and --key go together");
    }
    if (keyPassword != null && keyFile == null) {
      throw usage("--key-password needs --key");
    }
    if (psk != null) {
      if (caFile != null || caPath != null || certFile != null) {
        throw usage("--psk cannot be combined with certificates (--cafile, --capath, --cert)");
      }
      byte[] key;
      try {
        key = HexFormat.of().parseHex(psk);
      } catch (IllegalArgumentException e) {
        throw usage("--psk must be the key in hex digits (no leading 0x), was '" + psk + "'");
      }
      tls.psk(pskIdentity, key);
    }
    if (caFile != null) {
      tls.caFile(caFile);
    }
    if (caPath != null) {
      tls.caPath(caPath);
    }
    if (certFile != null) {
      tls.certFile(certFile).keyFile(keyFile);
    }
    if (keyPassword != null) {
      tls.keyFilePassword(keyPassword.toCharArray());
    }
    if (tlsVersion != null) {
      tls.tlsVersions(
          switch (tlsVersion.toLowerCase(Locale.ROOT)) {
            case "tlsv1.3" -> "TLSv1.3";
            case "tlsv1.2" -> "TLSv1.2";
            default ->
                throw usage("--tls-version must be tlsv1.3 or tlsv1.2, was '" + tlsVersion + "'");
          });
    }
    if (ciphers != null) {
      tls.ciphers(List.of(ciphers.split(":")));
    }
    if (alpn != null) {
      tls.alpn(alpn);
    }
    tls.insecureSkipHostnameVerification(insecure);
    try {
      return tls.build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private URI parseUrl(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw usage("-L/--url is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!List.of("mqtt", "tcp", "mqtts", "ssl", "ws", "wss").contains(scheme)) {
      throw usage(
          "-L/--url must start with mqtt://, mqtts://, ws:// or wss:// (or tcp://, ssl://), was '"
              + text
              + "'");
    }
    if (uri.getHost() == null) {
      throw usage("-L/--url has no host: '" + text + "'");
    }
    return uri;
  }

  private static boolean isTls(String scheme) {
    return scheme.equals("mqtts") || scheme.equals("ssl") || scheme.equals("wss");
  }

  private static int defaultPort(String scheme) {
    return switch (scheme) {
      case "mqtts", "ssl" -> 8883;
      case "ws" -> 80;
      case "wss" -> 443;
      default -> 1883;
    };
  }

  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /**
   * Where and how to connect.
   *
   * @param uri the broker, e.g. {@code mqtts://broker:8883} (credentials are in {@code options})
   * @param clientId the client id
   * @param config the configuration so far; the command adds its own settings
   * @param options credentials, clean session, TLS and CONNECT user properties
   * @param properties the {@code -D} properties; those of CONNECT are in {@code config} and {@code
   *     options} already
   */
  record Target(
      String uri,
      String clientId,
      MqttConfig.Builder config,
      ConnectOptions options,
      PropertyOptions properties) {}
}
