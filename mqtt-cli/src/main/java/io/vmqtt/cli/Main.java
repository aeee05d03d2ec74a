package io.vmqtt.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;

/**
 * The {@code vmqtt} command: {@code pub}, {@code sub}, {@code load} and {@code demo}.
 *
 * <p>Exit status: 0 on success; 2 for a bad command line (with picocli's usage message); otherwise
 * what the command says in its help, after one line on the error stream: {@code vmqtt <command>:
 * <what happened>}. Runs on the main thread.
 */
@Command(
    name = "vmqtt",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    usageHelpAutoWidth = true,
    description = {
      "An MQTT 3.1.1 command line on vmqtt's client: publish, subscribe, load-test a broker,"
          + " or run the demo.",
      ""
    },
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "'vmqtt <command> --help' shows a command's options, which are mosquitto_pub's and"
          + " mosquitto_sub's where they have one."
    })
public final class Main implements Runnable {
  @picocli.CommandLine.Spec private picocli.CommandLine.Model.CommandSpec spec;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(Io.system(), args));
  }

  /** Runs {@code vmqtt} with these arguments and streams, and returns its exit status. */
  static int run(Io io, String... args) {
    CommandLine cli = commandLine(io);
    return cli.execute(args);
  }

  static CommandLine commandLine(Io io) {
    CommandLine cli =
        new CommandLine(new Main())
            .addSubcommand(new PubCommand(io))
            .addSubcommand(new SubCommand(io))
            .addSubcommand(new LoadCommand(io))
            .addSubcommand(new DemoCommand(io));
    Charset charset = io.out().charset();
    cli.setOut(new PrintWriter(new java.io.OutputStreamWriter(io.out(), charset), true));
    cli.setErr(new PrintWriter(new java.io.OutputStreamWriter(io.err(), io.err().charset()), true));
    cli.setParameterExceptionHandler(Main::badCommandLine);
    cli.setExecutionExceptionHandler((e, command, parseResult) -> failed(io, command, e));
    return cli;
  }

  /** {@code vmqtt} alone: the list of commands. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is needed: pub, sub, load or demo");
  }

  /** One line saying what is wrong, then the usage of the command concerned. */
  private static int badCommandLine(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(name(command) + ": " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + name(command) + " --help' for the options.");
    err.flush();
    return CliFailure.USAGE;
  }

  private static int failed(Io io, CommandLine command, Exception e) {
    if (e instanceof ParameterException p) {
      return badCommandLine(p, new String[0]);
    }
    int status = e instanceof CliFailure f ? f.exitCode() : CliFailure.ERROR;
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    if (!quiet(command)) {
      String message =
          e instanceof CliFailure
              ? e.getMessage()
              : e instanceof InterruptedException ? "interrupted" : Failures.oneLine(e);
      io.err().println(name(command) + ": " + message);
      io.err().flush();
    }
    return status;
  }

  private static boolean quiet(CommandLine command) {
    return command.getParseResult() != null && command.getParseResult().hasMatchedOption("--quiet");
  }

  private static String name(CommandLine command) {
    return command.getCommandSpec().qualifiedName();
  }

  /** The version from the jar's manifest, or "development build" when run from classes. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "vmqtt " + (version == null ? "(development build)" : version),
        "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"
      };
    }
  }
}
