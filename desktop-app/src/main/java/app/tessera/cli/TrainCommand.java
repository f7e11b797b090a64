package app.tessera.cli;

import app.tessera.app.ShippedModels;
import app.tessera.engine.AppDirs;
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
import app.tessera.engine.library.LibraryTraining;
import app.tessera.engine.library.ModelBundle;
import app.tessera.engine.store.Catalog;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
      description =
          "Also write the trained model into DIR (created if needed): a model bundle, with the"
              + " image encoder, that `search --model DIR` and the app can use.")
  Path save;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Name of the saved model bundle. Default: the --save folder's name.")
  String name;

  @Mixin EncodersOption encoders;

  /** Set by tests; otherwise {@code --encoders} chooses. */
  private final FeatureProvider features;

  public TrainCommand() {
    this(null);
  }

  TrainCommand(FeatureProvider features) {
    this.features = features;
  }

  private FeatureProvider features() {
    return features != null ? features : encoders.provider();
  }

  @Option(
      names = "--base",
      paramLabel = "DIR",
      description =
          "With --library: the model bundle whose encoders give the features. Default: the shipped"
              + " model.")
  Path base;

  /**
   * Trains on the library's own captioned images, saves a bundle (under the models folder unless
   * --save is given), registers it and codes every item with it.
   */
  private int trainOnLibrary(PrintWriter out, PrintWriter err) throws Exception {
    if (encoders.encoders != DatasetFeatureSource.Encoders.TESSERA) {
      err.println(
          "--encoders applies to --dataset; with --library the --base bundle's encoders give the"
              + " features.");
      return 2;
    }
    if (!Files.isRegularFile(source.library)) {
      err.println("No library at " + source.library + ": index a folder first.");
      return 2;
    }
    var hashing = HashingMethods.byName(method);
    String bundleName = name != null ? name : "library-" + method + "-" + bits + "-seed" + seed;
    Path target = save != null ? save : AppDirs.modelsDir().resolve(bundleName);
    TrainingOptions options = new TrainingOptions(bits, epochs, seed, device, null, params);
    Path baseDir = base != null ? base : ShippedModels.defaultBundle();
    try (Catalog catalog = Catalog.open(source.library);
        ModelBundle baseBundle = ModelBundle.open(baseDir, device)) {
      LibraryTraining.Result result =
          LibraryTraining.train(
              catalog,
              baseBundle,
              hashing,
              options,
              bundleName,
              target,
              (epoch, total, loss, score) ->
                  EvalCommand.progress(
                      err,
                      String.format(
                          Locale.ROOT,
                          "epoch %d/%d  loss %.4f  validation mAP %.4f",
                          epoch,
                          total,
                          loss,
                          score)),
              line -> EvalCommand.progress(err, line));
      out.printf(
          Locale.ROOT,
          "%s %d-bit model trained on %d pairs (%d labels); %d items coded (model id %d)%n",
          method,
          bits,
          result.pairs(),
          result.labels(),
          result.coding().codes(),
          result.coding().modelId());
      out.println("Model bundle: " + result.bundleDir().toAbsolutePath());
      out.println(
          "Search with it: tessera search --library "
              + source.library
              + " --model "
              + result.bundleDir());
      out.flush();
      return 0;
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      if (source.library != null) {
        return trainOnLibrary(out, err);
      }
      var hashing = HashingMethods.byName(method);
      Dataset data = Dataset.read(source.dataset);
      RowFeatures rowFeatures =
          features()
              .features(
                  data, device, hashing.needsTokens(), line -> EvalCommand.progress(err, line));
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
          if (rowFeatures.imageEncoderDir() != null) {
            // A bundle (image encoder + hashing model) that `search` and the app can use directly.
            ModelBundle.write(
                save,
                new ModelBundle.Manifest(
                    name != null ? name : save.toAbsolutePath().getFileName().toString(),
                    model.method(),
                    model.bits(),
                    "tessera-cnn",
                    "minilm",
                    "trained on the training rows of "
                        + source.dataset.toAbsolutePath().normalize().getFileName()),
                rowFeatures.imageEncoderDir(),
                model);
            out.println("Saved model bundle to: " + save.toAbsolutePath());
          } else {
            // Bundles hold Tessera's own encoders only; CLIP-based ones are not supported yet.
            model.save(save);
            out.println(
                "Saved the hashing model to: "
                    + save.toAbsolutePath()
                    + " (not a bundle: bundles hold Tessera's own encoders only)");
          }
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
