package io.vmqtt.session.file;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Starts a main class of the test sources in a new JVM, the one running the tests. */
final class ChildJvm {
  private ChildJvm() {}

  /** Starts {@code main} with {@code args}; its standard error goes to ours. */
  static Process start(Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** The child's standard output, by line. */
  static BufferedReader output(Process child) {
    return new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
  }

  /** A client id as an argument that survives any locale: its UTF-8 bytes in hex. */
  static String hex(String clientId) {
    return HexFormat.of().formatHex(clientId.getBytes(StandardCharsets.UTF_8));
  }

  static String unhex(String argument) {
    return new String(HexFormat.of().parseHex(argument), StandardCharsets.UTF_8);
  }
}
