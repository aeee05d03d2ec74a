package io.vmqtt;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

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
      throw new IllegalArgumentException(
          key + " must be " + min + ".." + max + ", was " + value);
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
    if (value != 3 && value != 4) {
      throw new IllegalArgumentException(
          "protocol_version must be 3 (MQTT 3.1) or 4 (MQTT 3.1.1), was " + value);
    }
    return value;
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
}
