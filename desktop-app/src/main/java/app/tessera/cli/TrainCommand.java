package app.tessera.cli;

import app.tessera.engine.Device;
import app.tessera.engine.dataset.Dataset;
import app.tessera.engine.eval.EvalSettings;
import app.tessera.engine.eval.FeatureProvider;
import app.tessera.engine.eval.ModelCache;
import app.tessera.engine.eval.RowFeatures;
import app.tessera.engine.eval.Training;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.HashingMethods;
import app.tessera.engine.hashing.TrainingOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tessera train}: trains one hashing model on a dataset folder's training rows, with a
 * validation hold-out for early stopping and resumable per-epoch checkpoints.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a hashing model on the training rows of a dataset folder (a validation part is held"
          + " out of them for early stopping; query rows are never used). Interrupted runs resume"
          + " from the last epoch's checkpoint.",
    })
public final class TrainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  static final class Source {
    @Option(names = "--dataset", paramLabel = "DIR", description = "Dataset folder (manifest.csv).")
    Path dataset;

    @Option(names = "--library", paramLabel = "FILE", description = "Library (SQLite catalogue).")
    Path library;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--method", required = true, paramLabel = "NAME", description = "Hashing method.")
  String method;

  @Option(names = "--bits", required = true, paramLabel = "K", description = "Code length.")
  int bits;

  @Option(
      names = "--epochs",
      defaultValue = "" + EvalSettings.DEFAULT_EPOCHS,
      description = "Most epochs (early stopping may end sooner). Default: 0 = the method's own.")
  int epochs;

  @Option(names = "--seed", defaultValue = "1", description = "Seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto (GPU when usable), cpu or gpu. Default: ${DEFAULT-VALUE}.")
  Device device;

  @Option(
      names = "--param",
      paramLabel = "NAME=VALUE",
      description = "Method setting, e.g. --param temperature=0.3 (repeatable).")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(
      names = "--save",
      paramLabel = "DIR",
      description = "Also write the trained model into DIR (created if needed).")
  Path save;

  private final FeatureProvider features;

  public TrainCommand() {
    this(DatasetFeatureSource.provider());
  }

  TrainCommand(FeatureProvider features) {
    this.features = features;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      if (source.library != null) {
        throw new IllegalStateException(
            "training on a library is not yet available (needs the catalogue); use --dataset DIR");
      }
      var hashing = HashingMethods.byName(method);
      Dataset data = Dataset.read(source.dataset);
      RowFeatures rowFeatures =
          features.features(data, device, line -> EvalCommand.progress(err, line));
      TrainingOptions options = new TrainingOptions(bits, epochs, seed, device, null, params);
      Training.Result result =
          Training.train(
              data,
              rowFeatures,
              hashing,
              options,
              ModelCache.defaultCache(),
              (epoch, total, loss, score) ->
                  EvalCommand.progress(
                      err,
                      String.format(
                          Locale.ROOT,
                          "epoch %d/%d  loss %.4f  validation mAP %.4f",
                          epoch,
                          total,
                          loss,
                          score)));
      try (HashModel model = result.trained().model()) {
        out.printf(
            Locale.ROOT,
            "%s %d-bit model %s; validation mAP %.4f (%d validation rows)%n",
            model.method(),
            model.bits(),
            result.trained().reused() ? "reused from cache" : "trained",
            result.validationScore(),
            result.validationRows());
        out.println("Model folder: " + result.trained().folder().resolve("model"));
        if (save != null) {
          model.save(save);
          out.println("Saved to: " + save.toAbsolutePath());
        }
      }
      out.flush();
      return 0;
    } catch (java.io.IOException | IllegalArgumentException | IllegalStateException e) {
      err.println("tessera train: " + e.getMessage());
      err.flush();
      return 1;
    }
  }
}
