package app.tessera.engine.hashing.bilgseh;

import app.tessera.engine.Device;
import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.dataset.Dataset;
import app.tessera.engine.dataset.DatasetRow;
import app.tessera.engine.encode.DatasetFeatures;
import app.tessera.engine.encode.TesseraCnnTrainer;
import app.tessera.engine.hashing.FeatureSet;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.TrainingOptions;
import app.tessera.engine.metrics.Relevance;
import app.tessera.engine.metrics.RetrievalEvaluator;
import app.tessera.engine.metrics.RetrievalMetrics;
import app.tessera.engine.search.TieBreak;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Development bench for the head of BiLGSEH's ranking (not a test). Same features and the same
 * validation hold-out as {@code tessera eval} (caption-grouped 10 %, split seed 42).
 *
 * <pre>
 *   HeadBench train DATASET bits=64 seed=1 [epochs=N] [name=value ...]   validation rows only
 *   HeadBench diag  DATASET MODEL_DIR on=val|query [method=NAME]           an already trained model
 * </pre>
 *
 * {@code train} trains one model and reports the validation rows (querying the training rows) only:
 * head and whole-list figures under the protocol's Hamming ranking and under the refined rankings,
 * plus the tie-group diagnostics. {@code diag} reads a model folder (e.g. from the eval model
 * cache) and reports the same on the validation rows or on the query rows against the database.
 */
public final class HeadBench {
  private static final int[] CUTOFFS = {1, 5, 10, 20, 50, 100, 1000};

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Dataset dataset = Dataset.read(Path.of(args[1]));
    Map<String, String> params = new LinkedHashMap<>();
    Path modelDir = null;
    for (int i = 2; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      if (kv.length == 1) {
        modelDir = Path.of(args[i]);
      } else {
        params.put(kv[0], kv[1]);
      }
    }
    int bits = Integer.parseInt(params.getOrDefault("bits", "64"));
    long seed = Long.parseLong(params.getOrDefault("seed", "1"));
    int epochs = Integer.parseInt(params.getOrDefault("epochs", "0"));
    String on = params.getOrDefault("on", "val");
    String save = params.get("save");
    for (String k : List.of("bits", "seed", "epochs", "on", "save")) {
      params.remove(k);
    }

    List<DatasetFeatures.Pair> pairs =
        dataset.rows().stream()
            .map(
                row ->
                    new DatasetFeatures.Pair(
                        row.id(), row.image(), row.caption(), row.split().forTraining()))
            .toList();
    DatasetFeatures.Result features =
        DatasetFeatures.compute(
            pairs,
            TesseraCnnTrainer.Options.defaults(),
            DatasetFeatures.defaultCacheRoot(),
            System.out::println);
    System.out.println("features " + features.imageEncoderId() + " + " + features.textEncoderId());
    Dataset.TrainValidation split = dataset.holdOutValidation(0.1, 42);
    FeatureSet train = set(dataset, split.train(), features);
    FeatureSet validation = set(dataset, split.validation(), features);

