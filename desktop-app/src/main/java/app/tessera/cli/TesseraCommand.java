package app.tessera.cli;

import app.tessera.bench.BenchCommand;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tessera} command line. Each command is a class of its own in this package, listed in
 * {@code subcommands} below.
 */
@Command(
    name = "tessera",
    mixinStandardHelpOptions = true,
    versionProvider = TesseraCommand.Version.class,
    description = "Offline image-text retrieval with binary hash codes.",
    subcommands = {
      CommandLine.HelpCommand.class,
      IndexCommand.class,
      SearchCommand.class,
      ImportCaptionsCommand.class,
      ImportCodesCommand.class,
      PruneCommand.class,
      CheckCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      ModelsCommand.class,
      GpuCommand.class,
      BenchCommand.class,
    })
public final class TesseraCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "On an error, also print its full trace (otherwise one line, see the README).")
  boolean verbose;

  /** Runs the CLI and returns its exit code ({@link ExitCode}). */
  public static int run(String... args) {
    CommandLine cli = commandLine();
    return run(cli, cli.getErr(), args);
  }

  /** Runs the CLI printing to {@code out} and {@code err} and returns its exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine().setOut(out).setErr(err);
    return run(cli, err, args);
  }

  private static int run(CommandLine cli, PrintWriter err, String... args) {
    try {
      return cli.execute(args);
    } catch (Throwable e) { // an Error (out of memory, a missing class) that picocli lets through
      return Failures.report(e, "tessera", List.of(args), verbose(args), err);
    } finally {
      cli.getOut().flush();
      err.flush();
    }
  }

  /**
   * The command line, with its one error path: every failure is one line on stderr and an exit code
   * from {@link ExitCode}, never a stack trace unless {@code --verbose} asks for it.
   */
  public static CommandLine commandLine() {
    return withOneErrorPath(
        new CommandLine(new TesseraCommand()).setCaseInsensitiveEnumValuesAllowed(true));
  }

  /** {@code cli} (this command line or one of its commands alone) with the one error path. */
  static CommandLine withOneErrorPath(CommandLine cli) {
    cli.setParameterExceptionHandler(
        (bad, args) ->
            Failures.report(
                bad,
                bad.getCommandLine().getCommandSpec().qualifiedName(),
                List.of(args),
                verbose(args),
                bad.getCommandLine().getErr()));
    cli.setExecutionExceptionHandler(
        (failure, command, parsed) ->
            Failures.report(
                failure,
                command.getCommandSpec().qualifiedName(),
                parsed.originalArgs(),
                verbose(parsed.originalArgs().toArray(String[]::new)),
                command.getErr()));
    return cli;
  }

  private static boolean verbose(String[] args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      if (arg.equals("--verbose")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Supplies {@code --version} from the build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "tessera " + AppInfo.version(),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }
}
