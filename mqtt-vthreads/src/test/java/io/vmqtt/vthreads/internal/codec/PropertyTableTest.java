package io.vmqtt.vthreads.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Property} against a second transcription of MQTT 5.0 Table 2-4 (section 2.2.2.2), copied
 * row by row as the specification prints it: identifier in decimal and hex, name, type, and where
 * the property may appear.
 */
class PropertyTableTest {

  /** Table 2-4 - Properties. */
  private static final String TABLE_2_4 =
      """
      1  | 0x01 | Payload Format Indicator          | Byte                  | PUBLISH, Will Properties
      2  | 0x02 | Message Expiry Interval           | Four Byte Integer     | PUBLISH, Will Properties
      3  | 0x03 | Content Type                      | UTF-8 Encoded String  | PUBLISH, Will Properties
      8  | 0x08 | Response Topic                    | UTF-8 Encoded String  | PUBLISH, Will Properties
      9  | 0x09 | Correlation Data                  | Binary Data           | PUBLISH, Will Properties
      11 | 0x0B | Subscription Identifier           | Variable Byte Integer | PUBLISH, SUBSCRIBE
      17 | 0x11 | Session Expiry Interval           | Four Byte Integer     | CONNECT, CONNACK, DISCONNECT
      18 | 0x12 | Assigned Client Identifier        | UTF-8 Encoded String  | CONNACK
      19 | 0x13 | Server Keep Alive                 | Two Byte Integer      | CONNACK
      21 | 0x15 | Authentication Method             | UTF-8 Encoded String  | CONNECT, CONNACK, AUTH
      22 | 0x16 | Authentication Data               | Binary Data           | CONNECT, CONNACK, AUTH
      23 | 0x17 | Request Problem Information       | Byte                  | CONNECT
      24 | 0x18 | Will Delay Interval               | Four Byte Integer     | Will Properties
      25 | 0x19 | Request Response Information      | Byte                  | CONNECT
      26 | 0x1A | Response Information              | UTF-8 Encoded String  | CONNACK
      28 | 0x1C | Server Reference                  | UTF-8 Encoded String  | CONNACK, DISCONNECT
      31 | 0x1F | Reason String                     | UTF-8 Encoded String  | CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH
      33 | 0x21 | Receive Maximum                   | Two Byte Integer      | CONNECT, CONNACK
      34 | 0x22 | Topic Alias Maximum               | Two Byte Integer      | CONNECT, CONNACK
      35 | 0x23 | Topic Alias                       | Two Byte Integer      | PUBLISH
      36 | 0x24 | Maximum QoS                       | Byte                  | CONNACK
      37 | 0x25 | Retain Available                  | Byte                  | CONNACK
      38 | 0x26 | User Property                     | UTF-8 String Pair     | CONNECT, CONNACK, PUBLISH, Will Properties, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH
      39 | 0x27 | Maximum Packet Size               | Four Byte Integer     | CONNECT, CONNACK
      40 | 0x28 | Wildcard Subscription Available   | Byte                  | CONNACK
      41 | 0x29 | Subscription Identifier Available | Byte                  | CONNACK
      42 | 0x2A | Shared Subscription Available     | Byte                  | CONNACK
      """;

  record Row(int id, String hex, String name, String type, Set<PropertyScope> scopes) {
    @Override
    public String toString() {
      return hex + " " + name;
    }
  }

  static Stream<Row> rows() {
    return TABLE_2_4
        .lines()
        .map(line -> line.split("\\|"))
        .map(
            cells ->
                new Row(
                    Integer.parseInt(cells[0].trim()),
                    cells[1].trim(),
                    cells[2].trim(),
                    cells[3].trim(),
                    Arrays.stream(cells[4].split(","))
                        .map(String::trim)
                        .map(s -> s.equals("Will Properties") ? "WILL" : s)
                        .map(PropertyScope::valueOf)
                        .collect(
                            Collectors.toCollection(() -> EnumSet.noneOf(PropertyScope.class)))));
  }

  @Test
  void thereAre27PropertiesInAscendingIdentifierOrder() {
    assertThat(Property.values()).hasSize(27);
    assertThat(Property.COUNT).isEqualTo(27);
    assertThat(Arrays.stream(Property.values()).mapToInt(Property::id)).isSorted();
    assertThat(rows().map(Row::id))
        .containsExactlyElementsOf(Arrays.stream(Property.values()).map(Property::id).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void eachRowOfTable2_4IsInTheTable(Row row) {
    Property p = Property.of(row.id());

    assertThat(p).isNotNull();
    assertThat(Utf8.hex(p.id())).isEqualTo(row.hex());
    assertThat(p.specName()).isEqualTo(row.name());
    assertThat(p.type()).hasToString(row.type());
    for (PropertyScope scope : PropertyScope.values()) {
      assertThat(p.allowedIn(scope))
          .as("%s in %s", p, scope)
          .isEqualTo(row.scopes().contains(scope));
    }
  }

  @Test
  void onlyUserPropertyAndSubscriptionIdentifierInPublishMayRepeat() {
    // User Property: "allowed to appear multiple times" in every section that describes it.
    // Subscription Identifier: several in PUBLISH (3.3.2.3.8), "a Protocol Error to include the
    // Subscription Identifier more than once" in SUBSCRIBE (3.8.2.1.2). Every other property's
    // section says "It is a Protocol Error to include the ... more than once".
    for (Property p : Property.values()) {
      for (PropertyScope scope : PropertyScope.values()) {
        boolean expected =
            p == Property.USER_PROPERTY && p.allowedIn(scope)
                || p == Property.SUBSCRIPTION_IDENTIFIER && scope == PropertyScope.PUBLISH;
        assertThat(p.repeatableIn(scope)).as("%s in %s", p, scope).isEqualTo(expected);
      }
    }
  }

  @Test
  void identifiersThatAreNoPropertyAreUnknown() {
    Set<Integer> known = rows().map(Row::id).collect(Collectors.toSet());
    for (int id = -1; id <= 300; id++) {
      assertThat(Property.of(id) != null).as("identifier %d", id).isEqualTo(known.contains(id));
    }
  }

  @Test
  void scopesListedInMessagesReadAsTheSpecificationWritesThem() {
    assertThat(Property.SESSION_EXPIRY_INTERVAL.describeScopes())
        .isEqualTo("CONNECT, CONNACK and DISCONNECT");
    assertThat(Property.WILL_DELAY_INTERVAL.describeScopes()).isEqualTo("the Will Properties");
    assertThat(Property.CONTENT_TYPE.describeScopes()).isEqualTo("PUBLISH and the Will Properties");
    assertThat(Property.REASON_STRING.describe()).isEqualTo("Reason String (0x1F)");
  }
}
