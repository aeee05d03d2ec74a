package io.vmqtt.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The streams a command reads and writes: the process's own, or a test's.
 *
 * @param in where {@code pub -s} and {@code pub -l} read messages
 * @param out where received messages and reports go
 * @param err where errors, warnings and progress go
 * @param interactive whether a person watches: then {@code vmqtt load} shows a progress bar
 */
record Io(InputStream in, PrintStream out, PrintStream err, boolean interactive) {

  /** The process's streams; interactive when the JVM has a terminal. */
  static Io system() {
    return new Io(System.in, System.out, System.err, hasTerminal());
  }

  /**
   * Whether the JVM runs in a terminal. Before JDK 22, {@link System#console()} is null without
   * one; from JDK 22 it may be there anyway, and {@code Console.isTerminal()} (JDK 22) says.
   */
  private static boolean hasTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a console is a terminal
    }
  }
}
