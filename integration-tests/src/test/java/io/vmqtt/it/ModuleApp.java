package io.vmqtt.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** An application module compiled at test time and run in a child JVM on the module path. */
public final class ModuleApp {
  private ModuleApp() {}

  /**
   * Compiles {@code module-info.java} and {@code app/Main.java} under {@code dir} against {@code
   * modulePath}, and returns the module path that runs it (the given one and its classes).
   */
  public static List<String> compile(
      Path dir, List<String> modulePath, String moduleInfo, String main) throws IOException {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("app"));
    Files.writeString(src.resolve("module-info.java"), moduleInfo);
    Files.writeString(src.resolve("app/Main.java"), main);
    Path classes = dir.resolve("classes");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int compiled =
        javac.run(
            null,
            null,
            null,
            "--release",
            "21",
            "--module-path",
            String.join(File.pathSeparator, modulePath),
            "-d",
            classes.toString(),
            src.resolve("module-info.java").toString(),
            src.resolve("app/Main.java").toString());
    assertThat(compiled).as("javac's exit status").isZero();
    List<String> path = new ArrayList<>(modulePath);
    path.add(classes.toString());
    return path;
  }

  /**
   * Runs {@code module/app.Main} with {@code args} and returns what it printed (standard output and
   * error), once it exited with status 0 within a minute.
   */
  public static String run(List<String> modulePath, String module, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-XX:TieredStopAtLevel=1");
    command.add("--module-path");
    command.add(String.join(File.pathSeparator, modulePath));
    command.add("-m");
    command.add(module + "/app.Main");
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try {
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      process.destroyForcibly();
      throw e;
    }
    assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
