package io.vmqtt;

import java.util.Map;
import java.util.Objects;

/**
 * Validation and matching of MQTT topic names and topic filters (MQTT 3.1.1 section 4.7), shared
 * subscriptions' filters included (MQTT 5.0 section 4.8.2).
 *
 * <p>Stateless and thread-safe.
 */
public final class Topics {
  /** The longest UTF-8 encoded string MQTT can carry [MQTT-1.5.3]. */
  public static final int MAX_STRING_BYTES = 65_535;

  /** What a shared subscription's topic filter starts with (MQTT 5.0 section 4.8.2). */
  static final String SHARE_PREFIX = "$share/";

  private Topics() {}

  /**
   * Checks a topic name, as used in PUBLISH.
   *
   * @param topic the topic name
   * @param argument the name of the argument or field, for the error message
   * @return the topic
   * @throws IllegalArgumentException when it is empty [MQTT-4.7.3-1], contains a wildcard
   *     [MQTT-3.3.2-2], or is not a valid MQTT string
   */
  public static String requireValidName(String topic, String argument) {
    requireValidString(topic, argument);
    if (topic.isEmpty()) {
      throw new IllegalArgumentException(argument + " must not be empty [MQTT-4.7.3-1]");
    }
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      if (c == '+' || c == '#') {
        throw new IllegalArgumentException(
            argument + " '" + topic + "' must not contain wildcard '" + c + "' [MQTT-3.3.2-2]");
      }
    }
    return topic;
  }

  /**
   * Checks a topic filter, as used in SUBSCRIBE and UNSUBSCRIBE.
   *
   * @param filter the topic filter
   * @param argument the name of the argument or field, for the error message
   * @return the filter
   * @throws IllegalArgumentException when it is empty [MQTT-4.7.3-1], places {@code #} anywhere but
   *     alone in the last level [MQTT-4.7.1-2], places {@code +} anywhere but alone in a level
   *     [MQTT-4.7.1-3], is not a valid MQTT string, or starts with {@code $share/} without being a
   *     valid shared subscription ({@code $share/group/filter}: a group of at least one character
   *     without {@code /}, {@code +} or {@code #}, then a topic filter [MQTT-4.8.2-1]
   *     [MQTT-4.8.2-2])
   */
  public static String requireValidFilter(String filter, String argument) {
    requireValidString(filter, argument);
    if (filter.isEmpty()) {
      throw new IllegalArgumentException(argument + " must not be empty [MQTT-4.7.3-1]");
    }
    if (filter.startsWith(SHARE_PREFIX)) {
      requireValidShare(filter, argument);
    }
    requireValidWildcards(filter, argument);
    return filter;
  }

  /**
   * A shared subscription's filter: {@code $share/}, a ShareName of at least one character without
   * {@code /}, {@code +} or {@code #}, then {@code /} and a topic filter [MQTT-4.8.2-1]
   * [MQTT-4.8.2-2].
   */
  private static void requireValidShare(String filter, String argument) {
    int start = SHARE_PREFIX.length();
    int slash = filter.indexOf('/', start);
    if (slash < 0) {
      throw new IllegalArgumentException(
          argument
              + " '"
              + filter
              + "': a shared subscription is $share/<group>/<filter>, and '/' and a topic filter"
              + " must follow the group [MQTT-4.8.2-2]");
    }
    String group = filter.substring(start, slash);
    requireValidShareName(group, argument + " '" + filter + "': the share group");
    if (slash == filter.length() - 1) {
      throw new IllegalArgumentException(
          argument
              + " '"
              + filter
              + "': a topic filter must follow the share group '"
              + group
              + "/' [MQTT-4.8.2-2]");
    }
  }

  private static void requireValidShareName(String group, String what) {
    if (group.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty [MQTT-4.8.2-1]");
    }
    for (int i = 0; i < group.length(); i++) {
      char c = group.charAt(i);
      if (c == '/' || c == '+' || c == '#') {
        throw new IllegalArgumentException(
            what + " '" + group + "' must not contain '" + c + "' [MQTT-4.8.2-2]");
      }
    }
  }

  /**
   * {@code $share/group/filter}: the filter of {@code group}'s shared subscription to {@code
   * filter}.
   *
   * @throws IllegalArgumentException when the group is empty or contains {@code /}, {@code +} or
   *     {@code #}, or the filter is not a valid topic filter
   * @throws NullPointerException when an argument is null
   */
  static String sharedFilter(String group, String filter) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(filter, "topicFilter");
    requireValidShareName(group, "group");
    requireValidFilter(filter, "topicFilter");
    return requireValidFilter(SHARE_PREFIX + group + "/" + filter, "shared topic filter");
  }

  /** Whether {@code filter} is a shared subscription's ({@code $share/group/filter}). */
  static boolean isShared(String filter) {
    return filter.startsWith(SHARE_PREFIX) && filter.indexOf('/', SHARE_PREFIX.length()) > 0;
  }

  /**
   * The filter that decides which topics a subscription receives: a shared subscription's after its
   * {@code $share/group/} prefix, any other as it is.
   */
  private static String unshared(String filter) {
    if (!filter.startsWith(SHARE_PREFIX)) {
      return filter;
    }
    int slash = filter.indexOf('/', SHARE_PREFIX.length());
    return slash < 0 ? filter : filter.substring(slash + 1);
  }

  private static void requireValidWildcards(String filter, String argument) {
    int length = filter.length();
    for (int i = 0; i < length; i++) {
      char c = filter.charAt(i);
      boolean aloneInLevel =
          (i == 0 || filter.charAt(i - 1) == '/')
              && (i == length - 1 || filter.charAt(i + 1) == '/');
      if (c == '#' && !(aloneInLevel && i == length - 1)) {
        throw new IllegalArgumentException(
            argument
                + " '"
                + filter
                + "': '#' must be the last character and alone in its level"
                + " [MQTT-4.7.1-2]");
      }
      if (c == '+' && !aloneInLevel) {
        throw new IllegalArgumentException(
            argument + " '" + filter + "': '+' must occupy a whole level [MQTT-4.7.1-3]");
      }
    }
  }

  /**
   * Checks that a string can be sent as an MQTT UTF-8 string: well-formed UTF-16 (no unpaired
   * surrogate) [MQTT-1.5.3-1], no U+0000 [MQTT-1.5.3-2], and at most 65,535 bytes once encoded.
   *
   * @throws IllegalArgumentException naming {@code argument} when it cannot
   * @throws NullPointerException when {@code value} is null
   */
  public static String requireValidString(String value, String argument) {
    if (value == null) {
      throw new NullPointerException(argument + " must not be null");
    }
    int bytes = 0;
    int length = value.length();
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c == 0) {
        throw new IllegalArgumentException(
            argument + " must not contain U+0000 (at index " + i + ") [MQTT-1.5.3-2]");
      }
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            argument + " contains an unpaired surrogate at index " + i + " [MQTT-1.5.3-1]");
      } else {
        bytes += 3;
      }
    }
    if (bytes > MAX_STRING_BYTES) {
      throw new IllegalArgumentException(
          argument + " is " + bytes + " bytes in UTF-8; at most " + MAX_STRING_BYTES + " allowed");
    }
    return value;
  }

  /**
   * Whether a topic name matches a topic filter. Topics starting with {@code $} are not matched by
   * filters starting with a wildcard [MQTT-4.7.2-1]. A shared subscription's filter ({@code
   * $share/group/filter}) matches what the filter after its prefix matches: the topics of the
   * messages the broker sends for it (section 4.8.2).
   *
   * @param topicFilter a valid topic filter
   * @param topic a valid topic name
   */
  public static boolean matches(String topicFilter, String topic) {
    String filter = unshared(topicFilter);
    if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
      return false;
    }
    int f = 0;
    int t = 0;
    int fl = filter.length();
    int tl = topic.length();
    while (f < fl) {
      char c = filter.charAt(f);
      if (c == '#') {
        return true;
      }
      if (c == '+') {
        while (t < tl && topic.charAt(t) != '/') {
          t++;
        }
        f++;
      } else {
        if (t >= tl || topic.charAt(t) != c) {
          // "a/#" also matches "a": the parent level [MQTT-4.7.1-2].
          return t == tl && filter.startsWith("/#", f);
        }
        f++;
        t++;
      }
    }
    return t == tl;
  }

  /** Whether the string contains a wildcard character. */
  public static boolean isFilterWithWildcards(String filter) {
    return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
  }

  /**
   * The value for a topic name in a map keyed by topic names and filters: the exact entry, else the
   * entry of the most specific matching filter (see {@link #moreSpecific}), else null.
   */
  static <V> V mostSpecific(Map<String, V> byTopicOrFilter, String topic) {
    V exact = byTopicOrFilter.get(topic);
    if (exact != null || byTopicOrFilter.isEmpty()) {
      return exact;
    }
    String best = null;
    for (String filter : byTopicOrFilter.keySet()) {
      if (isFilterWithWildcards(filter)
          && matches(filter, topic)
          && (best == null || moreSpecific(filter, best))) {
        best = filter;
      }
    }
    return best == null ? null : byTopicOrFilter.get(best);
  }

  /**
   * Whether filter {@code a} is more specific than filter {@code b}: compared level by level, a
   * literal level beats {@code +}, which beats {@code #}; then the longer filter wins; then the
   * lexicographically smaller one, so that the order is total.
   */
  static boolean moreSpecific(String a, String b) {
    String[] la = a.split("/", -1);
    String[] lb = b.split("/", -1);
    for (int i = 0; i < Math.min(la.length, lb.length); i++) {
      int ra = rank(la[i]);
      int rb = rank(lb[i]);
      if (ra != rb) {
        return ra > rb;
      }
    }
    if (la.length != lb.length) {
      return la.length > lb.length;
    }
    return a.compareTo(b) < 0;
  }

  private static int rank(String level) {
    return switch (level) {
      case "#" -> 0;
      case "+" -> 1;
      default -> 2;
    };
  }
}
