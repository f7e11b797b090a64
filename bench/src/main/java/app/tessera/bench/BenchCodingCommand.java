package app.tessera.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tessera bench coding}: coding a large library once, then one new image at a time. */
@Command(
    name = "coding",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a library of image items with cached features (default 100000) in a temporary"
          + " folder, code it once with the shipped default model, then index and code one new"
          + " image at a time: only that image is encoded, hashed and stored. The folder is"
          + " deleted after."
    })
public final class BenchCodingCommand implements Callable<Integer> {
  @Option(names = "--items", paramLabel = "N", description = "Generated items (default: 100000).")
  Integer items;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      description = "New images added one by one (default: 5; the median is reported).")
  Integer rounds;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  Path json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    CodingBenchmark.Config d = CodingBenchmark.Config.standard();
    CodingBenchmark.Config config =
        new CodingBenchmark.Config(
            items != null ? items : d.items(), rounds != null ? rounds : d.rounds(), d.seed());
    Map<String, Object> result = new CodingBenchmark(config, BenchOutput.lines(out)).run();
    BenchOutput.results(result, out, json);
    return 0;
  }
}
