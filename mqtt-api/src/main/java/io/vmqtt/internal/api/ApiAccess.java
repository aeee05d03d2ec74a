package io.vmqtt.internal.api;

import io.vmqtt.Message;
import io.vmqtt.QoS;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The door through which the engine reaches what the public values keep from their users: a {@link
 * Message} carrying the engine's own receipt (the packet identifier and session epoch it needs to
 * acknowledge the message), made without a public constructor and read back without a public
 * accessor. The JDK's {@code SharedSecrets} pattern: {@link Message}'s static initializer registers
 * its {@link MessageAccess} here, and {@link #messages()} makes sure it has run.
 *
 * <p>Not API. On the module path this package is exported to the engine module only; on the class
 * path it is reachable, but {@link #register} accepts one registration, which {@link Message} makes
 * as soon as it is loaded.
 *
 * <p>Thread-safe.
 */
public final class ApiAccess {
  private static final AtomicReference<MessageAccess> MESSAGE_ACCESS = new AtomicReference<>();

  private ApiAccess() {}

  /** What the engine may do with a {@link Message} that applications cannot. */
  public interface MessageAccess {
    /**
     * A received message carrying {@code receipt}. The arguments are taken as they are: the decoder
     * has already checked them, and the payload is handed over without a copy.
     *
     * @param receipt the engine's object, opaque to the API; null for none. Never part of {@code
     *     equals}, {@code hashCode} or {@code toString}.
     */
    Message newMessage(
        String topic, byte[] payload, QoS qos, boolean retain, boolean dup, Object receipt);

    /**
     * A received message with MQTT 5 properties, carrying {@code receipt}: topic, QoS, flags and
     * properties as {@code properties} has them (made with {@link Message#builder}), the payload
     * {@code payload}, handed over without a copy.
     */
    Message newMessage(Message.Builder properties, byte[] payload, Object receipt);

    /** The receipt {@code message} was made with, or null when it has none (made by the API). */
    Object receipt(Message message);
  }

  /** Called by {@link Message}'s static initializer, once. */
  public static void register(MessageAccess access) {
    if (!MESSAGE_ACCESS.compareAndSet(null, access)) {
      throw new IllegalStateException("a MessageAccess is already registered");
    }
  }

  /** The access {@link Message} registered; loads and initializes {@link Message} when needed. */
  public static MessageAccess messages() {
    MessageAccess access = MESSAGE_ACCESS.get();
    if (access == null) {
      initialize(Message.class);
      access = MESSAGE_ACCESS.get();
    }
    return access;
  }

  private static void initialize(Class<?> type) {
    try {
      Class.forName(type.getName(), true, type.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cannot initialize " + type.getName(), e);
    }
  }
}
