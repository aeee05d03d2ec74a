package io.vmqtt.cli;

import picocli.CommandLine.Option;

/**
 * {@code --help} and {@code --version} for the commands, long names only: {@code -h} and {@code -V}
 * are the host and the protocol version there, as in mosquitto_pub and mosquitto_sub.
 */
final class HelpOptions {
  @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--version", versionHelp = true, description = "Show the version and exit.")
  boolean version;
}
