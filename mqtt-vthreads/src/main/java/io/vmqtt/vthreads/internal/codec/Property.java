package io.vmqtt.vthreads.internal.codec;

import static io.vmqtt.vthreads.internal.codec.PropertyScope.AUTH;
import static io.vmqtt.vthreads.internal.codec.PropertyScope.CONNACK;
import static io.vmqtt.vthreads.internal.codec.PropertyScope.CONNECT;
import static io.vmqtt.vthreads.internal.codec.PropertyScope.DISCONNECT;
import static io.vmqtt.vthreads.internal.codec.PropertyScope.PUBACK;
import static io.vmqtt.vthreads.internal.codec.PropertyScope.PUBCOMP;
import static io.vmqtt.vthreads.internal.codec.PropertyScope.PUBLISH;
import static io.vmqtt.vthreads.internal.codec.PropertyScope.PUBREC;
import static io.vmqtt.vthreads.internal.codec.PropertyScope.PUBREL;
import static io.vmqtt.vthreads.internal.codec.PropertyScope.SUBACK;
import static io.vmqtt.vthreads.internal.codec.PropertyScope.SUBSCRIBE;
import static io.vmqtt.vthreads.internal.codec.PropertyScope.UNSUBACK;
import static io.vmqtt.vthreads.internal.codec.PropertyScope.UNSUBSCRIBE;
import static io.vmqtt.vthreads.internal.codec.PropertyScope.WILL;

import java.util.ArrayList;
import java.util.List;

/**
 * The 27 properties of MQTT 5.0, as one table: the rows of Table 2-4 (section 2.2.2.2: identifier,
 * name, data type, the packets and Will Properties where each may appear), and from the section
 * that describes each property in each packet, its rule: whether it may appear more than once (only
 * User Property, everywhere, and Subscription Identifier, in PUBLISH: section 3.3.2.3.8; everywhere
 * else "It is a Protocol Error to include the ... more than once") and what values are a Protocol
 * Error. {@link PropertiesCodec} reads and writes properties from this table alone.
 *
 * <p>Rows are in ascending identifier order, which is the order properties are written in.
 */
