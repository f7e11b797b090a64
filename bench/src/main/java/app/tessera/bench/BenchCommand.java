package app.tessera.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tessera bench ...}: reproducible performance measurements, one subcommand per part. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure Tessera's performance on this machine (nothing of yours is touched).",
    subcommands = {
      CommandLine.HelpCommand.class,
      BenchIngestCommand.class,
      BenchEncodeCommand.class,
      BenchSearchCommand.class,
      BenchCodingCommand.class,
      BenchProductCommand.class,
    })
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
