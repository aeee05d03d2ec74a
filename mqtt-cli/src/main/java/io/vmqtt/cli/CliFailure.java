package io.vmqtt.cli;

/**
 * A failure that ends a command with one line on the error stream and an exit status other than 0.
 * The message is the whole line after {@code vmqtt <command>: }.
 */
final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The broker could not be reached, TLS failed, the connection was lost, a file is unreadable. */
  static final int ERROR = 1;

  /** A bad command line: picocli's own status for usage errors. */
  static final int USAGE = 2;

  /** {@code vmqtt sub -W}: no message arrived in time; mosquitto_sub's status for the same. */
  static final int TIMED_OUT = 27;

  private final int exitCode;

  CliFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliFailure(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
