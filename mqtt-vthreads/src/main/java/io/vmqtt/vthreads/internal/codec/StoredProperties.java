package io.vmqtt.vthreads.internal.codec;

import java.util.List;

/**
 * The MQTT 5 PUBLISH properties of an outbound message as a {@link io.vmqtt.spi.SessionStore} keeps
 * them ({@link io.vmqtt.spi.StoredPublish#properties()}): their wire form, Property Length first,
 * read back with the PUBLISH rules. The Topic Alias is left out: an alias lasts one connection
 * [MQTT-3.3.2-7], and a stored message is resent on another.
 *
 * <p>Stateless and thread-safe.
 */
public final class StoredProperties {
  private static final byte[] NONE = new byte[0];

  private StoredProperties() {}

  /** The bytes to store: empty when there is nothing but (at most) a Topic Alias. */
  public static byte[] encode(Properties properties) {
    Properties kept = withoutTopicAlias(properties);
    if (kept.isEmpty()) {
      return NONE;
    }
    ByteSink out = new ByteSink(PropertiesCodec.size(kept));
    PropertiesCodec.write(kept, out);
    return out.toByteArray();
  }

  /**
   * The properties of stored bytes; {@link Properties#EMPTY} for none.
   *
   * @throws IllegalArgumentException when the bytes are not PUBLISH properties
   */
  public static Properties decode(byte[] stored) {
    if (stored.length == 0) {
      return Properties.EMPTY;
    }
    BodyReader r = new BodyReader(stored, PacketType.PUBLISH, Spec.MQTT_5_0);
    try {
      Properties p = PropertiesCodec.read(r, PropertyScope.PUBLISH);
      if (r.hasRemaining()) {
        throw new IllegalArgumentException(
            r.remaining() + " bytes after the stored PUBLISH properties");
      }
      return p;
    } catch (ProtocolViolationException e) {
      throw new IllegalArgumentException("stored PUBLISH properties are not valid: " + e, e);
    }
  }

  private static Properties withoutTopicAlias(Properties properties) {
    if (!properties.contains(Property.TOPIC_ALIAS)) {
      return properties;
    }
    Properties.Builder b = Properties.builder();
    for (Property p : Property.values()) {
      Object v = properties.value(p);
      if (v == null || p == Property.TOPIC_ALIAS) {
        continue;
      }
      if (v instanceof List<?> list) {
        list.forEach(item -> b.set(p, item));
      } else {
        b.set(p, v);
      }
    }
    return b.build();
  }
}
