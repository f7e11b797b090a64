package app.tessera.cli;

import app.tessera.engine.Device;
import app.tessera.engine.api.EvalRequest;
import app.tessera.engine.api.EvaluationResult;
import app.tessera.engine.api.Experiments;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tessera eval}: trains hashing methods on a dataset folder's training rows and reports
 * retrieval quality on its query and database rows (protocol of {@code docs/methods.md} §3).
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Train hashing methods on a dataset folder's training rows and evaluate them on its query vs"
          + " database rows, image→text and text→image: mAP@all, mAP@50, P@K, precision-recall by"
          + " Hamming radius, mean ± std over seeds, next to the float-cosine ceiling and chance.",
      "Models are cached (same settings and data: trained once) under the data directory."
    })
public final class EvalCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--dataset",
      required = true,
      paramLabel = "DIR",
      description = "Dataset folder with manifest.csv (id,image,caption,labels,split).")
  Path dataset;

  @Option(
      names = "--method",
      required = true,
      split = ",",
      paramLabel = "NAME",
      description = "Hashing methods, comma-separated (contrastive, rotation, bilgseh, scahn).")
  List<String> methods;

  List<Integer> bits;
  int seeds;
  int epochs;

  // Checked as they are parsed: a value out of range is a usage error that gives the range.
  @Option(
      names = "--bits",
      split = ",",
      paramLabel = "K",
      defaultValue = "16,32,64,128",
      description =
          "Code lengths, comma-separated, each a multiple of 16 from 16 to 1024. Default:"
              + " ${DEFAULT-VALUE}.")
  void bits(List<Integer> lengths) {
    for (int k : lengths) {
      Options.bits(spec, "--bits", k);
    }
    bits = lengths;
  }

  @Option(
      names = "--seeds",
      defaultValue = "3",
      description =
          "Training seeds per method and code length, 1 to 100. Default: ${DEFAULT-VALUE}.")
  void seeds(int n) {
    seeds = Options.range(spec, "--seeds", n, 1, 100);
  }

  @Option(
      names = "--first-seed",
      defaultValue = "1",
      description = "The first seed. Default: ${DEFAULT-VALUE}.")
  long firstSeed;

  @Option(
      names = "--epochs",
      defaultValue = "0",
      description =
          "Most epochs per training, up to 10000 (early stopping may end sooner). Default: 0 ="
              + " each method's own.")
  void epochs(int n) {
    epochs = Options.range(spec, "--epochs", n, 0, 10_000);
  }

  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto (GPU when usable), cpu or gpu. Default: ${DEFAULT-VALUE}.")
  Device device;

  @Option(
      names = "--param",
      paramLabel = "NAME=VALUE",
      description =
          "Method setting, e.g. --param temperature=0.3 (repeatable); a method rejects names it"
              + " does not know. With several methods, METHOD.NAME=VALUE sets one method's.")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--json", paramLabel = "FILE", description = "Write the records as JSON.")
  Path json;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      description = "Write report.md and PR / P@K charts (SVG) into DIR.")
  Path report;

  @Option(names = "--no-cache", description = "Train afresh and keep no models.")
  boolean noCache;

  @Mixin EncodersOption encoders;

  /** Set by tests; otherwise {@code --encoders} chooses. */
  private final Experiments experiments;

  public EvalCommand() {
    this(null);
  }

  EvalCommand(Experiments experiments) {
    this.experiments = experiments;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Options.folder("--dataset", dataset);
    try {
      EvalRequest request =
          new EvalRequest(methods, bits, seeds, firstSeed, epochs, device, params, !noCache);
      EvaluationResult result =
          (experiments != null ? experiments : encoders.experiments())
              .evaluate(dataset, request, line -> progress(err, line));
      out.println(result.markdown());
      if (json != null) {
        result.writeJson(json);
        out.println("JSON records: " + json.toAbsolutePath());
      }
      if (report != null) {
        out.println("Report: " + result.writeReport(report).toAbsolutePath());
      }
      out.flush();
      return 0;
    } catch (IllegalArgumentException e) { // an unknown method or setting
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  static void progress(PrintWriter err, String line) {
    err.println(line);
    err.flush();
  }
}
