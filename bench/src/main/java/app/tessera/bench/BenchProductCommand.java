package app.tessera.bench;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Device;
import app.tessera.engine.api.ShippedModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tessera bench product}: retrieval quality through the product path on a dataset. */
@Command(
    name = "product",
    mixinStandardHelpOptions = true,
    description = {
      "Build a library from a dataset folder's database rows with the real index path (images"
          + " only, then with their captions imported), code it with a model bundle, run the"
          + " query rows through the app's search service and print P@1, P@10 and mAP@100 per"
          + " direction (relevance: a shared label). The dataset folder is only read; the work"
          + " folder (a temporary one unless --work) holds a copy of the database images and the"
          + " two libraries; libraries kept there are re-scanned and coded for the model, not"
          + " rebuilt (their cached features serve the next model)."
    })
public final class BenchProductCommand implements Callable<Integer> {
  @Option(
      names = "--dataset",
      required = true,
      paramLabel = "DIR",
      description = "A dataset folder (manifest.csv with query and database rows).")
  Path dataset;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "A model bundle (default: the shipped default).")
  Path model;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description = "Keep the image copy and the libraries here (default: a temporary folder).")
  Path work;

  @Option(
      names = "--queries",
      paramLabel = "N",
      description = "Only the first N query rows (default: all).")
  int queries;

  @Option(names = "--device", description = "auto, cpu or gpu. Default: ${DEFAULT-VALUE}.")
  Device device = Device.AUTO;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  Path json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isRegularFile(dataset.resolve("manifest.csv"))) {
      err.println("tessera bench product: no manifest.csv in " + dataset);
      return 2;
    }
    if (work != null
        && work.toAbsolutePath().normalize().startsWith(AppDirs.dataDir().toAbsolutePath())) {
      // Tessera never indexes its own data folder: the libraries would stay empty.
      err.println(
          "tessera bench product: --work "
              + work
              + " is inside Tessera's data folder ("
              + AppDirs.dataDir()
              + "), which is never indexed: choose a folder outside it");
      return 2;
    }
    Path bundle = model != null ? model : ShippedModels.defaultBundle();
    Path folder = work != null ? work : Files.createTempDirectory("tessera-bench-product");
    try {
      Files.createDirectories(folder);
      Map<String, Object> result =
          new ProductPathBenchmark(
                  new ProductPathBenchmark.Config(dataset, bundle, folder, queries, device),
                  BenchOutput.lines(out))
              .run();
      BenchOutput.results(result, out, json);
      return 0;
    } finally {
      if (work == null) {
        deleteTree(folder);
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
