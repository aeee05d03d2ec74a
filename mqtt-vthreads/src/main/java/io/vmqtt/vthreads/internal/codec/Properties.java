package io.vmqtt.vthreads.internal.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The MQTT 5 properties of one packet (or of a will), typed: an accessor per property that says
 * whether it was present and its value, User Properties as an ordered list of name-value pairs with
 * repeats, Subscription Identifiers as a list. {@link #EMPTY} is what every MQTT 3.1.1 packet
 * carries.
 *
 * <pre>{@code
 * Properties p = Properties.builder().reasonString("quota").userProperty("region", "eu").build();
 * p.reasonString();      // Optional[quota]
 * p.userProperties();    // [region=eu]
 * p.receiveMaximum();    // OptionalInt.empty
 * }</pre>
 *
 * <p>Values are checked when set: each must have a wire form (a Two Byte Integer in 0..65,535, a
 * string of at most 65,535 bytes in UTF-8, ...). Where a property may appear, and the values that
 * are a Protocol Error (a Receive Maximum of 0), are not checked here but by {@link
 * PropertiesCodec} when it reads, so that tests can build the packets a faulty peer sends.
 *
 * <p>Immutable and thread-safe; the {@code byte[]} values are not copied (the codec's packets hold
 * their arrays as given).
 */
public final class Properties {
  /** No properties: an MQTT 3.1.1 packet's, and an MQTT 5 packet's with Property Length 0. */
  public static final Properties EMPTY = new Properties(0, new Object[0], 0);

  /** One bit per {@link Property#ordinal()}: which properties are present. */
  private final long present;

  /**
   * The values of the properties present, in ordinal order (one slot per present property, so a
   * packet with one property holds an array of one): Integer, Long, String, byte[], or a List when
   * the property repeats.
   */
  private final Object[] values;

  /** The bytes of the properties on the wire, without their Property Length. */
  private final int encodedLength;

  private Properties(long present, Object[] values, int encodedLength) {
    this.present = present;
    this.values = values;
    this.encodedLength = encodedLength;
  }

  /** The slot of {@code property} in a compact array of the properties {@code present}. */
  private static int slot(long present, Property property) {
    return Long.bitCount(present & ((1L << property.ordinal()) - 1));
  }

  private static boolean has(long present, Property property) {
    return (present & (1L << property.ordinal())) != 0;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these properties, to add to or replace (a repeatable one is added). */
  public Builder toBuilder() {
    Builder b = new Builder();
    for (Property p : Property.values()) {
      Object v = value(p);
      if (v instanceof List<?> list) {
        list.forEach(item -> b.set(p, item));
      } else if (v != null) {
        b.set(p, v);
      }
    }
    return b;
  }

  /** Whether no property is present. */
  public boolean isEmpty() {
    return present == 0;
  }

  /** Whether {@code property} is present (at least once). */
  public boolean contains(Property property) {
    return has(present, property);
  }

  /**
   * The value of a property: an Integer (Byte, Two Byte and Variable Byte Integer), a Long (Four
   * Byte Integer), a String, a byte[], or for a repeatable property a List of those or of {@link
   * UserProperty}; null when absent.
   */
  Object value(Property property) {
    return has(present, property) ? values[slot(present, property)] : null;
  }

  /** The bytes these properties take on the wire after their Property Length. */
  int encodedLength() {
    return encodedLength;
  }

  // --- PUBLISH and Will Properties -----------------------------------------------------------

  /** 0x01: 0 unspecified bytes, 1 UTF-8 encoded character data (sections 3.3.2.3.2, 3.1.3.2.3). */
  public OptionalInt payloadFormatIndicator() {
    return optionalInt(Property.PAYLOAD_FORMAT_INDICATOR);
  }

  /** 0x02: the lifetime of the message in seconds. */
  public OptionalLong messageExpiryInterval() {
    return optionalLong(Property.MESSAGE_EXPIRY_INTERVAL);
  }

  /** 0x03. */
  public Optional<String> contentType() {
    return optional(Property.CONTENT_TYPE);
  }

  /** 0x08: the topic for a response; it makes the message a request. */
  public Optional<String> responseTopic() {
    return optional(Property.RESPONSE_TOPIC);
  }

  /** 0x09: identifies the request a response is for. Not copied. */
  public Optional<byte[]> correlationData() {
    return optional(Property.CORRELATION_DATA);
  }

  /**
   * 0x0B: in a PUBLISH from the server, the identifiers of the matching subscriptions, as many as
   * came, in their order (section 3.3.4); in SUBSCRIBE, at most one.
   */
  public List<Integer> subscriptionIdentifiers() {
    return list(Property.SUBSCRIPTION_IDENTIFIER);
  }

  /** 0x23: a number that stands for the topic name on this connection. */
  public OptionalInt topicAlias() {
    return optionalInt(Property.TOPIC_ALIAS);
  }

  /** 0x18, Will Properties only: seconds the server waits before publishing the will. */
  public OptionalLong willDelayInterval() {
    return optionalLong(Property.WILL_DELAY_INTERVAL);
  }

  // --- CONNECT, CONNACK, DISCONNECT, AUTH ----------------------------------------------------

  /** 0x11: seconds the session outlives the connection; 0xFFFFFFFF never expires. */
  public OptionalLong sessionExpiryInterval() {
    return optionalLong(Property.SESSION_EXPIRY_INTERVAL);
  }

  /** 0x12, CONNACK: the client identifier the server assigned. */
  public Optional<String> assignedClientIdentifier() {
    return optional(Property.ASSIGNED_CLIENT_IDENTIFIER);
  }

  /** 0x13, CONNACK: the keep-alive the client must use instead of its own [MQTT-3.2.2-21]. */
  public OptionalInt serverKeepAlive() {
    return optionalInt(Property.SERVER_KEEP_ALIVE);
  }

  /** 0x15: the name of the extended authentication method. */
  public Optional<String> authenticationMethod() {
    return optional(Property.AUTHENTICATION_METHOD);
  }

  /** 0x16: data of the authentication method. Not copied. */
  public Optional<byte[]> authenticationData() {
    return optional(Property.AUTHENTICATION_DATA);
  }

  /** 0x17, CONNECT: whether the server may send reason strings and user properties on failures. */
  public Optional<Boolean> requestProblemInformation() {
    return optionalBoolean(Property.REQUEST_PROBLEM_INFORMATION);
  }

  /** 0x19, CONNECT: whether the client asks for Response Information in CONNACK. */
  public Optional<Boolean> requestResponseInformation() {
    return optionalBoolean(Property.REQUEST_RESPONSE_INFORMATION);
  }

  /** 0x1A, CONNACK: the basis of response topics. */
  public Optional<String> responseInformation() {
    return optional(Property.RESPONSE_INFORMATION);
  }

  /** 0x1C, CONNACK and DISCONNECT: another server to use. */
  public Optional<String> serverReference() {
    return optional(Property.SERVER_REFERENCE);
  }

  /** 0x1F: a human-readable reason, for diagnostics. */
  public Optional<String> reasonString() {
    return optional(Property.REASON_STRING);
  }

  /** 0x21: the most QoS 1 and 2 publishes the sender of this value processes at once. */
  public OptionalInt receiveMaximum() {
    return optionalInt(Property.RECEIVE_MAXIMUM);
  }

  /** 0x22: the highest topic alias the sender of this value accepts. */
  public OptionalInt topicAliasMaximum() {
    return optionalInt(Property.TOPIC_ALIAS_MAXIMUM);
  }

  /** 0x24, CONNACK: the highest QoS the server supports, 0 or 1; absent means 2. */
  public OptionalInt maximumQos() {
    return optionalInt(Property.MAXIMUM_QOS);
  }

  /** 0x25, CONNACK: whether the server supports retained messages. */
  public Optional<Boolean> retainAvailable() {
    return optionalBoolean(Property.RETAIN_AVAILABLE);
  }

  /** 0x26: the user properties, in the order they came, names repeated as they came. */
  public List<UserProperty> userProperties() {
    return list(Property.USER_PROPERTY);
  }

  /** 0x27: the largest packet, in bytes, the sender of this value accepts. */
  public OptionalLong maximumPacketSize() {
    return optionalLong(Property.MAXIMUM_PACKET_SIZE);
  }

  /** 0x28, CONNACK: whether the server supports wildcard subscriptions. */
  public Optional<Boolean> wildcardSubscriptionAvailable() {
    return optionalBoolean(Property.WILDCARD_SUBSCRIPTION_AVAILABLE);
  }

  /** 0x29, CONNACK: whether the server supports subscription identifiers. */
  public Optional<Boolean> subscriptionIdentifierAvailable() {
    return optionalBoolean(Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE);
  }

  /** 0x2A, CONNACK: whether the server supports shared subscriptions. */
  public Optional<Boolean> sharedSubscriptionAvailable() {
    return optionalBoolean(Property.SHARED_SUBSCRIPTION_AVAILABLE);
  }

  private OptionalInt optionalInt(Property p) {
    Object v = value(p);
    return v == null ? OptionalInt.empty() : OptionalInt.of((Integer) v);
  }

  private OptionalLong optionalLong(Property p) {
    Object v = value(p);
    return v == null ? OptionalLong.empty() : OptionalLong.of((Long) v);
  }

  private Optional<Boolean> optionalBoolean(Property p) {
    Object v = value(p);
    return v == null ? Optional.empty() : Optional.of((Integer) v != 0);
  }

  @SuppressWarnings("unchecked")
  private <T> Optional<T> optional(Property p) {
    return Optional.ofNullable((T) value(p));
  }

  @SuppressWarnings("unchecked")
  private <T> List<T> list(Property p) {
    Object v = value(p);
    return v == null ? List.of() : (List<T>) v;
  }

  /** Equal when the same properties have the same values; byte arrays compare by content. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Properties p && present == p.present && Arrays.deepEquals(values, p.values);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(present) * 31 + Arrays.deepHashCode(values);
  }

  /**
   * "Properties[Reason String=quota, User Property=[region=eu]]"; binary values by their length
   * only, so authentication data never reaches a log.
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Properties[");
    boolean first = true;
    for (Property p : Property.values()) {
      Object v = value(p);
      if (v == null) {
        continue;
      }
      if (!first) {
        b.append(", ");
      }
      first = false;
      b.append(p.specName()).append('=');
      b.append(v instanceof byte[] bytes ? "<" + bytes.length + " bytes>" : String.valueOf(v));
    }
    return b.append(']').toString();
  }

  /**
   * Builds {@link Properties}. A property set twice keeps the last value, except User Property and
   * Subscription Identifier, which are added to their lists.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    /** As in {@link Properties}: the properties set, and their values in ordinal order. */
    private long present;

    private Object[] values = new Object[4];
    private int count;

    private Builder() {}

    /**
     * Sets a property from a value of its data type: an Integer for Byte, Two Byte and Variable
     * Byte Integers, a Long (or Integer) for Four Byte Integers, a String, a byte[], a {@link
     * UserProperty}. Repeatable properties are added.
     *
     * @throws IllegalArgumentException when the value is not of the property's type or has no wire
     *     form (out of range, a string too long or with an unpaired surrogate)
     */
    public Builder set(Property property, Object value) {
      Objects.requireNonNull(value, property.specName());
      Object checked = check(property, value);
      boolean repeats =
          property == Property.USER_PROPERTY || property == Property.SUBSCRIPTION_IDENTIFIER;
      int i = slot(present, property);
      if (has(present, property)) {
        if (repeats) {
          @SuppressWarnings("unchecked")
          List<Object> list = (List<Object>) values[i];
          list.add(checked);
        } else {
          values[i] = checked;
        }
        return this;
      }
      if (count == values.length) {
        values = Arrays.copyOf(values, Math.min(2 * count, Property.COUNT));
      }
      System.arraycopy(values, i, values, i + 1, count - i);
      if (repeats) {
        List<Object> list = new ArrayList<>(2);
        list.add(checked);
        values[i] = list;
      } else {
        values[i] = checked;
      }
      count++;
      present |= 1L << property.ordinal();
      return this;
    }

    public Builder payloadFormatIndicator(int indicator) {
      return set(Property.PAYLOAD_FORMAT_INDICATOR, indicator);
    }

    public Builder messageExpiryInterval(long seconds) {
      return set(Property.MESSAGE_EXPIRY_INTERVAL, seconds);
    }

    public Builder contentType(String contentType) {
      return set(Property.CONTENT_TYPE, contentType);
    }

    public Builder responseTopic(String topic) {
      return set(Property.RESPONSE_TOPIC, topic);
    }

    public Builder correlationData(byte[] data) {
      return set(Property.CORRELATION_DATA, data);
    }

    /** Adds one; a PUBLISH from the server may carry several. */
    public Builder subscriptionIdentifier(int identifier) {
      return set(Property.SUBSCRIPTION_IDENTIFIER, identifier);
    }

    public Builder topicAlias(int alias) {
      return set(Property.TOPIC_ALIAS, alias);
    }

    public Builder willDelayInterval(long seconds) {
      return set(Property.WILL_DELAY_INTERVAL, seconds);
    }

    public Builder sessionExpiryInterval(long seconds) {
      return set(Property.SESSION_EXPIRY_INTERVAL, seconds);
    }

    public Builder assignedClientIdentifier(String clientId) {
      return set(Property.ASSIGNED_CLIENT_IDENTIFIER, clientId);
    }

    public Builder serverKeepAlive(int seconds) {
      return set(Property.SERVER_KEEP_ALIVE, seconds);
    }

    public Builder authenticationMethod(String method) {
      return set(Property.AUTHENTICATION_METHOD, method);
    }

    public Builder authenticationData(byte[] data) {
      return set(Property.AUTHENTICATION_DATA, data);
    }

    public Builder requestProblemInformation(boolean request) {
      return set(Property.REQUEST_PROBLEM_INFORMATION, request ? 1 : 0);
    }

    public Builder requestResponseInformation(boolean request) {
      return set(Property.REQUEST_RESPONSE_INFORMATION, request ? 1 : 0);
    }

    public Builder responseInformation(String information) {
      return set(Property.RESPONSE_INFORMATION, information);
    }

    public Builder serverReference(String reference) {
      return set(Property.SERVER_REFERENCE, reference);
    }

    public Builder reasonString(String reason) {
      return set(Property.REASON_STRING, reason);
    }

    public Builder receiveMaximum(int maximum) {
      return set(Property.RECEIVE_MAXIMUM, maximum);
    }

    public Builder topicAliasMaximum(int maximum) {
      return set(Property.TOPIC_ALIAS_MAXIMUM, maximum);
    }

    public Builder maximumQos(int qos) {
      return set(Property.MAXIMUM_QOS, qos);
    }

    public Builder retainAvailable(boolean available) {
      return set(Property.RETAIN_AVAILABLE, available ? 1 : 0);
    }

    /** Adds one, after those added before. */
    public Builder userProperty(String name, String value) {
      return set(Property.USER_PROPERTY, new UserProperty(name, value));
    }

    public Builder maximumPacketSize(long bytes) {
      return set(Property.MAXIMUM_PACKET_SIZE, bytes);
    }

    public Builder wildcardSubscriptionAvailable(boolean available) {
      return set(Property.WILDCARD_SUBSCRIPTION_AVAILABLE, available ? 1 : 0);
    }

    public Builder subscriptionIdentifierAvailable(boolean available) {
      return set(Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE, available ? 1 : 0);
    }

    public Builder sharedSubscriptionAvailable(boolean available) {
      return set(Property.SHARED_SUBSCRIPTION_AVAILABLE, available ? 1 : 0);
    }

    /**
     * The properties; {@link #EMPTY} when none was set.
     *
     * @throws IllegalArgumentException when they take more bytes than a Variable Byte Integer
     *     Property Length can count (268,435,455)
     */
    public Properties build() {
      if (count == 0) {
        return EMPTY;
      }
      Object[] copy = Arrays.copyOf(values, count);
      for (int i = 0; i < copy.length; i++) {
        if (copy[i] instanceof List<?> list) {
          copy[i] = Collections.unmodifiableList(new ArrayList<>(list));
        }
      }
      long length = PropertiesCodec.encodedLength(present, copy);
      if (length > MqttLimits.MAX_VARIABLE_BYTE_INTEGER) {
        throw new IllegalArgumentException(
            "properties of "
                + length
                + " bytes exceed the maximum Property Length "
                + MqttLimits.MAX_VARIABLE_BYTE_INTEGER);
      }
      return new Properties(present, copy, (int) length);
    }

    private static Object check(Property p, Object value) {
      String what = p.describe();
      switch (p.type()) {
        case BYTE -> {
          return checkRange(what, value, 0xFF);
        }
        case TWO_BYTE_INTEGER -> {
          return checkRange(what, value, MqttLimits.MAX_TWO_BYTE_INTEGER);
        }
        case VARIABLE_BYTE_INTEGER -> {
          return checkRange(what, value, MqttLimits.MAX_VARIABLE_BYTE_INTEGER);
        }
        case FOUR_BYTE_INTEGER -> {
          long v;
          if (value instanceof Long l) {
            v = l;
          } else if (value instanceof Integer i) {
            v = i;
          } else {
            throw wrongType(p, value);
          }
          if (v < 0 || v > MqttLimits.MAX_FOUR_BYTE_INTEGER) {
            throw new IllegalArgumentException(
                what + " must be in 0.." + MqttLimits.MAX_FOUR_BYTE_INTEGER + ", was " + v);
          }
          return v;
        }
        case UTF8_STRING -> {
          if (!(value instanceof String s)) {
            throw wrongType(p, value);
          }
          Encoding.utf8Length(s, what);
          return s;
        }
        case BINARY_DATA -> {
          if (!(value instanceof byte[] b)) {
            throw wrongType(p, value);
          }
          Encoding.binarySize(b, what);
          return b;
        }
        case UTF8_STRING_PAIR -> {
          if (!(value instanceof UserProperty u)) {
            throw wrongType(p, value);
          }
          return u;
        }
        default -> throw new AssertionError(p.type());
      }
    }

    private static Integer checkRange(String what, Object value, int max) {
      if (!(value instanceof Integer i)) {
        throw new IllegalArgumentException(
            what + " takes an Integer, was " + value.getClass().getSimpleName());
      }
      if (i < 0 || i > max) {
        throw new IllegalArgumentException(what + " must be in 0.." + max + ", was " + i);
      }
      return i;
    }

    private static IllegalArgumentException wrongType(Property p, Object value) {
      return new IllegalArgumentException(
          p.describe()
              + " is a "
              + p.type()
              + " and cannot hold a "
              + value.getClass().getSimpleName());
    }
  }
}
