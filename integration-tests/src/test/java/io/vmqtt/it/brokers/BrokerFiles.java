package io.vmqtt.it.brokers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File helpers shared by the broker fixtures. Stateless and thread-safe. */
final class BrokerFiles {
  /** Lines of each log that {@link #tail} keeps. */
  static final int TAIL_LINES = 40;

  private BrokerFiles() {}

  /** A fresh temporary directory named after the broker, e.g. {@code /tmp/nats-1234}. */
  static Path createDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for " + prefix, e);
    }
  }

  /** Writes UTF-8 text, creating parent directories. */
  static void write(Path file, String content) {
    write(file, content.getBytes(StandardCharsets.UTF_8));
  }

  static void write(Path file, byte[] content) {
    try {
      Path parent = file.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static Path createDirectories(Path directory) {
    try {
      return Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + directory, e);
    }
  }

  /** The file's text, or "" when it does not exist (yet). Lenient: it may be half-written. */
  static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      return "<cannot read " + file + ": " + e + ">";
    }
  }

  /** A titled block with the last {@value #TAIL_LINES} lines of a file. */
  static String tail(String title, Path file) {
    List<String> lines = read(file).lines().toList();
    List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
    return "--- "
        + title
        + " ("
        + file
        + ") ---\n"
        + (last.isEmpty() ? "<empty>\n" : String.join("\n", last) + "\n");
  }

  /** Deletes a directory tree; does nothing when it is gone. */
  static void deleteDirectory(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + directory, e);
    }
  }
}
