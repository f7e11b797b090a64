package app.tessera.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tessera bench ...}: throughput benchmarks (one subcommand per part of the engine). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Throughput benchmarks.",
    subcommands = {BenchEncodeCommand.class})
public final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
