package app.tessera.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tessera bench ...}: benchmarks on generated data. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks on data they generate (nothing of yours is touched).",
    subcommands = {
      CommandLine.HelpCommand.class,
      BenchIngestCommand.class,
    })
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
