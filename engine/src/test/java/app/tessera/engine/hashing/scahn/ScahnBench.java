package app.tessera.engine.hashing.scahn;

import app.tessera.engine.Device;
import app.tessera.engine.dataset.Dataset;
import app.tessera.engine.dataset.DatasetRow;
import app.tessera.engine.encode.DatasetFeatures;
import app.tessera.engine.encode.TesseraCnnTrainer;
import app.tessera.engine.encode.TokenRows;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.HashingMethods;
import app.tessera.engine.hashing.TrainingOptions;
import app.tessera.engine.metrics.Relevance;
import app.tessera.engine.metrics.RetrievalEvaluator;
import app.tessera.engine.metrics.RetrievalMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Development bench (not a test): trains a method on a dataset's training rows minus a
 * caption-grouped validation hold-out and prints, for the validation rows querying the training
 * rows only (never the query rows), mAP@all, mAP@50, P@1 and P@10 in both directions, the epoch
 * time, or the process RSS after every epoch.
 *
 * <pre>
 *   ScahnBench val DATASET method=scahn bits=64 seed=1 epochs=8 [name=value ...]
 *   ScahnBench rss DATASET epochs=50 rows=640 [name=value ...]
 * </pre>
 *
 * Features: the product's (MiniLM + Tessera's CNN, with token features), from the data directory's
 * cache.
 */
public final class ScahnBench {
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Dataset dataset = Dataset.read(Path.of(args[1]));
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 2; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      params.put(kv[0], kv[1]);
    }
    String method = take(params, "method", "scahn");
    int bits = Integer.parseInt(take(params, "bits", "64"));
    long seed = Long.parseLong(take(params, "seed", "1"));
    int epochs = Integer.parseInt(take(params, "epochs", "0"));
    int rowsLimit = Integer.parseInt(take(params, "rows", "0"));
    List<DatasetFeatures.Pair> pairs =
        dataset.rows().stream()
            .map(
                r ->
                    new DatasetFeatures.Pair(
                        r.id(), r.image(), r.caption(), r.split().forTraining()))
            .toList();
    DatasetFeatures.Result f =
        DatasetFeatures.compute(
            pairs,
            TesseraCnnTrainer.Options.defaults(),
            DatasetFeatures.defaultCacheRoot(),
            true,
            System.out::println);
    Dataset.TrainValidation split = dataset.holdOutValidation(0.1, 7);
    List<DatasetRow> trainRows = split.train();
    if (rowsLimit > 0) {
      trainRows = trainRows.subList(0, Math.min(rowsLimit, trainRows.size()));
    }
    FeatureSet train = set(dataset, f, trainRows);
    FeatureSet validation = set(dataset, f, split.validation());
    System.out.printf(
        "%s %d bits seed %d: train %d, validation %d, params %s%n",
        method, bits, seed, train.size(), validation.size(), params);
    TrainingOptions options = new TrainingOptions(bits, epochs, seed, Device.CPU, null, params);
    long start = System.nanoTime();
    int[] count = {0};
    boolean rss = mode.equals("rss");
    try (HashModel model =
        HashingMethods.byName(method)
            .train(
                train,
                rss ? null : validation,
                options,
                (e, n, loss, score) -> {
                  count[0] = e;
                  System.out.printf(
                      "  epoch %d loss %.4f score %.4f rss %d MiB%n", e, loss, score, rssMiB());
                })) {
      double perEpoch = (System.nanoTime() - start) / 1e9 / count[0];
      if (rss) {
        return;
      }
      Relevance relevance = Relevance.sharedLabel(validation.labels(), train.labels());
      int[] cutoffs = {1, 10, 50};
      RetrievalMetrics i2t =
          RetrievalEvaluator.hamming(
              validation.imageCodes(model), train.textCodes(model), bits, relevance, cutoffs);
      RetrievalMetrics t2i =
          RetrievalEvaluator.hamming(
              validation.textCodes(model), train.imageCodes(model), bits, relevance, cutoffs);
      System.out.printf(
          "RESULT %s %s | i2t mAP %.4f @50 %.4f P@1 %.3f P@10 %.3f | t2i mAP %.4f @50 %.4f P@1 %.3f"
              + " P@10 %.3f | %.1f s/epoch, %d epochs%n",
          method,
          params,
          i2t.mapAll(),
          i2t.mapAt(50),
          i2t.precisionAt(1),
          i2t.precisionAt(10),
          t2i.mapAll(),
          t2i.mapAt(50),
          t2i.precisionAt(1),
          t2i.precisionAt(10),
          perEpoch,
          count[0]);
    }
  }

  private static String take(Map<String, String> params, String name, String fallback) {
    String v = params.remove(name);
    return v == null ? fallback : v;
  }

  private static FeatureSet set(Dataset dataset, DatasetFeatures.Result f, List<DatasetRow> rows) {
    int[] index = rows.stream().mapToInt(DatasetRow::index).toArray();
    float[][] images = new float[index.length][];
    float[][] texts = new float[index.length][];
    for (int i = 0; i < index.length; i++) {
      images[i] = f.images()[index[i]];
      texts[i] = f.texts()[index[i]];
    }
    TokenRows imageTokens = f.imageTokens().select(index);
    TokenRows textTokens = f.textTokens().select(index);
    return new FeatureSet(images, texts, dataset.labelMatrix(rows), imageTokens, textTokens);
  }

  static long rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (java.io.IOException e) {
      // not Linux
    }
    return -1;
  }
}
