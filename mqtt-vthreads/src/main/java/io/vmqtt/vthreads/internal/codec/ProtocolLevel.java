package io.vmqtt.vthreads.internal.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * The MQTT protocol levels this client speaks, with the protocol name each writes in CONNECT and
 * the codec each uses: the one place that decides which levels exist. Everything else asks it:
 * {@link #of(int)} for a configured level, {@link #newCodec} for a connection's codec.
 */
public enum ProtocolLevel {
  /** MQTT 3.1 (IBM's), protocol name {@code MQIsdp}, coded as MQTT 3.1.1. */
  MQTT_3_1(3, "MQIsdp", "MQTT 3.1", Spec.MQTT_3_1_1),
  /** MQTT 3.1.1 (OASIS), protocol name {@code MQTT} [MQTT-3.1.2-1]. */
  MQTT_3_1_1(4, "MQTT", "MQTT 3.1.1", Spec.MQTT_3_1_1),
  /** MQTT 5.0 (OASIS), protocol name {@code MQTT}: properties, reason codes, AUTH. */
  MQTT_5(5, "MQTT", "MQTT 5.0", Spec.MQTT_5_0);

  private final int value;
  private final String protocolName;
  private final String displayName;
  private final Spec spec;

  ProtocolLevel(int value, String protocolName, String displayName, Spec spec) {
    this.value = value;
    this.protocolName = protocolName;
    this.displayName = displayName;
    this.spec = spec;
  }

  /**
   * The level with this value.
   *
   * @throws IllegalArgumentException "protocol level must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5
   *     (MQTT 5.0), was 7" for a level this client does not speak
   */
  public static ProtocolLevel of(int value) {
    ProtocolLevel level = find(value);
    if (level == null) {
      throw new IllegalArgumentException(
          "protocol level must be " + describeAll("or") + ", was " + value);
    }
    return level;
  }

  /** The level with this value, or null. */
  static ProtocolLevel find(int value) {
    for (ProtocolLevel level : values()) {
      if (level.value == value) {
        return level;
      }
    }
    return null;
  }

  /** "3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0)", with {@code conjunction} before the last. */
  static String describeAll(String conjunction) {
    return describe(conjunction, null);
  }

  /** As {@link #describeAll}, of the levels that cite {@code spec}, or of all for null. */
  static String describe(String conjunction, Spec spec) {
    List<String> all = new ArrayList<>();
    for (ProtocolLevel level : values()) {
      if (spec == null || level.spec == spec) {
        all.add(level.value + " (" + level.displayName + ")");
      }
    }
    return String.join(", ", all.subList(0, all.size() - 1))
        + " "
        + conjunction
        + " "
        + all.get(all.size() - 1);
  }

  /** The Protocol Level byte of CONNECT. */
  public int value() {
    return value;
  }

  /** The Protocol Name of CONNECT: "MQIsdp" for 3.1, "MQTT" from 3.1.1 on. */
  public String protocolName() {
    return protocolName;
  }

  /** The specification whose statements messages at this level cite. */
  Spec spec() {
    return spec;
  }

  /** Whether this level has packets of {@code type}: AUTH (15) is reserved before MQTT 5. */
  public boolean has(PacketType type) {
    return type != PacketType.AUTH || this == MQTT_5;
  }

  /**
   * A codec for one connection at this level.
   *
   * @param context what the connection's codec knows and negotiates; one per connection
   */
  public PacketCodec newCodec(CodecContext context) {
    return this == MQTT_5 ? new Mqtt5Codec(context) : new Mqtt3Codec(this, context);
  }

  /** "MQTT 3.1.1". */
  @Override
  public String toString() {
    return displayName;
  }
}
