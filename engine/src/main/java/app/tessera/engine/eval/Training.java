package app.tessera.engine.eval;

import app.tessera.engine.dataset.Dataset;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.hashing.HashingMethod;
import app.tessera.engine.hashing.TrainingOptions;
import app.tessera.engine.hashing.Validation;
import app.tessera.engine.train.TrainingListener;
import java.io.IOException;

/**
 * Trains one model on a dataset's training rows, exactly as {@link Evaluation} does (same
 * validation hold-out, same cache key), so that {@code tessera train} and {@code tessera eval}
 * share trained models.
 */
public final class Training {
  private Training() {}

  /** A trained (or reused) model with its validation score. */
  public record Result(ModelCache.Trained trained, double validationScore, int validationRows) {}

  public static Result train(
      Dataset dataset,
      RowFeatures features,
      HashingMethod method,
      TrainingOptions options,
      ModelCache cache,
      TrainingListener listener)
      throws IOException {
    if (method.needsLabels() && !dataset.hasLabels()) {
      throw new IllegalArgumentException(
          "method '" + method.name() + "' needs labels, and " + dataset.folder() + " has none");
    }
    if (method.needsTokens() && !features.hasTokens()) {
      throw new IllegalArgumentException(
          "method '" + method.name() + "' needs token-level features, and these have none");
    }
    Dataset.TrainValidation split =
        dataset.holdOutValidation(
            EvalSettings.DEFAULT_VALIDATION_FRACTION, EvalSettings.DEFAULT_SPLIT_SEED);
    FeatureSet train = Evaluation.featureSet(dataset, features, split.train());
    FeatureSet validation = Evaluation.featureSet(dataset, features, split.validation());
    String dataKey =
        Evaluation.dataKey(
            dataset,
            features,
            EvalSettings.DEFAULT_VALIDATION_FRACTION,
            EvalSettings.DEFAULT_SPLIT_SEED);
    ModelCache.Trained trained =
        cache.obtain(method, train, validation, options, dataKey, listener);
    return new Result(trained, Validation.score(trained.model(), validation), validation.size());
  }
}
