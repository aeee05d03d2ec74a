package io.vmqtt;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One value of {@link MqttConfig}, described once: its name, default and check; the config-map keys
 * that set it; how it prints and compares; and its rows in the README's configuration table. {@link
 * ConfigKeys} lists them all, and {@link MqttConfig} (its storage, {@code equals}, {@code
 * toString}), {@link MqttConfig.Builder} (its defaults and checks), {@link ConfigMapParser} (the
 * keys it knows and how it reads them) and the README table follow that list.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> the type of the value
 */
final class ConfigKey<T> {
  /** Reads the value of one config-map key; {@code path} names the key in errors. */
  @FunctionalInterface
  interface Reader<T> {
    T read(String path, Object value);
  }

  /** Applies the value of one config-map key to the builder; {@code path} names the key. */
  @FunctionalInterface
  interface Applier {
    void apply(MqttConfig.Builder builder, String path, Object value);
  }

  /**
   * What a value is in {@link MqttConfig#toString()} ({@code redact} true) and in {@code equals}
   * ({@code redact} false): a form that is equal when the values are.
   */
  @FunctionalInterface
  interface Form<T> {
    Object of(T value, boolean redact);
  }

  /**
   * Puts the values of a group's map keys together, once every key of the map was read (and
   * checked) one by one: {@code session_dir} with {@code session_fsync}, the proxy keys.
   */
  @FunctionalInterface
  interface Combiner {
    void combine(MqttConfig.Builder builder, Map<String, ?> map);
  }

  /**
   * One config-map key.
   *
   * @param name the key, e.g. {@code keep_alive}
   * @param applier reads its value and applies it (or, for a key read together with others, only
   *     checks it; see {@link ConfigKeys})
   */
  record MapKey(String name, Applier applier) {}

  /**
   * One row of a README table: | key | builder | default | meaning |, each cell as the README
   * writes it (Markdown).
   */
  record Row(String keys, String builder, String defaultValue, String meaning) {
    /** The row as a line of a Markdown table. */
    String markdown() {
      return "| " + keys + " | " + builder + " | " + defaultValue + " | " + meaning + " |";
    }
  }

  private final String name;
  private final int index;
  private final T defaultValue;
  private final UnaryOperator<T> check;
  private final Form<T> form;
  private final Predicate<T> shown;
  private final List<MapKey> mapKeys;
  private final Combiner combiner;
  private final List<Row> rows;

  ConfigKey(
      String name,
      int index,
      T defaultValue,
      UnaryOperator<T> check,
      Form<T> form,
      Predicate<T> shown,
      List<MapKey> mapKeys,
      Combiner combiner,
      List<Row> rows) {
    this.name = Objects.requireNonNull(name, "name");
    this.index = index;
    this.defaultValue = defaultValue;
    this.check = Objects.requireNonNull(check, "check");
    this.form = Objects.requireNonNull(form, "form");
    this.shown = Objects.requireNonNull(shown, "shown");
    this.mapKeys = List.copyOf(mapKeys);
    this.combiner = combiner;
    this.rows = List.copyOf(rows);
  }

  /** The name in {@code toString()}: the config-map key, or the value's name for a group. */
  String name() {
    return name;
  }

  /** The position of the value in {@link MqttConfig}'s storage. */
  int index() {
    return index;
  }

  /** The default, or null when the value is absent by default. */
  T defaultValue() {
    return defaultValue;
  }

  /**
   * Checks a value given to the builder and returns what to store (an unmodifiable copy for a
   * collection).
   *
   * @throws IllegalArgumentException naming the key, when the value is out of range
   * @throws NullPointerException naming the key, when it is null
   */
  T check(T value) {
    return check.apply(value);
  }

  /** The value's form in {@code toString()} or {@code equals}. */
  Object form(T value, boolean redact) {
    return form.of(value, redact);
  }

  /**
   * Whether {@code toString()} and {@code equals} take the value in: all do but the groups whose
   * default would only add noise ({@code tls} and {@code proxy} are left out while they are off).
   */
  boolean shown(T value) {
    return shown.test(value);
  }

  /** The config-map keys that set this value, in the order the parser knows them. */
  List<MapKey> mapKeys() {
    return mapKeys;
  }

  /** What puts the values of the map keys together, or null when each key applies itself. */
  Combiner combiner() {
    return combiner;
  }

  /** Its rows in the README's configuration table. */
  List<Row> rows() {
    return rows;
  }

  @Override
  public String toString() {
    return name;
  }
}
