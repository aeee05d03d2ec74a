package io.vmqtt.it.brokers;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A broker (or helper, such as {@code epmd}) run as a child process: its output appended to a file,
 * a bounded wait until it is ready, and a stop that sends SIGTERM, waits, then kills it and every
 * process it started. A JVM that exits without stopping it does not leave it behind (a shutdown
 * hook kills what is still running).
 *
 * <p>Not thread-safe: start and stop it from one thread; {@link #isAlive()} from any.
 */
final class ChildProcess {
  /** Outcome of {@link #awaitReady}. */
  enum Outcome {
    READY,
    EXITED,
    TIMED_OUT
  }

  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);
  private static final Set<ProcessHandle> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () ->
                    RUNNING.forEach(
                        p -> {
                          p.descendants().forEach(ProcessHandle::destroyForcibly);
                          p.destroyForcibly();
                        }),
                "broker-reaper"));
  }

  private final String name;
  private final Process process;

  private ChildProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /**
   * Starts {@code command} in {@code directory} with the environment changed by {@code environment}
   * (a null value removes a variable), stdout and stderr appended to {@code output}.
   *
   * @throws IllegalStateException when the command cannot be run
   */
  static ChildProcess start(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path directory,
      Path output) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    Map<String, String> env = builder.environment();
    environment.forEach(
        (key, value) -> {
          if (value == null) {
            env.remove(key);
          } else {
            env.put(key, value);
          }
        });
    try {
      Process process = builder.start();
      RUNNING.add(process.toHandle());
      return new ChildProcess(name, process);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + name + ": " + command, e);
    }
  }

  long pid() {
    return process.pid();
  }

  /** The process and every process it started that still runs. */
  List<ProcessHandle> processTree() {
    List<ProcessHandle> tree = new java.util.ArrayList<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    return tree;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, or "?" while it runs. */
  String exitCode() {
    return process.isAlive() ? "?" : Integer.toString(process.exitValue());
  }

  /**
   * Polls {@code ready} until it is true, the process exits or {@code timeout} passes, backing off
   * from 5 to 200 ms; the back-off is a bounded wait for the process to exit, so an early exit is
   * seen at once.
   */
  Outcome awaitReady(BooleanSupplier ready, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long backoffMillis = 5;
    while (true) {
      if (!process.isAlive()) {
        return Outcome.EXITED;
      }
      if (ready.getAsBoolean()) {
        return process.isAlive() ? Outcome.READY : Outcome.EXITED;
      }
      if (System.nanoTime() - deadline > 0) {
        return Outcome.TIMED_OUT;
      }
      if (process.waitFor(backoffMillis, TimeUnit.MILLISECONDS)) {
        return Outcome.EXITED;
      }
      backoffMillis = Math.min(backoffMillis * 2, 200);
    }
  }

  /**
   * Stops the process: SIGTERM and up to {@code grace} for it to exit, then SIGKILL. Processes it
   * started (found before the SIGTERM) are killed too if they outlive it. Does nothing when it has
   * ended.
   *
   * @throws IllegalStateException when it survives SIGKILL
   */
  void stop(Duration grace) {
    List<ProcessHandle> descendants = process.descendants().toList();
    try {
      process.destroy();
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (!process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException(
              name + " (pid " + process.pid() + ") did not exit after SIGKILL");
        }
      }
      for (ProcessHandle child : descendants) {
        if (child.isAlive()) {
          child.destroyForcibly();
          child.onExit().get(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      descendants.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(name + ": a child process did not exit after SIGKILL", e);
    } finally {
      RUNNING.remove(process.toHandle());
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + (process.isAlive() ? ", running)" : ", ended)");
  }
}
