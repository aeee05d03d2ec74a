package io.vmqtt.internal.api;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The first provider of a service: looked up in this module's class loader once per service type,
 * then in the caller's context class loader, uncached, only when the first has none. A {@link
 * ServiceLoader} lookup reads every jar's {@code META-INF/services}: done per {@code
 * MqttClient.create}, it took a tenth of the CPU of opening 10,000 clients. Thread-safe; not API.
 */
public final class Services {
  private static final ClassValue<Optional<?>> OWN_LOADER =
      new ClassValue<>() {
        @Override
        protected Optional<?> computeValue(Class<?> type) {
          return ServiceLoader.load(type, Services.class.getClassLoader()).findFirst();
        }
      };

  private Services() {}

  /** The first provider of {@code type}, or empty when neither class loader has one. */
  @SuppressWarnings("unchecked") // OWN_LOADER holds a provider of the type it was computed for
  public static <S> Optional<S> first(Class<S> type) {
    Optional<S> own = (Optional<S>) OWN_LOADER.get(type);
    return own.isPresent() ? own : ServiceLoader.load(type).findFirst();
  }
}
