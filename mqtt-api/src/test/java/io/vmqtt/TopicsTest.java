package io.vmqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Topics}: MQTT 3.1.1 section 4.7 (topic names and filters) and 1.5.3 (strings). */
class TopicsTest {

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "#",
        "a/#",
        "+",
        "+/+",
        "a/+/b",
        "+/#",
        "/#",
        "/",
        "a//b",
        "sport/tennis/player1",
        "$SYS/#",
        "a/b/c/#",
        "+/tennis/#",
        " ",
        "a b/c"
      })
  void validFiltersAreAccepted_MQTT_4_7_1_2_and_4_7_1_3(String filter) {
    assertThat(Topics.requireValidFilter(filter, "filter")).isEqualTo(filter);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"a#", "a/#/b", "#/a", "##", "a/b#", "sport/tennis#"})
  void aHashAnywhereButAloneInTheLastLevelIsRefused_MQTT_4_7_1_2(String filter) {
    assertThatThrownBy(() -> Topics.requireValidFilter(filter, "filter"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "filter '"
                + filter
                + "': '#' must be the last character and alone in its level [MQTT-4.7.1-2]");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"a+", "a/b+", "+a", "a/+b/c", "++", "sport+"})
  void aPlusThatDoesNotOccupyAWholeLevelIsRefused_MQTT_4_7_1_3(String filter) {
    assertThatThrownBy(() -> Topics.requireValidFilter(filter, "filter"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("filter '" + filter + "': '+' must occupy a whole level [MQTT-4.7.1-3]");
  }

  @Test
  void anEmptyFilterOrNameIsRefused_MQTT_4_7_3_1() {
    assertThatThrownBy(() -> Topics.requireValidFilter("", "filter"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("filter must not be empty [MQTT-4.7.3-1]");
    assertThatThrownBy(() -> Topics.requireValidName("", "topic"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic must not be empty [MQTT-4.7.3-1]");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {"a", "a/b", "/", "/a", "a/", "$SYS/broker/uptime", " ", "ä/✓/\uD83D\uDE00"})
  void validTopicNamesAreAccepted(String topic) {
    assertThat(Topics.requireValidName(topic, "topic")).isEqualTo(topic);
  }

  @ParameterizedTest(name = "\"{0}\" has {1}")
  @CsvSource({"a/#, #", "#, #", "a/+/b, +", "+, +", "a+b, +"})
  void aTopicNameWithAWildcardIsRefused_MQTT_3_3_2_2(String topic, char wildcard) {
    assertThatThrownBy(() -> Topics.requireValidName(topic, "topic"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "topic '" + topic + "' must not contain wildcard '" + wildcard + "' [MQTT-3.3.2-2]");
  }

  @Test
  void aStringWithUPlus0000IsRefused_MQTT_1_5_3_2() {
    assertThatThrownBy(() -> Topics.requireValidString("ab\u0000c", "clientId"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clientId must not contain U+0000 (at index 2) [MQTT-1.5.3-2]");
    assertThatThrownBy(() -> Topics.requireValidName("a/\u0000", "topic"))
        .hasMessage("topic must not contain U+0000 (at index 2) [MQTT-1.5.3-2]");
  }

  @ParameterizedTest(name = "at {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\uD800|0", // a lone high surrogate
        "a\uDC00|1", // a lone low surrogate
        "a\uD800b|1", // a high surrogate followed by no low one
        "\uDC00\uD800|0", // a pair in the wrong order
        "ab\uD83D|2" // a high surrogate at the end
      })
  void aStringWithAnUnpairedSurrogateIsRefused_MQTT_1_5_3_1(String value, int index) {
    assertThatThrownBy(() -> Topics.requireValidString(value, "s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s contains an unpaired surrogate at index " + index + " [MQTT-1.5.3-1]");
  }

  @Test
  void aSurrogatePairCountsAsFourBytes() {
    String emoji = "\uD83D\uDE00"; // U+1F600, four bytes in UTF-8

    assertThat(Topics.requireValidString(emoji.repeat(16_383) + "abc", "s")).isNotNull();
    assertThatThrownBy(() -> Topics.requireValidString(emoji.repeat(16_384), "s"))
        .hasMessage("s is 65536 bytes in UTF-8; at most 65535 allowed");
  }

  @Test
  void aStringOf65535BytesIsAcceptedAndOneOf65536IsRefused() {
    assertThat(Topics.requireValidString("a".repeat(65_535), "s")).hasSize(65_535);
    assertThatThrownBy(() -> Topics.requireValidString("a".repeat(65_536), "s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s is 65536 bytes in UTF-8; at most 65535 allowed");
  }

  @Test
  void bytesAreCountedInUtf8NotInChars() {
    // 'ä' is 2 bytes and '✓' is 3: 21,845 checkmarks are 65,535 bytes.
    assertThat(Topics.requireValidString("✓".repeat(21_845), "s")).hasSize(21_845);
    assertThatThrownBy(() -> Topics.requireValidString("✓".repeat(21_845) + "a", "s"))
        .hasMessage("s is 65536 bytes in UTF-8; at most 65535 allowed");
    assertThatThrownBy(() -> Topics.requireValidString("ä".repeat(32_768), "s"))
        .hasMessage("s is 65536 bytes in UTF-8; at most 65535 allowed");
  }

  @Test
  void aNullStringIsRefusedNamingTheArgument() {
    assertThatThrownBy(() -> Topics.requireValidString(null, "username"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("username must not be null");
  }

  @ParameterizedTest(name = "{0} matches {1}")
  @CsvSource({
    "sport/tennis/player1/#, sport/tennis/player1",
    "sport/tennis/player1/#, sport/tennis/player1/ranking",
    "sport/tennis/player1/#, sport/tennis/player1/score/wimbledon",
    "sport/#, sport",
    "sport/#, sport/",
    "#, sport",
    "#, /",
    "#, a/b/c",
    "sport/tennis/+, sport/tennis/player1",
    "sport/tennis/+, sport/tennis/player2",
    "sport/+, sport/",
    "+/+, /finance",
    "/+, /finance",
    "+, finance",
    "+/#, a",
    "+/#, a/b/c",
    "a/+/c, a/b/c",
    "a/+/c, a//c",
    "a/b, a/b",
    "$SYS/#, $SYS/broker/uptime",
    "$SYS/+/uptime, $SYS/broker/uptime",
    "$SYS, $SYS"
  })
  void aFilterMatchesTheTopicsOfSection4_7(String filter, String topic) {
    assertThat(Topics.matches(filter, topic)).isTrue();
  }

  @ParameterizedTest(name = "{0} does not match {1}")
  @CsvSource({
    "sport/tennis/+, sport/tennis/player1/ranking",
    "sport/+, sport",
    "+, /finance",
    "/+, finance",
    "sport/#, sports",
    "sport/#, sportx/a",
    "sport/tennis, sport/tennis/x",
    "sport/tennis, sport",
    "a/+/c, a/b/d",
    "a/+/c, a/b",
    "a/+, a",
    "+/+, a",
    "a/b, A/b",
    "#, $SYS/broker/uptime",
    "+/broker/uptime, $SYS/broker/uptime",
    "+, $SYS",
    "+/#, $SYS/a"
  })
  void aFilterDoesNotMatchOtherTopics(String filter, String topic) {
    assertThat(Topics.matches(filter, topic)).isFalse();
  }

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    "$share/g/a/+, a/b, true",
    "$share/g/#, a/b/c, true",
    "$share/g/a/b, a/b, true",
    "$share/g/a/b, b, false",
    "$share/g/#, $SYS/x, false",
    "$share/g/a, $share/g/a, false"
  })
  void aSharedSubscriptionsFilterMatchesTheTopicsItsFilterAfterThePrefixMatches(
      String filter, String topic, boolean matches) {
    // The broker sends a shared subscription's messages with their own topics (section 4.8.2).
    assertThat(Topics.matches(filter, topic)).isEqualTo(matches);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "$share/g | x '$share/g': a shared subscription is $share/<group>/<filter>, and '/' and a"
            + " topic filter must follow the group [MQTT-4.8.2-2]",
        "$share//a | x '$share//a': the share group must not be empty [MQTT-4.8.2-1]",
        "$share/+/a | x '$share/+/a': the share group '+' must not contain '+' [MQTT-4.8.2-2]",
        "$share/g/ | x '$share/g/': a topic filter must follow the share group 'g/'"
            + " [MQTT-4.8.2-2]",
        "$share/g/a/#/b | x '$share/g/a/#/b': '#' must be the last character and alone in its"
            + " level [MQTT-4.7.1-2]"
      })
  void anInvalidSharedFilterIsRefused_MQTT_4_8_2_1_and_4_8_2_2(String filter, String message) {
    assertThatThrownBy(() -> Topics.requireValidFilter(filter, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void wildcardsAtTheStartDoNotMatchDollarTopicsButALiteralDollarLevelDoes_MQTT_4_7_2_1() {
    assertThat(Topics.matches("#", "$SYS/broker/clients")).isFalse();
    assertThat(Topics.matches("+/broker/clients", "$SYS/broker/clients")).isFalse();
    assertThat(Topics.matches("$SYS/broker/+", "$SYS/broker/clients")).isTrue();
    assertThat(Topics.matches("a/#", "a/$b")).isTrue();
    assertThat(Topics.matches("a/+", "a/$b")).isTrue();
  }

  @Test
  void aFilterIsMoreSpecificWhenItsFirstDifferingLevelIsMoreLiteral() {
    assertThat(Topics.moreSpecific("sensors/+/temp", "sensors/#")).isTrue();
    assertThat(Topics.moreSpecific("sensors/#", "sensors/+/temp")).isFalse();
    assertThat(Topics.moreSpecific("sensors/#", "#")).isTrue();
    assertThat(Topics.moreSpecific("a/+", "+/b")).isTrue();
    assertThat(Topics.moreSpecific("a/b/+", "a/b")).isTrue();
    assertThat(Topics.moreSpecific("a/x", "a/y")).isTrue();
    assertThat(Topics.moreSpecific("a/y", "a/x")).isFalse();
  }

  @Test
  void theMostSpecificEntryForATopicIsTheExactOneElseTheMostSpecificMatchingFilter() {
    Map<String, Integer> byTopicOrFilter = new LinkedHashMap<>();
    byTopicOrFilter.put("#", 0);
    byTopicOrFilter.put("a/#", 1);
    byTopicOrFilter.put("a/+/c", 2);
    byTopicOrFilter.put("a/b/c", 3);

    assertThat(Topics.mostSpecific(byTopicOrFilter, "a/b/c")).isEqualTo(3);
    assertThat(Topics.mostSpecific(byTopicOrFilter, "a/x/c")).isEqualTo(2);
    assertThat(Topics.mostSpecific(byTopicOrFilter, "a/x")).isEqualTo(1);
    assertThat(Topics.mostSpecific(byTopicOrFilter, "a")).isEqualTo(1);
    assertThat(Topics.mostSpecific(byTopicOrFilter, "z")).isEqualTo(0);
    assertThat(Topics.mostSpecific(byTopicOrFilter, "$SYS/x")).isNull();
    assertThat(Topics.mostSpecific(Map.of("a/b", 1), "a/c")).isNull();
    assertThat(Topics.mostSpecific(Map.<String, Integer>of(), "a")).isNull();
  }

  @Test
  void onlyPlusAndHashAreWildcards() {
    assertThat(Topics.isFilterWithWildcards("a/+")).isTrue();
    assertThat(Topics.isFilterWithWildcards("#")).isTrue();
    assertThat(Topics.isFilterWithWildcards("a/b*?$")).isFalse();
  }
}
