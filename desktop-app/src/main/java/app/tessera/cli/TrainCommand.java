package app.tessera.cli;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Cancellation;
import app.tessera.engine.Device;
import app.tessera.engine.api.DatasetTraining;
import app.tessera.engine.api.EncoderPair;
import app.tessera.engine.api.Experiments;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.TrainRequest;
import app.tessera.engine.api.TrainingReport;
import java.io.PrintWriter;
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
      "With --library: train on the library's own items instead. --method itq needs no labels"
          + " and no captions (it fits on every image and caption feature); the other methods"
          + " train on captioned images, and a model that does not beat chance on its held-out"
          + " validation images is registered but not made active.",
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

  int bits;
  int epochs;

  // Checked as they are parsed: a value out of range is a usage error that gives the range.
  @Option(
      names = "--bits",
      required = true,
      paramLabel = "K",
      description = "Code length: a multiple of 16 from 16 to 1024.")
  void bits(int k) {
    bits = Options.bits(spec, "--bits", k);
  }

  @Option(
      names = "--epochs",
      defaultValue = "0",
      description =
          "Most epochs, up to 10000 (early stopping may end sooner). Default: 0 = the method's"
              + " own.")
  void epochs(int n) {
    epochs = Options.range(spec, "--epochs", n, 0, 10_000);
  }

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
      description =
          "Method setting, e.g. --param temperature=0.3 (repeatable); a method rejects names it"
              + " does not know. With several methods, METHOD.NAME=VALUE sets one method's.")
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
  private final Experiments experiments;

  public TrainCommand() {
    this(null);
  }

  TrainCommand(Experiments experiments) {
    this.experiments = experiments;
  }

  @Option(
      names = "--base",
      paramLabel = "DIR",
      description =
          "With --library: the model bundle whose encoders give the features. Default: the shipped"
              + " model.")
  Path base;

  /**
   * Trains on the library's own items, saves a bundle (under the models folder unless --save is
   * given) and registers it; when it beats chance on its validation rows (or is label-free) every
   * item is coded with it and it becomes the active model.
   */
  private int trainOnLibrary(TrainRequest request, PrintWriter out, PrintWriter err)
      throws Exception {
    if (base != null && encoders.encoders != Experiments.Encoders.TESSERA) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--base gives Tessera's encoders; it does not go with --encoders clip");
    }
    String bundleName =
        name != null
            ? name
            : "library-"
                + encoders.encoders.name().toLowerCase(Locale.ROOT)
                + "-"
                + method
                + "-"
                + bits
                + "-seed"
                + seed;
    Path target = save != null ? save : AppDirs.modelsDir().resolve(bundleName);
    try (Library library = Library.open(LibraryOption.existing(source.library));
        EncoderPair pair =
            base != null
                ? EncoderPair.ofBase(base, device)
                : EncoderPair.of(encoders.encoders, library.defaultBundleDir(), device)) {
      TrainingReport result =
          library.train(
              pair,
              request,
              bundleName,
              target,
              new Cancellation(),
              line -> EvalCommand.progress(err, line));
      out.printf(
          Locale.ROOT,
          "%s %d-bit model (%s) %s%n",
          method,
          bits,
          pair.describe(),
          result.pairs() == 0
              ? "fitted on " + result.rows() + " feature rows (no labels, no pairs)"
              : "trained on " + result.pairs() + " pairs (" + result.labels() + " labels)");
      if (result.validated()) {
        out.printf(
            Locale.ROOT,
            "Validation mAP %.4f on held-out rows; chance (best of %d random codings) %.4f%n",
            result.validation(),
            TrainingReport.CHANCE_DRAWS,
            result.chance());
      }
      out.println("Model bundle: " + result.bundleDir().toAbsolutePath());
      if (!result.beatsChance()) {
        out.println(
            "It does NOT beat chance on its validation rows: registered as '"
                + result.model().name()
                + "' but not coded and not made active. More captioned (and labelled) images"
                + " help; `tessera models use "
                + result.model().name()
                + "` activates it anyway.");
      } else if (result.activated()) {
        out.printf(
            Locale.ROOT,
            "%d items coded; it is now the library's active model: 'tessera search' uses it.%n",
            result.coding().coded());
      } else {
        out.println(
            "Coding stopped before every item had its code; the active model is unchanged."
                + " `tessera models use "
                + result.model().name()
                + "` resumes it.");
      }
      out.flush();
      return 0;
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (source.dataset != null) {
      Options.folder("--dataset", source.dataset);
    }
    if (base != null) {
      Options.folder("--base", base);
    }
    try {
      TrainRequest request = new TrainRequest(method, bits, epochs, seed, device, params);
      if (source.library != null) {
        return trainOnLibrary(request, out, err);
      }
      DatasetTraining result =
          (experiments != null ? experiments : encoders.experiments())
              .train(source.dataset, request, save, name, line -> EvalCommand.progress(err, line));
      out.printf(
          Locale.ROOT,
          "%s %d-bit model %s; validation mAP %.4f (%d validation rows)%n",
          result.method(),
          result.bits(),
          result.reused() ? "reused from cache" : "trained",
          result.validationScore(),
          result.validationRows());
      out.println("Model folder: " + result.modelFolder());
      if (result.saved() != null) {
        out.println(
            result.savedBundle()
                ? "Saved model bundle to: " + result.saved().toAbsolutePath()
                : "Saved the hashing model to: "
                    + result.saved().toAbsolutePath()
                    + " (not a bundle: bundles hold Tessera's own encoders only)");
      }
      out.flush();
      return 0;
    } catch (IllegalArgumentException e) { // an unknown method or setting
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
