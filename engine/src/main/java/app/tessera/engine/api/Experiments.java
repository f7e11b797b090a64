package app.tessera.engine.api;

import app.tessera.engine.Device;
import app.tessera.engine.dataset.Dataset;
import app.tessera.engine.dataset.DatasetRow;
import app.tessera.engine.encode.ClipModel;
import app.tessera.engine.encode.DatasetFeatures;
import app.tessera.engine.encode.TesseraCnnTrainer;
import app.tessera.engine.eval.EvalSettings;
import app.tessera.engine.eval.Evaluation;
import app.tessera.engine.eval.FeatureProvider;
import app.tessera.engine.eval.ModelCache;
import app.tessera.engine.eval.ProgressListener;
import app.tessera.engine.eval.RowFeatures;
import app.tessera.engine.eval.Training;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.HashingMethods;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Training and evaluation on dataset folders ({@code manifest.csv} with a fixed query / database /
 * train split), with the protocol of {@code docs/methods.md} §3: models train on the training rows
 * only (a validation part held out of them for early stopping), query rows are only ever queried.
 * Features are computed once per dataset and encoders, and trained models are cached by everything
 * that determines them, so {@code train} and {@code eval} share them.
 */
public final class Experiments {
  /** Which encoders give the features that are hashed. */
  public enum Encoders {
    /**
     * MiniLM for captions and Tessera's CNN for images, the CNN trained on the dataset's training
     * rows only; offline.
     */
    TESSERA,
    /** Both towers of CLIP ViT-B/32, once installed ({@link ModelPacks}); nothing is trained. */
    CLIP
  }

  private final FeatureProvider features;

  private Experiments(FeatureProvider features) {
    this.features = features;
  }

  /** Experiments on the features of {@code encoders}, cached per dataset under the data folder. */
  public static Experiments with(Encoders encoders) {
    return new Experiments(provider(encoders));
  }

  /** Experiments on features from elsewhere (tests, precomputed features). */
  public static Experiments using(FeatureProvider features) {
    return new Experiments(features);
  }

  /**
   * Trains every method at every code length on {@code dataset}'s training rows and evaluates it on
   * its query rows against its database rows, in both directions.
   */
  public EvaluationResult evaluate(Path dataset, EvalRequest request, Consumer<String> progress)
      throws IOException {
    // Unknown names fail before the slow part; tokens are computed only when a method reads them.
    boolean tokens =
        request.methods().stream().map(HashingMethods::byName).anyMatch(m -> m.needsTokens());
    Dataset data = Dataset.read(dataset);
    progress.accept("features: computing or loading from cache...");
    RowFeatures rows = features.features(data, request.device(), tokens, progress::accept);
    EvalSettings settings =
        new EvalSettings(
            request.methods(),
            request.bits(),
            request.seeds(),
            request.firstSeed(),
            request.epochs(),
            request.device(),
            EvalSettings.DEFAULT_VALIDATION_FRACTION,
            EvalSettings.DEFAULT_SPLIT_SEED,
            request.params(),
            request.cache() ? ModelCache.defaultCache().root() : null);
    return new EvaluationResult(Evaluation.run(data, rows, settings, progress::accept));
  }

  /**
   * Trains one model on {@code dataset}'s training rows (or reuses the cached one) and, with {@code
   * save}, writes it there: as a model bundle that searches can use when the features came from
   * Tessera's own encoders, else as the hashing model alone.
   *
   * @param name the saved bundle's name (default: the folder's name)
   */
  public DatasetTraining train(
      Path dataset, TrainRequest request, Path save, String name, Consumer<String> progress)
      throws IOException {
    var method = HashingMethods.byName(request.method());
    Dataset data = Dataset.read(dataset);
    RowFeatures rows =
        features.features(data, request.device(), method.needsTokens(), progress::accept);
    Training.Result result =
        Training.train(
            data,
            rows,
            method,
            Library.trainingOptions(request),
            ModelCache.defaultCache(),
            EpochLines.to(progress));
    try (HashModel model = result.trained().model()) {
      boolean bundle = save != null && rows.imageEncoderDir() != null;
      if (bundle) {
        ModelBundle.write(
            save,
            new ModelBundle.Manifest(
                name != null ? name : save.toAbsolutePath().getFileName().toString(),
                model.method(),
                model.bits(),
                "tessera-cnn",
                "minilm",
                "trained on the training rows of "
                    + dataset.toAbsolutePath().normalize().getFileName()),
            rows.imageEncoderDir(),
            model);
      } else if (save != null) {
        model.save(save); // bundles hold Tessera's own encoders only
      }
      return new DatasetTraining(
          model.method(),
          model.bits(),
          result.trained().reused(),
          result.validationScore(),
          result.validationRows(),
          result.trained().folder().resolve("model"),
          save,
          bundle);
    }
  }

  /**
   * The features of {@code encoders} (token-level ones too when asked), cached per dataset and
   * encoder under the data folder.
   */
  private static FeatureProvider provider(Encoders encoders) {
    return new FeatureProvider() {
      @Override
      public RowFeatures features(Dataset dataset, Device device, ProgressListener progress)
          throws IOException {
        return features(dataset, device, false, progress);
      }

      @Override
      public RowFeatures features(
          Dataset dataset, Device device, boolean tokens, ProgressListener progress)
          throws IOException {
        return switch (encoders) {
          case TESSERA ->
              rowFeatures(
                  DatasetFeatures.compute(
                      pairs(dataset),
                      TesseraCnnTrainer.Options.defaults().withDevice(device),
                      DatasetFeatures.defaultCacheRoot(),
                      tokens,
                      progress::message));
          case CLIP -> {
            try (ClipModel clip = ClipModel.openInstalled()) {
              yield rowFeatures(
                  DatasetFeatures.encode(
                      pairs(dataset),
                      clip.imageEncoder(),
                      clip.textEncoder(),
                      DatasetFeatures.defaultCacheRoot(),
                      tokens,
                      progress::message));
            }
          }
        };
      }
    };
  }

  private static List<DatasetFeatures.Pair> pairs(Dataset dataset) {
    return dataset.rows().stream()
        .map(
            (DatasetRow row) ->
                new DatasetFeatures.Pair(
                    row.id(), row.image(), row.caption(), row.split().forTraining()))
        .toList();
  }

  private static RowFeatures rowFeatures(DatasetFeatures.Result result) {
    return new RowFeatures(
        result.imageEncoderId() + "+" + result.textEncoderId(),
        result.images(),
        result.texts(),
        result.imageEncoderDir(),
        result.imageTokens(),
        result.textTokens());
  }
}
