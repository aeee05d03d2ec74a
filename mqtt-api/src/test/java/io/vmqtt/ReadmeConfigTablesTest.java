package io.vmqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table and TLS table are the key table of {@link ConfigKeys}: every
 * row, cell by cell; every map key has a row, and every builder method a row names exists. After
 * changing a key (or its README text, which lives in {@link ConfigKeys}), rewrite both tables from
 * it with
 *
 * <pre>
 * ./mvnw -q -pl mqtt-api test -Dtest=ReadmeConfigTablesTest -Dvmqtt.readme=write
 * </pre>
 */
class ReadmeConfigTablesTest {
  private static final String CONFIG_HEADER = ConfigKeys.readmeConfigTable().get(0);
  private static final String TLS_HEADER = ConfigKeys.readmeTlsTable().get(0);
  private static final String REWRITE =
      "; rewrite the README's tables from the key table: ./mvnw -q -pl mqtt-api test"
          + " -Dtest=ReadmeConfigTablesTest -Dvmqtt.readme=write";

  @Test
  void theReadmeConfigurationTableIsTheKeyTable() throws IOException {
    List<String> readme = readme();

    assertThat(table(readme, CONFIG_HEADER))
        .as("the README's configuration table" + REWRITE)
        .containsExactlyElementsOf(ConfigKeys.readmeConfigTable());
  }

  @Test
  void theReadmeTlsTableIsTheTlsKeyTable() throws IOException {
    List<String> readme = readme();

    assertThat(table(readme, TLS_HEADER))
        .as("the README's TLS table" + REWRITE)
        .containsExactlyElementsOf(ConfigKeys.readmeTlsTable());
  }

  @Test
  void everyConfigMapKeyHasARowInOneOfTheTables() {
    Set<String> documented = new TreeSet<>();
    for (String line : concat(ConfigKeys.readmeConfigTable(), ConfigKeys.readmeTlsTable())) {
      String keys = line.split("\\|")[1];
      for (String part : keys.split(",")) {
        String key = part.strip();
        if (key.startsWith("`") && key.endsWith("`")) {
          documented.add(key.substring(1, key.length() - 1));
        }
      }
    }
    Set<String> tlsKeys = new TreeSet<>();
    ConfigKeys.TLS.mapKeys().forEach(k -> tlsKeys.add(k.name()));
    Set<String> undocumented = new TreeSet<>(ConfigKeys.MAP_KEYS.keySet());
    undocumented.removeAll(documented);
    undocumented.removeAll(tlsKeys.stream().filter(documented::contains).toList());

    assertThat(undocumented).as("map keys without a README row").isEmpty();
  }

  @Test
  void everyValueHasItsRowsAndEveryRowItsFourCells() {
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      assertThat(key.rows()).as(key.name()).isNotEmpty();
      for (ConfigKey.Row row : key.rows()) {
        assertThat(List.of(row.keys(), row.builder(), row.defaultValue(), row.meaning()))
            .as(key.name())
            .allSatisfy(cell -> assertThat(cell).isNotBlank().doesNotContain("|", "\n"));
      }
    }
  }

  @Test
  void theTableListsEachValueOfTheConfigurationOnceInTheOrderItPrints() {
    List<String> names = ConfigKeys.ALL.stream().map(ConfigKey::name).toList();
    String printed =
        MqttConfig.builder().tls(TlsOptions.builder().alpn("a").build()).build().toString();

    assertThat(names).doesNotHaveDuplicates();
    int from = 0;
    for (String name : names) {
      if (name.equals("proxy")) {
        continue; // left out of toString() while no proxy is set
      }
      int at = printed.indexOf(name + "=", from);
      assertThat(at).as(name + " printed after the one before it in " + printed).isPositive();
      from = at;
    }
  }

  @Test
  void everyBuilderMethodARowNamesExists() {
    checkBuilderCells(ConfigKeys.readmeConfigTable(), MqttConfig.Builder.class);
    checkBuilderCells(ConfigKeys.readmeTlsTable(), TlsOptions.Builder.class);
  }

  /**
   * Each {@code `name(Type, ...)`} of a row's builder cell is a public method of {@code builder}
   * with parameters of those simple type names ({@code String...} is {@code String[]}, type
   * arguments and qualifiers are dropped). Cells with optional arguments ({@code [, boolean]}) or a
   * call inside ({@code proxy(ProxyOptions.system())}) say more than a signature and are skipped.
   */
  private static void checkBuilderCells(List<String> table, Class<?> builder) {
    Set<String> methods = new TreeSet<>();
    for (java.lang.reflect.Method m : builder.getMethods()) {
      List<String> types = new ArrayList<>();
      for (Class<?> t : m.getParameterTypes()) {
        types.add(t.getSimpleName());
      }
      methods.add(m.getName() + "(" + String.join(", ", types) + ")");
    }
    int checked = 0;
    for (String line : table.subList(2, table.size())) {
      String cell = line.split("\\|")[2].strip();
      if (cell.equals("—") || cell.contains("[,") || cell.contains("())")) {
        continue;
      }
      for (String part : cell.split("`, `")) {
        String signature =
            part.replace("`", "")
                .replace("...", "[]")
                .replaceAll("<[^>]*>", "")
                .replaceAll("\\w+\\.(\\w+)", "$1") // TlsOptions.Provider: Provider
                .strip();
        assertThat(methods).as(builder.getSimpleName() + " in row " + line).contains(signature);
        checked++;
      }
    }
    assertThat(checked).as("builder cells checked in " + builder.getSimpleName()).isGreaterThan(5);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a.subList(2, a.size()));
    all.addAll(b.subList(2, b.size()));
    return all;
  }

  /** The README, its tables rewritten first when {@code -Dvmqtt.readme=write} asks for it. */
  private static List<String> readme() throws IOException {
    Path file = readmeFile();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if ("write".equals(System.getProperty("vmqtt.readme"))) {
      List<String> rewritten = replace(lines, CONFIG_HEADER, ConfigKeys.readmeConfigTable());
      rewritten = replace(rewritten, TLS_HEADER, ConfigKeys.readmeTlsTable());
      if (!rewritten.equals(lines)) {
        Files.write(file, rewritten, StandardCharsets.UTF_8);
      }
      return rewritten;
    }
    return lines;
  }

  /** Surefire runs in the module's directory; the README is in its parent. */
  private static Path readmeFile() {
    Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath().normalize();
    return module.getParent().resolve("README.md");
  }

  /** The table that starts with {@code header}: its lines up to the first that is not a row. */
  private static List<String> table(List<String> lines, String header) {
    int start = lines.indexOf(header);
    assertThat(start).as("the README has a table headed " + header).isNotNegative();
    int end = start;
    while (end < lines.size() && lines.get(end).startsWith("|")) {
      end++;
    }
    return lines.subList(start, end);
  }

  private static List<String> replace(List<String> lines, String header, List<String> table) {
    List<String> old = table(lines, header);
    int start = lines.indexOf(header);
    List<String> result = new ArrayList<>(lines.subList(0, start));
    result.addAll(table);
    result.addAll(lines.subList(start + old.size(), lines.size()));
    return result;
  }
}