public enum Property {
  PAYLOAD_FORMAT_INDICATOR(
      0x01,
      "Payload Format Indicator",
      Type.BYTE,
      Rule.ZERO_OR_ONE,
      once(PUBLISH, "3.3.2.3.2"),
      once(WILL, "3.1.3.2.3")),
  MESSAGE_EXPIRY_INTERVAL(
      0x02,
      "Message Expiry Interval",
      Type.FOUR_BYTE_INTEGER,
      Rule.ANY,
      once(PUBLISH, "3.3.2.3.3"),
      once(WILL, "3.1.3.2.4")),
  CONTENT_TYPE(
      0x03,
      "Content Type",
      Type.UTF8_STRING,
      Rule.ANY,
      once(PUBLISH, "3.3.2.3.9"),
      once(WILL, "3.1.3.2.5")),
  RESPONSE_TOPIC(
      0x08,
      "Response Topic",
      Type.UTF8_STRING,
      Rule.TOPIC_NAME,
      once(PUBLISH, "3.3.2.3.5"),
      once(WILL, "3.1.3.2.6")),
  CORRELATION_DATA(
      0x09,
      "Correlation Data",
      Type.BINARY_DATA,
      Rule.ANY,
      once(PUBLISH, "3.3.2.3.6"),
      once(WILL, "3.1.3.2.7")),
  SUBSCRIPTION_IDENTIFIER(
      0x0B,
      "Subscription Identifier",
      Type.VARIABLE_BYTE_INTEGER,
      Rule.NOT_ZERO,
      many(PUBLISH, "3.3.2.3.8"),
      once(SUBSCRIBE, "3.8.2.1.2")),
  SESSION_EXPIRY_INTERVAL(
      0x11,
      "Session Expiry Interval",
      Type.FOUR_BYTE_INTEGER,
      Rule.ANY,
      once(CONNECT, "3.1.2.11.2"),
      once(CONNACK, "3.2.2.3.2"),
      once(DISCONNECT, "3.14.2.2.2")),
  ASSIGNED_CLIENT_IDENTIFIER(
      0x12, "Assigned Client Identifier", Type.UTF8_STRING, Rule.ANY, once(CONNACK, "3.2.2.3.7")),
  SERVER_KEEP_ALIVE(
      0x13, "Server Keep Alive", Type.TWO_BYTE_INTEGER, Rule.ANY, once(CONNACK, "3.2.2.3.14")),
  AUTHENTICATION_METHOD(
      0x15,
      "Authentication Method",
      Type.UTF8_STRING,
      Rule.ANY,
      once(CONNECT, "3.1.2.11.9"),
      once(CONNACK, "3.2.2.3.17"),
      once(AUTH, "3.15.2.2.2")),
  AUTHENTICATION_DATA(
      0x16,
      "Authentication Data",
      Type.BINARY_DATA,
      Rule.ANY,
      once(CONNECT, "3.1.2.11.10"),
      once(CONNACK, "3.2.2.3.18"),
      once(AUTH, "3.15.2.2.3")),
  REQUEST_PROBLEM_INFORMATION(
      0x17,
      "Request Problem Information",
      Type.BYTE,
      Rule.ZERO_OR_ONE,
      once(CONNECT, "3.1.2.11.7")),
  WILL_DELAY_INTERVAL(
      0x18, "Will Delay Interval", Type.FOUR_BYTE_INTEGER, Rule.ANY, once(WILL, "3.1.3.2.2")),
  REQUEST_RESPONSE_INFORMATION(
      0x19,
      "Request Response Information",
      Type.BYTE,
      Rule.ZERO_OR_ONE,
      once(CONNECT, "3.1.2.11.6")),
  RESPONSE_INFORMATION(
      0x1A, "Response Information", Type.UTF8_STRING, Rule.ANY, once(CONNACK, "3.2.2.3.15")),
  SERVER_REFERENCE(
      0x1C,
      "Server Reference",
      Type.UTF8_STRING,
      Rule.ANY,
      once(CONNACK, "3.2.2.3.16"),
      once(DISCONNECT, "3.14.2.2.5")),
  REASON_STRING(
      0x1F,
      "Reason String",
      Type.UTF8_STRING,
      Rule.ANY,
      once(CONNACK, "3.2.2.3.9"),
      once(PUBACK, "3.4.2.2.2"),
      once(PUBREC, "3.5.2.2.2"),
      once(PUBREL, "3.6.2.2.2"),
      once(PUBCOMP, "3.7.2.2.2"),
      once(SUBACK, "3.9.2.1.2"),
      once(UNSUBACK, "3.11.2.1.2"),
      once(DISCONNECT, "3.14.2.2.3"),
      once(AUTH, "3.15.2.2.4")),
  RECEIVE_MAXIMUM(
      0x21,
      "Receive Maximum",
      Type.TWO_BYTE_INTEGER,
      Rule.NOT_ZERO,
      once(CONNECT, "3.1.2.11.3"),
      once(CONNACK, "3.2.2.3.3")),
  TOPIC_ALIAS_MAXIMUM(
      0x22,
      "Topic Alias Maximum",
      Type.TWO_BYTE_INTEGER,
      Rule.ANY,
      once(CONNECT, "3.1.2.11.5"),
      once(CONNACK, "3.2.2.3.8")),
  TOPIC_ALIAS(
      0x23, "Topic Alias", Type.TWO_BYTE_INTEGER, Rule.TOPIC_ALIAS, once(PUBLISH, "3.3.2.3.4")),
  MAXIMUM_QOS(0x24, "Maximum QoS", Type.BYTE, Rule.ZERO_OR_ONE, once(CONNACK, "3.2.2.3.4")),
  RETAIN_AVAILABLE(
      0x25, "Retain Available", Type.BYTE, Rule.ZERO_OR_ONE, once(CONNACK, "3.2.2.3.5")),
  USER_PROPERTY(
      0x26,
      "User Property",
      Type.UTF8_STRING_PAIR,
      Rule.ANY,
      many(CONNECT, "3.1.2.11.8"),
      many(WILL, "3.1.3.2.8"),
      many(CONNACK, "3.2.2.3.10"),
      many(PUBLISH, "3.3.2.3.7"),
      many(PUBACK, "3.4.2.2.3"),
      many(PUBREC, "3.5.2.2.3"),
      many(PUBREL, "3.6.2.2.3"),
      many(PUBCOMP, "3.7.2.2.3"),
      many(SUBSCRIBE, "3.8.2.1.3"),
      many(SUBACK, "3.9.2.1.3"),
      many(UNSUBSCRIBE, "3.10.2.1.2"),
      many(UNSUBACK, "3.11.2.1.3"),
      many(DISCONNECT, "3.14.2.2.4"),
      many(AUTH, "3.15.2.2.5")),
  MAXIMUM_PACKET_SIZE(
      0x27,
      "Maximum Packet Size",
      Type.FOUR_BYTE_INTEGER,
      Rule.NOT_ZERO,
      once(CONNECT, "3.1.2.11.4"),
      once(CONNACK, "3.2.2.3.6")),
  WILDCARD_SUBSCRIPTION_AVAILABLE(
      0x28,
      "Wildcard Subscription Available",
      Type.BYTE,
      Rule.ZERO_OR_ONE,
      once(CONNACK, "3.2.2.3.11")),
  SUBSCRIPTION_IDENTIFIER_AVAILABLE(
      0x29,
      "Subscription Identifier Available",
      Type.BYTE,
      Rule.ZERO_OR_ONE,
      once(CONNACK, "3.2.2.3.12")),
  SHARED_SUBSCRIPTION_AVAILABLE(
      0x2A,
      "Shared Subscription Available",
      Type.BYTE,
      Rule.ZERO_OR_ONE,
      once(CONNACK, "3.2.2.3.13"));

