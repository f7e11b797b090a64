package app.tessera.engine.eval;

import app.tessera.engine.dataset.Dataset;
import app.tessera.engine.dataset.DatasetRow;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.hashing.HashingMethod;
import app.tessera.engine.hashing.HashingMethods;
import app.tessera.engine.hashing.MethodParams;
import app.tessera.engine.hashing.TrainingOptions;
import app.tessera.engine.hashing.Validation;
import app.tessera.engine.metrics.Relevance;
import app.tessera.engine.metrics.RetrievalEvaluator;
import app.tessera.engine.metrics.RetrievalMetrics;
import app.tessera.engine.train.TrainingListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The evaluation harness: trains each method on a dataset's training rows (minus a validation
 * hold-out for early stopping) and evaluates it on the query rows against every database row, in
 * both directions, with the protocol of {@code docs/methods.md} §3 ({@link RetrievalEvaluator}). A
 * label-free method ({@link HashingMethod#labelFree}: ITQ, rotation) fits instead on the database
 * rows' features alone, no labels and no pairs, as it would on a library's own items.
 *
 * <p>Relevance is "shares a label" when the dataset has labels; for an unlabelled dataset it falls
 * back to "has the same caption". Query rows are never trained, tuned or selected on.
 */
public final class Evaluation {
  private Evaluation() {}

  /** Evaluates {@code settings.methods()} on {@code dataset} with its {@code features}. */
  public static EvaluationReport run(
      Dataset dataset, RowFeatures features, EvalSettings settings, ProgressListener progress)
      throws IOException {
    long started = System.nanoTime();
    List<HashingMethod> methods = new ArrayList<>();
    for (String name : settings.methods()) {
      HashingMethod method = HashingMethods.byName(name);
      if (method.needsLabels() && !dataset.hasLabels()) {
        throw new IllegalArgumentException(
            "method '" + name + "' needs labels, and " + dataset.folder() + " has none");
      }
      if (method.needsTokens() && !features.hasTokens()) {
        throw new IllegalArgumentException(
            "method '" + name + "' needs token-level features, and these features have none");
      }
      methods.add(method);
    }
    if (features.images().length != dataset.rows().size()) {
      throw new IllegalArgumentException(
          "features cover "
              + features.images().length
              + " rows, the dataset has "
              + dataset.rows().size());
    }
    List<DatasetRow> queries = dataset.queryRows();
    List<DatasetRow> database = dataset.databaseRows();
    if (queries.isEmpty() || database.isEmpty()) {
      throw new IllegalArgumentException(
          dataset.folder() + " needs both query rows and database rows to be evaluated");
    }
    Dataset.TrainValidation split =
        dataset.holdOutValidation(settings.validationFraction(), settings.splitSeed());
    FeatureSet train = featureSet(dataset, features, split.train());
    FeatureSet validation = featureSet(dataset, features, split.validation());
    FeatureSet query = featureSet(dataset, features, queries);
    FeatureSet items = featureSet(dataset, features, database);
    Relevance relevance = relevance(dataset, queries, database);
    progress.message(
        String.format(
            Locale.ROOT,
            "%s: %d queries, %d database rows, %d training rows (%d held out for validation), %s",
            dataset.folder().getFileName(),
            queries.size(),
            database.size(),
            split.train().size(),
            split.validation().size(),
            dataset.hasLabels()
                ? dataset.labelNames().size() + " labels"
                : "no labels: relevance = same caption"));

    int[] cutoffs = RetrievalEvaluator.DEFAULT_CUTOFFS;
    RetrievalMetrics chance = RetrievalEvaluator.chance(relevance, cutoffs);
    List<Reference> references = new ArrayList<>();
    for (Direction direction : Direction.values()) {
      RetrievalMetrics ceiling = null;
      if (features.sameDimension()) {
        ceiling =
            direction == Direction.I2T
                ? RetrievalEvaluator.cosine(query.images(), items.texts(), relevance, cutoffs)
                : RetrievalEvaluator.cosine(query.texts(), items.images(), relevance, cutoffs);
      }
      references.add(new Reference(direction, ceiling, chance));
    }

    String dataKey =
        dataKey(dataset, features, settings.validationFraction(), settings.splitSeed());
    ModelCache cache = settings.modelCache() == null ? null : new ModelCache(settings.modelCache());
    List<EvalRecord> records = new ArrayList<>();
    for (HashingMethod method : methods) {
      for (int bits : settings.bits()) {
        Map<Direction, List<RetrievalMetrics>> perSeed = new HashMap<>();
        double[] seconds = new double[settings.seeds()];
        double epochsSum = 0;
        int epochsKnown = 0;
        for (int s = 0; s < settings.seeds(); s++) {
          long seed = settings.firstSeed() + s;
          TrainingOptions options =
              new TrainingOptions(
                  bits,
                  settings.epochs(),
                  seed,
                  settings.device(),
                  null,
                  MethodParams.forMethod(method, methods, settings.params()));
          String label = String.format(Locale.ROOT, "%s %db seed %d", method.name(), bits, seed);
          int[] lastEpoch = {0};
          ModelCache.Trained trained =
              method.labelFree()
                  ? fitOnDatabase(method, items, validation, options, label, progress)
                  : obtain(
                      cache,
                      method,
                      train,
                      validation,
                      options,
                      dataKey,
                      label,
                      progress,
                      lastEpoch);
          seconds[s] = trained.seconds();
          if (!trained.reused()) {
            epochsSum += lastEpoch[0];
            epochsKnown++;
          }
          try (var model = trained.model()) {
            long[] queryImages = query.imageCodes(model);
            long[] queryTexts = query.textCodes(model);
            long[] itemImages = items.imageCodes(model);
            long[] itemTexts = items.textCodes(model);
            RetrievalMetrics i2t =
                RetrievalEvaluator.hamming(queryImages, itemTexts, bits, relevance, cutoffs);
            RetrievalMetrics t2i =
                RetrievalEvaluator.hamming(queryTexts, itemImages, bits, relevance, cutoffs);
            perSeed.computeIfAbsent(Direction.I2T, d -> new ArrayList<>()).add(i2t);
            perSeed.computeIfAbsent(Direction.T2I, d -> new ArrayList<>()).add(t2i);
            progress.message(
                String.format(
                    Locale.ROOT,
                    "%s: %s%.1f s; mAP@all i2t %.4f t2i %.4f",
                    label,
                    trained.reused() ? "reused from cache, " : "trained in ",
                    trained.seconds(),
                    i2t.mapAll(),
                    t2i.mapAll()));
          }
        }
        for (Direction direction : Direction.values()) {
          records.add(
              summarise(
                  method.name(),
                  bits,
                  direction,
                  perSeed.get(direction),
                  cutoffs,
                  seconds,
                  epochsKnown == 0 ? Double.NaN : epochsSum / epochsKnown));
        }
      }
    }
    return new EvaluationReport(
        dataset.folder().toString(),
        features.encoders(),
        queries.size(),
        database.size(),
        split.train().size(),
        split.validation().size(),
        settings,
        references,
        records,
        (System.nanoTime() - started) / 1e9);
  }

  /**
   * A label-free method fitted on the database rows' images and captions, unpaired and without
   * labels: what it would see as a library's own items (the database is what queries search; query
   * rows are never fitted on). It takes seconds, so it is not cached.
   */
  private static ModelCache.Trained fitOnDatabase(
      HashingMethod method,
      FeatureSet database,
      FeatureSet validation,
      TrainingOptions options,
      String label,
      ProgressListener progress) {
    long start = System.nanoTime();
    var model = method.fit(database.images(), database.texts(), options);
    double seconds = (System.nanoTime() - start) / 1e9;
    // The validation rows (with labels, held out of the training rows) judge its settings.
    progress.message(
        String.format(
            Locale.ROOT,
            "%s: fitted on the database rows; validation mAP %.4f",
            label,
            Validation.score(model, validation)));
    return new ModelCache.Trained(model, false, seconds, null);
  }

  private static ModelCache.Trained obtain(
      ModelCache cache,
      HashingMethod method,
      FeatureSet train,
      FeatureSet validation,
      TrainingOptions options,
      String dataKey,
      String label,
      ProgressListener progress,
      int[] lastEpoch)
      throws IOException {
    TrainingListener listener =
        (epoch, epochs, loss, score) -> {
          lastEpoch[0] = epoch;
          progress.message(
              String.format(
                  Locale.ROOT,
                  "%s: epoch %d/%d loss %.4f validation mAP %.4f",
                  label,
                  epoch,
                  epochs,
                  loss,
                  score));
        };
    if (cache != null) {
      return cache.obtain(method, train, validation, options, dataKey, listener);
    }
    long start = System.nanoTime();
    var model = method.train(train, validation, options, listener);
    return new ModelCache.Trained(model, false, (System.nanoTime() - start) / 1e9, null);
  }

  private static EvalRecord summarise(
      String method,
      int bits,
      Direction direction,
      List<RetrievalMetrics> runs,
      int[] cutoffs,
      double[] seconds,
      double epochs) {
    double[] mapAll = runs.stream().mapToDouble(RetrievalMetrics::mapAll).toArray();
    double[] mapAt50 = runs.stream().mapToDouble(m -> m.mapAt(50)).toArray();
    return new EvalRecord(
        method,
        bits,
        direction,
        Stats.of(mapAll),
        Stats.of(mapAt50),
        cutoffs,
        meanOf(runs.stream().map(RetrievalMetrics::precisionAtK).toList()),
        meanOf(runs.stream().map(RetrievalMetrics::precisionByRadius).toList()),
        meanOf(runs.stream().map(RetrievalMetrics::recallByRadius).toList()),
        Stats.of(seconds),
        epochs);
  }

  /** Element-wise mean, ignoring NaN entries. */
  private static double[] meanOf(List<double[]> rows) {
    double[] mean = new double[rows.get(0).length];
    for (int j = 0; j < mean.length; j++) {
      double sum = 0;
      int n = 0;
      for (double[] row : rows) {
        if (!Double.isNaN(row[j])) {
          sum += row[j];
          n++;
        }
      }
      mean[j] = n == 0 ? Double.NaN : sum / n;
    }
    return mean;
  }

  /** The features (labels and tokens, when there are any) of {@code rows}. */
  static FeatureSet featureSet(Dataset dataset, RowFeatures features, List<DatasetRow> rows) {
    return new FeatureSet(
        select(features.images(), rows),
        select(features.texts(), rows),
        dataset.hasLabels() ? dataset.labelMatrix(rows) : null,
        features.hasTokens() ? features.imageTokens().select(indexes(rows)) : null,
        features.hasTokens() ? features.textTokens().select(indexes(rows)) : null);
  }

  private static int[] indexes(List<DatasetRow> rows) {
    return rows.stream().mapToInt(DatasetRow::index).toArray();
  }

  private static float[][] select(float[][] all, List<DatasetRow> rows) {
    float[][] out = new float[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      out[i] = all[rows.get(i).index()];
    }
    return out;
  }

  /** Identifies the training data of a model: dataset, encoders and validation hold-out. */
  static String dataKey(
      Dataset dataset, RowFeatures features, double validationFraction, long splitSeed) {
    return dataset.fingerprint()
        + "/"
        + features.encoders()
        + "/val="
        + validationFraction
        + "@"
        + splitSeed;
  }

  static Relevance relevance(Dataset dataset, List<DatasetRow> queries, List<DatasetRow> items) {
    if (dataset.hasLabels()) {
      return Relevance.sharedLabel(dataset.labelMatrix(queries), dataset.labelMatrix(items));
    }
    Map<String, Integer> captionIds = new HashMap<>();
    int[] q =
        queries.stream()
            .mapToInt(r -> captionIds.computeIfAbsent(r.caption(), c -> captionIds.size()))
            .toArray();
    int[] d =
        items.stream()
            .mapToInt(r -> captionIds.computeIfAbsent(r.caption(), c -> captionIds.size()))
            .toArray();
    return Relevance.sameGroup(q, d);
  }
}
