package app.tessera.cli;

import app.tessera.bench.BenchCommand;
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
      TrainCommand.class,
      EvalCommand.class,
      ModelsCommand.class,
      GpuCommand.class,
      BenchCommand.class,
    })
public final class TesseraCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the CLI and returns its exit code. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  public static CommandLine commandLine() {
    return new CommandLine(new TesseraCommand()).setCaseInsensitiveEnumValuesAllowed(true);
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
