package io.vmqtt;

import java.util.Objects;

/**
 * One MQTT 5 User Property: a name and a value, both UTF-8 strings (a UTF-8 String Pair, section
 * 1.5.7). A packet carries any number of them, the same name more than once if it likes, in an
 * order that is kept: where the API hands them over it is an ordered {@code List<UserProperty>}.
 *
 * <pre>{@code
 * ConnectOptions.builder().userProperty("region", "eu").userProperty("region", "us").build();
 * }</pre>
 *
 * @param name the name, at most 65,535 bytes in UTF-8
 * @param value the value, at most 65,535 bytes in UTF-8
 */
public record UserProperty(String name, String value) {
  /**
   * @throws IllegalArgumentException when either string is not a valid MQTT UTF-8 string (too long,
   *     an unpaired surrogate, U+0000)
   * @throws NullPointerException when either is null
   */
  public UserProperty {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Topics.requireValidString(name, "user property name");
    Topics.requireValidString(value, "user property value");
  }

  /** {@code name=value}. */
  @Override
  public String toString() {
    return name + "=" + value;
  }
}