    if (mode.equals("train")) {
      TrainingOptions options = new TrainingOptions(bits, epochs, seed, Device.CPU, null, params);
      long start = System.nanoTime();
      double[] best = {Double.NEGATIVE_INFINITY, 0, 0};
      try (BilgsehModel model =
          new Bilgseh()
              .train(
                  train,
                  validation,
                  options,
                  (e, n, loss, score) -> {
                    best[2] = e;
                    if (score > best[0]) {
                      best[0] = score;
                      best[1] = e;
                    }
                    System.out.printf(
                        Locale.ROOT, "  epoch %d loss %.4f val %.4f%n", e, loss, score);
                  })) {
        System.out.printf(
            Locale.ROOT,
            "params %s bits %d seed %d: best val %.4f at epoch %d of %d, %.0f s%n",
            params,
            bits,
            seed,
            best[0],
            (int) best[1],
            (int) best[2],
            (System.nanoTime() - start) / 1e9);
        report(model, validation, train, "validation rows vs training rows");
        if (save != null) {
          model.save(Path.of(save));
        }
      }
      return;
    }
    try (HashModel model =
        app.tessera.engine.hashing.HashingMethods.byName(params.getOrDefault("method", "bilgseh"))
            .load(modelDir)) {
      if (on.equals("query")) {
        FeatureSet queries = set(dataset, dataset.queryRows(), features);
        FeatureSet database = set(dataset, dataset.databaseRows(), features);
        report(model, queries, database, "query rows vs database rows");
      } else {
        report(model, validation, train, "validation rows vs training rows");
      }
    }
  }

  /** Both directions: {@code queries} against {@code items}. */
  static void report(HashModel model, FeatureSet queries, FeatureSet items, String what) {
    Relevance relevance = Relevance.sharedLabel(queries.labels(), items.labels());
    System.out.println(what + ", " + model.bits() + " bits");
    direction(
        "i2t",
        model.embedImages(queries.images()),
        model.encodeTexts(items.texts()),
        queries.images(),
        items.texts(),
        items.labels(),
        model.bits(),
        relevance);
    direction(
        "t2i",
        model.embedTexts(queries.texts()),
        model.encodeImages(items.images()),
        queries.texts(),
        items.images(),
        items.labels(),
        model.bits(),
        relevance);
  }

  static void direction(
      String name,
      float[][] queryOutputs,
      long[] itemCodes,
      float[][] queryFeatures,
      float[][] itemFeatures,
      float[][] itemLabels,
      int bits,
      Relevance relevance) {
    int items = relevance.itemCount();
    long[] queryCodes = BinaryCodes.pack(queryOutputs);
    print(
        name,
        "hamming (protocol)",
        RetrievalEvaluator.hamming(queryCodes, itemCodes, bits, relevance, CUTOFFS));
    print(
        name,
        "ties broken by asym only",
        RetrievalEvaluator.ranking(
            q -> tieBroken(queryOutputs[q], queryCodes, q, itemCodes, null, null, items, bits),
            relevance,
            CUTOFFS));
    print(
        name,
        "ties broken (TieBreak)",
        RetrievalEvaluator.ranking(
            q ->
                tieBroken(
                    queryOutputs[q],
                    queryCodes,
                    q,
                    itemCodes,
                    queryFeatures[q],
                    itemFeatures,
                    items,
                    bits),
            relevance,
            CUTOFFS));
    float[][] qf = normalised(queryFeatures);
    float[][] itf = normalised(itemFeatures);
    print(
        name,
        "feature cosine over hamming top 100",
        RetrievalEvaluator.ranking(
            q -> cosineRefined(qf[q], itf, queryCodes, q, itemCodes, items, bits, 100),
            relevance,
            CUTOFFS));
    print(
        name,
        "hamming, ties at random",
        RetrievalEvaluator.ranking(
            q -> randomTies(queryCodes, q, itemCodes, items, bits), relevance, CUTOFFS));
    diagnose(name, queryCodes, itemCodes, itemLabels, bits, relevance);
  }

  /** The Hamming ranking with each tie group shuffled (seeded by the query). */
  static int[] randomTies(long[] queryCodes, int q, long[] itemCodes, int items, int bits) {
    int[] distance = new int[items];
    int[] order = RetrievalEvaluator.hammingOrder(queryCodes, q, itemCodes, items, bits, distance);
    java.util.Random random = new java.util.Random(q);
    int from = 0;
    while (from < items) {
      int to = from;
      while (to < items && distance[order[to]] == distance[order[from]]) {
        to++;
      }
      for (int i = to - 1; i > from; i--) {
        int j = from + random.nextInt(i - from + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      from = to;
    }
    return order;
  }

  static int[] tieBroken(
      float[] outputs,
      long[] queryCodes,
      int q,
      long[] itemCodes,
      float[] queryFeature,
      float[][] itemFeatures,
      int items,
      int bits) {
    int[] distance = new int[items];
    int[] order = RetrievalEvaluator.hammingOrder(queryCodes, q, itemCodes, items, bits, distance);
    TieBreak.apply(
        order, distance, outputs, itemCodes, queryFeature, itemFeatures, TieBreak.CANDIDATES);
    return order;
  }

  static int[] cosineRefined(
      float[] query,
      float[][] itemFeatures,
      long[] queryCodes,
      int q,
      long[] itemCodes,
      int items,
      int bits,
      int top) {
    int[] order = RetrievalEvaluator.hammingOrder(queryCodes, q, itemCodes, items, bits, null);
    int n = Math.min(top, items);
    Integer[] head = new Integer[n];
    float[] key = new float[items];
    for (int p = 0; p < n; p++) {
      head[p] = order[p];
      float dot = 0;
      for (int j = 0; j < query.length; j++) {
        dot += query[j] * itemFeatures[order[p]][j];
      }
      key[order[p]] = -dot;
    }
    Arrays.sort(head, (a, b) -> Float.compare(key[a], key[b]));
    for (int p = 0; p < n; p++) {
      order[p] = head[p];
    }
    return order;
  }

  /**
   * Tie groups: distinct codes among the items, the size of the largest code group, per query the
   * distance of the nearest code, how many items share it, how many of those are relevant, and the
   * label sets per code.
   */
  static void diagnose(
      String name,
      long[] queryCodes,
      long[] itemCodes,
      float[][] itemLabels,
      int bits,
      Relevance relevance) {
    int words = BinaryCodes.wordsPerCode(bits);
    int items = relevance.itemCount();
    Map<String, Integer> groups = new HashMap<>();
    Map<String, java.util.Set<String>> labelSets = new HashMap<>();
    for (int i = 0; i < items; i++) {
      String key = Arrays.toString(Arrays.copyOfRange(itemCodes, i * words, (i + 1) * words));
      groups.merge(key, 1, Integer::sum);
      labelSets
          .computeIfAbsent(key, k -> new java.util.HashSet<>())
          .add(Arrays.toString(itemLabels[i]));
    }
    List<Integer> sizes = new ArrayList<>(groups.values());
    sizes.sort((a, b) -> b - a);
    java.util.Set<String> allLabelSets = new java.util.HashSet<>();
    for (float[] l : itemLabels) {
      allLabelSets.add(Arrays.toString(l));
    }
    double labelSetsPerCode =
        labelSets.values().stream().mapToInt(java.util.Set::size).average().orElse(0);
    int queries = relevance.queryCount();
    double firstDistance = 0;
    double firstGroup = 0;
    double firstGroupRelevant = 0;
    double groupOver10 = 0;
    double firstRelevantRank = 0;
    double within10AtD0 = 0;
    double[] distanceHist = new double[bits + 1];
    for (int q = 0; q < queries; q++) {
      int[] distance = new int[items];
      int[] order =
          RetrievalEvaluator.hammingOrder(queryCodes, q, itemCodes, items, bits, distance);
      int d0 = distance[order[0]];
      int size = 0;
      int rel = 0;
      while (size < items && distance[order[size]] == d0) {
        rel += relevance.relevant(q, order[size]) ? 1 : 0;
        size++;
      }
      firstDistance += d0;
      distanceHist[d0]++;
      firstGroup += size;
      firstGroupRelevant += rel / (double) size;
      groupOver10 += size > 10 ? 1 : 0;
      within10AtD0 += size >= 10 ? 1 : 0;
      for (int p = 0; p < items; p++) {
        if (relevance.relevant(q, order[p])) {
          firstRelevantRank += p + 1;
          break;
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "  %s diag: %d items, %d distinct codes (largest groups %s), %d distinct label sets,"
            + " %.2f label sets per code; per query: nearest code at distance %.2f (hist %s),"
            + " %.1f items share it, %.3f of them relevant, %.2f of queries see >10 tied at the"
            + " top, first relevant at rank %.2f%n",
        name,
        items,
        groups.size(),
        sizes.subList(0, Math.min(8, sizes.size())),
        allLabelSets.size(),
        labelSetsPerCode,
        firstDistance / queries,
        histogram(distanceHist, queries),
        firstGroup / queries,
        firstGroupRelevant / queries,
        groupOver10 / queries,
        firstRelevantRank / queries);
  }

  private static String histogram(double[] h, int n) {
    StringBuilder s = new StringBuilder();
    for (int d = 0; d < h.length; d++) {
      if (h[d] > 0) {
        s.append(String.format(Locale.ROOT, "%d:%.0f%% ", d, 100 * h[d] / n));
      }
    }
    return s.toString().trim();
  }

  static void print(String direction, String ranking, RetrievalMetrics m) {
    System.out.printf(
        Locale.ROOT,
        "  %s %-38s P@1 %.4f P@10 %.4f mAP@50 %.4f mAP@all %.4f%n",
        direction,
        ranking,
        m.precisionAt(1),
        m.precisionAt(10),
        m.mapAt(50),
        m.mapAll());
  }

  private static float[][] normalised(float[][] rows) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      double norm = 0;
      for (float v : rows[i]) {
        norm += v * v;
      }
      float s = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
      out[i] = new float[rows[i].length];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = rows[i][j] * s;
      }
    }
    return out;
  }

  private static FeatureSet set(
      Dataset dataset, List<DatasetRow> rows, DatasetFeatures.Result features) {
    float[][] im = new float[rows.size()][];
    float[][] tx = new float[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      im[i] = features.images()[rows.get(i).index()];
      tx[i] = features.texts()[rows.get(i).index()];
    }
    return new FeatureSet(im, tx, dataset.labelMatrix(rows));
  }
}
