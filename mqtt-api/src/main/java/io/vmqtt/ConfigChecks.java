package io.vmqtt;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The limits of {@link MqttConfig} values and their checks, shared by {@link MqttConfig.Builder}
 * and {@link ConfigMapParser}. Every message names the config-map key and the value found.
 *
 * <p>Stateless and thread-safe.
 */
final class ConfigChecks {
  /** CONNECT carries the keep-alive as a 16-bit number of seconds [MQTT-3.1.2.10]. */
  static final int MAX_KEEP_ALIVE_SECONDS = 65_535;

  /** Packet identifiers are 16 bits and never 0 [MQTT-2.3.1-1], so no more flows can be open. */
  static final int MAX_INFLIGHT = 65_535;

  /** The smallest packet: one fixed-header byte and a zero remaining length (PINGRESP). */
  static final int MIN_PACKET_SIZE = 2;

  /** One fixed-header byte, four length bytes, and the largest remaining length, 268,435,455. */
  static final int MAX_PACKET_SIZE = 268_435_460;

  private ConfigChecks() {}

  static Duration keepAlive(Duration value) {
    Objects.requireNonNull(value, "keep_alive");
    if (value.getNano() != 0) {
      throw new IllegalArgumentException(
          "keep_alive must be a whole number of seconds, was " + seconds(value));
    }
    if (value.isNegative() || value.getSeconds() > MAX_KEEP_ALIVE_SECONDS) {
      throw new IllegalArgumentException(
          "keep_alive must be 0.." + MAX_KEEP_ALIVE_SECONDS + " seconds, was " + seconds(value));
    }
    return value;
  }

  static Duration notNegative(String key, Duration value) {
    Objects.requireNonNull(value, key);
    if (value.isNegative()) {
      throw new IllegalArgumentException(key + " must be >= 0 seconds, was " + seconds(value));
    }
    return value;
  }

