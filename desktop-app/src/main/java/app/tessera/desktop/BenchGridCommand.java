package app.tessera.desktop;

import app.tessera.bench.BenchOutput;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tessera bench grid}: typing to rendered grid in the real window. A subcommand of {@code
 * bench} that {@code app.tessera.app.Main} adds, as the command line knows nothing of the window.
 */
@Command(
    name = "grid",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a library of image items (default 100000) coded with the shipped model in a"
          + " temporary folder, open it in the window and type queries into the search box a key"
          + " at a time; print p50 and p95 of the time from the last key to the grid showing the"
          + " results and to every visible thumbnail drawn. Needs a display (xvfb-run on a"
          + " server). The folder is deleted after."
    })
public final class BenchGridCommand implements Callable<Integer> {
  @Option(names = "--items", paramLabel = "N", description = "Generated items (default: 100000).")
  Integer items;

  @Option(
      names = "--queries",
      paramLabel = "N",
      description = "Queries timed, after 5 untimed ones (default: 40).")
  Integer queries;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  Path json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    GridBenchmark.Config d = GridBenchmark.Config.standard();
    GridBenchmark.Config config =
        new GridBenchmark.Config(
            items != null ? items : d.items(), queries != null ? queries : d.queries(), d.warmup());
    Map<String, Object> result = new GridBenchmark(config, BenchOutput.lines(out)).run();
    BenchOutput.results(result, out, json);
    out.print(GridBenchmark.table(result));
    out.flush();
    return 0;
  }
}
