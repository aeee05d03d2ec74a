package io.vmqtt.cli;

import io.vmqtt.QoS;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option converters whose messages say what is accepted. Stateless. */
final class Converters {
  private Converters() {}

  /** {@code 0}, {@code 1} or {@code 2}. */
  static final class Qos implements ITypeConverter<QoS> {
    @Override
    public QoS convert(String value) {
      return switch (value.strip()) {
        case "0" -> QoS.AT_MOST_ONCE;
        case "1" -> QoS.AT_LEAST_ONCE;
        case "2" -> QoS.EXACTLY_ONCE;
        default -> throw new TypeConversionException("QoS must be 0, 1 or 2, was '" + value + "'");
      };
    }
  }

  /**
   * mosquitto's names ({@code mqttv31}, {@code mqttv311}, {@code mqttv5}) or the bare numbers; MQTT
   * 5 is refused with a message until the client speaks it.
   */
  static final class ProtocolVersion implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "mqttv31", "31", "3.1", "3" -> 3;
        case "mqttv311", "311", "3.1.1", "4" -> 4;
        case "mqttv5", "5", "5.0" ->
            throw new TypeConversionException(
                "MQTT 5 is not supported by this build yet; use mqttv311 or mqttv31");
        default ->
            throw new TypeConversionException(
                "the protocol version must be mqttv311 or mqttv31, was '" + value + "'");
      };
    }
  }

  /** A whole number; an empty value is the option's default (for Maven's -Ddemo.count=). */
  static final class OptionalCount implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      if (value.isBlank()) {
        return 0;
      }
      try {
        return Integer.parseInt(value.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a whole number");
      }
    }
  }
}
