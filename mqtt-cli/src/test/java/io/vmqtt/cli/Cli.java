package io.vmqtt.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs {@code vmqtt} in this JVM with captured streams, as the tests do. */
final class Cli {
  private Cli() {}

  /** What a run printed and returned. */
  record Result(int status, String out, String err, byte[] outBytes) {
    @Override
    public String toString() {
      return "status " + status + "\n--- out ---\n" + out + "--- err ---\n" + err;
    }
  }

  static Result run(String... args) {
    return runWithInput(new byte[0], args);
  }

  static Result runWithInput(byte[] input, String... args) {
    return run(input, false, args);
  }

  static Result run(byte[] input, boolean interactive, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Io io =
        new Io(
            new ByteArrayInputStream(input),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            interactive);
    int status = Main.run(io, args);
    return new Result(
        status,
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8),
        out.toByteArray());
  }
}
