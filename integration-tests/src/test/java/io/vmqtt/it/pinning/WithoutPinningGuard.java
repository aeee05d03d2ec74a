package io.vmqtt.it.pinning;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class that {@link PinningGuard} does not record around, with the reason: the guard's own
 * tests, which pin carriers on purpose; tests that measure the heap to a few hundred KB, which the
 * JFR stream's buffers and parsing (some MB, freed when it stops) would blur.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WithoutPinningGuard {
  /** Why the class runs without the guard. */
  String value();
}