  static Duration positive(String key, Duration value) {
    Objects.requireNonNull(value, key);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be > 0 seconds, was " + seconds(value));
    }
    return value;
  }

  /** Checks {@code ping_delay} against {@code keep_alive}; run once both are known. */
  static void pingDelayBelowKeepAlive(Duration pingDelay, Duration keepAlive) {
    if (!keepAlive.isZero() && pingDelay.compareTo(keepAlive) >= 0) {
      throw new IllegalArgumentException(
          "ping_delay must be less than keep_alive ("
              + seconds(keepAlive)
              + " seconds) when keep-alive is on, was "
              + seconds(pingDelay));
    }
  }

  static int maxInflight(int value) {
    return inRange("max_inflight", value, 1, MAX_INFLIGHT, "");
  }

  static int maxPacketSize(int value) {
    return inRange("max_packet_size", value, MIN_PACKET_SIZE, MAX_PACKET_SIZE, " bytes");
  }

  private static int inRange(String key, int value, int min, int max, String unit) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          key + " must be " + min + ".." + max + unit + ", was " + value);
    }
    return value;
  }

  static int atLeast(String key, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(key + " must be >= " + min + ", was " + value);
    }
    return value;
  }

  static int between(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(key + " must be " + min + ".." + max + ", was " + value);
    }
    return value;
  }

  static double fraction(String key, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(key + " must be 0..1, was " + value);
    }
    return value;
  }

  static int protocolVersion(int value) {
    if (value != 3 && value != 4 && value != 5) {
      throw new IllegalArgumentException(
          "protocol_version must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0), was " + value);
    }
    return value;
  }

  /** MQTT 5's Session Expiry Interval is a Four Byte Integer of seconds (section 3.1.2.11.2). */
  static final long MAX_SESSION_EXPIRY_SECONDS = 0xFFFF_FFFFL;

  static Duration sessionExpiryInterval(Duration value) {
    Objects.requireNonNull(value, "session_expiry_interval");
    if (value.getNano() != 0
        || value.isNegative()
        || value.getSeconds() > MAX_SESSION_EXPIRY_SECONDS) {
      throw new IllegalArgumentException(
          "session_expiry_interval must be a whole number of seconds 0.."
              + MAX_SESSION_EXPIRY_SECONDS
              + " ("
              + MAX_SESSION_EXPIRY_SECONDS
              + ": never expires), was "
              + seconds(value));
    }
    return value;
  }

  /** MQTT 5's Receive Maximum: a Two Byte Integer, 0 is a Protocol Error (3.1.2.11.3). */
  static int receiveMaximum(int value) {
    return inRange("receive_maximum", value, 1, 65_535, "");
  }

  /** MQTT 5's Topic Alias Maximum: a Two Byte Integer, 0 accepts no alias (3.1.2.11.5). */
  static int topicAliasMaximum(int value) {
    return inRange("topic_alias_maximum", value, 0, 65_535, "");
  }

  /** Outbound topic aliases: at most what a Two Byte Integer alias can name (3.3.2.3.4). */
  static int outboundTopicAliases(int value) {
    return inRange("outbound_topic_aliases", value, 0, 65_535, "");
  }

  /**
   * The built-in authentication method named {@code name}: {@code SCRAM-SHA-256}, in any case.
   *
   * @throws IllegalArgumentException naming the key and the value for any other name
   */
  static io.vmqtt.spi.Authenticator builtInAuthenticator(String key, String name) {
    if (io.vmqtt.internal.auth.Scram.SHA_256.equalsIgnoreCase(name)) {
      return new io.vmqtt.internal.auth.Scram();
    }
    throw new IllegalArgumentException(
        key
            + " must be "
            + io.vmqtt.internal.auth.Scram.SHA_256
            + " (built in), or an io.vmqtt.spi.Authenticator through"
            + " MqttConfig.Builder.authenticator; was '"
            + name
            + "'");
  }

  /** A password is binary data with a 16-bit length [MQTT-3.1.3.5]; returns a copy. */
  static byte[] password(byte[] value) {
    Objects.requireNonNull(value, "password");
    if (value.length > Topics.MAX_STRING_BYTES) {
      throw new IllegalArgumentException(
          "password must be at most " + Topics.MAX_STRING_BYTES + " bytes, was " + value.length);
    }
    return value.clone();
  }

  /** MQTT 3.1.1 sends a password only with a user name [MQTT-3.1.2-22]. */
  static void passwordNeedsUsername(byte[] password, String username) {
    if (password != null && username == null) {
      throw new IllegalArgumentException(
          "password requires a username in MQTT 3.1 and 3.1.1 [MQTT-3.1.2-22]");
    }
  }

  /** A duration as a plain number of seconds, as the config map writes it: 10, 0.5, -1. */
  static String seconds(Duration d) {
    return BigDecimal.valueOf(d.getSeconds())
        .add(BigDecimal.valueOf(d.getNano(), 9))
        .stripTrailingZeros()
        .toPlainString();
  }

  // --- extra_headers: HTTP headers of the WebSocket upgrade request -----------------------------

  /**
   * Headers the WebSocket transport writes itself (RFC 6455 4.1): a value given here would be
   * overwritten or would break the handshake. Lower case.
   */
  static final Set<String> RESERVED_HEADERS =
      Set.of(
          "connection",
          "upgrade",
          "sec-websocket-key",
          "sec-websocket-version",
          "sec-websocket-protocol",
          "sec-websocket-extensions",
          "sec-websocket-accept");

  /** Headers whose values are credentials; {@code toString()} prints them as redacted. */
  private static final Set<String> SECRET_HEADERS =
      Set.of("authorization", "proxy-authorization", "cookie");

  /**
   * Checks {@code extra_headers} and returns an unmodifiable copy in the given order: each name an
   * HTTP token (RFC 9110 5.6.2), not one the handshake sets itself and not given twice in any case;
   * each value printable ASCII, spaces and tabs (no CR or LF, so no header can be smuggled in).
   */
  static Map<String, String> extraHeaders(Map<String, String> headers) {
    Objects.requireNonNull(headers, "extra_headers");
    Map<String, String> copy = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (Map.Entry<String, String> e : headers.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "extra_headers name");
      String value = Objects.requireNonNull(e.getValue(), "extra_headers." + name);
      if (name.isEmpty() || !name.chars().allMatch(ConfigChecks::isTokenChar)) {
        throw new IllegalArgumentException(
            "extra_headers name \"" + name + "\" is not an HTTP header name (RFC 9110 5.6.2)");
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (RESERVED_HEADERS.contains(lower)) {
        throw new IllegalArgumentException(
            "extra_headers." + name + " is set by the WebSocket handshake itself");
      }
      if (!seen.add(lower)) {
        throw new IllegalArgumentException(
            "extra_headers has " + name + " twice (header names ignore case)");
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if ((c < 0x20 && c != '\t') || c > 0x7E) {
          throw new IllegalArgumentException(
              "extra_headers."
                  + name
                  + " must be printable ASCII, found U+"
                  + String.format(Locale.ROOT, "%04X", (int) c)
                  + " at index "
                  + i);
        }
      }
      copy.put(name, value);
    }
    return Collections.unmodifiableMap(copy);
  }

  /** The headers for {@code toString()}: values of credential headers redacted. */
  static Map<String, String> redactHeaders(Map<String, String> headers) {
    Map<String, String> shown = new LinkedHashMap<>();
    headers.forEach(
        (name, value) ->
            shown.put(
                name,
                SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? "<redacted>" : value));
    return shown;
  }

  /** RFC 9110 5.6.2: {@code tchar = "!" / "#" / "$" / ... / DIGIT / ALPHA}. */
  private static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
