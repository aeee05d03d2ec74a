package io.vmqtt.vthreads.internal.codec;

import java.util.Objects;

/**
 * One MQTT 5 User Property: a name and a value, both UTF-8 strings (a UTF-8 String Pair, section
 * 1.5.7). A packet may carry any number, the same name more than once, in an order that is kept.
 *
 * @throws IllegalArgumentException when either string has no UTF-8 form (an unpaired surrogate) or
 *     takes more than 65,535 bytes in UTF-8
 */
public record UserProperty(String name, String value) {
  public UserProperty {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Encoding.utf8Length(name, "User Property name");
    Encoding.utf8Length(value, "User Property value");
  }

  @Override
  public String toString() {
    return name + "=" + value;
  }
}
