package io.vmqtt;

import io.vmqtt.spi.SessionStore;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads an hbmqtt-style config map into an {@link MqttConfig}, for {@link MqttConfig#from(Map)}.
 *
 * <p>The keys of the top level, and how each is read, are those of the table in {@link ConfigKeys}
 * (a new key is one more entry there); the nested maps ({@code will}, {@code topics.<filter>}) have
 * tables of their own here. The builder's checks run on every value, so a map and the builder give
 * the same messages; this class checks presence and types. Every message names the key, nested keys
 * as a path ({@code will.topic}, {@code topics./a/b.qos}).
 *
 * <p>Stateless and thread-safe.
 */
final class ConfigMapParser {

  /** Reads the value of one key and applies it to {@code target}; {@code path} names the key. */
  @FunctionalInterface
  private interface Field<T> {
    void apply(T target, String path, Object value);
  }

  private static final Map<String, Field<MqttConfig.Builder>> TOP_LEVEL = topLevel();
  private static final Map<String, Field<WillFields>> WILL = willFields();
  private static final Map<String, Field<TopicFields>> TOPIC = topicFields();

  private ConfigMapParser() {}

  /** The top level: every config-map key of {@link ConfigKeys}, in its order. */
  private static Map<String, Field<MqttConfig.Builder>> topLevel() {
    Map<String, Field<MqttConfig.Builder>> t = new LinkedHashMap<>();
    ConfigKeys.MAP_KEYS.forEach((key, applier) -> t.put(key, applier::apply));
    return Collections.unmodifiableMap(t);
  }

  private static Map<String, Field<WillFields>> willFields() {
    Map<String, Field<WillFields>> t = new LinkedHashMap<>();
    t.put("topic", (w, p, v) -> w.topic = Topics.requireValidName(string(p, v), p));
    t.put("message", (w, p, v) -> w.message = willMessage(p, v));
    t.put("qos", (w, p, v) -> w.qos = qos(p, v));
    t.put("retain", (w, p, v) -> w.retain = bool(p, v));
    // MQTT 5's Will Properties, checked by the Will builder.
    t.put(
        "delay_interval",
        (w, p, v) -> w.set(p, v, ConfigMapParser::seconds, Will.Builder::delayInterval));
    t.put(
        "message_expiry_interval",
        (w, p, v) -> w.set(p, v, ConfigMapParser::seconds, Will.Builder::messageExpiryInterval));
    t.put(
        "content_type",
        (w, p, v) -> w.set(p, v, ConfigMapParser::string, Will.Builder::contentType));
    t.put(
        "response_topic",
        (w, p, v) -> w.set(p, v, ConfigMapParser::string, Will.Builder::responseTopic));
    t.put(
        "correlation_data",
        (w, p, v) ->
            w.set(p, v, (path, x) -> bytes(path, x, false), Will.Builder::correlationData));
    t.put(
        "payload_utf8", (w, p, v) -> w.set(p, v, ConfigMapParser::bool, Will.Builder::payloadUtf8));
    t.put("user_properties", (w, p, v) -> w.userProperties(p, v));
    return Collections.unmodifiableMap(t);
  }

  private static Map<String, Field<TopicFields>> topicFields() {
    Map<String, Field<TopicFields>> t = new LinkedHashMap<>();
    t.put("qos", (f, p, v) -> f.qos = qos(p, v));
    t.put("retain", (f, p, v) -> f.retain = bool(p, v));
    return Collections.unmodifiableMap(t);
  }

  /** The {@code will} entries seen so far; the MQTT 5 ones as steps applied to the builder. */
  private static final class WillFields {
    String topic;
    byte[] message;
    QoS qos = QoS.AT_MOST_ONCE;
    boolean retain;
    final List<Consumer<Will.Builder>> properties = new ArrayList<>();

    /**
     * Reads {@code value} now and sets it on the builder later, when the topic is known; the
     * builder's check then fails with {@code path} in the message.
     */
    <V> void set(
        String path,
        Object value,
        BiFunction<String, Object, V> read,
        BiConsumer<Will.Builder, V> setter) {
      V v = read.apply(path, value);
      properties.add(
          b -> {
            try {
              setter.accept(b, v);
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
            }
          });
    }

    /**
     * {@code user_properties}: a map of name to value, or to a list of values for a name that
     * repeats; sent in the map's order.
     */
    void userProperties(String path, Object value) {
      Map<?, ?> m = map(path, value, "a map of user property name to value (or list of values)");
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String name = key(path, e.getKey());
        String entryPath = path + "." + name;
        List<?> values = e.getValue() instanceof List<?> l ? l : List.of(e.getValue());
        for (Object v : values) {
          set(entryPath, v, ConfigMapParser::string, (b, s) -> b.userProperty(name, s));
        }
      }
    }
  }

  /** One {@code topics} entry's fields seen so far; null ones fall back to the defaults. */
  private static final class TopicFields {
    QoS qos;
    Boolean retain;

    MqttConfig.TopicSettings settings() {
      if (qos == null) {
        return retain == null
            ? MqttConfig.TopicSettings.none()
            : MqttConfig.TopicSettings.retain(retain);
      }
      return retain == null
          ? MqttConfig.TopicSettings.qos(qos)
          : MqttConfig.TopicSettings.of(qos, retain);
    }
  }

  static MqttConfig parse(Map<String, ?> map) {
    Objects.requireNonNull(map, "map");
    for (List<String> alias : ConfigKeys.ALIASES) {
      if (map.containsKey(alias.get(0)) && map.containsKey(alias.get(1))) {
        throw new IllegalArgumentException(
            "give " + alias.get(0) + " or " + alias.get(1) + ", not both");
      }
    }
    MqttConfig.Builder builder = MqttConfig.builder();
    applyAll(builder, "", map, TOP_LEVEL);
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      if (key.combiner() != null) {
        key.combiner().combine(builder, map);
      }
    }
    return builder.build();
  }

  /** The keys that name a proxy of their own, besides {@code proxy}. */
  private static final List<String> PROXY_KEYS =
      List.of("proxy_type", "proxy_host", "proxy_port", "proxy_username", "proxy_password");

  /**
   * The proxy keys together: {@code proxy_from_system}, or the {@code proxy} URL (with {@code
   * proxy_username}/{@code proxy_password} when it has no user info), or {@code proxy_type} with
   * {@code proxy_host} and optionally {@code proxy_port} and credentials. Their values were checked
   * by the table pass.
   */
  static void proxy(MqttConfig.Builder builder, Map<String, ?> map) {
    List<String> given = PROXY_KEYS.stream().filter(map::containsKey).toList();
    Object url = map.get("proxy");
    if (Boolean.TRUE.equals(map.get("proxy_from_system"))) {
      if (url != null || !given.isEmpty()) {
        List<String> others = new ArrayList<>(given);
        if (url != null) {
          others.add(0, "proxy");
        }
        throw new IllegalArgumentException(
            "proxy_from_system asks the system which proxy to use; it excludes "
                + String.join(", ", others));
      }
      builder.proxy(ProxyOptions.system());
      return;
    }
    ProxyOptions.Builder proxy;
    if (url != null) {
      List<String> parts =
          given.stream()
              .filter(k -> !k.equals("proxy_username") && !k.equals("proxy_password"))
              .toList();
      if (!parts.isEmpty()) {
        throw new IllegalArgumentException(
            "give proxy or " + String.join(", ", parts) + ", not both");
      }
      ProxyOptions parsed = proxyUrl("proxy", url);
      if (parsed.username().isPresent() && given.size() > parts.size()) {
        throw new IllegalArgumentException(
            "the proxy URL has a user name already; give the credentials there or in"
                + " proxy_username/proxy_password, not both");
      }
      proxy = parsed.toBuilder();
    } else if (given.isEmpty()) {
      return;
    } else {
      Object type = map.get("proxy_type");
      Object host = map.get("proxy_host");
      if (type == null) {
        throw new IllegalArgumentException(
            String.join(", ", given) + " need proxy_type (\"http\" or \"socks5\")");
      }
      if (host == null) {
        throw new IllegalArgumentException("proxy_type needs proxy_host");
      }
      proxy = ProxyOptions.builder().type(proxyType("proxy_type", type));
      proxy.host(string("proxy_host", host));
      if (map.get("proxy_port") != null) {
        proxy.port(integer("proxy_port", map.get("proxy_port")));
      }
    }
    Object username = map.get("proxy_username");
    Object password = map.get("proxy_password");
    if (password != null && username == null) {
      throw new IllegalArgumentException("proxy_password needs proxy_username");
    }
    if (username != null) {
      proxy.credentials(
          string("proxy_username", username),
          password == null ? null : secretChars("proxy_password", password));
    }
    builder.proxy(proxy.build());
  }

  /** A proxy URL ({@link ProxyOptions#parse}), or {@link ProxyOptions} themselves. */
  static ProxyOptions proxyUrl(String path, Object value) {
    if (value instanceof ProxyOptions p) {
      return p;
    }
    if (value instanceof String s) {
      return ProxyOptions.parse(s, path, null);
    }
    throw new IllegalArgumentException(
        path
            + " must be a URL string such as socks5://host:1080 or http://host:3128, was of type "
            + typeName(value));
  }

  /** {@code "http"} or {@code "socks5"}, any case, or the {@link ProxyOptions.Type} itself. */
  static ProxyOptions.Type proxyType(String path, Object value) {
    if (value instanceof ProxyOptions.Type t
        && (t == ProxyOptions.Type.HTTP || t == ProxyOptions.Type.SOCKS5)) {
      return t;
    }
    if (value instanceof String s) {
      if (s.equalsIgnoreCase("http")) {
        return ProxyOptions.Type.HTTP;
      }
      if (s.equalsIgnoreCase("socks5")) {
        return ProxyOptions.Type.SOCKS5;
      }
    }
    throw wrongType(path, "\"http\" or \"socks5\"", value);
  }

  /**
   * {@code session_dir} and {@code session_fsync} (default {@code "always"}) together: a {@link
   * SessionStore#file file store}. The policy is the file store's, so it is refused alone. Their
   * values were checked by the table pass.
   */
  static void sessionStore(MqttConfig.Builder builder, Map<String, ?> map) {
    Object dir = map.get("session_dir");
    Object fsync = map.get("session_fsync");
    if (dir == null) {
      if (fsync != null) {
        throw new IllegalArgumentException(
            "session_fsync needs session_dir: it is the fsync policy of a file session store");
      }
      return;
    }
    SessionStore.FsyncPolicy policy =
        fsync == null
            ? SessionStore.FsyncPolicy.ALWAYS
            : choice("session_fsync", fsync, SessionStore.FsyncPolicy.class);
    builder.sessionStore(SessionStore.file(directory("session_dir", dir), policy));
  }

  /** A directory: a string or a {@link Path}. */
  static Path directory(String path, Object value) {
    if (value instanceof Path p) {
      return p;
    }
    if (!(value instanceof String s)) {
      throw wrongType(path, "a directory (a string or Path)", value);
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException(path + " must not be empty");
    }
    try {
      return Path.of(s);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(path + " is not a valid path: " + e.getMessage(), e);
    }
  }

  /** Applies every entry of {@code map} to {@code target} through the field of its key. */
  private static <T> void applyAll(
      T target, String path, Map<?, ?> map, Map<String, Field<T>> fields) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = key(path, e.getKey());
      String keyPath = path.isEmpty() ? key : path + "." + key;
      Field<T> field = fields.get(key);
      if (field == null) {
        throw new IllegalArgumentException(
            "unknown config key \""
                + keyPath
                + "\"; known keys: "
                + String.join(", ", fields.keySet()));
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException(keyPath + " must not be null");
      }
      field.apply(target, keyPath, e.getValue());
    }
  }

  private static String key(String path, Object key) {
    if (key instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException(
        (path.isEmpty() ? "config" : path) + " keys must be strings, was " + describe(key));
  }

  static Will will(String path, Object value) {
    WillFields w = new WillFields();
    applyAll(
        w,
        path,
        map(path, value, "a map with topic, message, qos, retain and MQTT 5's will properties"),
        WILL);
    if (w.topic == null) {
      throw new IllegalArgumentException(path + ".topic is required");
    }
    if (w.message == null) {
      throw new IllegalArgumentException(path + ".message is required");
    }
    Will.Builder b = Will.builder(w.topic).payload(w.message).qos(w.qos).retain(w.retain);
    w.properties.forEach(step -> step.accept(b));
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }

  private static byte[] willMessage(String path, Object value) {
    byte[] message = bytes(path, value, false);
    if (message.length > Topics.MAX_STRING_BYTES) {
      throw new IllegalArgumentException(
          path + " must be at most " + Topics.MAX_STRING_BYTES + " bytes, was " + message.length);
    }
    return message;
  }

  static void topics(MqttConfig.Builder builder, String path, Object value) {
    Map<?, ?> topics = map(path, value, "a map of topic or filter to {qos, retain}");
    for (Map.Entry<?, ?> e : topics.entrySet()) {
      String topic = Topics.requireValidFilter(key(path, e.getKey()), "topics key");
      String entryPath = path + "." + topic;
      if (e.getValue() == null) {
        throw new IllegalArgumentException(entryPath + " must not be null");
      }
      TopicFields f = new TopicFields();
      applyAll(f, entryPath, map(entryPath, e.getValue(), "a map with qos and/or retain"), TOPIC);
      builder.topic(topic, f.settings());
    }
  }

  /** A map of header name to value, both strings; the builder checks names and values. */
  static Map<String, String> headers(String path, Object value) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map(path, value, "a map of header name to value").entrySet()) {
      String name = key(path, e.getKey());
      if (e.getValue() == null) {
        throw new IllegalArgumentException(path + "." + name + " must not be null");
      }
      headers.put(name, string(path + "." + name, e.getValue()));
    }
    return headers;
  }

  private static Map<?, ?> map(String path, Object value, String expected) {
    if (value instanceof Map<?, ?> m) {
      return m;
    }
    throw wrongType(path, expected, value);
  }

  static boolean bool(String path, Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    throw wrongType(path, "a boolean", value);
  }

  /**
   * {@code auth_method}: the name of a built-in method ({@code SCRAM-SHA-256}), or an {@link
   * io.vmqtt.spi.Authenticator}.
   */
  static io.vmqtt.spi.Authenticator authenticator(String path, Object value) {
    if (value instanceof io.vmqtt.spi.Authenticator a) {
      return a;
    }
    return ConfigChecks.builtInAuthenticator(path, string(path, value));
  }

  static String string(String path, Object value) {
    if (value instanceof String s) {
      return s;
    }
    throw wrongType(path, "a string", value);
  }

  /** A string as UTF-8, or a copy of a byte array; a secret's value is kept out of messages. */
  static byte[] bytes(String path, Object value, boolean secret) {
    if (value instanceof byte[] b) {
      return b.clone();
    }
    if (value instanceof String s) {
      try {
        ByteBuffer utf8 = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(s));
        byte[] b = new byte[utf8.remaining()];
        utf8.get(b);
        return b;
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException(
            path + " contains an unpaired surrogate, so it has no UTF-8 form", e);
      }
    }
    if (secret) {
      throw new IllegalArgumentException(
          path + " must be a string or byte[], was of type " + typeName(value));
    }
    throw wrongType(path, "a string or byte[]", value);
  }

  /** A file or directory: a {@link String} or a {@link Path}. */
  static Path path(String path, Object value) {
    if (value instanceof Path p) {
      return p;
    }
    if (value instanceof String s) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException(path + " must not be empty");
      }
      try {
        return Path.of(s);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(path + " is not a valid path: " + e.getMessage(), e);
      }
    }
    throw wrongType(path, "a path (String or Path)", value);
  }

  /** A password as a {@link String} or {@code char[]}; its value is kept out of messages. */
  static char[] secretChars(String path, Object value) {
    if (value instanceof String s) {
      return s.toCharArray();
    }
    if (value instanceof char[] c) {
      return c.clone();
    }
    throw new IllegalArgumentException(
        path + " must be a string or char[], was of type " + typeName(value));
  }

  /**
   * Names as a list of strings, or one string split at {@code separator} (not split when it is
   * null); blanks around each name are dropped.
   */
  static List<String> names(String path, Object value, String separator) {
    if (value instanceof String s) {
      if (separator == null) {
        return List.of(s.strip());
      }
      return Arrays.stream(s.split(Pattern.quote(separator), -1)).map(String::strip).toList();
    }
    if (value instanceof List<?> list) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof String s)) {
          throw wrongType(path + "[" + i + "]", "a string", list.get(i));
        }
        names.add(s.strip());
      }
      return names;
    }
    throw wrongType(
        path,
        separator == null
            ? "a string or a list of strings"
            : "a list of strings or a '" + separator + "'-separated string",
        value);
  }

  static TlsOptions.Provider tlsProvider(String path, Object value) {
    if (value instanceof TlsOptions.Provider p) {
      return p;
    }
    if (value instanceof String s) {
      for (TlsOptions.Provider p : TlsOptions.Provider.values()) {
        if (p.name().equalsIgnoreCase(s)) {
          return p;
        }
      }
    }
    throw wrongType(path, "\"jsse\" or \"bcjsse\"", value);
  }

  /** A pre-shared key: a {@code byte[]} or a hex string; its value is kept out of messages. */
  static byte[] pskKey(String path, Object value) {
    if (value instanceof byte[] b) {
      return b.clone();
    }
    if (value instanceof String s) {
      try {
        return HexFormat.of().parseHex(s);
      } catch (IllegalArgumentException e) {
        // Not kept as the cause: its message quotes the key.
        throw new IllegalArgumentException(
            path + " must be an even number of hex digits, was a string of length " + s.length());
      }
    }
    throw new IllegalArgumentException(
        path + " must be a hex string or byte[], was of type " + typeName(value));
  }

  static QoS qos(String path, Object value) {
    if (value instanceof QoS q) {
      return q;
    }
    BigInteger i = integral(value);
    if (i == null || i.signum() < 0 || i.compareTo(BigInteger.TWO) > 0) {
      throw wrongType(path, "an integer 0..2", value);
    }
    return QoS.of(i.intValue());
  }

  static int integer(String path, Object value) {
    BigInteger i = integral(value);
    if (i == null) {
      throw wrongType(path, "an integer", value);
    }
    if (i.bitLength() > 31) {
      throw wrongType(path, "an integer " + Integer.MIN_VALUE + ".." + Integer.MAX_VALUE, value);
    }
    return i.intValue();
  }

  /** A number of seconds, to the nearest nanosecond. */
  static Duration seconds(String path, Object value) {
    BigDecimal s = decimal(value);
    if (s == null) {
      throw wrongType(path, "a number of seconds", value);
    }
    BigDecimal whole = s.setScale(0, RoundingMode.FLOOR);
    long nanos = s.subtract(whole).movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValue();
    try {
      return Duration.ofSeconds(whole.longValueExact(), nanos);
    } catch (ArithmeticException e) {
      throw wrongType(path, "a number of seconds that fits a Duration", value);
    }
  }

  private static BigInteger integral(Object value) {
    BigDecimal d = decimal(value);
    if (d == null || d.stripTrailingZeros().scale() > 0) {
      return null;
    }
    return d.toBigIntegerExact();
  }

  /** The exact value of a finite number, or null when {@code value} is none. */
  private static BigDecimal decimal(Object value) {
    return switch (value) {
      case BigDecimal d -> d;
      case BigInteger i -> new BigDecimal(i);
      case Long l -> BigDecimal.valueOf(l);
      case Integer i -> BigDecimal.valueOf(i);
      case Short s -> BigDecimal.valueOf(s);
      case Byte b -> BigDecimal.valueOf(b);
      // The shortest decimal that reads back as the same double: 0.1 is 0.1, not
      // 0.1000000000000000055.
      case Double d -> Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
      case Float f -> Float.isFinite(f) ? new BigDecimal(Float.toString(f)) : null;
      case Number n -> decimalOf(n);
      default -> null;
    };
  }

  /** Other numbers (AtomicLong, DoubleAdder...): their decimal text, else their double value. */
  private static BigDecimal decimalOf(Number n) {
    try {
      return new BigDecimal(n.toString());
    } catch (NumberFormatException e) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
    }
  }

  /** One of an enum's values, by its lower-case name (any case) or as the constant itself. */
  static <E extends Enum<E>> E choice(String path, Object value, Class<E> type) {
    E[] constants = type.getEnumConstants();
    if (type.isInstance(value)) {
      return type.cast(value);
    }
    if (value instanceof String s) {
      for (E e : constants) {
        if (e.name().equalsIgnoreCase(s)) {
          return e;
        }
      }
    }
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < constants.length; i++) {
      if (i > 0) {
        expected.append(i == constants.length - 1 ? " or " : ", ");
      }
      expected.append('"').append(constants[i].name().toLowerCase(Locale.ROOT)).append('"');
    }
    throw wrongType(path, expected.toString(), value);
  }

  static double number(String path, Object value, String expected) {
    BigDecimal d = decimal(value);
    if (d == null) {
      throw wrongType(path, expected, value);
    }
    return d.doubleValue();
  }

  private static IllegalArgumentException wrongType(String path, String expected, Object value) {
    return new IllegalArgumentException(path + " must be " + expected + ", was " + describe(value));
  }

  /** A value for a message: {@code "1" (String)}, {@code 1.5 (Double)}, {@code byte[3]}. */
  private static String describe(Object value) {
    return switch (value) {
      case null -> "null";
      case String s when s.length() > 64 -> '"' + s.substring(0, 64) + "\"... (String)";
      case String s -> '"' + s + "\" (String)";
      case byte[] b -> "byte[" + b.length + "]";
      default -> value + " (" + typeName(value) + ")";
    };
  }

  private static String typeName(Object value) {
    return switch (value) {
      case Map<?, ?> m -> "Map";
      case List<?> l -> "List";
      case Set<?> s -> "Set";
      default ->
          value.getClass().getSimpleName().isEmpty()
              ? value.getClass().getName()
              : value.getClass().getSimpleName();
    };
  }
}
