package app.tessera.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tessera bench ...}: reproducible performance measurements, one subcommand per part. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure Tessera's performance on this machine.",
    subcommands = {
      BenchSearchCommand.class,
      BenchEncodeCommand.class,
    })
public final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
