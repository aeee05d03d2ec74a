package io.vmqtt.it.pinning;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class that pins carriers on purpose, to test the pinning guard itself: {@link
 * PinningGuard} does not record around it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PinsOnPurpose {
  /** Why the class pins. */
  String value();
}