  /** The data types of section 1.5, as Table 2-4 names them. */
  public enum Type {
    BYTE("Byte"),
    TWO_BYTE_INTEGER("Two Byte Integer"),
    FOUR_BYTE_INTEGER("Four Byte Integer"),
    VARIABLE_BYTE_INTEGER("Variable Byte Integer"),
    UTF8_STRING("UTF-8 Encoded String"),
    BINARY_DATA("Binary Data"),
    UTF8_STRING_PAIR("UTF-8 String Pair");

    private final String specName;

    Type(String specName) {
      this.specName = specName;
    }

    @Override
    public String toString() {
      return specName;
    }
  }

  /** What a value must be beyond its data type, as the property's section says. */
  enum Rule {
    ANY,
    /** "It is a Protocol Error to ... have a value other than 0 or 1." */
    ZERO_OR_ONE,
    /** "It is a Protocol Error ... for it to have the value 0." */
    NOT_ZERO,
    /**
     * A Topic Alias of 0 is a Protocol Error that MQTT 5 answers with 0x94, Topic Alias invalid
     * [MQTT-3.3.2-8] (section 3.3.4).
     */
    TOPIC_ALIAS,
    /** A topic name for a response: no wildcard characters [MQTT-3.3.2-14]. */
    TOPIC_NAME
  }

  /**
   * That a property may appear in a scope, once or more than once, and the section that says so.
   *
   * @param section the section that describes the property in that scope, e.g. "3.4.2.2.2"
   */
  record Placement(PropertyScope scope, String section, boolean repeatable) {}

  /** The number of properties: 27. */
  public static final int COUNT = values().length;

  private static final Property[] BY_ID = new Property[0x2A + 1];

  static {
    for (Property p : values()) {
      BY_ID[p.id] = p;
    }
  }

  private final int id;
  private final String specName;
  private final Type type;
  private final Rule rule;
  private final Placement[] byScope = new Placement[PropertyScope.values().length];
  private final List<Placement> placements;

  Property(int id, String specName, Type type, Rule rule, Placement... placements) {
    this.id = id;
    this.specName = specName;
    this.type = type;
    this.rule = rule;
    this.placements = List.of(placements);
    for (Placement p : placements) {
      byScope[p.scope().ordinal()] = p;
    }
  }

  private static Placement once(PropertyScope scope, String section) {
    return new Placement(scope, section, false);
  }

  private static Placement many(PropertyScope scope, String section) {
    return new Placement(scope, section, true);
  }

  /** The property with this identifier, or null when MQTT 5.0 has none. */
  public static Property of(int id) {
    return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
  }

  /** The identifier, e.g. 0x1F for Reason String. */
  public int id() {
    return id;
  }

  /** The name the specification gives it, e.g. "Reason String". */
  public String specName() {
    return specName;
  }

  public Type type() {
    return type;
  }

  Rule rule() {
    return rule;
  }

  /** Whether it may appear in {@code scope}. */
  public boolean allowedIn(PropertyScope scope) {
    return byScope[scope.ordinal()] != null;
  }

  /** Whether it may appear more than once in {@code scope}; false where it may not appear. */
  public boolean repeatableIn(PropertyScope scope) {
    Placement p = byScope[scope.ordinal()];
    return p != null && p.repeatable();
  }

  /** Where it may appear, or null where it may not. */
  Placement placement(PropertyScope scope) {
    return byScope[scope.ordinal()];
  }

  /** The scopes where it may appear, in the order of Table 2-4. */
  List<Placement> placements() {
    return placements;
  }

  /** "Reason String (0x1F)", for messages. */
  String describe() {
    return specName + " (" + Utf8.hex(id) + ")";
  }

  /** "CONNECT, CONNACK and DISCONNECT", for messages. */
  String describeScopes() {
    List<String> labels = new ArrayList<>();
    for (Placement p : placements) {
      labels.add(p.scope().label());
    }
    if (labels.size() == 1) {
      return labels.get(0);
    }
    return String.join(", ", labels.subList(0, labels.size() - 1))
        + " and "
        + labels.get(labels.size() - 1);
  }

  @Override
  public String toString() {
    return specName;
  }
}
