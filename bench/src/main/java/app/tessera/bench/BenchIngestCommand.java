package app.tessera.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tessera bench ingest}: decode-only vs full ingest, re-scans, code loading. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Generate images in a temporary folder and measure, on the same files: decode-only and full"
          + " ingest (images/s), the re-scan of the unchanged tree, the re-scan of a large"
          + " synthetic unchanged tree, and loading packed codes. The folder is deleted after."
    })
public final class BenchIngestCommand implements Callable<Integer> {
  @Option(
      names = "--count",
      paramLabel = "N",
      description = "12-MP JPEGs (default: 1000; --quick: 40).")
  Integer count;

  @Option(
      names = "--small",
      paramLabel = "N",
      description =
          "Small 64x64 PNGs (default: 20000; --quick: 2000), after a warm-up on 10000 others.")
  Integer small;

  @Option(
      names = "--rescan-files",
      paramLabel = "N",
      description = "Files in the synthetic re-scan (default: 100000; --quick: 20000).")
  Integer rescanFiles;

  @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores).")
  Integer threads;

  @Option(names = "--quick", description = "A small run (a minute or two).")
  boolean quick;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  Path json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    IngestBenchmark.Config d =
        quick ? IngestBenchmark.Config.quick() : IngestBenchmark.Config.standard();
    IngestBenchmark.Config config =
        new IngestBenchmark.Config(
            count != null ? count : d.photos(),
            d.photoWidth(),
            d.photoHeight(),
            small != null ? small : d.smallImages(),
            d.warmUpSmall(),
            rescanFiles != null ? rescanFiles : d.rescanFiles(),
            threads != null ? threads : d.threads(),
            d.seed());
    Map<String, Object> result = new IngestBenchmark(config, BenchOutput.lines(out)).run();
    BenchOutput.results(result, out, json);
    return 0;
  }
}
