package io.vmqtt.it.pinning;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No {@code synchronized} in the main sources of any module but the benchmarks: the README promises
 * that the engine holds no monitor while it blocks, which on Java 21 would pin the virtual thread's
 * carrier. The JFR guard ({@link PinningGuard}) cannot see a monitor pin on Java 24 and later (JEP
 * 491), where the tests may run; this test sees the keyword on any JDK. Locks are {@code
 * ReentrantLock}; a non-blocking use of {@code synchronized} would have to be argued for, and this
 * test changed with it.
 */
class NoSynchronizedInLibraryCodeTest {
  /** The library artifacts; the test fails when one of them is not found, not pass vacuously. */
  private static final List<String> LIBRARIES =
      List.of("mqtt-api", "mqtt-vthreads", "mqtt-session-file", "mqtt-websocket");

  /**
   * Modules whose main sources are not scanned, and why. The benchmarks are a JMH harness that runs
   * on platform threads and is never shipped; its byte stream overrides {@code
   * ByteArrayInputStream.read}, which is {@code synchronized}, as such.
   */
  private static final Map<String, String> NOT_SCANNED =
      Map.of("benchmarks", "a JMH harness on platform threads, never shipped");

  @Test
  void noMainSourceOfAnyModuleUsesSynchronized() throws IOException {
    Path root = repositoryRoot();
    List<Path> sourceRoots = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      modules
          .filter(m -> !NOT_SCANNED.containsKey(m.getFileName().toString()))
          .map(m -> m.resolve("src/main/java"))
          .filter(Files::isDirectory)
          .sorted()
          .forEach(sourceRoots::add);
    }
    assertThat(sourceRoots)
        .as("the main sources of the library modules are found from " + root)
        .map(p -> root.relativize(p).getName(0).toString())
        .containsAll(LIBRARIES);

    List<String> uses = new ArrayList<>();
    int files = 0;
    for (Path sourceRoot : sourceRoots) {
      try (Stream<Path> paths = Files.walk(sourceRoot)) {
        for (Path file : paths.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
          files++;
          String source = Files.readString(file, StandardCharsets.UTF_8);
          for (int line : SynchronizedScanner.lines(source)) {
            uses.add(root.relativize(file) + ":" + line);
          }
        }
      }
    }
    assertThat(files).as("Java files scanned").isGreaterThan(100);
    assertThat(uses)
        .as(
            "synchronized in main sources (pins a virtual thread's carrier on Java 21 while it"
                + " blocks; use ReentrantLock)")
        .isEmpty();
  }

  @Test
  void theKeywordIsFoundAsAModifierAndAsAStatement() {
    String source =
        """
        class A {
          synchronized void a() {}
          void b() {
            synchronized (this) {
            }
          }
          static synchronized void c() {}
        }
        """;

    assertThat(SynchronizedScanner.lines(source)).containsExactly(2, 4, 7);
  }

  @Test
  void commentsLiteralsAndIdentifiersAreNotTheKeyword() {
    String source =
        """
        /** Never synchronized: see
         * synchronized below. */
        class A {
          // synchronized
          List<String> l = Collections.synchronizedList(new ArrayList<>());
          String s = "synchronized \\" synchronized";
          char c = '"'; int synchronizedCount; /* synchronized */
          String t = \"""
              synchronized
              \""";
          void synchronized_() {}
          synchronized void found() {}
        }
        """;

    assertThat(SynchronizedScanner.lines(source)).containsExactly(12);
  }

  /** Surefire runs in the module's directory (basedir); the repository is its parent. */
  private static Path repositoryRoot() {
    Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath().normalize();
    return module.getParent();
  }
}
