package io.vmqtt.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@link ClientRunner} in a fresh JVM: the same {@code java} and class path as the harness,
 * with its soft limit on open files raised to the hard limit; standard error goes to a log file.
 * Its {@code @@} lines are queued for {@link #await}. Thread-safe enough for one harness thread.
 */
final class ChildProcess implements AutoCloseable {
  /** JVM options of every child: a fixed, pre-touched heap, so RSS growth is not heap growth. */
  static final List<String> JVM_OPTIONS =
      List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-XX:+UseG1GC");

  private static final String EOF = "\u0000EOF";

  private final Process process;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final long deadline;

  private ChildProcess(Process process, long deadline) {
    this.process = process;
    this.deadline = deadline;
    Thread.ofPlatform().daemon().name("child-" + process.pid()).start(this::pump);
  }

  /**
   * Starts {@code ClientRunner <client> <scenario> <args>}.
   *
   * @param timeoutSeconds after this the child is killed and {@link #await} fails
   */
  static ChildProcess start(
      String client,
      Scenario scenario,
      List<String> args,
      List<String> extraJvm,
      Path log,
      long timeoutSeconds)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "bash",
                "-c",
                "ulimit -Sn \"$(ulimit -Hn)\" 2>/dev/null || ulimit -Sn 65536 2>/dev/null; exec \"$@\"",
                "child"));
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(JVM_OPTIONS);
    cmd.addAll(extraJvm);
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ClientRunner.class.getName(),
            client,
            scenario.id()));
    cmd.addAll(args);
    Process p =
        new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
    return new ChildProcess(p, System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds));
  }

  /**
   * The next {@code @@} line, without the prefix.
   *
   * @throws IOException when the child ends or times out before, or reports an error
   */
  String next() throws IOException, InterruptedException {
    String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    if (line == null) {
      throw new IOException("timed out waiting for the child");
    }
    if (line == EOF) {
      throw new IOException("the child exited with status " + process.waitFor());
    }
    if (line.startsWith("ERROR ")) {
      throw new IOException(line.substring(6));
    }
    return line;
  }

  /** Skips lines until one starting with {@code word}; returns it. */
  String await(String word, List<String> skipped) throws IOException, InterruptedException {
    while (true) {
      String line = next();
      if (line.startsWith(word)) {
        return line;
      }
      skipped.add(line);
    }
  }

  /** Sends one line to the child's standard input. */
  void send(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  private void pump() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith(ClientRunner.PREFIX)) {
          lines.add(line.substring(ClientRunner.PREFIX.length()));
        }
      }
    } catch (IOException e) {
      // The child is gone.
    } finally {
      lines.add(EOF);
    }
  }

  /** Waits up to 10 s for the child to exit, then kills it (at once if interrupted). */
  @Override
  public void close() {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
